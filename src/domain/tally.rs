//! Whose turn it is: Fair Access placements per school and year group this academic year, and the
//! ranked list of schools that can lawfully be asked for a case (domain.md §3 "Fair share",
//! §6 rule 8; issue "The panel's rules" §2). No terminal, no SQL.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use crate::domain::caseload::{Case, Caseload, Gender, School, Sex};
use crate::domain::dates::Date;
use crate::domain::event::{Decision, Outcome};
use crate::domain::state::LogState;
use crate::domain::year_group::YearGroup;

/// Placements per school per year group in one academic year, kept live entry by entry.
///
/// Never both for one placement: a school's prior count (to its `as_of` day) covers every
/// placement up to that day, those the log holds included, so per school and year group the
/// count is the log's placements plus whatever the prior count has beyond the log's own up to
/// `as_of` (placements from before the log began). Prior counts from another academic year count
/// for nothing (docs/year.md).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// The academic year's first calendar year (2025 for 2025/26).
    pub year: i32,
    schools: HashMap<u32, BTreeMap<YearGroup, Cell>>,
    as_of: HashMap<u32, Date>,
    /// A report's period (first and last day), counted instead of the academic year.
    period: Option<(Date, Date)>,
}

/// One school's figures in one year group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Cell {
    /// The caseload's prior count.
    prior: u32,
    /// The log's standing placements this year.
    logged: u32,
    /// Of those, the ones up to the school's `as_of`.
    logged_upto: u32,
}

impl Cell {
    fn count(self) -> u32 {
        self.logged + self.prior.saturating_sub(self.logged_upto)
    }
}

impl Tally {
    /// The panel's academic year (that of the meeting date): every standing `allocate_school`
    /// decision the log holds dated in that year, from any meeting or between meetings, plus
    /// the caseload's prior counts for placements the log does not hold.
    pub fn build(c: &Caseload, state: &LogState) -> Tally {
        let year = c.panel.meeting_date.academic_year_start();
        let mut t = Tally {
            year,
            ..Tally::default()
        };
        for s in &c.schools {
            if let Some(pp) = &s.prior_placements
                && pp.as_of.academic_year_start() == year
            {
                t.as_of.insert(s.urn, pp.as_of);
                for (y, n) in &pp.by_year_group {
                    t.schools
                        .entry(s.urn)
                        .or_default()
                        .entry(*y)
                        .or_default()
                        .prior += n;
                }
            }
        }
        for (_, d) in state.current_decisions() {
            t.add(d, true);
        }
        t
    }

    /// The placements the log holds decided from `from` to `to` (a report's period, which may
    /// span academic years), counted as the year's tally counts them: the standing decisions'
    /// Fair Access school placements. The caseload's prior counts are not added (they are
    /// counts to a day, not placements with dates).
    pub fn over(state: &LogState, from: Date, to: Date) -> Tally {
        let mut t = Tally {
            year: from.academic_year_start(),
            period: Some((from, to)),
            ..Tally::default()
        };
        for (_, d) in state.current_decisions() {
            t.add(d, true);
        }
        t
    }

    /// This tally without the standing decision of `case_ref`: a new decision on that case
    /// replaces it, so checking the new one must not count the old.
    pub fn except(&self, state: &LogState, case_ref: &str) -> Tally {
        let mut t = self.clone();
        if let Some((_, d)) = state.current_decision(case_ref) {
            t.add(d, false);
        }
        t
    }

    /// A case's standing decision changed from `old` to `new` (either may be none).
    pub fn replace(&mut self, old: Option<&Decision>, new: Option<&Decision>) {
        if let Some(d) = old {
            self.add(d, false);
        }
        if let Some(d) = new {
            self.add(d, true);
        }
    }

    /// Counts (or uncounts) a decision, if it is a Fair Access school placement this year.
    fn add(&mut self, d: &Decision, count: bool) {
        let Some((outcome, urn, y, on)) = d.placement_counted() else {
            return;
        };
        let counted = match self.period {
            Some((from, to)) => from <= on && on <= to,
            None => on.academic_year_start() == self.year,
        };
        if outcome != Outcome::AllocateSchool || !counted {
            return;
        }
        let upto = u32::from(self.as_of.get(&urn).is_some_and(|a| on <= *a));
        let cell = self.schools.entry(urn).or_default().entry(y).or_default();
        if count {
            cell.logged += 1;
            cell.logged_upto += upto;
        } else {
            cell.logged = cell.logged.saturating_sub(1);
            cell.logged_upto = cell.logged_upto.saturating_sub(upto);
            // Nothing left: as a tally built afresh, which has no such cell.
            if *cell == Cell::default()
                && let Some(m) = self.schools.get_mut(&urn)
            {
                m.remove(&y);
                if m.is_empty() {
                    self.schools.remove(&urn);
                }
            }
        }
    }

    pub fn count(&self, urn: u32, y: YearGroup) -> u32 {
        self.schools
            .get(&urn)
            .and_then(|m| m.get(&y))
            .map_or(0, |c| c.count())
    }

    /// A school's placements this year by year group, those with any.
    pub fn by_year_group(&self, urn: u32) -> BTreeMap<YearGroup, u32> {
        self.schools
            .get(&urn)
            .map(|m| {
                m.iter()
                    .map(|(y, c)| (*y, c.count()))
                    .filter(|(_, n)| *n > 0)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn total(&self, urn: u32) -> u32 {
        self.schools
            .get(&urn)
            .map_or(0, |m| m.values().map(|c| c.count()).sum())
    }

    /// The most placements any school has this year.
    pub fn top(&self) -> u32 {
        self.schools
            .keys()
            .map(|u| self.total(*u))
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
    suggest_with(
        c,
        &Tally::build(c, state).except(state, &case.reference),
        case,
        start,
    )
}

/// As [`suggest`], with the tally already without the case's own standing decision.
pub fn suggest_with(c: &Caseload, tally: &Tally, case: &Case, start: Date) -> Vec<Suggestion> {
    let Some(y) = YearGroup::on(case.pupil.date_of_birth, start) else {
        return Vec::new();
    };
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
