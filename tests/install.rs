//! `fairpanel completions SHELL` and `fairpanel man --out DIR` through the real binary: generated
//! from the clap definitions, so every command the binary has is in them.

use std::path::Path;
use std::process::{Command, Output};

use clap::CommandFactory;
use fairpanel::cli::Cli;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args(args)
        .output()
        .expect("run fairpanel")
}

/// Every visible command's full name, as its man page is named: `fairpanel-schools-import`.
fn commands() -> Vec<String> {
    fn walk(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
        let name = if prefix.is_empty() {
            cmd.get_name().to_owned()
        } else {
            format!("{prefix}-{}", cmd.get_name())
        };
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, &name, out);
        }
        out.push(name);
    }
    let mut out = Vec::new();
    walk(&Cli::command(), "", &mut out);
    out
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    let top: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    assert!(top.iter().any(|c| c == "completions") && top.iter().any(|c| c == "man"));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(o.stdout).expect("UTF-8 script");
        for c in &top {
            assert!(script.contains(c.as_str()), "{shell}: no {c}");
        }
        assert!(script.contains("outcome"), "{shell}: flags complete too");
        assert!(o.stderr.is_empty(), "{shell}: nothing on stderr");
    }
    // A fixed value completes: the outcomes as domain.md spells them.
    let bash = String::from_utf8(run(&["completions", "bash"]).stdout).unwrap();
    assert!(bash.contains("allocate_school") && bash.contains("redirect_ehcp"));
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let o = run(&["completions", "cmd.exe"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("powershell"), "the shells are listed: {err}");
}

#[test]
fn man_writes_one_page_per_command_naming_its_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new folder").join("man1");
    let o = run(&["man", "--out", out.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let listed = String::from_utf8(o.stdout).unwrap();
    let want = commands();
    assert!(want.len() > 15, "{want:?}");
    for name in &want {
        let file = format!("{name}.1");
        assert!(listed.lines().any(|l| l == file), "{file} not listed");
        let page = std::fs::read_to_string(out.join(&file)).expect(&file);
        assert!(
            page.starts_with(".ie") || page.contains("\n.TH "),
            "{file}: roff"
        );
        assert!(page.contains(".SH NAME"), "{file}");
    }
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        want.len(),
        "no other files"
    );
    let record = std::fs::read_to_string(out.join("fairpanel-record.1")).unwrap();
    for flag in [
        "\\-\\-log",
        "\\-\\-outcome",
        "\\-\\-agreed\\-by",
        "\\-\\-as\\-of",
    ] {
        assert!(record.contains(flag), "fairpanel-record.1 lacks {flag}");
    }
    let top = std::fs::read_to_string(out.join("fairpanel.1")).unwrap();
    assert!(
        top.contains("\\-\\-ascii"),
        "the screen's flags in fairpanel.1"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out), 0o700);
        assert_eq!(mode(&out.join("fairpanel.1")), 0o600);
    }
    // Run again: the pages are replaced, nothing else appears.
    assert_eq!(
        run(&["man", "--out", out.to_str().unwrap()]).status.code(),
        Some(0)
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), want.len());
}

#[test]
fn man_into_a_folder_that_cannot_be_made_is_exit_6() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a file");
    std::fs::write(&file, "x").unwrap();
    let o = run(&["man", "--out", file.join("man1").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(6));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("man1") && err.contains("cannot"), "{err}");
}
