//! GIAS establishment extract import: real Walsall data, encodings, column order, diagnostics and
//! merging into a caseload by URN.

use fairpanel::domain::caseload::{Caseload, Gender, OfstedCategory, Phase, School};
use fairpanel::domain::problem::{Problem, Severity};
use fairpanel::domain::text::is_unsafe;
use fairpanel::io::gias::{Import, MergeReport, merge, read_extract};
use fairpanel::io::text::Encoding;
use serde_json::json;

const WALSALL: &[u8] = include_bytes!("../fixtures/gias/la_335_walsall.csv");

fn walsall() -> Import {
    read_extract(WALSALL, 335).unwrap_or_else(|p| panic!("{p:#?}"))
}

fn school(i: &Import, urn: u32) -> &School {
    i.schools
        .iter()
        .find(|s| s.urn == urn)
        .unwrap_or_else(|| panic!("URN {urn} not imported"))
}

fn errors(r: Result<Import, Vec<Problem>>) -> Vec<Problem> {
    match r {
        Ok(i) => panic!("expected errors, got {} schools", i.schools.len()),
        Err(p) => {
            assert!(p.iter().any(|x| x.severity == Severity::Error));
            p.into_iter()
                .filter(|x| x.severity == Severity::Error)
                .collect()
        }
    }
}

#[test]
fn walsall_all_open_schools() {
    let i = walsall();
    assert_eq!(i.schools.len(), 122);
    assert!(i.warnings.is_empty(), "{:#?}", i.warnings);
    let count = |f: &dyn Fn(&School) -> bool| i.schools.iter().filter(|s| f(s)).count();
    assert_eq!(count(&|s| s.special), 7);
    assert_eq!(count(&|s| s.pru), 1);
    assert_eq!(count(&|s| s.ap), 3);
    assert_eq!(count(&|s| s.phase == Phase::Primary), 85);
    assert_eq!(count(&|s| s.phase == Phase::Secondary), 18);
    assert_eq!(count(&|s| s.phase == Phase::AllThrough), 1);
    assert_eq!(count(&|s| s.phase == Phase::Nursery), 8);
    assert_eq!(count(&|s| s.phase == Phase::NotApplicable), 10);
    assert_eq!(count(&|s| s.gender == Gender::Unknown), 103);
    assert_eq!(count(&|s| s.selective), 2);
    assert_eq!(count(&|s| s.religion.is_some()), 25);
    assert_eq!(count(&|s| s.easting.is_some() && s.northing.is_some()), 19);
    assert_eq!(count(&|s| s.on_roll.is_some()), 122);
    assert_eq!(
        count(&|s| s.ofsted_category == Some(OfstedCategory::SpecialMeasures)),
        2
    );
    assert_eq!(
        count(&|s| s.ofsted_category == Some(OfstedCategory::SeriousWeaknesses)),
        1
    );
    // File order is kept.
    assert_eq!(i.schools[0].urn, 104134);
}

#[test]
fn walsall_known_schools() {
    let i = walsall();

    // A pupil referral unit: GIAS type "Pupil referral unit", Ofsted phase PRU.
    let shepwell = school(&i, 131619);
    assert_eq!(shepwell.name, "Shepwell Short Stay School (PRU-Medical)");
    assert_eq!(shepwell.school_type, "Pupil referral unit");
    assert!(shepwell.pru && shepwell.ap && !shepwell.special);
    assert_eq!(shepwell.phase, Phase::NotApplicable);
    assert_eq!((shepwell.low_age, shepwell.high_age), (11, 16));
    assert_eq!(shepwell.on_roll, Some(89));

    // An AP academy: Ofsted phase PRU, but not a PRU; also in special measures.
    let new_leaf = school(&i, 151297);
    assert_eq!(new_leaf.name, "New Leaf School");
    assert!(new_leaf.ap && !new_leaf.pru && !new_leaf.special);
    assert_eq!(new_leaf.phase, Phase::NotApplicable);
    assert_eq!(
        new_leaf.ofsted_category,
        Some(OfstedCategory::SpecialMeasures)
    );

    // A special school: phase from Ofsted's "Special".
    let castle = school(&i, 104269);
    assert_eq!(castle.name, "Castle School");
    assert_eq!(castle.school_type, "Community special school");
    assert!(castle.special && !castle.ap && !castle.pru);
    assert_eq!(castle.phase, Phase::NotApplicable);
    assert_eq!((castle.low_age, castle.high_age), (7, 18));
    assert_eq!(castle.postcode.as_deref(), Some("WS3 2ED"));
    assert_eq!(castle.ofsted_category, None);

    // A selective boys' secondary with GIAS fields.
    let qmgs = school(&i, 136773);
    assert_eq!(qmgs.name, "Queen Mary's Grammar School");
    assert_eq!(qmgs.school_type, "Academy converter");
    assert_eq!(qmgs.phase, Phase::Secondary);
    assert_eq!(qmgs.gender, Gender::Boys);
    assert!(qmgs.selective);
    assert_eq!(qmgs.religion, None);
    assert_eq!((qmgs.easting, qmgs.northing), (Some(402345), Some(297771)));
    assert_eq!((qmgs.low_age, qmgs.high_age), (11, 18));
    assert_eq!(qmgs.on_roll, Some(1377));
    assert_eq!(qmgs.postcode.as_deref(), Some("WS1 2PG"));
    assert!(!qmgs.ap && !qmgs.special && !qmgs.pru);

    // A Catholic mixed secondary.
    let st_francis = school(&i, 104255);
    assert_eq!(st_francis.gender, Gender::Mixed);
    assert_eq!(st_francis.religion.as_deref(), Some("Roman Catholic"));
    assert_eq!(
        (st_francis.easting, st_francis.northing),
        (Some(406087), Some(300120))
    );
    assert!(!st_francis.selective);

    // A primary: GIAS gender blank → unknown (not mixed); phase from Ofsted.
    let little_bloxwich = school(&i, 104222);
    assert_eq!(
        little_bloxwich.name,
        "Little Bloxwich CofE VC Primary School"
    );
    assert_eq!(little_bloxwich.gender, Gender::Unknown);
    assert_eq!(little_bloxwich.phase, Phase::Primary);
    assert_eq!(
        little_bloxwich.religion.as_deref(),
        Some("Church of England")
    );
    assert_eq!(
        (little_bloxwich.easting, little_bloxwich.northing),
        (None, None)
    );
    assert_eq!(little_bloxwich.on_roll, Some(212));

    // A nursery: phase from Ofsted, religion "Does not apply" → none.
    let sandbank = school(&i, 104134);
    assert_eq!(sandbank.phase, Phase::Nursery);
    assert_eq!(sandbank.school_type, "Local authority nursery school");
    assert_eq!(sandbank.religion, None);

    // All-through from GIAS beats Ofsted's "Secondary".
    assert_eq!(school(&i, 137274).phase, Phase::AllThrough);
    assert_eq!(
        school(&i, 149678).ofsted_category,
        Some(OfstedCategory::SeriousWeaknesses)
    );
}

#[test]
fn wrong_la_lists_the_file_s_codes() {
    let e = errors(read_extract(WALSALL, 886));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].path, "file");
    assert!(
        e[0].message
            .starts_with("no schools for LA 886; the file has LA codes 335; "),
        "{}",
        e[0].message
    );
}

const HEADER: &str = "URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),StatutoryLowAge,StatutoryHighAge,Gender (name),ReligiousCharacter (name),AdmissionsPolicy (name),NumberOfPupils,Postcode,Easting,Northing";

fn small(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push_str("\r\n");
        s.push_str(r);
    }
    s.push_str("\r\n");
    s
}

#[test]
fn windows_1252_and_utf8_with_bom_read_alike() {
    let text = small(&[
        "140001,335,École Sainte-Thérèse,Academy converter,Open,Primary,4,11,Mixed,Roman Catholic,Not applicable,300,WS1 1AA,,",
        "140002,335,St Mary’s Primary,Voluntary aided school,Open,Primary,4,11,,Church of England,Not applicable,,WS2 2BB,,",
    ]);
    let (cp1252, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable);
    // The encoding really is single-byte: é is 0xE9 and ’ is 0x92.
    assert!(cp1252.contains(&0xE9) && cp1252.contains(&0x92));
    assert!(std::str::from_utf8(&cp1252).is_err());

    let from_1252 = read_extract(&cp1252, 335).unwrap_or_else(|p| panic!("{p:#?}"));
    let names: Vec<&str> = from_1252.schools.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["École Sainte-Thérèse", "St Mary’s Primary"]);

    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.as_bytes());
    let from_utf8 = read_extract(&bom, 335).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(from_utf8.schools, from_1252.schools);
    assert_eq!(
        (from_1252.encoding, from_utf8.encoding),
        (Encoding::Windows1252, Encoding::Utf8),
        "each file read in its own encoding, reported"
    );

    // And without the BOM.
    let plain = read_extract(text.as_bytes(), 335).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(plain.schools, from_1252.schools);

    // One stray Windows-1252 byte in an otherwise UTF-8 file: refused at that byte, not read as
    // Windows-1252 (which would turn every é into Ã©).
    let mut mixed = text.as_bytes().to_vec();
    let at = mixed.iter().rposition(|b| *b == b'\n').unwrap();
    mixed.insert(at, 0x92);
    let e = read_extract(&mixed, 335).unwrap_err();
    assert!(
        e[0].message.contains("mixes two encodings") && e[0].message.starts_with("line "),
        "{e:#?}"
    );
}

#[test]
fn column_order_and_extra_columns_do_not_matter() {
    let reordered = "Northing,Postcode,Some New Column,EstablishmentStatus (name),StatutoryHighAge,URN,Gender (name),EstablishmentName,LA (name),StatutoryLowAge,TypeOfEstablishment (name),LA (code),PhaseOfEducation (name),Easting,NumberOfPupils,ReligiousCharacter (name),AdmissionsPolicy (name)\n\
        302866,WS3 3LX,whatever,Open,18,133697,Mixed,Walsall Academy,Walsall,11,Academy sponsor led,335,Secondary,400180,1418,Does not apply,Non-selective\n";
    let i = read_extract(reordered.as_bytes(), 335).unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(i.warnings.is_empty(), "{:#?}", i.warnings);
    let from_walsall = school(&walsall(), 133697).clone();
    assert_eq!(i.schools, [from_walsall]);
}

#[test]
fn optional_columns_may_be_absent() {
    let minimal = "URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),StatutoryLowAge,StatutoryHighAge\n\
        131619,335,Shepwell,Pupil referral unit,Open,11,16\n";
    let i = read_extract(minimal.as_bytes(), 335).unwrap_or_else(|p| panic!("{p:#?}"));
    let s = &i.schools[0];
    assert!(s.pru && s.ap);
    assert_eq!(s.gender, Gender::Unknown);
    assert_eq!(s.phase, Phase::NotApplicable);
    assert_eq!(
        (s.on_roll, s.easting, s.postcode.as_deref()),
        (None, None, None)
    );
    // One warning each for the missing phase and gender columns, none per row.
    let paths: Vec<&str> = i.warnings.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(paths, ["header (line 1)", "header (line 1)"]);
    assert!(i.warnings[0].message.contains("PhaseOfEducation (name)"));
    assert!(i.warnings[1].message.contains("Gender (name)"));
}

#[test]
fn missing_required_header_is_one_error_naming_it() {
    let text = small(&["140001,335,A School,Community school,Open,Primary,4,11,,,,,,,"])
        .replace("StatutoryLowAge", "LowAge");
    let e = errors(read_extract(text.as_bytes(), 335));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].path, "header (line 1)");
    assert!(
        e[0].message.starts_with("no column \"StatutoryLowAge\"; "),
        "{}",
        e[0].message
    );
}

#[test]
fn bad_age_in_row_two_has_the_exact_path() {
    let text = small(&[
        "140001,335,A School,Community school,Open,Primary,4,11,,,,,,,",
        "140002,335,B School,Community school,Open,Primary,four,11,,,,,,,",
    ]);
    let e = errors(read_extract(text.as_bytes(), 335));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].path, "row 2 (line 3), column \"StatutoryLowAge\"");
    assert!(
        e[0].message.starts_with("not a whole number"),
        "{}",
        e[0].message
    );
}

#[test]
fn every_bad_row_is_reported() {
    let text = small(&[
        "140001,335,A School,Community school,Open,Primary,4,11,,,,,,,",
        "1400x2,335,B School,Community school,Open,Primary,4,11,,,,,,,",
        "140003,335,C School,Community school,Open,Primary,4,eleven,,,,,,,",
        "140004,335,D School,Community school,Open,Primary,4,11,,,,many,,,",
        "140005,335,E School,Community school,Open,Primary,4,11,,,,,,1.5,300000",
        "140001,335,A School again,Community school,Open,Primary,4,11,,,,,,,",
    ]);
    let e = errors(read_extract(text.as_bytes(), 335));
    let paths: Vec<&str> = e.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "row 2 (line 3), column \"URN\"",
            "row 3 (line 4), column \"StatutoryHighAge\"",
            "row 4 (line 5), column \"NumberOfPupils\"",
            "row 5 (line 6), column \"Easting\"",
            "row 6 (line 7), column \"URN\"",
        ]
    );
    assert!(e[4].message.contains("appears again"), "{}", e[4].message);
}

#[test]
fn control_characters_never_reach_a_message() {
    let text = small(&[
        "140001,335,Evil \u{1b}[2J School,Community school,Open,Primary,\u{1b}]0;pwned\u{7},11,,,,,,,",
        "140002,335,Bidi \u{202e}loohcS,Community school,Open,Primary,4,11,Martian\u{1b}[31m,,,,,,",
        "140003,335,Skip \u{1b}[1m Me,Further education,Open,16 plus,,,,,,,,,",
    ]);
    assert!(read_extract(text.as_bytes(), 335).is_err());
    // The problems keep the file's text; the command escapes it on its way to stderr.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gias.csv");
    std::fs::write(&path, &text).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fairpanel"))
        .args(["schools", "import"])
        .arg(&path)
        .args(["--la", "335"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.chars().all(|c| c == '\n' || !is_unsafe(c)),
        "raw control in {err:?}"
    );
    let shown: Vec<&str> = err.lines().collect();
    assert!(shown[0].contains("\\u{1b}]0;pwned\\u{7}"), "{shown:#?}");
    assert!(
        shown.iter().any(|s| s.contains("Martian\\u{1b}[31m")),
        "{shown:#?}"
    );
    assert!(
        shown.iter().any(|s| s.contains("Skip \\u{1b}[1m Me")),
        "{shown:#?}"
    );
}

// ---------------------------------------------------------------- merge

fn caseload(schools: Vec<School>) -> Caseload {
    let mut c: Caseload = serde_json::from_value(json!({
        "format": "fairpanel-caseload/1",
        "panel": {
            "id": "walsall-sec",
            "name": "Walsall secondary IYFAP",
            "kind": "iyfap_sec",
            "la_code": 335,
            "la_name": "Walsall",
            "meeting_date": "2026-03-10",
            "members": [
                {"name": "Head", "role": "headteacher", "organisation": "X", "urn": 900003}
            ],
            "settings": {
                "quorum": {"min_present": 3, "min_can_decide": 2},
                "barred_schools": [{"urn": 900004, "reason": "closing"}]
            }
        },
        "calendar": {"terms": [{"name": "Spring", "start": "2026-01-05", "end": "2026-03-27"}]},
        "schools": [],
        "cases": [{
            "ref": "FA-1",
            "kind": "fair_access",
            "referral_date": "2026-02-01",
            "referrer": {"organisation": "LA", "role": "officer", "urn": 900005},
            "status": "unplaced",
            "pupil": {
                "given_name": "A", "family_name": "B", "date_of_birth": "2012-01-01",
                "sex": "female", "sen": "none"
            },
            "in_year_apps": [{"urn": 900006, "date": "2026-01-10", "outcome": "refused"}],
            "pex_history": [{"urn": 900007, "date": "2025-11-01"}],
            "suspensions": [{"urn": 900008, "start": "2025-10-01", "days": 3}],
            "schools_attended": [{"urn": 900009, "name": "Old", "from": "2023-09-01"}],
            "preferences": [900010],
            "proposed_school": 900011
        }],
        "places": [{"urn": 900012, "pools": []}]
    }))
    .unwrap();
    c.schools = schools;
    c
}

fn stub(urn: u32, name: &str) -> School {
    School {
        urn,
        name: name.to_owned(),
        school_type: "Community school".to_owned(),
        phase: Phase::Secondary,
        low_age: 11,
        high_age: 16,
        gender: Gender::Mixed,
        selective: false,
        religion: None,
        on_roll: Some(900),
        pan: Default::default(),
        ofsted_category: None,
        postcode: None,
        easting: None,
        northing: None,
        ap: false,
        special: false,
        pru: false,
        infant_classes_full: Vec::new(),
        exemptions: Vec::new(),
        prior_placements: None,
    }
}

#[test]
fn merge_adds_updates_closes_and_keeps_referenced() {
    let mut changed = stub(900001, "Changed School");
    changed.pan = serde_json::from_value(json!({"Y7": 180, "Y8": 180})).unwrap();
    changed.exemptions =
        serde_json::from_value(json!([{"year_group": "Y9", "reason": "new head"}])).unwrap();
    changed.prior_placements = serde_json::from_value(json!({
        "as_of": "2026-02-01", "by_year_group": {"Y7": 2}
    }))
    .unwrap();
    let mut same = stub(900002, "Same School");
    same.pan = serde_json::from_value(json!({"Y7": 150})).unwrap();

    // Ten schools whose URNs only a reference keeps alive, and one nobody references.
    let referenced: Vec<u32> = (900003..=900012).collect();
    let mut schools = vec![changed.clone(), stub(900099, "Gone School"), same.clone()];
    schools.extend(referenced.iter().map(|u| stub(*u, "Referenced")));
    let mut c = caseload(schools);

    let mut import_changed = stub(900001, "Changed School Academy");
    import_changed.school_type = "Academy converter".to_owned();
    import_changed.ofsted_category = Some(OfstedCategory::SeriousWeaknesses);
    let mut import_same = stub(900002, "Same School");
    import_same.pan = Default::default(); // as GIAS gives it: no PAN
    let imported = vec![
        stub(900200, "New B"),
        import_same,
        import_changed,
        stub(900100, "New A"),
    ];

    let report = merge(&mut c, imported);
    assert_eq!(
        report,
        MergeReport {
            added: vec![900100, 900200],
            updated: vec![900001],
            closed: vec![900099],
            closed_but_referenced: referenced.clone(),
        }
    );

    // Existing order kept (minus the closed one), new ones appended by URN.
    let order: Vec<u32> = c.schools.iter().map(|s| s.urn).collect();
    let mut expected = vec![900001, 900002];
    expected.extend(&referenced);
    expected.extend([900100, 900200]);
    assert_eq!(order, expected);

    // GIAS fields overwritten, the caseload's own fields kept.
    let merged = &c.schools[0];
    assert_eq!(merged.name, "Changed School Academy");
    assert_eq!(merged.school_type, "Academy converter");
    assert_eq!(
        merged.ofsted_category,
        Some(OfstedCategory::SeriousWeaknesses)
    );
    assert_eq!(merged.pan, changed.pan);
    assert_eq!(merged.exemptions, changed.exemptions);
    assert_eq!(merged.prior_placements, changed.prior_placements);
    assert_eq!(c.schools[1], same);

    // Merging the same import again changes nothing.
    let again: Vec<School> = c
        .schools
        .iter()
        .filter(|s| !referenced.contains(&s.urn))
        .cloned()
        .collect();
    let before = c.clone();
    let report = merge(&mut c, again);
    assert_eq!(
        report,
        MergeReport {
            closed_but_referenced: referenced,
            ..MergeReport::default()
        }
    );
    assert_eq!(c, before);
}

#[test]
fn merge_walsall_into_empty_caseload_then_again() {
    let mut c = caseload(Vec::new());
    c.panel.members.clear();
    c.panel.settings.barred_schools.clear();
    c.cases.clear();
    c.places.clear();
    let i = walsall();
    let report = merge(&mut c, i.schools.clone());
    assert_eq!(report.added.len(), 122);
    assert!(report.added.windows(2).all(|w| w[0] < w[1]));
    let urns: Vec<u32> = c.schools.iter().map(|s| s.urn).collect();
    assert_eq!(urns, report.added);

    let report = merge(&mut c, i.schools);
    assert_eq!(report, MergeReport::default());
    assert_eq!(c.schools.len(), 122);
}
