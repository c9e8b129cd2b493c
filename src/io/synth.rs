//! Synthetic caseloads for benchmarks and load tests: the demo panel (its calendar, schools and
//! places) with `n` invented cases, made the same way every time for a given seed.
//!
//! Each case is a copy of one of the demo cases with a new reference (`SYN-000001` …), an invented
//! name, and new referral, agreement and birth dates. Every name is invented; no real pupil is in
//! here. The result passes every check `caseload::parse` makes, with no warnings.

use chrono::TimeDelta;

use crate::domain::caseload::{Case, Caseload, Sex};
use crate::domain::dates::Date;

const GIVEN: &[(&str, Sex)] = &[
    ("Zoë", Sex::Female),
    ("Émile", Sex::Male),
    ("Łukasz", Sex::Male),
    ("Amira", Sex::Female),
    ("Jayden", Sex::Male),
    ("Chloé", Sex::Female),
    ("Mateusz", Sex::Male),
    ("Aoife", Sex::Female),
    ("Oluwaseun", Sex::Male),
    ("Siobhán", Sex::Female),
    ("Ioana", Sex::Female),
    ("Kacper", Sex::Male),
    ("Renée", Sex::Female),
    ("Björn", Sex::Male),
    ("Noémie", Sex::Female),
    ("Tomás", Sex::Male),
    ("Fatima", Sex::Female),
    ("Reece", Sex::Male),
    ("Ellie-Mae", Sex::Female),
    ("Dawid", Sex::Male),
    ("Zofia", Sex::Female),
    ("Mohammed", Sex::Male),
    ("Grace", Sex::Female),
    ("Kai", Sex::Male),
];

const FAMILY: &[&str] = &[
    "Ng",
    "Durand",
    "Nowak",
    "Okafor",
    "Haddad",
    "Thompson",
    "Wiśniewski",
    "Ó Briain",
    "Müller",
    "Kowalczyk",
    "Lăcătuș",
    "Novák",
    "Begum",
    "Clarke",
    "Hart",
    "Adebayo",
    "Doyle",
    "Sandhu",
    "Marín",
    "García",
    "Brennan",
    "Kerr",
    "Holt",
    "Øberg",
];

/// xorshift64*: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so that 0 and nearby seeds give unrelated, non-zero states.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Rng(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform enough in `0..n` for test data (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn days_before(d: Date, days: u64) -> Date {
    Date(d.0 - TimeDelta::days(days as i64))
}

fn days_after(d: Date, days: u64) -> Date {
    Date(d.0 + TimeDelta::days(days as i64))
}

/// The demo caseload with `n` invented cases in place of its own.
pub fn caseload(n: usize, seed: u64) -> Caseload {
    let base = crate::io::caseload::parse(crate::io::demo::DEMO_CASELOAD)
        .expect("the embedded demo caseload is valid")
        .caseload;
    let meeting = base.panel.meeting_date;
    let mut rng = Rng::new(seed);
    let cases = (0..n)
        .map(|i| invent(&base.cases, i, meeting, &mut rng))
        .collect();
    Caseload { cases, ..base }
}

fn invent(templates: &[Case], i: usize, meeting: Date, rng: &mut Rng) -> Case {
    let mut c = rng.pick(templates).clone();
    c.reference = format!("SYN-{:06}", i + 1);
    let (given, sex) = *rng.pick(GIVEN);
    c.pupil.given_name = given.to_owned();
    c.pupil.family_name = (*rng.pick(FAMILY)).to_owned();
    c.pupil.sex = sex;
    // Referred in the last 150 days (from mid-October: inside the meeting's school year), agreed
    // on or after referral and never after the meeting, for about half the cases.
    let referral = days_before(meeting, rng.below(151));
    c.referral_date = referral;
    c.fap_agreed_date = if rng.below(2) == 0 {
        let room = referral.days_until(meeting) as u64;
        Some(days_after(referral, rng.below(room.min(45) + 1)))
    } else {
        None
    };
    // Aged 11 to 16 on the meeting date; the year group is left to the 31 August rule.
    c.pupil.date_of_birth = loop {
        let dob = days_before(meeting, 11 * 365 + rng.below(6 * 365 + 2));
        if (11..=16).contains(&dob.age_on(meeting)) {
            break dob;
        }
    };
    c.pupil.year_group = None;
    if c.pupil.upn.is_some() {
        // Walsall's LA code, then invented digits, with the check letter they give.
        let rest = format!("335{:08}{}", rng.below(100_000_000), i % 10);
        c.pupil.upn = crate::domain::upn::with_check_letter(&rest);
    }
    if let (Some(e), Some(n)) = (c.pupil.home_easting, c.pupil.home_northing) {
        c.pupil.home_easting = Some(e.saturating_sub(2000) + rng.below(4001) as u32);
        c.pupil.home_northing = Some(n.saturating_sub(2000) + rng.below(4001) as u32);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_hundred_cases_load_with_no_problems() {
        let c = caseload(500, 7);
        assert_eq!(c.cases.len(), 500);
        let text = serde_json::to_string(&c).expect("serializes");
        let loaded = crate::io::caseload::parse(&text).unwrap_or_else(|p| panic!("{p:#?}"));
        assert!(loaded.warnings.is_empty(), "{:#?}", loaded.warnings);
        assert_eq!(loaded.caseload, c);
        let meeting = c.panel.meeting_date;
        for case in &c.cases {
            let age = case.pupil.date_of_birth.age_on(meeting);
            assert!((11..=16).contains(&age), "{} is {age}", case.reference);
            assert!(case.referral_date <= meeting);
            if let Some(a) = case.fap_agreed_date {
                assert!(case.referral_date <= a && a <= meeting);
            }
        }
        assert_eq!(c.cases[0].reference, "SYN-000001");
        assert_eq!(c.cases[499].reference, "SYN-000500");
    }

    #[test]
    fn same_seed_same_caseload() {
        assert_eq!(caseload(50, 1), caseload(50, 1));
        assert_ne!(caseload(50, 1).cases, caseload(50, 2).cases);
    }
}
