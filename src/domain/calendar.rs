//! The school-day calendar: the LA's term dates and closure days from the caseload, plus England's
//! bank holidays (compiled in from `data/england_bank_holidays_2024-2029.csv`, DfE/GOV.UK list,
//! see shared PROVENANCE). domain.md §1 "School vs calendar days", §3 "Clock".

use chrono::{Datelike, Weekday};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::dates::Date;

/// The LA's term dates and closure days; England's bank holidays are built in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// Terms and half-terms as teaching spans, first day to last day inclusive.
    pub terms: Vec<Term>,
    /// INSET and other closure days inside terms, and any one-off bank holiday.
    #[serde(default)]
    pub closure_days: Vec<ClosureDay>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub name: String,
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureDay {
    pub date: Date,
    pub reason: String,
}

const BANK_HOLIDAYS_CSV: &str = include_str!("../../data/england_bank_holidays_2024-2029.csv");

/// England's weekday bank holidays, 2024–2029, sorted.
pub fn bank_holidays() -> Vec<Date> {
    let mut v: Vec<Date> = BANK_HOLIDAYS_CSV
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().and_then(Date::parse))
        .collect();
    v.sort();
    v
}

/// The span the bundled bank holidays cover (the whole calendar years of the first and last
/// holiday in the file); outside it no school day can be counted.
pub fn bank_holiday_cover() -> (Date, Date) {
    cover_of(&bank_holidays())
}

/// The whole calendar years spanned by a sorted list of holidays.
fn cover_of(h: &[Date]) -> (Date, Date) {
    let first = h.first().map_or(2024, |d| d.0.year());
    let last = h.last().map_or(2024, |d| d.0.year());
    match (Date::from_ymd(first, 1, 1), Date::from_ymd(last, 12, 31)) {
        (Some(a), Some(b)) => (a, b),
        _ => (Date(chrono::NaiveDate::MIN), Date(chrono::NaiveDate::MIN)),
    }
}

/// Days with sessions, built once per caseload.
#[derive(Debug, Clone)]
pub struct SchoolCalendar {
    cover: Option<(Date, Date)>,
    days: Vec<Date>,
}

impl SchoolCalendar {
    pub fn new(cal: &Calendar) -> SchoolCalendar {
        let holidays = bank_holidays();
        let mut days = Vec::new();
        for term in &cal.terms {
            let mut d = term.start.0;
            while d <= term.end.0 {
                let date = Date(d);
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
                    && holidays.binary_search(&date).is_err()
                    && !cal.closure_days.iter().any(|c| c.date == date)
                {
                    days.push(date);
                }
                match d.succ_opt() {
                    Some(n) => d = n,
                    None => break,
                }
            }
        }
        days.sort();
        days.dedup();
        let first = cal.terms.iter().map(|t| t.start).min();
        let last = cal.terms.iter().map(|t| t.end).max();
        let (bh_from, bh_to) = cover_of(&holidays);
        let cover = match (first, last) {
            (Some(f), Some(l)) => {
                let from = Date::from_ymd(f.academic_year_start(), 9, 1)
                    .unwrap_or(f)
                    .max(bh_from);
                let to = Date::from_ymd(l.academic_year_start() + 1, 8, 31)
                    .unwrap_or(l)
                    .min(bh_to);
                (from <= to).then_some((from, to))
            }
            _ => None,
        };
        SchoolCalendar { cover, days }
    }

    /// Whole academic years from the first term to the last, within the bank-holiday data.
    pub fn cover(&self) -> Option<(Date, Date)> {
        self.cover
    }

    pub fn covers(&self, d: Date) -> bool {
        self.cover.is_some_and(|(a, b)| a <= d && d <= b)
    }

    pub fn is_school_day(&self, d: Date) -> bool {
        self.days.binary_search(&d).is_ok()
    }

    /// School days after `from` up to and including `to` (so `from` is day 0, whatever day it
    /// is). `None` when either date is outside the cover: never a silent weekday count.
    pub fn school_days_between(&self, from: Date, to: Date) -> Option<i64> {
        if !self.covers(from) || !self.covers(to) {
            return None;
        }
        let count = |d: Date| self.days.partition_point(|x| *x <= d) as i64;
        Some(count(to) - count(from))
    }

    /// The date of school day `n` after `from` (day 0), if the calendar reaches it.
    pub fn nth_school_day_after(&self, from: Date, n: usize) -> Option<Date> {
        if !self.covers(from) || n == 0 {
            return self.covers(from).then_some(from);
        }
        let i = self.days.partition_point(|x| *x <= from);
        self.days
            .get(i + n - 1)
            .copied()
            .filter(|d| self.covers(*d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn walsall_spring_2026() -> Calendar {
        Calendar {
            terms: vec![
                Term {
                    name: "Spring 1".into(),
                    start: d("2026-01-05"),
                    end: d("2026-02-13"),
                },
                Term {
                    name: "Spring 2".into(),
                    start: d("2026-02-23"),
                    end: d("2026-03-27"),
                },
                Term {
                    name: "Summer 1".into(),
                    start: d("2026-04-13"),
                    end: d("2026-05-22"),
                },
            ],
            closure_days: vec![ClosureDay {
                date: d("2026-03-13"),
                reason: "INSET".into(),
            }],
        }
    }

    #[test]
    fn bank_holiday_file_matches_its_stated_cover() {
        let h = bank_holidays();
        assert_eq!(h.len(), 48);
        let (a, b) = bank_holiday_cover();
        assert_eq!((a, b), (d("2024-01-01"), d("2029-12-31")));
        assert!(h.iter().all(|x| a <= *x && *x <= b));
        assert!(h.contains(&d("2026-05-04")) && h.contains(&d("2026-12-28")));
    }

    /// domain.md §3 Clock: day 0 is the acceptance day; weekends, half-term, INSET and bank
    /// holidays are skipped.
    #[test]
    fn counts_school_days_across_half_term_inset_and_bank_holiday() {
        let cal = SchoolCalendar::new(&walsall_spring_2026());
        // Fri 13 Feb to Mon 23 Feb: half-term week skipped, one school day.
        assert_eq!(
            cal.school_days_between(d("2026-02-13"), d("2026-02-23")),
            Some(1)
        );
        // Thu 12 Mar to Mon 16 Mar: Fri 13 is INSET.
        assert_eq!(
            cal.school_days_between(d("2026-03-12"), d("2026-03-16")),
            Some(1)
        );
        // Fri 1 May to Tue 5 May: Mon 4 May is the early May bank holiday.
        assert_eq!(
            cal.school_days_between(d("2026-05-01"), d("2026-05-05")),
            Some(1)
        );
        // Accepted on a Saturday: day 1 is the Monday.
        assert_eq!(
            cal.nth_school_day_after(d("2026-03-07"), 1),
            Some(d("2026-03-09"))
        );
        assert!(!cal.is_school_day(d("2026-03-13")));
    }

    /// The turn of the academic year: the summer holiday and 1 September (a Tuesday in 2026,
    /// before term starts) are not school days; counting runs on into the new year's terms.
    #[test]
    fn counts_across_the_turn_of_the_academic_year() {
        let mut cal = walsall_spring_2026();
        cal.terms.push(Term {
            name: "Summer 2".into(),
            start: d("2026-06-01"),
            end: d("2026-07-21"),
        });
        cal.terms.push(Term {
            name: "Autumn 1".into(),
            start: d("2026-09-03"),
            end: d("2026-10-23"),
        });
        let cal = SchoolCalendar::new(&cal);
        assert_eq!(cal.cover(), Some((d("2025-09-01"), d("2027-08-31"))));
        // Agreed Mon 20 Jul: Tue 21 Jul is day 1, Thu 3 Sep day 2, Fri 4 Sep day 3.
        assert_eq!(
            cal.school_days_between(d("2026-07-20"), d("2026-09-04")),
            Some(3)
        );
        assert_eq!(
            cal.nth_school_day_after(d("2026-07-20"), 2),
            Some(d("2026-09-03"))
        );
        assert!(!cal.is_school_day(d("2026-09-01")));
    }

    #[test]
    fn outside_the_cover_is_none_not_a_guess() {
        let cal = SchoolCalendar::new(&walsall_spring_2026());
        assert_eq!(cal.cover(), Some((d("2025-09-01"), d("2026-08-31"))));
        assert_eq!(
            cal.school_days_between(d("2026-03-01"), d("2026-09-02")),
            None
        );
        assert!(cal.covers(d("2026-08-31")));
    }
}
