//! `fairpanel letters`: the four letters from decisions recorded through the real binary, read
//! back in every form; what a letter needs and does not have is named, never guessed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::SettledOutput;

const BIN: &str = env!("CARGO_BIN_EXE_fairpanel");

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("FAIRPANEL_DATA_DIR", data)
        .env("NO_COLOR", "1")
        .settled_output()
}

struct Fixture {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    log: PathBuf,
    caseload: PathBuf,
}

impl Fixture {
    fn p(&self, name: &str) -> String {
        self.dir.join(name).to_str().unwrap().to_owned()
    }

    fn letters(&self, extra: &[&str]) -> Output {
        let log = self.log.to_str().unwrap().to_owned();
        let mut args = vec!["letters", "--log", &log];
        args.extend_from_slice(extra);
        run(&self.dir.join("data"), &args)
    }

    fn record(&self, extra: &[&str]) {
        let (log, caseload) = (
            self.log.to_str().unwrap().to_owned(),
            self.caseload.to_str().unwrap().to_owned(),
        );
        let mut args = vec![
            "record",
            "--log",
            &log,
            "--caseload",
            &caseload,
            "--agreed-by",
            "Janet Okafor",
            "--as-of",
            "2026-03-16",
        ];
        args.extend_from_slice(extra);
        let o = run(&self.dir.join("data"), &args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

/// The demo caseload (with its LA contact and two pupils' carers) and three decisions between
/// meetings: an allocation to an academy, a refusal by a voluntary-aided school (maintained),
/// a refusal by an academy.
fn fixture(edit: impl FnOnce(String) -> String) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    let caseload = path.join("caseload.json");
    std::fs::write(
        &caseload,
        edit(fairpanel::io::demo::DEMO_CASELOAD.to_owned()),
    )
    .unwrap();
    let f = Fixture {
        log: path.join("panel.fairpanel-log"),
        caseload,
        dir: path,
        _dir: dir,
    };
    f.record(&[
        "--case",
        "FA-2026-009",
        "--outcome",
        "allocate_school",
        "--urn",
        "137274",
        "--start",
        "2026-03-23",
        "--reasons",
        "Nearest school with room in the year group",
    ]);
    f.record(&[
        "--case",
        "FA-2026-010",
        "--outcome",
        "refused_escalate_direction",
        "--urn",
        "104255",
        "--reasons",
        "Every school within reasonable distance has refused",
    ]);
    f.record(&[
        "--case",
        "FA-2026-003",
        "--outcome",
        "refused_escalate_direction",
        "--urn",
        "137274",
        "--reasons",
        "The academy refused the panel's allocation",
    ]);
    f
}

fn demo() -> Fixture {
    fixture(|s| s)
}

fn ok(o: &Output) {
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty(), "a letter never goes to stdout");
}

fn err(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Compares with the committed golden file, or rewrites it when `FAIRPANEL_UPDATE_GOLDEN=1`.
fn golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/letters")
        .join(name);
    if std::env::var_os("FAIRPANEL_UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "tests/golden/letters/{name} is out of date; run FAIRPANEL_UPDATE_GOLDEN=1 cargo test --test letters, read the diff and commit it\n--- got ---\n{text}"
    );
}

const ACADEMY: [&str; 4] = [
    "--academy-reasons",
    "The academy says its Year 10 groups are full",
    "--la-response",
    "Year 10 is below its published admission number; the protocol asks every school to take its share",
];

fn kinds() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    vec![
        ("FA-2026-009", "school-allocation", vec![]),
        ("FA-2026-009", "parent-allocation", vec![]),
        ("FA-2026-010", "direction-notice", vec![]),
        ("FA-2026-003", "academy-direction-request", ACADEMY.to_vec()),
    ]
}

#[test]
fn every_letter_matches_its_golden_file_in_markdown() {
    let f = demo();
    for (case, kind, extra) in kinds() {
        let out = f.p(&format!("{kind}.md"));
        let mut args = vec![
            "--case",
            case,
            "--kind",
            kind,
            "--format",
            "md",
            "--date",
            "2026-03-17",
            "--out",
            &out,
        ];
        args.extend(extra);
        ok(&f.letters(&args));
        let text = std::fs::read_to_string(&out).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&out).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{kind}");
        }
        assert!(text.contains(case), "{kind}");
        assert!(
            !text.contains("{{") && !text.contains("{%"),
            "{kind}: a tag left"
        );
        golden(&format!("{kind}.md"), &text);
    }
}

#[test]
fn the_dates_are_worked_out_on_the_calendar() {
    let f = demo();
    let out = f.p("dn.md");
    // Notice given Fri 27 Mar 2026: 15 days beginning that day end on Fri 10 Apr, in the Easter
    // holiday and over two weekends (calendar days, SSFA 1998 s97).
    ok(&f.letters(&[
        "--case",
        "FA-2026-010",
        "--kind",
        "direction-notice",
        "--format",
        "md",
        "--date",
        "2026-03-27",
        "--out",
        &out,
    ]));
    let t = std::fs::read_to_string(&out).unwrap();
    assert!(t.contains("until **Fri 10 Apr 2026**"), "{t}");
    // The school's letter: the aim is 20 school days from the day the panel agreed to consider
    // the case (FA-2026-009: Tue 24 Feb 2026 → Tue 24 Mar 2026).
    let out = f.p("s.md");
    ok(&f.letters(&[
        "--case",
        "FA-2026-009",
        "--kind",
        "school-allocation",
        "--format",
        "md",
        "--date",
        "2026-03-17",
        "--out",
        &out,
    ]));
    let t = std::fs::read_to_string(&out).unwrap();
    assert!(t.contains("allocated by Tue 24 Mar 2026"), "{t}");
    // The academy had 7 calendar days from the decision that asked it (Mon 16 Mar → Mon 23).
    let out = f.p("a.md");
    let mut args = vec![
        "--case",
        "FA-2026-003",
        "--kind",
        "academy-direction-request",
        "--format",
        "md",
        "--date",
        "2026-03-30",
        "--out",
        &out,
    ];
    args.extend(ACADEMY);
    ok(&f.letters(&args));
    let t = std::fs::read_to_string(&out).unwrap();
    assert!(t.contains("was given until Mon 23 Mar 2026"), "{t}");
}

#[test]
fn word_and_html_letters_hold_the_same_words() {
    let f = demo();
    let md = f.p("p.md");
    let docx = f.p("p.docx");
    let html = f.p("p.html");
    for (fmt, out) in [("md", &md), ("docx", &docx), ("html", &html)] {
        ok(&f.letters(&[
            "--case",
            "FA-2026-009",
            "--kind",
            "parent-allocation",
            "--format",
            fmt,
            "--date",
            "2026-03-17",
            "--out",
            out,
        ]));
    }
    let bytes = std::fs::read(&docx).unwrap();
    assert!(bytes.starts_with(b"PK"));
    let xml = {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut s = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let html = std::fs::read_to_string(&html).unwrap();
    for words in [
        "Siobhan Gallagher",
        "14 Elm Grove",
        "Bloxwich Academy",
        "Mon 23 Mar 2026",
        "right to appeal to an independent appeal panel",
        "Lucy Bradbury",
    ] {
        assert!(xml.contains(words), "docx lacks {words}");
        assert!(html.contains(words), "html lacks {words}");
    }
    // The address keeps its lines in every form.
    assert!(html.contains("14 Elm Grove<br>\nBloxwich"), "{html}");
    assert!(xml.contains("<w:br"), "line breaks in the Word address");
    for bad in ["http", "<script", "<link", "src=", "url("] {
        assert!(!html.to_lowercase().contains(bad), "{bad}");
    }
}

#[test]
fn a_missing_contact_names_the_field_to_fill_and_writes_nothing() {
    // No carer's address for FA-2026-009; no LA contact at all.
    let f = fixture(|s| {
        s.replacen(
            "\"address\": \"14 Elm Grove, Bloxwich, Walsall WS3 2AB\",\n",
            "",
            1,
        )
    });
    let out = f.p("x.docx");
    let e = err(&f.letters(&[
        "--case",
        "FA-2026-009",
        "--kind",
        "parent-allocation",
        "--out",
        &out,
    ]));
    assert!(e.contains("pupil.contacts[0].address"), "{e}");
    assert!(
        !e.contains("Gallagher") && !e.contains("Siobhan"),
        "no pupil data: {e}"
    );
    assert!(!Path::new(&out).exists());
    let e = err(&f.letters(&[
        "--case",
        "FA-2026-009",
        "--kind",
        "parent-allocation",
        "--contact",
        "2",
        "--out",
        &out,
    ]));
    assert!(e.contains("pupil.contacts[1]"), "{e}");

    let f = fixture(|s| {
        let start = s.find("\"contact\": {").unwrap();
        let end = start + s[start..].find("},\n").unwrap() + 3;
        format!("{}{}", &s[..start], &s[end..])
    });
    let e = err(&f.letters(&[
        "--case",
        "FA-2026-009",
        "--kind",
        "school-allocation",
        "--out",
        &out,
    ]));
    assert!(e.contains("panel.contact"), "{e}");
    assert!(!Path::new(&out).exists());
}

#[test]
fn a_letter_the_decision_does_not_give_is_refused() {
    let f = demo();
    let out = f.p("x.docx");
    for (case, kind, says) in [
        (
            "FA-2026-010",
            "parent-allocation",
            "needs a decision that places the child",
        ),
        // A maintained school is directed by the LA; an academy through the Secretary of State.
        (
            "FA-2026-010",
            "academy-direction-request",
            "maintained school",
        ),
        ("FA-2026-003", "direction-notice", "is an academy"),
        // The request needs the academy's reasons and the LA's response.
        (
            "FA-2026-003",
            "academy-direction-request",
            "--academy-reasons",
        ),
        // No decision yet, no case: named.
        ("FA-2026-001", "school-allocation", "no decision"),
        ("NOPE-1", "school-allocation", "no case with this reference"),
    ] {
        let e = err(&f.letters(&["--case", case, "--kind", kind, "--out", &out]));
        assert!(e.contains(says), "{case} {kind}: {e}");
        assert!(!Path::new(&out).exists(), "nothing written: {case} {kind}");
    }
}

#[test]
fn the_la_edits_its_templates() {
    let f = demo();
    let dir = f.p("templates");
    let o = run(&f.dir.join("data"), &["letters", "--save-templates", &dir]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let listed = String::from_utf8(o.stdout).unwrap();
    assert_eq!(listed.lines().count(), 4, "{listed}");
    let own = Path::new(&dir).join("school-allocation.md");
    std::fs::write(
        &own,
        "Our own words for {{ school.name }}: start {{ decision.start_date }}.\n",
    )
    .unwrap();
    // Saving again keeps the LA's edit.
    let o = run(&f.dir.join("data"), &["letters", "--save-templates", &dir]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&own)
            .unwrap()
            .starts_with("Our own words")
    );

    let out = f.p("own.md");
    ok(&f.letters(&[
        "--case",
        "FA-2026-009",
        "--kind",
        "school-allocation",
        "--format",
        "md",
        "--templates",
        &dir,
        "--out",
        &out,
    ]));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "Our own words for Bloxwich Academy: start Mon 23 Mar 2026.\n"
    );
    // A field the letter does not have, or a broken tag: the template and line are named.
    std::fs::write(&own, "Dear head,\n\n{{ pupil.shoe_size }}\n").unwrap();
    let e = err(&f.letters(&[
        "--case",
        "FA-2026-009",
        "--kind",
        "school-allocation",
        "--templates",
        &dir,
        "--out",
        &out,
    ]));
    assert!(e.contains("template school-allocation.md (line 3)"), "{e}");
    std::fs::write(&own, "{% if %}\n").unwrap();
    let e = err(&f.letters(&[
        "--case",
        "FA-2026-009",
        "--kind",
        "school-allocation",
        "--templates",
        &dir,
        "--out",
        &out,
    ]));
    assert!(e.contains("template school-allocation.md (line 1)"), "{e}");
}

#[test]
fn text_from_the_log_is_shown_never_obeyed() {
    let f = fixture(|s| s);
    f.record(&[
        "--case",
        "FA-2026-009",
        "--outcome",
        "allocate_school",
        "--urn",
        "137274",
        "--start",
        "2026-03-23",
        "--corrects",
        "2",
        "--correction-reason",
        "Start date",
        "--reasons",
        "**bold** <script>alert(1)</script> # not a heading\u{1b}[2J",
    ]);
    let (md, html) = (f.p("h.md"), f.p("h.html"));
    for (fmt, out) in [("md", &md), ("html", &html)] {
        ok(&f.letters(&[
            "--case",
            "FA-2026-009",
            "--kind",
            "school-allocation",
            "--format",
            fmt,
            "--out",
            out,
        ]));
    }
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.contains(
            "\\*\\*bold\\*\\* \\<script\\>alert(1)\\</script\\> # not a heading\\\\u{1b}\\[2J"
        ),
        "{md}"
    );
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(
        html.contains("**bold** &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(!html.contains('\u{1b}'));
}
