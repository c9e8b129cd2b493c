//! Loader tests: every problem names its JSON path and line:column, never echoes a pupil's
//! value, and a bad file never half-loads (cli.md Diagnostics; issue "Loading that never
//! half-loads").

use fairpanel::domain::problem::{Problem, Severity};
use fairpanel::io::caseload::{self, Loaded};

/// A small valid caseload. Line numbers below are counted from this text: keep its layout.
const BASE: &str = r#"{
  "format": "fairpanel-caseload/1",
  "panel": {
    "id": "test-panel",
    "name": "Test Panel",
    "kind": "iyfap_sec",
    "la_code": 335,
    "la_name": "Walsall",
    "meeting_date": "2026-03-12",
    "members": [
      { "name": "A Chair", "role": "Chair", "organisation": "LA", "can_decide": true }
    ],
    "settings": { "quorum": { "min_present": 1, "min_can_decide": 1 } }
  },
  "calendar": {
    "terms": [ { "name": "Spring", "start": "2026-01-05", "end": "2026-03-27" } ]
  },
  "schools": [
    {
      "urn": 142594, "name": "Pool Hayes Academy", "type": "Academy converter",
      "phase": "secondary", "low_age": 11, "high_age": 18, "gender": "mixed"
    },
    {
      "urn": 151297, "name": "New Leaf School", "type": "Academy alternative provision sponsor led",
      "phase": "not_applicable", "low_age": 11, "high_age": 16, "gender": "unknown", "ap": true
    }
  ],
  "cases": [
    {
      "ref": "FA-001",
      "kind": "fair_access",
      "referral_date": "2026-02-02",
      "referrer": { "organisation": "Walsall Council", "role": "Officer" },
      "status": "unplaced",
      "pupil": {
        "given_name": "Testy",
        "family_name": "McTest",
        "date_of_birth": "2012-05-17",
        "sex": "female",
        "sen": "none"
      },
      "categories": [ { "code": "g", "evidence": "Housing letter" } ],
      "in_year_apps": [ { "urn": 142594, "date": "2026-01-20", "outcome": "refused" } ]
    },
    {
      "ref": "FA-002",
      "kind": "fair_access",
      "referral_date": "2026-02-03",
      "referrer": { "organisation": "Walsall Council", "role": "Officer" },
      "status": "unplaced",
      "pupil": {
        "given_name": "Other",
        "family_name": "Pupil",
        "date_of_birth": "2011-11-01",
        "sex": "male",
        "sen": "sen_support"
      },
      "categories": [ { "code": "e", "evidence": "SENCO report" } ]
    }
  ],
  "places": [
    { "urn": 151297, "pools": [ { "group": "KS3", "offered": 2, "used": 1 } ] }
  ]
}
"#;

fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "test edit {from:?} does not apply");
    BASE.replacen(from, to, 1)
}

fn problems(text: &str) -> Vec<Problem> {
    match caseload::parse(text) {
        Ok(l) => l.warnings,
        Err(p) => p,
    }
}

fn errors(text: &str) -> Vec<String> {
    match caseload::parse(text) {
        Ok(Loaded { .. }) => panic!("expected the caseload to be refused"),
        Err(p) => p
            .iter()
            .filter(|x| x.severity == Severity::Error)
            .map(|x| x.to_string())
            .collect(),
    }
}

fn warnings(text: &str) -> Vec<String> {
    match caseload::parse(text) {
        Ok(l) => l.warnings.iter().map(|x| x.to_string()).collect(),
        Err(p) => panic!("expected a load with warnings, got {p:#?}"),
    }
}

#[test]
fn the_base_document_is_valid() {
    let l = caseload::parse(BASE).unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(l.warnings.is_empty(), "{:#?}", l.warnings);
    assert_eq!(l.caseload.cases.len(), 2);
}

#[test]
fn impossible_date_of_birth_names_path_line_and_column_without_the_value() {
    let e = errors(&with("\"2012-05-17\"", "\"2012-02-30\""));
    assert_eq!(
        e,
        ["cases[0].pupil.date_of_birth (line 38, column 26): not a real date; write YYYY-MM-DD"]
    );
    assert!(!e[0].contains("2012"));
}

#[test]
fn every_problem_is_collected_in_one_run() {
    let text = with("\"2012-05-17\"", "\"17/05/2012\"")
        .replacen("\"sex\": \"female\"", "\"sex\": \"f\"", 1)
        .replacen(
            "\"status\": \"unplaced\",\n      \"pupil\": {\n        \"given_name\": \"Other\"",
            "\"status\": \"lost\",\n      \"pupil\": {\n        \"given_name\": \"Other\"",
            1,
        )
        .replacen("\"la_code\": 335", "\"la_code\": \"335\"", 1)
        .replacen("\"offered\": 2", "\"offered\": 2.5", 1);
    let e = errors(&text);
    assert_eq!(
        e,
        [
            "panel.la_code (line 7, column 16): wrong kind of value; write a whole number from 0 to 65535",
            "cases[0].pupil.date_of_birth (line 38, column 26): not a real date; write YYYY-MM-DD",
            "cases[0].pupil.sex (line 39, column 16): not one of the allowed values; write one of `F`, `female`, `M`, `male`",
            "cases[1].status (line 50, column 17): not one of the allowed values; write one of `unplaced`, `cme`, `ehe`, `ap`, `pex`, `on_roll`",
            "places[0].pools[0].offered (line 62, column 62): wrong kind of value; write a whole number",
        ]
    );
    for line in &e {
        assert!(
            !line.contains(" f,") && !line.contains("17/05"),
            "no pupil value echoed: {line}"
        );
    }
}

#[test]
fn an_unknown_field_is_an_error_at_the_key() {
    let e = errors(&with(
        "\"sen\": \"none\"",
        "\"sen\": \"none\", \"echp\": true",
    ));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with(
            "cases[0].pupil.echp (line 40, column 24): unknown field; check its spelling"
        ),
        "{}",
        e[0]
    );
}

#[test]
fn a_missing_field_points_at_its_object() {
    let e = errors(&with("        \"sex\": \"female\",\n", ""));
    assert_eq!(
        e,
        [
            "cases[0].pupil.sex (line 35, column 16): required field is missing; add it (see docs/caseload.md)"
        ]
    );
}

#[test]
fn syntax_errors_give_line_and_character_column() {
    let e = errors(&with(
        "\"name\": \"Test Panel\",",
        "\"name\": \"Tést Panel\"",
    ));
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("(document) (line 6, column 5): not valid JSON: expected `,` or `}`"),
        "{}",
        e[0]
    );
    let e = errors(&BASE[..200]);
    assert!(
        e[0].contains("not valid JSON: the file ends too early"),
        "{}",
        e[0]
    );
}

#[test]
fn duplicate_references_and_unknown_urns() {
    let e = errors(&with("\"ref\": \"FA-002\"", "\"ref\": \"FA-001\""));
    assert_eq!(
        e,
        [
            "cases[1].ref (line 46, column 14): same reference as cases[0]; references must be unique"
        ]
    );
    let e = errors(&with(
        "{ \"urn\": 151297, \"pools\"",
        "{ \"urn\": 999999, \"pools\"",
    ));
    assert_eq!(
        e,
        [
            "places[0].urn (line 62, column 14): no school with this URN in `schools`; add the provision or correct the URN"
        ]
    );
    // An in-year application to a school outside the LA is fine, but said.
    let w = warnings(&with(
        "{ \"urn\": 142594, \"date\"",
        "{ \"urn\": 100000, \"date\"",
    ));
    assert_eq!(
        w,
        [
            "warning: cases[0].in_year_apps[0].urn (line 43, column 34): no school with this URN in `schools`; fine for a school outside the LA"
        ]
    );
}

#[test]
fn dates_of_birth_in_the_future_or_out_of_school_age() {
    let e = errors(&with("\"2012-05-17\"", "\"2027-01-01\""));
    assert_eq!(
        e,
        [
            "cases[0].pupil.date_of_birth (line 38, column 26): in the future; check the date of birth"
        ]
    );
    let e = errors(&with("\"2012-05-17\"", "\"2023-01-01\""));
    assert_eq!(
        e,
        [
            "cases[0].pupil.date_of_birth (line 38, column 26): gives an age outside 4–19 on the meeting date; check the date of birth"
        ]
    );
    let e = errors(&with("\"2012-05-17\"", "\"2000-01-01\""));
    assert!(e[0].contains("outside 4–19"));
}

#[test]
fn referral_after_the_meeting_and_meeting_outside_the_calendar() {
    let e = errors(&with(
        "\"referral_date\": \"2026-02-02\"",
        "\"referral_date\": \"2026-04-02\"",
    ));
    assert_eq!(
        e,
        [
            "cases[0].referral_date (line 32, column 24): after the meeting date; a case is referred before the meeting that hears it"
        ]
    );
    let e = errors(&with(
        "\"meeting_date\": \"2026-03-12\"",
        "\"meeting_date\": \"2026-09-14\"",
    ));
    assert_eq!(
        e,
        [
            "panel.meeting_date (line 9, column 21): outside the school calendar: it is after the last term listed (the calendar ends 2026-03-27); add the terms up to then"
        ]
    );
}

#[test]
fn place_counts_negative_or_over_offered() {
    let e = errors(&with(
        "\"offered\": 2, \"used\": 1",
        "\"offered\": -1, \"used\": 0",
    ));
    assert_eq!(
        e,
        [
            "places[0].pools[0].offered (line 62, column 62): negative; places offered must be 0 or more"
        ]
    );
    let e = errors(&with(
        "\"offered\": 2, \"used\": 1",
        "\"offered\": 2, \"used\": 3",
    ));
    assert_eq!(
        e,
        [
            "places[0].pools[0].used (line 62, column 73): more places used than offered; correct either count"
        ]
    );
}

#[test]
fn stated_year_group_disagreeing_with_the_31_august_rule_is_a_warning() {
    // Born 17 May 2012: cohort 2011, so Y9 in 2025/26 (domain.md §1); "Y8" is what counting
    // the age on 1 September would wrongly give.
    assert!(
        warnings(&with(
            "\"sex\": \"female\",",
            "\"sex\": \"female\", \"year_group\": \"Y9\","
        ))
        .is_empty()
    );
    let w = warnings(&with(
        "\"sex\": \"female\",",
        "\"sex\": \"female\", \"year_group\": \"Y8\",",
    ));
    assert_eq!(w.len(), 1);
    assert!(
        w[0].starts_with(
            "warning: cases[0].pupil.year_group (line 39, column 40): differs from the year group"
        ),
        "{}",
        w[0]
    );
}

/// Format 1 (hand-written, or from an earlier version) and format 2 (`fairpanel next`) are read.
#[test]
fn formats_1_and_2_are_read() {
    assert!(caseload::parse(BASE).is_ok());
    assert!(caseload::parse(&with("fairpanel-caseload/1", "fairpanel-caseload/2")).is_ok());
}

#[test]
fn an_unsupported_format_is_named_before_anything_else() {
    let e = errors(&with("fairpanel-caseload/1", "fairpanel-caseload/9"));
    assert_eq!(e.len(), 1);
    assert!(
        e[0].starts_with("format (line 2, column 13): not a format this fairpanel reads"),
        "{}",
        e[0]
    );
}

#[test]
fn control_characters_in_messages_are_escaped_where_they_leave_the_program() {
    let text = with("\"code\": \"g\"", "\"code\": \"g\", \"evil\\u001b[2J\": 1");
    // The problem holds the key as it is; `fairpanel check` escapes it on its way to stderr.
    let p = problems(&text);
    assert!(p.iter().any(|x| x.to_string().contains("evil\u{1b}[2J")));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("evil\u{202e}.json");
    std::fs::write(&file, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .arg("check")
        .arg(&file)
        .env("FAIRPANEL_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        !err.chars()
            .any(|c| c != '\n' && fairpanel::domain::text::is_unsafe(c)),
        "{err}"
    );
    assert!(err.contains("evil\\u{1b}[2J"), "{err}");
    assert!(
        err.contains("evil\\u{202e}.json"),
        "the file name too: {err}"
    );
}

#[test]
fn errors_are_capped_at_one_hundred() {
    let mut cases = Vec::new();
    for i in 0..150 {
        cases.push(format!(
            r#"{{"ref":"X{i}","kind":"fair_access","referral_date":"2026-02-31","referrer":{{"organisation":"o","role":"r"}},"status":"unplaced","pupil":{{"given_name":"a","family_name":"b","date_of_birth":"2012-01-01","sex":"male","sen":"none"}}}}"#
        ));
    }
    let start = BASE.find("\"cases\": [").unwrap();
    let end = BASE.find("\"places\"").unwrap();
    let text = format!(
        "{}\"cases\": [{}],\n  {}",
        &BASE[..start],
        cases.join(","),
        &BASE[end..]
    );
    let p = match caseload::parse(&text) {
        Err(p) => p,
        Ok(_) => panic!("must fail"),
    };
    let lines = fairpanel::io::diag::report_lines(&p);
    assert_eq!(lines.len(), 101);
    assert!(lines[100].starts_with("… and "), "{}", lines[100]);
}

/// The first pupil with extra fields, on the line after `"sen": "none"` (so line numbers before
/// it stay as they are).
fn pupil_with(extra: &str) -> String {
    with(
        "\"sen\": \"none\"\n      },\n      \"categories\": [ { \"code\": \"g\"",
        &format!(
            "\"sen\": \"none\",\n        {extra}\n      }},\n      \"categories\": [ {{ \"code\": \"g\""
        ),
    )
}

#[test]
fn a_upn_with_a_wrong_check_letter_or_shape_is_an_error_naming_the_field_not_the_value() {
    // dfe-formats.md §2: A801200005001 and Q207000016049 fail the check; the rest are shapes.
    for bad in ["A801200005001", "Q207000016049"] {
        let e = errors(&pupil_with(&format!("\"upn\": \"{bad}\"")));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with(
                "cases[0].pupil.upn (line 41, column 16): the UPN's check letter does not match"
            ),
            "{e:?}"
        );
        assert!(!e[0].contains(bad) && !e[0].contains(&bad[1..]), "{e:?}");
    }
    for bad in [
        "B80120000500",
        "I801200005001",
        "b801200005001",
        "B80120000500S",
    ] {
        let e = errors(&pupil_with(&format!("\"upn\": \"{bad}\"")));
        assert_eq!(e.len(), 1, "{bad}: {e:?}");
        assert!(
            e[0].contains("pupil.upn") && e[0].contains("not a UPN:"),
            "{e:?}"
        );
        assert!(!e[0].contains(bad), "{e:?}");
    }
}

#[test]
fn valid_upns_load_and_an_unknown_la_prefix_is_only_a_warning() {
    for ok in [
        "B801200005001",
        "P207000016049",
        "A80120000501A",
        "H93812340250Z",
    ] {
        let w = warnings(&pupil_with(&format!("\"upn\": \"{ok}\"")));
        assert!(w.is_empty(), "{ok}: {w:?}");
    }
    // LA 999 is no authority's code: check letter right, prefix unknown.
    let u = fairpanel::domain::upn::with_check_letter("999410715107").unwrap();
    let w = warnings(&pupil_with(&format!("\"upn\": \"{u}\"")));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("warning: cases[0].pupil.upn (line 41, column 16): characters 2 to 4 of the UPN are not a local authority code"),
        "{w:?}"
    );
    assert!(!w[0].contains("999"), "{w:?}");
}

#[test]
fn a_uln_is_checked_the_same_way() {
    assert!(warnings(&pupil_with("\"uln\": \"9276308686\"")).is_empty());
    for bad in ["9276308687", "0276308686", "92763086"] {
        let e = errors(&pupil_with(&format!("\"uln\": \"{bad}\"")));
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].starts_with("cases[0].pupil.uln (line 41, column 16): "),
            "{e:?}"
        );
        assert!(!e[0].contains(bad), "{e:?}");
    }
}

#[test]
fn census_codes_are_read_as_alternative_spellings() {
    let text = with("\"sex\": \"female\"", "\"sex\": \"F\"")
        .replacen("\"sen\": \"none\"", "\"sen\": \"E\"", 1)
        .replacen("\"sex\": \"male\"", "\"sex\": \"M\"", 1)
        .replacen("\"sen\": \"sen_support\"", "\"sen\": \"K\"", 1);
    let l = caseload::parse(&text).unwrap_or_else(|p| panic!("{p:#?}"));
    use fairpanel::domain::caseload::{Sen, Sex};
    let [a, b] = &l.caseload.cases[..] else {
        panic!()
    };
    assert_eq!((a.pupil.sex, a.pupil.sen), (Sex::Female, Sen::Ehcp));
    assert_eq!((b.pupil.sex, b.pupil.sen), (Sex::Male, Sen::SenSupport));
    assert_eq!(
        caseload::parse(&with("\"sen\": \"none\"", "\"sen\": \"N\""))
            .unwrap()
            .caseload
            .cases[0]
            .pupil
            .sen,
        Sen::None
    );
    // Written back, the caseload's own spelling.
    let json = serde_json::to_string(&a.pupil).unwrap();
    assert!(
        json.contains("\"sex\":\"female\"") && json.contains("\"sen\":\"ehcp\""),
        "{json}"
    );
}

#[test]
fn an_unknown_sen_need_code_is_a_warning_not_a_rejection() {
    assert!(warnings(&pupil_with("\"sen_need\": \"SEMH\"")).is_empty());
    let w = warnings(&pupil_with("\"sen_need\": \"ADHD\""));
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("warning: cases[0].pupil.sen_need (line 41, column 21): not a school census SEN type code; write one of SPLD,"),
        "{w:?}"
    );
    assert!(!w[0].contains("ADHD"));
}

#[test]
fn attendance_is_checked_against_its_own_numbers() {
    let add = |a: &str| {
        with(
            "\"in_year_apps\": [ { \"urn\": 142594, \"date\": \"2026-01-20\", \"outcome\": \"refused\" } ]",
            &format!(
                "\"in_year_apps\": [ {{ \"urn\": 142594, \"date\": \"2026-01-20\", \"outcome\": \"refused\" }} ],\n      \"attendance\": {a}"
            ),
        )
    };
    let ok = caseload::parse(&add(
        "{ \"year\": 2025, \"sessions_possible\": 200, \"sessions_attended\": 175 }",
    ))
    .unwrap_or_else(|p| panic!("{p:#?}"));
    let a = ok.caseload.cases[0].attendance.as_ref().unwrap();
    assert_eq!(a.percent(), Some(87.5));
    let e = errors(&add(
        "{ \"year\": 25, \"sessions_possible\": 400, \"sessions_attended\": 401 }",
    ));
    let paths: Vec<&str> = e.iter().map(|l| l.split(' ').next().unwrap()).collect();
    assert_eq!(
        paths,
        [
            "cases[0].attendance.sessions_possible",
            "cases[0].attendance.sessions_attended",
            "cases[0].attendance.year",
        ]
    );
}

/// The school census spellings (dfe-formats.md §3): an NC year as a bare number is a year group;
/// exclusion reason codes are kept, an unknown one warned about (the list changes), never the
/// pupil's values in the message.
#[test]
fn census_nc_years_and_exclusion_reason_codes() {
    let text = with(
        r#""sen": "none"
      },"#,
        r#""sen": "none",
        "year_group": "9"
      },
      "pex_history": [ { "urn": 142594, "date": "2026-01-12", "reasons": ["PA", "ZZ"] } ],
      "suspensions": [ { "urn": 142594, "start": "2025-12-01", "days": 3, "reasons": ["XX"] } ],"#,
    );
    let loaded = caseload::parse(&text).expect("loads with warnings only");
    assert_eq!(
        loaded.caseload.cases[0]
            .pupil
            .year_group
            .map(|y| y.to_string()),
        Some("Y9".to_owned())
    );
    let w = warnings(&text);
    assert!(
        w.iter().any(
            |x| x.starts_with("warning: cases[0].pex_history[0].reasons[1]")
                && x.contains("not a school census exclusion reason code")
        ),
        "{w:#?}"
    );
    assert!(
        w.iter()
            .any(|x| x.starts_with("warning: cases[0].suspensions[0].reasons[0]")),
        "a suspension's codes too: {w:#?}"
    );
    assert!(
        !w.iter().any(|x| x.contains("pex_history[0].reasons[0]")),
        "{w:#?}"
    );
    let four = text.replace(r#"["PA", "ZZ"]"#, r#"["PA", "VP", "OW", "DB"]"#);
    assert!(
        errors(&four)
            .iter()
            .any(|e| e.contains("cases[0].pex_history[0].reasons") && e.contains("more than three")),
        "{:#?}",
        errors(&four)
    );
}

/// Line and column (characters, from 1) of the `nth` occurrence of `needle` in `text`.
fn pos_of(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let at = text.match_indices(needle).nth(nth).expect("needle").0;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// Issue 18 §2: a key given twice in a map (`pan`) loaded with exit 0, the second silently
/// winning: now an error at the second key, with its path and the word "duplicate".
#[test]
fn a_duplicate_key_in_a_map_is_an_error_at_the_second_with_its_path() {
    let text = with(
        "\"gender\": \"mixed\"\n    },",
        "\"gender\": \"mixed\",\n      \"pan\": { \"Y7\": 270, \"Y7\": 5 }\n    },",
    );
    let e = errors(&text);
    let (line, col) = pos_of(&text, "\"Y7\"", 1);
    assert_eq!(
        e,
        [format!(
            "schools[0].pan.Y7 (line {line}, column {col}): duplicate key: this object already has this key; keep one of the two (JSON readers disagree on which counts)"
        )]
    );
    // The same map without the repeat loads.
    assert!(caseload::parse(&text.replacen("\"Y7\": 5", "\"Y8\": 5", 1)).is_ok());
}

/// The same year group written two ways (`"Y7"` and `"7"`) is a key given twice as well: the map
/// refuses it, at the map's path.
#[test]
fn a_year_group_given_twice_in_two_spellings_is_a_duplicate() {
    let text = with(
        "\"gender\": \"mixed\"\n    },",
        "\"gender\": \"mixed\",\n      \"pan\": { \"Y7\": 270, \"7\": 5 }\n    },",
    );
    let e = errors(&text);
    let (line, col) = pos_of(&text, "{ \"Y7\"", 0);
    assert_eq!(
        e,
        [format!(
            "schools[0].pan (line {line}, column {col}): duplicate key: this object already has this key; keep one of the two (JSON readers disagree on which counts)"
        )]
    );
}

/// Issue 18 §2: a struct's field given twice was "(document) (line 791, column 16): not a
/// valid value"; now its path and "duplicate", never the value.
#[test]
fn a_duplicated_field_names_its_path_and_says_duplicate() {
    let text = with(
        "\"sex\": \"female\",",
        "\"sex\": \"female\", \"sex\": \"male\",",
    );
    let e = errors(&text);
    let (line, col) = pos_of(&text, "\"sex\"", 1);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with(&format!(
            "cases[0].pupil.sex (line {line}, column {col}): duplicate key"
        )),
        "{}",
        e[0]
    );
    assert!(
        !e[0].contains("female") && !e[0].contains("male\""),
        "{}",
        e[0]
    );
    // Duplicates at several depths are all reported in one run.
    let text = text.replacen("\"format\":", "\"panel\": {}, \"format\":", 1);
    let e = errors(&text);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert!(e[0].starts_with("panel (line"), "{e:#?}");
}

/// Issue 18 §2: an unknown key holding a backtick was cut at the backtick (a wrong path) and
/// had no location.
#[test]
fn an_unknown_key_with_a_backtick_has_its_whole_path_and_location() {
    let text = with("\"sen\": \"none\"", "\"sen\": \"none\", \"a`b\": true");
    let e = errors(&text);
    let (line, col) = pos_of(&text, "\"a`b\"", 0);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with(&format!(
            "cases[0].pupil.a`b (line {line}, column {col}): unknown field; check its spelling"
        )),
        "{}",
        e[0]
    );
    // At the top level too, where the path is the key alone.
    let text = BASE.replacen("{\n", "{\n  \"x`, expected `y\": 1,\n", 1);
    let e = errors(&text);
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("x`, expected `y (line 2, column 3): unknown field"),
        "{}",
        e[0]
    );
}

/// The same through the binary: `fairpanel check` exits 2 and prints the path and position.
#[test]
fn check_refuses_a_duplicate_key_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dup.json");
    let text = with(
        "\"gender\": \"mixed\"\n    },",
        "\"gender\": \"mixed\",\n      \"pan\": { \"Y7\": 270, \"Y7\": 5 }\n    },",
    );
    std::fs::write(&file, &text).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .env("FAIRPANEL_DATA_DIR", dir.path())
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    let (line, col) = pos_of(&text, "\"Y7\"", 1);
    assert!(
        err.contains(&format!(
            "schools[0].pan.Y7 (line {line}, column {col}): duplicate key"
        )),
        "{err}"
    );
}
