//! The law at the edges (issue 11): every rule right for every kind of case. Table-driven; each
//! row names the source it proves (statute, Code paragraph, guidance or "panel protocol").
//! Decisions go through `Meeting::check`, the one call the screen and `fairpanel record` share;
//! caseloads through the loader, as `fairpanel check` reads them.

use fairpanel::domain::caseload::{Case, Caseload, Pex};
use fairpanel::domain::dates::Date;
use fairpanel::domain::event::{Decision, Event, Outcome, Proposal, When};
use fairpanel::domain::meeting::Meeting;
use fairpanel::domain::rules::{self, Hit};
use fairpanel::domain::tally;
use fairpanel::domain::view::ClockState;
use fairpanel::domain::year_group::YearGroup;
use fairpanel::io::caseload;
use fairpanel::io::demo::DEMO_CASELOAD;
use serde_json::{Value, json};

const POOL_HAYES: u32 = 142594; // mixed 11–18, PAN 210
const SHEPWELL: u32 = 131619; // PRU 11–16, sex admitted unknown, conditions, KS3 2 free, KS4 2 free
const FA: &str = "FA-2026-003"; // eligible under (b), Y10 girl, two in-year applications
const AP: &str = "AP-2026-001"; // permanently excluded, Y10, no in-year applications

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn plus(s: &str, days: i64) -> Date {
    Date(d(s).0 + chrono::Duration::days(days))
}

fn demo() -> Caseload {
    caseload::parse(DEMO_CASELOAD).unwrap().caseload
}

fn case_mut<'a>(c: &'a mut Caseload, r: &str) -> &'a mut Case {
    c.cases.iter_mut().find(|k| k.reference == r).unwrap()
}

/// A decision with everything the form fills in: two deciders agree, a start, a review six
/// weeks on, reasons and a package.
fn dec(c: &Caseload, r: &str, outcome: Outcome, urn: Option<u32>, start: &str) -> Decision {
    Decision {
        urn,
        start_date: Some(d(start)),
        review_date: Some(plus(start, 42)),
        reasons: "Agreed by the panel after discussion".into(),
        package: Some("Full-time from the start date; transport arranged".into()),
        agreed_by: c
            .panel
            .members
            .iter()
            .filter(|m| m.can_decide)
            .take(2)
            .map(|m| m.name.clone())
            .collect(),
        ..Decision::new(r, outcome)
    }
}

/// The rules' verdict on a decision taken on `on`, as `fairpanel record --as-of` takes it (the
/// screen's is the same call at the meeting, plus quorum).
fn judge(c: &Caseload, d: Decision, on: &str) -> Vec<Hit> {
    let m = Meeting::new(c.clone(), &[]);
    let p = m.prepare(Proposal {
        event: Event::Decision(d),
        correction: None,
        when: When::Between(self::d(on)),
    });
    m.check(&p)
}

fn all_names(h: &[Hit]) -> Vec<&'static str> {
    h.iter().map(|x| x.rule.name).collect()
}

// ---------------------------------------------------------------------------------------------
// §4 Clocks and counts.

/// The day on which the meeting (12 Mar 2026) is school day `n` of a case's clock.
fn agreed_for_day(c: &Caseload, n: i64) -> Date {
    let cal = fairpanel::domain::calendar::SchoolCalendar::new(&c.calendar);
    let meeting = c.panel.meeting_date;
    (1..200)
        .map(|back| Date(meeting.0 - chrono::Duration::days(back)))
        .find(|a| cal.school_days_between(*a, meeting) == Some(n) && cal.is_school_day(*a))
        .unwrap()
}

/// School Admissions Code 2021 3.21: a place must be allocated within 20 school days. Day 20 is
/// on time; overdue from day 21, alike in the view (queue, status line, minutes) and the checks.
#[test]
fn day_20_is_on_time_and_overdue_starts_on_day_21() {
    // (school day on the meeting date, clock state, overdue by, check fired)
    let table = [
        (14, ClockState::OnTime, None, None),
        (15, ClockState::DueSoon, None, Some("clock-15-days")),
        (20, ClockState::DueSoon, None, Some("clock-15-days")),
        (21, ClockState::Overdue, Some(1), Some("clock-breach")),
    ];
    for (day, state, over, check) in table {
        let mut c = demo();
        let agreed = agreed_for_day(&c, day);
        case_mut(&mut c, FA).fap_agreed_date = Some(agreed);
        let m = Meeting::new(c.clone(), &[]);
        let i = m.case_index(FA).unwrap();
        let f = m.facts(i).unwrap();
        assert_eq!(f.clock.since_agreed, Some(day));
        assert_eq!(f.clock_state(), state, "day {day}");
        assert_eq!(
            f.clock.overdue_by(),
            over,
            "day {day}: never 'overdue by 0'"
        );
        let working = m.working(i);
        let clock_hits: Vec<&Hit> = working
            .checks
            .iter()
            .filter(|h| h.rule.name.starts_with("clock"))
            .collect();
        assert_eq!(
            clock_hits.iter().map(|h| h.rule.name).collect::<Vec<_>>(),
            check.into_iter().collect::<Vec<_>>(),
            "day {day}"
        );
        if day == 20 {
            assert!(
                clock_hits[0].detail.contains("must be allocated today"),
                "{}",
                clock_hits[0].detail
            );
        }
    }
    // The demo's own overdue count is the cases past day 20, not at it.
    let c = demo();
    let m = Meeting::new(c.clone(), &[]);
    let past_20 = (0..c.cases.len())
        .filter(|i| {
            m.facts(*i)
                .and_then(|f| f.clock.since_agreed.filter(|_| f.standing.is_open()))
                .is_some_and(|s| s > 20)
        })
        .count();
    assert_eq!(m.summary().overdue, past_20);
}

/// School Admissions Code 2021 3.21: a placement decided on school day 20 is on time; on day 21
/// it is a breach to minute.
#[test]
fn a_place_allocated_on_day_20_is_on_time() {
    let c0 = demo();
    let cal = fairpanel::domain::calendar::SchoolCalendar::new(&c0.calendar);
    let agreed = d("2026-02-11"); // FA-2026-003's agreed date
    let day20 = cal.nth_school_day_after(agreed, 20).unwrap();
    let day21 = cal.nth_school_day_after(agreed, 21).unwrap();
    for (on, breach) in [(day20, false), (day21, true)] {
        let start = plus(&on.to_string(), 4).to_string();
        let h = judge(
            &c0,
            dec(&c0, FA, Outcome::AllocateSchool, Some(POOL_HAYES), &start),
            &on.to_string(),
        );
        assert_eq!(
            all_names(&h).contains(&"clock-breach"),
            breach,
            "{on}: {h:#?}"
        );
    }
}

/// The sixth-day duty (DfE exclusion guidance): `pex_history[].date` is the first day of the
/// exclusion, day 1; provision is due from day 6. Both boundaries.
#[test]
fn the_sixth_day_is_counted_from_the_first_day_of_exclusion() {
    // (first day of exclusion, decided on, start, warned)
    let table = [
        ("2026-02-23", "2026-02-25", "2026-03-02", false), // Mon 23 Feb day 1 … Mon 2 Mar day 6
        ("2026-02-23", "2026-02-25", "2026-03-03", true),  // Tue 3 Mar is day 7
        ("2026-03-07", "2026-03-12", "2026-03-16", false), // Sat: Mon 9 is day 1, Mon 16 day 6
        ("2026-03-07", "2026-03-12", "2026-03-17", true),
    ];
    for (pex, on, start, warned) in table {
        let mut c = demo();
        let k = case_mut(&mut c, AP);
        k.pex_history = vec![Pex {
            urn: POOL_HAYES,
            date: d(pex),
            reinstated: false,
        }];
        let h = judge(
            &c,
            dec(&c, AP, Outcome::AllocateApInterim, Some(SHEPWELL), start),
            on,
        );
        let hit = h.iter().find(|x| x.rule.name == "pex-provision-day-6");
        assert_eq!(hit.is_some(), warned, "{pex} → {start}: {h:#?}");
    }
    let mut c = demo();
    case_mut(&mut c, AP).pex_history[0].date = d("2026-02-23");
    let m = Meeting::new(c, &[]);
    let f = m.facts(m.case_index(AP).unwrap()).unwrap();
    assert_eq!(f.clock.pex_provision_from, Some(d("2026-03-02")));
}

/// Fair share (School Admissions Code 2021; panel protocol, 1 per 30 of PAN): at least 1 for a
/// small school, and the cap compares a year group's placements with that year group's PAN.
#[test]
fn the_fair_share_cap_is_at_least_one_and_like_with_like() {
    let y = |n| YearGroup::new(n).unwrap();
    let c = demo();
    let mut s = c
        .schools
        .iter()
        .find(|s| s.urn == POOL_HAYES)
        .unwrap()
        .clone();
    // (PAN, cap)
    for (pan, cap) in [
        (20, 1),
        (29, 1),
        (30, 1),
        (59, 1),
        (60, 2),
        (180, 6),
        (210, 7),
    ] {
        s.pan.insert(y(10), pan);
        assert_eq!(tally::cap(&c, &s, y(10)), Some(cap), "PAN {pan}");
    }
    // (PAN of every year group, prior placements Y9, Y10, fair-share-cap on a Y10 allocation)
    let table = [
        (20, 0, 0, false),  // small school, none placed: cap 1 not reached
        (20, 0, 1, true),   // one placed in Y10: at the cap
        (210, 7, 2, false), // Y9 is full, Y10 (2 of 7) is not: like with like
        (210, 0, 7, true),
    ];
    for (pan, y9, y10, hit) in table {
        let mut c = demo();
        let s = c.schools.iter_mut().find(|s| s.urn == POOL_HAYES).unwrap();
        for v in s.pan.values_mut() {
            *v = pan;
        }
        let by = &mut s.prior_placements.as_mut().unwrap().by_year_group;
        by.insert(y(9), y9);
        by.insert(y(10), y10);
        let h = judge(
            &c,
            dec(
                &c,
                FA,
                Outcome::AllocateSchool,
                Some(POOL_HAYES),
                "2026-03-16",
            ),
            "2026-03-12",
        );
        assert_eq!(
            all_names(&h).contains(&"fair-share-cap"),
            hit,
            "PAN {pan}, Y9 {y9}, Y10 {y10}: {h:#?}"
        );
    }
}

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

// ---------------------------------------------------------------------------------------------
// §5 Citations.

/// Sources on screen name the statute, the Code paragraph or the guidance, or "panel protocol"
/// for a local rule; never an internal file.
#[test]
fn every_source_is_in_words_people_recognise() {
    for r in rules::ALL {
        for internal in [".md", "DEVELOPERS", "§", "issue", "domain", "cli"] {
            assert!(
                !r.source.contains(internal),
                "{}: source {:?} names {internal}",
                r.name,
                r.source
            );
        }
    }
    assert_eq!(rules::DIRECTION_TO_EXCLUDER.source, "SSFA 1998 s96(2)");
    assert!(
        rules::ALLOCATION_TO_EXCLUDER
            .source
            .starts_with("panel protocol")
            && rules::ALLOCATION_TO_EXCLUDER.summary.contains("local rule"),
        "an allocation to the excluding school is a local rule"
    );
    assert_eq!(
        rules::TWICE_EXCLUDED.source,
        "SSFA 1998 s87(1)–(2); exceptions s87(3A)"
    );
    for r in [&rules::CLOCK_WARNING, &rules::CLOCK_BREACH] {
        assert!(
            r.summary
                .contains("must be allocated within 20 school days"),
            "{}: the clock is a duty",
            r.name
        );
        assert_eq!(r.source, "School Admissions Code 2021 3.21");
    }
}
