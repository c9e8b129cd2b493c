//! `fairpanel referrals template` and `referrals import` through the real binary: the template
//! round trip, .xlsx / .ods / UTF-8 and Windows-1252 CSV fixtures, a mixed-encoding CSV refused,
//! every problem naming sheet, row and column without the pupil's value, `--map`, `--dry-run`,
//! a merge the caseload's checks refuse, and exit codes. The pupils are invented; the URNs are
//! real Walsall schools.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fairpanel::domain::caseload::{Case, CaseKind, Caseload, Sen, Sex, Status};
use fairpanel::domain::dates::Date;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn fairpanel() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fairpanel"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const DEMO: &str = "fixtures/demo-walsall.json";

/// A copy of the demo caseload in a temp folder.
fn caseload() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("caseload.json");
    std::fs::copy(DEMO, &path).unwrap();
    (dir, path)
}

fn run(args: &[&str], into: &Path) -> Output {
    fairpanel()
        .args(args)
        .arg("--into")
        .arg(into)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn read(path: &Path) -> Caseload {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn case<'c>(c: &'c Caseload, r: &str) -> &'c Case {
    c.cases
        .iter()
        .find(|k| k.reference == r)
        .unwrap_or_else(|| panic!("{r} not in the caseload"))
}

fn d(y: i32, m: u32, day: u32) -> Date {
    Date::from_ymd(y, m, day).unwrap()
}

/// A cell written into a test sheet.
enum V<'a> {
    S(&'a str),
    N(f64),
    D(u16, u8, u8),
    Blank,
}

/// An .xlsx with a "Referrals" sheet: `header` in row 1, `rows` below.
fn xlsx(path: &Path, header: &[&str], rows: &[Vec<V>]) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Referrals").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            let c = c as u16;
            match v {
                V::S(s) => {
                    ws.write_string(r, c, *s).unwrap();
                }
                V::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                V::D(y, m, day) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *day).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
                V::Blank => {}
            }
        }
    }
    wb.save(path).unwrap();
}

const FULL_HEADER: &[&str] = &[
    "Case reference",
    "Kind",
    "Referral date",
    "Referred by",
    "Referrer's role",
    "Status",
    "Given name",
    "Family name",
    "Date of birth",
    "Sex",
    "Year group",
    "SEN",
    "Categories",
    "In-year applications",
];

/// One good new Fair Access referral in the columns of FULL_HEADER.
fn good_row<'a>(reference: &'a str, given: &'a str, dob: V<'a>) -> Vec<V<'a>> {
    vec![
        V::S(reference),
        V::S("Fair Access"),
        V::D(2026, 3, 2),
        V::S("Walsall Council In-Year Admissions"),
        V::S("In-year admissions officer"),
        V::S("Unplaced"),
        V::S(given),
        V::S("Invented"),
        dob,
        V::S("Female"),
        V::N(9.0),
        V::S("None"),
        V::S("g: Housing Options letter"),
        V::S("142594 16/02/2026 no place"),
    ]
}

/// The committed .xlsx fixture, made here (FAIRPANEL_UPDATE_FIXTURES=1 writes it again).
fn make_xlsx_fixture(path: &Path) {
    let header: Vec<&str> = FULL_HEADER
        .iter()
        .copied()
        .chain(["DOB check", "Parent/carer 1 name", "Parent/carer 1 phone"])
        .collect();
    let mut a = good_row("FA-2026-401", "Zoë", V::D(2012, 5, 14));
    a.extend([V::Blank, V::S("Dana Invented"), V::S("07700 900123")]);
    // The date of birth as a bare Excel serial (a date cell not formatted as one): 14/10/2011.
    let mut b = good_row("FA-2026-402", "Kit", V::N(40830.0));
    b.extend([V::Blank, V::Blank, V::Blank]);
    // An existing demo case: a new role, and a contact.
    let mut c: Vec<V> = vec![V::S("FA-2026-001")];
    c.extend((1..FULL_HEADER.len()).map(|i| {
        if FULL_HEADER[i] == "Referrer's role" {
            V::S("Head of inclusion")
        } else {
            V::Blank
        }
    }));
    c.extend([V::Blank, V::S("Mo Invented"), V::Blank]);
    xlsx(path, &header, &[a, b, c]);
}

#[test]
fn committed_xlsx_fixture_imports() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/referrals/referrals.xlsx");
    if std::env::var_os("FAIRPANEL_UPDATE_FIXTURES").is_some() {
        make_xlsx_fixture(&fixture);
    }
    let (_d, into) = caseload();
    let before = read(&into);
    let o = run(
        &["referrals", "import", "fixtures/referrals/referrals.xlsx"],
        &into,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("(sheet \"Referrals\"): 3 rows read; 2 cases added, 1 updated, 0 unchanged"),
        "{err}"
    );
    assert!(err.contains("added: FA-2026-401, FA-2026-402"), "{err}");
    assert!(
        err.contains("updated FA-2026-001: referrer.role, pupil.contacts"),
        "{err}"
    );
    // The unknown column is warned about, by header.
    assert!(
        err.contains("Referrals!row 1, \"DOB check\": a column fairpanel does not know"),
        "{err}"
    );
    for secret in ["Zoë", "Invented", "07700", "2012"] {
        assert!(!err.contains(secret), "{secret} on stderr: {err}");
    }
    let after = read(&into);
    assert_eq!(after.cases.len(), before.cases.len() + 2);
    let a = case(&after, "FA-2026-401");
    assert_eq!(a.pupil.given_name, "Zoë");
    assert_eq!(a.pupil.date_of_birth, d(2012, 5, 14));
    assert_eq!(a.referral_date, d(2026, 3, 2));
    assert_eq!(
        (a.kind, a.status, a.pupil.sex, a.pupil.sen),
        (
            CaseKind::FairAccess,
            Status::Unplaced,
            Sex::Female,
            Sen::None
        )
    );
    assert_eq!(
        a.pupil.year_group.map(|y| y.to_string()).as_deref(),
        Some("Y9")
    );
    assert_eq!(a.categories[0].evidence, "Housing Options letter");
    assert_eq!(a.in_year_apps[0].urn, 142594);
    assert_eq!(a.in_year_apps[0].date, d(2026, 2, 16));
    assert_eq!(a.pupil.contacts[0].name, "Dana Invented");
    assert_eq!(a.pupil.contacts[0].phone.as_deref(), Some("07700 900123"));
    assert_eq!(
        case(&after, "FA-2026-402").pupil.date_of_birth,
        d(2011, 10, 14)
    );
    // The existing case: only what the row said changed.
    let (old, new) = (case(&before, "FA-2026-001"), case(&after, "FA-2026-001"));
    assert_eq!(new.referrer.role, "Head of inclusion");
    assert_eq!(new.pupil.contacts[0].name, "Mo Invented");
    assert_eq!(new.pupil.given_name, old.pupil.given_name);
    assert_eq!(new.categories, old.categories);
    assert_eq!(after.format, "fairpanel-caseload/3");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&into).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // It checks as `fairpanel check` does.
    let o = fairpanel().arg("check").arg(&into).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_template_round_trips_xlsx_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("sheet.xlsx");
    let o = fairpanel()
        .args(["referrals", "template", "--out"])
        .arg(&t)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The template's own headers, read back by calamine, are every column, in order.
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&t).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Referrals", "Columns"]);
    let r = wb.worksheet_range("Referrals").unwrap();
    let header: Vec<String> = r
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let specs: Vec<&str> = fairpanel::io::referrals::specs()
        .map(|s| s.header)
        .collect();
    assert_eq!(header, specs);
    let help = wb.worksheet_range("Columns").unwrap();
    assert_eq!(
        help.height(),
        specs.len() + 1,
        "one explaining row per column"
    );
    // The empty template imports as nothing to do.
    let (_d, into) = caseload();
    let before = std::fs::read(&into).unwrap();
    let o = run(&["referrals", "import", t.to_str().unwrap()], &into);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 rows read"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&into).unwrap(), before);

    // Filled in with the template's headers: every column reaches its field.
    let filled = dir.path().join("filled.xlsx");
    let row: Vec<V> = specs
        .iter()
        .map(|h| match *h {
            "Case reference" => V::S("MM-2026-501"),
            "Kind" => V::S("Managed move"),
            "Referral date" => V::D(2026, 3, 2),
            "Referred by" => V::S("Pool Hayes Academy"),
            "Referrer's role" => V::S("Head of year"),
            "Status" => V::S("On roll"),
            "Given name" => V::S("Noor"),
            "Family name" => V::S("Invented"),
            "Date of birth" => V::S("03/04/2012"),
            "Sex" => V::S("F"),
            "Year group" => V::S("Y9"),
            "UPN" => V::S("A123456789012"),
            "SEN" => V::S("SEN support"),
            "Looked after" => V::S("No"),
            "Previously looked after" => V::S("Yes"),
            "Categories" => V::S("m: adoption order seen"),
            "Preferences" => V::S("142594"),
            "Out of education since" => V::Blank,
            "Current school URN" => V::N(142594.0),
            "On roll since" => V::S("04/09/2023"),
            "Proposed school URN" => V::N(136777.0),
            "Notes" => V::S("Invented for a test"),
            "Parent/carer 1 name" => V::S("Ola Invented"),
            "Parent/carer 1 relationship" => V::S("adoptive mother"),
            "Parent/carer 1 address" => V::S("1 Example Road, Walsall"),
            "Parent/carer 1 phone" => V::S("07700 900456"),
            "Parent/carer 1 email" => V::S("ola@example.org"),
            "Parent/carer 2 name" => V::S("Sol Invented"),
            _ => V::Blank,
        })
        .collect();
    xlsx(&filled, &specs, &[row]);
    let o = run(&["referrals", "import", filled.to_str().unwrap()], &into);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = read(&into);
    let k = case(&c, "MM-2026-501");
    assert_eq!(k.kind, CaseKind::ManagedMove);
    assert_eq!(k.status, Status::OnRoll);
    assert_eq!(k.pupil.date_of_birth, d(2012, 4, 3));
    assert_eq!(k.pupil.upn.as_deref(), Some("A123456789012"));
    assert!(k.pupil.plac && !k.pupil.lac);
    assert_eq!(k.pupil.sen, Sen::SenSupport);
    assert_eq!(k.preferences, vec![142594]);
    assert_eq!(k.proposed_school, Some(136777));
    assert_eq!(k.schools_attended.len(), 1);
    assert_eq!(k.schools_attended[0].urn, Some(142594));
    assert_eq!(k.schools_attended[0].name, "Pool Hayes Academy");
    assert_eq!(
        (k.schools_attended[0].from, k.schools_attended[0].to),
        (d(2023, 9, 4), None)
    );
    assert_eq!(k.notes.as_deref(), Some("Invented for a test"));
    assert_eq!(k.pupil.contacts.len(), 2);
    assert_eq!(
        k.pupil.contacts[0].email.as_deref(),
        Some("ola@example.org")
    );
    assert_eq!(k.pupil.contacts[1].name, "Sol Invented");

    // The CSV template: the header row alone, UTF-8; rows appended to it import.
    let csv = dir.path().join("sheet.csv");
    let o = fairpanel()
        .args(["referrals", "template", "--out"])
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let mut text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert_eq!(text.trim_end().split(',').count(), specs.len());
    let mut cells = vec![""; specs.len()];
    for (h, v) in [
        ("Case reference", "FA-2026-502"),
        ("Kind", "Fair Access"),
        ("Referral date", "2/3/26"),
        ("Referred by", "Walsall Council"),
        ("Referrer's role", "Officer"),
        ("Status", "Child missing education"),
        ("Given name", "Ivo"),
        ("Family name", "Invented"),
        ("Date of birth", "2011-12-01"),
        ("Sex", "Male"),
        ("SEN", "N"),
        (
            "Categories",
            "k: exceptional circumstances set out in the referral",
        ),
    ] {
        let i = specs.iter().position(|s| *s == h).unwrap();
        cells[i] = v;
    }
    text.push_str(&cells.join(","));
    text.push('\n');
    std::fs::write(&csv, text).unwrap();
    let o = run(&["referrals", "import", csv.to_str().unwrap()], &into);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("(CSV, UTF-8)"), "{}", stderr(&o));
    let k2 = read(&into);
    let k = case(&k2, "FA-2026-502");
    assert_eq!((k.referral_date, k.status), (d(2026, 3, 2), Status::Cme));

    // Neither .txt nor anything else.
    let o = fairpanel()
        .args(["referrals", "template", "--out"])
        .arg(dir.path().join("sheet.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn ods_and_both_csv_encodings_read_the_same_names() {
    let (_d, into) = caseload();
    let o = run(
        &["referrals", "import", "fixtures/referrals/referrals.ods"],
        &into,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = read(&into);
    let k = case(&c, "FA-2026-301");
    assert_eq!(k.pupil.family_name, "Inventé");
    assert_eq!(k.pupil.date_of_birth, d(2012, 1, 20));
    assert_eq!(k.referral_date, d(2026, 3, 2));
    let ap = case(&c, "AP-2026-302");
    assert_eq!(ap.kind, CaseKind::PlaceRequest);
    assert_eq!(ap.schools_attended[0].from, d(2022, 9, 5));

    let mut got = Vec::new();
    for (file, enc) in [
        ("fixtures/referrals/referrals-utf8.csv", "(CSV, UTF-8)"),
        (
            "fixtures/referrals/referrals-windows-1252.csv",
            "(CSV, Windows-1252)",
        ),
    ] {
        let (_d, into) = caseload();
        let o = run(&["referrals", "import", file], &into);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(0), "{err}");
        assert!(err.contains(enc) && err.contains("2 cases added"), "{err}");
        let c = read(&into);
        let k = case(&c, "FA-2026-201").clone();
        assert_eq!(k.pupil.given_name, "Zoë");
        assert_eq!(k.pupil.family_name, "O’Invented");
        assert_eq!(k.out_since, Some(d(2026, 2, 2)));
        got.push((k, case(&c, "FA-2026-202").clone()));
    }
    assert_eq!(got[0], got[1], "the same referrals whatever the encoding");
}

#[test]
fn a_mixed_encoding_csv_is_refused_at_its_line_and_column_and_nothing_is_written() {
    let (_d, into) = caseload();
    let before = std::fs::read(&into).unwrap();
    let o = run(
        &[
            "referrals",
            "import",
            "fixtures/referrals/referrals-mixed.csv",
        ],
        &into,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("line 3, column "), "{err}");
    assert!(err.contains("mixes two encodings"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(std::fs::read(&into).unwrap(), before);
}

#[test]
fn every_problem_names_sheet_row_and_column_and_never_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.xlsx");
    let mut bad_date = good_row("FA-2026-601", "Secretname", V::S("31/02/2012"));
    bad_date[9] = V::S("Xq");
    let mut bad_apps = good_row("FA-2026-602", "Secretname", V::D(2012, 5, 14));
    bad_apps[13] = V::S("14259 16/02/2026 no place");
    bad_apps[12] = V::S("z: Secretevidence");
    let mut no_family = good_row("FA-2026-603", "Secretname", V::D(2012, 5, 14));
    no_family[7] = V::Blank;
    let dup = good_row("FA-2026-601", "Secretname", V::D(2012, 5, 14));
    let mut no_ref = good_row("", "Secretname", V::D(2012, 5, 14));
    no_ref[0] = V::Blank;
    xlsx(
        &f,
        FULL_HEADER,
        &[bad_date, bad_apps, no_family, dup, no_ref],
    );
    let (_d, into) = caseload();
    let before = std::fs::read(&into).unwrap();
    let o = run(&["referrals", "import", f.to_str().unwrap()], &into);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for want in [
        "Referrals!row 2, \"Date of birth\": not a real date; write DD/MM/YYYY",
        "Referrals!row 2, \"Sex\": not one of the choices; write Female or Male",
        "Referrals!row 3, \"In-year applications\": the application does not start with a school's six-digit URN",
        "Referrals!row 3, \"Categories\": the claim does not start with a category letter a to m",
        "Referrals!row 4, \"Family name\": blank, and a new case needs it; fill it in",
        "Referrals!row 5, \"Case reference\": the same case reference as row 2",
        "Referrals!row 6, \"Case reference\": no case reference",
        "nothing was imported",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    for secret in [
        "Secretname",
        "Secretevidence",
        "31/02",
        "14259 ",
        "Xq",
        "Invented",
    ] {
        assert!(!err.contains(secret), "{secret} on stderr:\n{err}");
    }
    assert_eq!(std::fs::read(&into).unwrap(), before);

    // A CSV problem names the data row, the file line and the header.
    let c = dir.path().join("bad.csv");
    std::fs::write(
        &c,
        "Ref,Kind,DOB\r\nFA-2025-131,Fair Access,2012-05-14\r\n\r\nFA-2026-001,Fair Access,14/13/2012\r\n",
    )
    .unwrap();
    let o = run(&["referrals", "import", c.to_str().unwrap()], &into);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad.csv: row 2 (line 4), \"DOB\": not a real date; write DD/MM/YYYY"),
        "{err}"
    );
}

#[test]
fn a_merge_the_caseload_checks_refuse_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("young.xlsx");
    // Born 2024: an age outside 4–19 on the meeting date.
    xlsx(
        &f,
        FULL_HEADER,
        &[good_row("FA-2026-701", "Tiny", V::D(2024, 1, 1))],
    );
    let (_d, into) = caseload();
    let before = std::fs::read(&into).unwrap();
    let o = run(&["referrals", "import", f.to_str().unwrap()], &into);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "Referrals!row 2, \"Date of birth\": gives an age outside 4–19 on the meeting date"
        ),
        "{err}"
    );
    assert!(!err.contains("2024") && !err.contains("Tiny"), "{err}");
    assert_eq!(std::fs::read(&into).unwrap(), before);
}

#[test]
fn dry_run_says_what_would_change_and_writes_nothing() {
    let (_d, into) = caseload();
    let before = std::fs::read(&into).unwrap();
    let modified = std::fs::metadata(&into).unwrap().modified().unwrap();
    let o = run(
        &[
            "referrals",
            "import",
            "fixtures/referrals/referrals.xlsx",
            "--dry-run",
        ],
        &into,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("dry run, nothing written: 2 cases added, 1 updated"),
        "{err}"
    );
    assert!(
        err.contains("updated FA-2026-001: referrer.role, pupil.contacts"),
        "{err}"
    );
    assert!(
        !err.contains("Head of inclusion") && !err.contains("Mo Invented"),
        "{err}"
    );
    assert_eq!(std::fs::read(&into).unwrap(), before);
    assert_eq!(
        std::fs::metadata(&into).unwrap().modified().unwrap(),
        modified
    );
    assert_eq!(
        std::fs::read_dir(into.parent().unwrap()).unwrap().count(),
        1,
        "no temp file left"
    );
}

#[test]
fn map_reads_a_column_the_importer_does_not_know_and_bad_maps_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("own.csv");
    std::fs::write(
        &f,
        "Ref,Kind,Referral date,Referred by,Referrer's role,Status,Forename,Surname,Pupil birthday,Sex,SEN\n\
         FA-2026-801,FA,02/03/2026,Walsall Council,Officer,Unplaced,Una,Invented,14/05/2012,F,None\n",
    )
    .unwrap();
    let (_d, into) = caseload();
    let before = std::fs::read(&into).unwrap();
    // Without --map the date of birth is missing for a new case.
    let o = run(&["referrals", "import", f.to_str().unwrap()], &into);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("\"Pupil birthday\": a column fairpanel does not know"),
        "{err}"
    );
    assert!(
        err.contains("row 1 (line 2), \"Date of birth\": a new case needs it and the sheet has no such column"),
        "{err}"
    );
    assert_eq!(std::fs::read(&into).unwrap(), before);
    let o = run(
        &[
            "referrals",
            "import",
            f.to_str().unwrap(),
            "--map",
            "pupil birthday=date_of_birth",
        ],
        &into,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        case(&read(&into), "FA-2026-801").pupil.date_of_birth,
        d(2012, 5, 14)
    );
    for (map, want) in [
        (
            "Pupil birthday=shoe_size",
            "no field is called \"shoe_size\"",
        ),
        (
            "Nowhere=date_of_birth",
            "the sheet has no column \"Nowhere\"",
        ),
        ("no-equals-sign", "write --map COLUMN=FIELD"),
    ] {
        let o = run(
            &["referrals", "import", f.to_str().unwrap(), "--map", map],
            &into,
        );
        assert_eq!(o.status.code(), Some(2), "{map}");
        assert!(stderr(&o).contains(want), "{map}: {}", stderr(&o));
    }
}

#[test]
fn exit_codes() {
    let (dir, into) = caseload();
    // A file that is not there: bad input.
    let o = run(
        &["referrals", "import", "fixtures/referrals/nope.xlsx"],
        &into,
    );
    assert_eq!(o.status.code(), Some(2));
    // Not a spreadsheet by its name.
    let o = run(&["referrals", "import", "README.md"], &into);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("save it as .xlsx, .xls, .ods or .csv"));
    // A sheet the file does not have: named, with those it has.
    let o = run(
        &[
            "referrals",
            "import",
            "fixtures/referrals/referrals.xlsx",
            "--sheet",
            "Cases",
        ],
        &into,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("it has \"Referrals\""),
        "{}",
        stderr(&o)
    );
    // Not a real spreadsheet inside.
    let fake = dir.path().join("fake.xlsx");
    std::fs::write(&fake, b"not a zip").unwrap();
    let o = run(&["referrals", "import", fake.to_str().unwrap()], &into);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot be read as a spreadsheet"),
        "{}",
        stderr(&o)
    );
    // An invalid caseload to merge into.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{").unwrap();
    let o = run(
        &["referrals", "import", "fixtures/referrals/referrals.xlsx"],
        &broken,
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn text_from_the_file_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("evil.csv");
    std::fs::write(&f, "Ref,Colour\u{1b}[2J\u{202e}\nFA-2025-131,x\n").unwrap();
    let (_d, into) = caseload();
    let o = run(&["referrals", "import", f.to_str().unwrap()], &into);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        !err.lines()
            .any(|l| l.chars().any(fairpanel::domain::text::is_unsafe)),
        "{err:?}"
    );
    assert!(err.contains("\\u{1b}"), "{err}");
}

/// docs/intake.md documents every column the importer reads, with every alias and `--map` name.
#[test]
fn the_docs_name_every_column_and_alias() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/intake.md"))
        .unwrap();
    for s in fairpanel::io::referrals::specs() {
        assert!(doc.contains(&format!("\"{}\"", s.header)), "{}", s.header);
        assert!(doc.contains(&format!("`{}`", s.key)), "{}", s.key);
        for a in s.aliases {
            assert!(doc.contains(&format!("\"{a}\"")), "alias {a}");
        }
    }
}
