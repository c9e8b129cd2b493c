//! `fairpanel completions SHELL` and `fairpanel man --out DIR`: shell completions and man pages
//! generated from the clap definitions, so they can never disagree with `--help`.

use std::path::Path;

use clap::CommandFactory;

use crate::cli::{Cli, Failure};
use crate::io::files::write_atomic;
use crate::log::store::create_private_dir;

/// The completion script for `shell`, on stdout.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "fairpanel", &mut script);
    crate::cli::out::print_script(&script)
        .map_err(|e| Failure::io(Path::new("standard output"), "write the completions", e))
}

/// One man page per command (`fairpanel.1`, `fairpanel-check.1`, `fairpanel-schools-import.1`,
/// …) in `dir`, made if missing; the pages' names on stdout.
pub(super) fn man(dir: &Path) -> Result<(), Failure> {
    create_private_dir(dir).map_err(|e| Failure::io(dir, "create the folder", e))?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    render(&cmd, &mut pages).map_err(|e| Failure::Internal(format!("a man page: {e}")))?;
    for (name, bytes) in &pages {
        let path = dir.join(name);
        write_atomic(&path, bytes).map_err(|e| Failure::io(&path, "write the man page", e))?;
    }
    for (name, _) in &pages {
        crate::cli::out::print(name)
            .map_err(|e| Failure::io(Path::new("standard output"), "write the pages' names", e))?;
    }
    Ok(())
}

/// The pages of `cmd` and of every visible subcommand under it, as (file name, roff).
fn render(cmd: &clap::Command, pages: &mut Vec<(String, Vec<u8>)>) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut bytes = Vec::new();
    man.render(&mut bytes)?;
    pages.push((man.get_filename(), bytes));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        render(sub, pages)?;
    }
    Ok(())
}
