//! The embedded demo panel (issue: "Real schools, not invented ones"): real Walsall schools,
//! invented pupils, every case kind and category.

use std::collections::{HashMap, HashSet};

use fairpanel::domain::caseload::{CaseKind, Category, Sen, Status};

const DEMO: &str = include_str!("../fixtures/demo-walsall.json");
const WALSALL_CSV: &str = include_str!("../fixtures/gias/la_335_walsall.csv");

fn walsall_names() -> HashMap<u32, String> {
    let mut r = csv::Reader::from_reader(WALSALL_CSV.as_bytes());
    let h = r.headers().unwrap().clone();
    let urn = h.iter().position(|c| c == "URN").unwrap();
    let name = h.iter().position(|c| c == "EstablishmentName").unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (rec[urn].parse().unwrap(), rec[name].to_owned())
        })
        .collect()
}

#[test]
fn demo_loads_cleanly() {
    let loaded = fairpanel::io::caseload::parse(DEMO).unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
}

#[test]
fn demo_uses_real_walsall_schools_by_urn_and_name() {
    let c = fairpanel::io::caseload::parse(DEMO).unwrap().caseload;
    assert_eq!(c.panel.la_code, 335);
    let real = walsall_names();
    for s in &c.schools {
        assert_eq!(
            real.get(&s.urn),
            Some(&s.name),
            "URN {} is not that Walsall school",
            s.urn
        );
    }
    assert!(c.schools.iter().filter(|s| s.pru || s.ap).count() >= 1);
    assert!(c.schools.iter().filter(|s| s.special).count() >= 1);
    assert!(
        c.schools
            .iter()
            .filter(|s| s.phase == fairpanel::domain::caseload::Phase::Secondary)
            .count()
            >= 10
    );
}

#[test]
fn demo_covers_every_kind_category_and_pupil_situation() {
    let c = fairpanel::io::caseload::parse(DEMO).unwrap().caseload;
    assert!(c.cases.len() >= 30, "{} cases", c.cases.len());
    let kinds: HashSet<CaseKind> = c.cases.iter().map(|k| k.kind).collect();
    assert_eq!(kinds.len(), CaseKind::ALL.len());
    let cats: HashSet<Category> = c
        .cases
        .iter()
        .flat_map(|k| k.categories.iter().map(|x| x.code))
        .collect();
    for cat in Category::ALL {
        assert!(cats.contains(&cat), "category ({}) missing", cat.letter());
    }
    assert!(c.cases.iter().any(|k| k.pupil.sen == Sen::SenSupport));
    assert!(c.cases.iter().any(|k| k.pupil.sen == Sen::None));
    assert!(c.cases.iter().any(|k| k.pupil.sen == Sen::Ehcp));
    assert!(c.cases.iter().any(|k| k.pupil.lac));
    assert!(
        c.cases
            .iter()
            .any(|k| k.status == Status::Pex && !k.pex_history.is_empty())
    );
    let free: i64 = c
        .places
        .iter()
        .flat_map(|p| p.pools.iter().map(|x| x.free()))
        .sum();
    assert!(free >= 3, "{free} free places");
    assert!(
        c.places
            .iter()
            .any(|p| p.pools.iter().any(|x| x.free() > 0))
    );
}

/// The demo's earlier meeting is a valid caseload of that day, and everything it recorded passes
/// the rules as it is recorded (the demo's log is seeded with it through `Meeting::record`).
#[test]
fn the_demos_earlier_meeting_is_valid_and_records_cleanly() {
    use fairpanel::domain::meeting::Meeting;
    use fairpanel::log::MemoryLog;
    let past = fairpanel::io::demo::past().expect("the earlier meeting builds");
    let checked = fairpanel::io::caseload::parse(&past.text).unwrap_or_else(|p| panic!("{p:#?}"));
    assert!(checked.warnings.iter().all(|w| !w.message.is_empty()));
    assert_eq!(past.caseload.panel.meeting_date.to_string(), "2026-02-26");
    let march = fairpanel::io::demo::load().unwrap().caseload;
    for extra in ["FA-2025-139", "FA-2025-142"] {
        assert!(past.caseload.cases.iter().any(|k| k.reference == extra));
        assert!(
            !march.cases.iter().any(|k| k.reference == extra),
            "placed in February, so not in the March caseload"
        );
    }
    let mut m = Meeting::new(past.caseload.clone(), &[]);
    let mut log = MemoryLog::new();
    for (p, at) in past.entries {
        if let Err(e) = m.record(&mut log, p.clone(), at) {
            panic!("{p:?} was not recorded: {e:?}");
        }
    }
    let placed: Vec<_> = m
        .state()
        .current_decisions()
        .into_iter()
        .filter(|(_, d)| d.outcome.places_child())
        .map(|(_, d)| d.case_ref.clone())
        .collect();
    assert_eq!(placed, ["FA-2025-139", "FA-2025-142"]);
}
