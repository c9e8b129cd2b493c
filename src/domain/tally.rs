//! Whose turn it is: Fair Access placements per school and year group this academic year, and the
//! ranked list of schools that can lawfully be asked for a case (domain.md §3 "Fair share",
//! §6 rule 8; issue "The panel's rules" §2). No terminal, no SQL.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use crate::domain::caseload::{Case, Caseload, Gender, School, Sex};
use crate::domain::dates::Date;
use crate::domain::event::Outcome;
use crate::domain::state::LogState;
use crate::domain::year_group::YearGroup;

/// Placements per school per year group in one academic year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// The academic year's first calendar year (2025 for 2025/26).
    pub year: i32,
    pub by_school: HashMap<u32, BTreeMap<YearGroup, u32>>,
}

impl Tally {
    /// The panel's academic year (that of the meeting date): every standing `allocate_school`
    /// decision the log holds dated in that year, from any meeting or between meetings, plus
    /// the caseload's prior counts for placements the log does not hold (see `build_except`).
    pub fn build(c: &Caseload, state: &LogState) -> Tally {
        Self::build_except(c, state, None)
    }

    /// The tally without one case's standing decision: a new decision on that case replaces it,
    /// so checking the new one must not count the old.
    ///
    /// Never both for one placement: a school's prior count (to its `as_of` day) covers every
    /// placement up to that day, those the log holds included, so per school and year group the
    /// count is the log's placements plus whatever the prior count has beyond the log's own up
    /// to `as_of` (placements from before the log began). Prior counts from another academic
    /// year count for nothing.
    pub fn build_except(c: &Caseload, state: &LogState, except_case: Option<&str>) -> Tally {
        let year = c.panel.meeting_date.academic_year_start();
        let mut prior: HashMap<(u32, YearGroup), u32> = HashMap::new();
        let mut as_of: HashMap<u32, Date> = HashMap::new();
        for s in &c.schools {
            if let Some(pp) = &s.prior_placements
                && pp.as_of.academic_year_start() == year
            {
                as_of.insert(s.urn, pp.as_of);
                for (y, n) in &pp.by_year_group {
                    *prior.entry((s.urn, *y)).or_default() += n;
                }
            }
        }
        // (all the log's placements, those up to the school's as_of)
        let mut logged: HashMap<(u32, YearGroup), (u32, u32)> = HashMap::new();
        for (_, d) in state.current_decisions() {
            let (Some(urn), Some(y), Some(on)) = (d.urn, d.year_group, d.decided_on) else {
                continue;
            };
            if d.outcome != Outcome::AllocateSchool
                || on.academic_year_start() != year
                || except_case == Some(d.case_ref.as_str())
            {
                continue;
            }
            let n = logged.entry((urn, y)).or_default();
            n.0 += 1;
            if as_of.get(&urn).is_some_and(|a| on <= *a) {
                n.1 += 1;
            }
        }
        let mut by_school: HashMap<u32, BTreeMap<YearGroup, u32>> = HashMap::new();
        for (&(urn, y), &n) in &prior {
            let (_, upto) = logged.get(&(urn, y)).copied().unwrap_or_default();
            *by_school.entry(urn).or_default().entry(y).or_default() += n.saturating_sub(upto);
        }
        for ((urn, y), (all, _)) in logged {
            *by_school.entry(urn).or_default().entry(y).or_default() += all;
        }
        Tally { year, by_school }
    }

    pub fn count(&self, urn: u32, y: YearGroup) -> u32 {
        self.by_school
            .get(&urn)
            .and_then(|m| m.get(&y))
            .copied()
            .unwrap_or(0)
    }

    pub fn total(&self, urn: u32) -> u32 {
        self.by_school.get(&urn).map_or(0, |m| m.values().sum())
    }

    /// The most placements any school has this year.
    pub fn top(&self) -> u32 {
        self.by_school
            .values()
            .map(|m| m.values().sum())
            .max()
            .unwrap_or(0)
    }
}

/// The fair-share cap of a school for a year group (a local setting, domain.md §3 "Fair share"):
/// one placement a year in that year group per `fair_share_pan_per_placement` places of the year
/// group's PAN (Bucks: 1 per 30, so PAN 180 → 6), and never below 1, so a small school is not
/// capped at nothing. It is compared with the placements in the same year group this academic
/// year: like with like. Where the school lists no PAN for the year group, its largest listed
/// PAN stands in (the number a year group is admitted at).
pub fn cap(c: &Caseload, s: &School, y: YearGroup) -> Option<u32> {
    let per = c
        .panel
        .settings
        .fair_share_pan_per_placement
        .filter(|p| *p > 0)?;
    let pan = s
        .pan
        .get(&y)
        .copied()
        .or_else(|| s.pan.values().copied().max())?;
    Some((pan / per).max(1))
}

/// One school that can lawfully be asked, with the figures that put it where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub urn: u32,
    pub in_year_group: u32,
    /// Placements in the pupil's year group this year per 100 on roll.
    pub per_100: Option<f64>,
    pub total: u32,
    /// Straight-line distance from the pupil's home, km (both grid references known).
    pub distance_km: Option<f64>,
    /// The cap for the pupil's year group, compared with `in_year_group`.
    pub cap: Option<u32>,
    pub over_cap: bool,
    /// Parental preference rank (1 = first), shown, never a bar.
    pub preference: Option<usize>,
    pub religion: Option<String>,
    /// Plain words for anything to check: unknown sex admitted, selective, local bar, Ofsted.
    pub notes: Vec<&'static str>,
}

/// Mainstream schools that may be asked for this pupil on `start`: right age range, not of the
/// other sex, not the school that permanently excluded the child, not exempt for the year group.
/// Ordered by placements per 100 on roll in the year group, then placements this year, then
/// distance, then URN (fewest, nearest, lowest first).
pub fn suggest(c: &Caseload, state: &LogState, case: &Case, start: Date) -> Vec<Suggestion> {
    let Some(y) = YearGroup::on(case.pupil.date_of_birth, start) else {
        return Vec::new();
    };
    let tally = Tally::build_except(c, state, Some(&case.reference));
    let age = y.age_at_start();
    let excluded_by: Vec<u32> = case
        .pex_history
        .iter()
        .filter(|p| !p.reinstated)
        .map(|p| p.urn)
        .collect();
    let mut out: Vec<Suggestion> = c
        .schools
        .iter()
        .filter(|s| !(s.ap || s.pru || s.special))
        .filter(|s| s.low_age <= age && age < s.high_age)
        .filter(|s| {
            !matches!(
                (s.gender, case.pupil.sex),
                (Gender::Boys, Sex::Female) | (Gender::Girls, Sex::Male)
            )
        })
        .filter(|s| !excluded_by.contains(&s.urn))
        .filter(|s| !s.exemptions.iter().any(|e| e.year_group == y))
        .map(|s| {
            let in_year_group = tally.count(s.urn, y);
            let total = tally.total(s.urn);
            let cap = cap(c, s, y);
            let mut notes = Vec::new();
            if s.gender == Gender::Unknown {
                notes.push("sex admitted not known");
            }
            if s.selective {
                notes.push("selective: check the selection criteria");
            }
            if y.number() <= 2 && s.infant_classes_full.contains(&y) {
                notes.push("infant classes at 30");
            }
            if s.ofsted_category.is_some() && c.panel.settings.bar_ofsted_concern {
                notes.push("Ofsted category of concern: local bar");
            }
            if c.panel
                .settings
                .barred_schools
                .iter()
                .any(|b| b.urn == s.urn)
            {
                notes.push("barred locally");
            }
            let over_cap = cap.is_some_and(|k| in_year_group >= k);
            if over_cap {
                notes.push("at or over the fair-share cap");
            }
            Suggestion {
                urn: s.urn,
                in_year_group,
                per_100: s
                    .on_roll
                    .filter(|r| *r > 0)
                    .map(|r| f64::from(in_year_group) * 100.0 / f64::from(r)),
                total,
                distance_km: distance_km(case, s),
                cap,
                over_cap,
                preference: case
                    .preferences
                    .iter()
                    .position(|p| *p == s.urn)
                    .map(|i| i + 1),
                religion: s.religion.clone(),
                notes,
            }
        })
        .collect();
    out.sort_by(ranking);
    out
}

/// Fewest per 100 on roll, then fewest this year, then nearest, then URN. Unknown figures sort
/// after known ones.
pub fn ranking(a: &Suggestion, b: &Suggestion) -> Ordering {
    let opt = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    opt(a.per_100, b.per_100)
        .then(a.total.cmp(&b.total))
        .then(opt(a.distance_km, b.distance_km))
        .then(a.urn.cmp(&b.urn))
}

fn distance_km(case: &Case, s: &School) -> Option<f64> {
    let (e1, n1) = (case.pupil.home_easting?, case.pupil.home_northing?);
    let (e2, n2) = (s.easting?, s.northing?);
    let de = f64::from(e1) - f64::from(e2);
    let dn = f64::from(n1) - f64::from(n2);
    Some((de * de + dn * dn).sqrt() / 1000.0)
}

/// Each school's share this year against an even split by roll: (placements, even share).
pub fn share_vs_even(c: &Caseload, tally: &Tally) -> Vec<(u32, u32, f64)> {
    let mainstream: Vec<&School> = c
        .schools
        .iter()
        .filter(|s| !(s.ap || s.pru || s.special))
        .collect();
    let roll: u32 = mainstream.iter().filter_map(|s| s.on_roll).sum();
    let placed: u32 = mainstream.iter().map(|s| tally.total(s.urn)).sum();
    mainstream
        .iter()
        .map(|s| {
            let even = if roll == 0 {
                0.0
            } else {
                f64::from(placed) * f64::from(s.on_roll.unwrap_or(0)) / f64::from(roll)
            };
            (s.urn, tally.total(s.urn), even)
        })
        .collect()
}
