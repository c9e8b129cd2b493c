//! The law at the edges (issue 11): every rule right for every kind of case. Table-driven; each
//! row names the source it proves (statute, Code paragraph, guidance or "panel protocol").
//! Decisions go through `Meeting::check`, the one call the screen and `fairpanel record` share;
//! caseloads through the loader, as `fairpanel check` reads them.

use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use serde_json::{Value, json};

const FA: &str = "FA-2026-003"; // eligible under (b), Y10 girl, two in-year applications

// ---------------------------------------------------------------------------------------------
// §4 The caseload: calendar and numbers.

fn demo_json() -> Value {
    serde_json::from_str(DEMO_CASELOAD).unwrap()
}

fn load(v: &Value) -> Result<Vec<String>, Vec<String>> {
    match caseload::parse(&serde_json::to_string_pretty(v).unwrap()) {
        Ok(l) => Ok(l.warnings.iter().map(|p| p.to_string()).collect()),
        Err(p) => Err(p
            .iter()
            .filter(|x| x.severity == fairpanel::domain::problem::Severity::Error)
            .map(|p| p.to_string())
            .collect()),
    }
}

fn case_index(v: &Value, r: &str) -> usize {
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .position(|k| k["ref"] == r)
        .unwrap()
}

/// cli.md "Files and dates"; issue 11 §4: a clock date the calendar does not cover is an error
/// at `check`, never a shorter count.
#[test]
fn a_clock_date_outside_the_calendar_is_an_error() {
    // The autumn terms left out: an exclusion's sixth day, and an agreed date, fall before the
    // first term listed.
    let mut v = demo_json();
    let terms = v["calendar"]["terms"].as_array_mut().unwrap();
    terms.retain(|t| !t["name"].as_str().unwrap().starts_with("Autumn"));
    let i = case_index(&v, FA);
    v["cases"][i]["referral_date"] = json!("2025-11-10");
    v["cases"][i]["fap_agreed_date"] = json!("2025-11-20");
    let e = load(&v).unwrap_err();
    assert!(
        e.iter()
            .any(|l| l.starts_with(&format!("cases[{i}].fap_agreed_date ("))
                && l.contains(
                    "before the first term listed (the calendar starts 2026-01-05); add the terms"
                )),
        "{e:#?}"
    );
    let j = case_index(&v, "FA-2026-012");
    assert!(
        e.iter()
            .any(|l| l.starts_with(&format!("cases[{j}].pex_history[1].date ("))),
        "{e:#?}"
    );

    // A half term left out in the middle: the gap is named, unless marked as intended.
    let mut v = demo_json();
    v["calendar"]["terms"].as_array_mut().unwrap().remove(1); // Autumn 2
    let e = load(&v).unwrap_err();
    assert_eq!(e.len(), 1, "{e:#?}");
    assert!(
        e[0].starts_with("calendar.terms[1].start (")
            && e[0].contains("starts 72 days after calendar.terms[0] ends")
            && e[0].contains("add the missing term, or give this term `long_break_before`"),
        "{}",
        e[0]
    );
    v["calendar"]["terms"][1]["long_break_before"] = json!("Schools closed for the autumn rebuild");
    assert!(load(&v).is_ok(), "{:#?}", load(&v));
}

/// A meeting after England's built-in bank holidays (to 2029): an error saying what to list,
/// and the caseload's own list of them lets it load.
#[test]
fn meetings_after_2029_need_the_bank_holidays_listed() {
    let mut v = demo_json();
    v["panel"]["meeting_date"] = json!("2030-01-16");
    v["calendar"]["terms"] = json!([
        { "name": "Autumn 1", "start": "2029-09-03", "end": "2029-10-19" },
        { "name": "Autumn 2", "start": "2029-10-29", "end": "2029-12-19" },
        { "name": "Spring 1", "start": "2030-01-07", "end": "2030-02-15" }
    ]);
    v["calendar"]["closure_days"] = json!([]);
    // The same children four years on: none agreed yet, all referred in 2029.
    for k in v["cases"].as_array_mut().unwrap() {
        let o = k.as_object_mut().unwrap();
        o.remove("fap_agreed_date");
        o.remove("pex_history");
        o.insert("referral_date".into(), json!("2029-12-01"));
        let p = o["pupil"].as_object_mut().unwrap();
        let dob = p["date_of_birth"].as_str().unwrap().to_owned();
        let year: i32 = dob[..4].parse().unwrap();
        p.insert(
            "date_of_birth".into(),
            json!(format!("{}{}", year + 4, &dob[4..])),
        );
        p.remove("year_group");
    }
    for s in v["schools"].as_array_mut().unwrap() {
        s.as_object_mut().unwrap().remove("prior_placements");
    }
    let e = load(&v).unwrap_err();
    assert!(
        e.iter().any(|l| l.starts_with("panel.meeting_date (")
            && l.contains("list those of 2030 in calendar.bank_holidays")),
        "{e:#?}"
    );
    v["calendar"]["bank_holidays"] = json!([
        { "date": "2030-01-01", "name": "New Year's Day" },
        { "date": "2030-04-19", "name": "Good Friday" }
    ]);
    let loaded = load(&v);
    assert!(
        loaded.as_ref().is_ok_and(|w| w
            .iter()
            .all(|l| !l.contains("meeting_date") && !l.contains("calendar"))),
        "{loaded:#?}"
    );
}

/// Every count and number has a bound from what it means; the loader refuses beyond it with the
/// path, and never echoes a pupil's value.
#[test]
fn every_number_in_the_caseload_is_bounded() {
    let fa = |v: &Value| case_index(v, FA);
    // (JSON pointer, value, path the error names)
    let table: [(&str, Value, &str); 20] = [
        (
            "/schools/0/prior_placements/by_year_group/Y9",
            json!(4294967295u32),
            "schools[0].prior_placements.by_year_group.Y9",
        ),
        ("/schools/0/pan/Y7", json!(1001), "schools[0].pan.Y7"),
        ("/schools/0/on_roll", json!(10001), "schools[0].on_roll"),
        ("/schools/0/high_age", json!(26), "schools[0].high_age"),
        ("/schools/0/easting", json!(700001), "schools[0].easting"),
        ("/schools/0/northing", json!(1300001), "schools[0].northing"),
        (
            "/panel/settings/clock_school_days",
            json!(21),
            "panel.settings.clock_school_days",
        ),
        (
            "/panel/settings/clock_school_days",
            json!(0),
            "panel.settings.clock_school_days",
        ),
        (
            "/panel/settings/review_weeks",
            json!(13),
            "panel.settings.review_weeks",
        ),
        (
            "/panel/settings/review_weeks",
            json!(0),
            "panel.settings.review_weeks",
        ),
        (
            "/panel/settings/fair_share_pan_per_placement",
            json!(0),
            "panel.settings.fair_share_pan_per_placement",
        ),
        (
            "/panel/settings/fair_share_pan_per_placement",
            json!(1001),
            "panel.settings.fair_share_pan_per_placement",
        ),
        (
            "/panel/settings/quorum/min_present",
            json!(0),
            "panel.settings.quorum.min_present",
        ),
        (
            "/panel/settings/quorum/min_can_decide",
            json!(5),
            "panel.settings.quorum.min_can_decide",
        ),
        (
            "/places/0/pools/0/offered",
            json!(1001),
            "places[0].pools[0].offered",
        ),
        (
            "/cases/FA/suspensions",
            json!([{ "urn": 142594, "start": "2026-01-05", "days": 191 }]),
            "cases[FA].suspensions[0].days",
        ),
        (
            "/cases/FA/in_year_apps/0/urn",
            json!(12),
            "cases[FA].in_year_apps[0].urn",
        ),
        (
            "/cases/FA/preferences",
            json!([4294967295u32]),
            "cases[FA].preferences[0]",
        ),
        (
            "/cases/FA/pupil/home_easting",
            json!(765432),
            "cases[FA].pupil.home_easting",
        ),
        (
            // Walsall Studio School, 185 on roll.
            "/schools/16/prior_placements/by_year_group/Y10",
            json!(186),
            "schools[16].prior_placements.by_year_group",
        ),
    ];
    for (pointer, value, path) in table {
        let mut v = demo_json();
        let i = fa(&v);
        let pointer = pointer.replace("/FA/", &format!("/{i}/"));
        let path = path.replace("[FA]", &format!("[{i}]"));
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        v.pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{parent}"))
            .insert(key.into(), value.clone());
        let e = load(&v).expect_err(&pointer);
        assert!(
            e.iter().any(|l| l.starts_with(&format!("{path} ("))),
            "{pointer} = {value}: {e:#?}"
        );
        assert!(
            e.iter().all(|l| !l.contains("765432")),
            "no pupil value echoed: {e:#?}"
        );
    }
    assert_eq!(
        demo_json()["schools"][16]["name"],
        "Walsall Studio School",
        "the table's school 16"
    );
}
