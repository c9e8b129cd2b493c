//! The school-day calendar: the LA's term dates and closure days from the caseload, plus England's
//! bank holidays (compiled in from `data/england_bank_holidays_2024-2029.csv`, DfE/GOV.UK list,
//! see shared PROVENANCE, and any later ones the caseload lists). domain.md §1 "School vs calendar
//! days", §3 "Clock".
//!
//! A count is only given inside the calendar's **cover**: a day outside it is `None`, never a
//! guess, because a term or a bank holiday left out would silently shorten every clock.

use chrono::{Datelike, Weekday};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::dates::Date;

/// The LA's term dates and closure days; England's bank holidays to 2029 are built in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// Terms and half-terms as teaching spans, first day to last day inclusive.
    pub terms: Vec<Term>,
    /// INSET and other closure days inside terms, and any one-off bank holiday.
    #[serde(default)]
    pub closure_days: Vec<ClosureDay>,
    /// England's bank holidays for years after (or before) the built-in ones: listing a year's
    /// holidays lets the calendar count school days in that year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bank_holidays: Vec<BankHoliday>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub name: String,
    pub start: Date,
    pub end: Date,
    /// Why the break before this term is longer than three weeks (outside the summer holiday).
    /// Without it such a gap is an error: a term left out of the list looks like a long holiday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_break_before: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureDay {
    pub date: Date,
    pub reason: String,
}

/// One of England's bank holidays, as GOV.UK lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BankHoliday {
    pub date: Date,
    /// For example "New Year's Day".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

const BANK_HOLIDAYS_CSV: &str = include_str!("../../data/england_bank_holidays_2024-2029.csv");

/// Gaps between terms longer than this (in calendar days) are not a normal holiday, except the
/// summer holiday.
pub const LONGEST_BREAK_DAYS: i64 = 21;
/// The summer holiday is a gap that includes August and is no longer than this.
pub const LONGEST_SUMMER_DAYS: i64 = 63;

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
    let h = bank_holidays();
    let first = h.first().map_or(2024, |d| d.0.year());
    let last = h.last().map_or(2024, |d| d.0.year());
    (year_start(first), year_end(last))
}

fn year_start(y: i32) -> Date {
    Date::from_ymd(y, 1, 1).unwrap_or(Date(chrono::NaiveDate::MIN))
}

fn year_end(y: i32) -> Date {
    Date::from_ymd(y, 12, 31).unwrap_or(Date(chrono::NaiveDate::MAX))
}

/// The whole calendar years whose bank holidays are known: the built-in years, extended year by
/// year in either direction while the caseload lists holidays for the next year.
fn holiday_years(listed: &[Date]) -> (i32, i32) {
    let (from, to) = bank_holiday_cover();
    let has = |y: i32| listed.iter().any(|d| d.0.year() == y);
    let (mut a, mut b) = (from.0.year(), to.0.year());
    while has(a - 1) {
        a -= 1;
    }
    while has(b + 1) {
        b += 1;
    }
    (a, b)
}

/// Days with sessions, built once per caseload.
#[derive(Debug, Clone)]
pub struct SchoolCalendar {
    cover: Option<(Date, Date)>,
    /// The span the terms alone cover, and the years whose bank holidays are known.
    terms: Option<(Date, Date)>,
    holiday_years: (i32, i32),
    days: Vec<Date>,
}

impl SchoolCalendar {
    pub fn new(cal: &Calendar) -> SchoolCalendar {
        let listed: Vec<Date> = cal.bank_holidays.iter().map(|b| b.date).collect();
        let mut holidays = bank_holidays();
        holidays.extend(&listed);
        holidays.sort();
        holidays.dedup();
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
        let terms = terms_cover(cal);
        let holiday_years = holiday_years(&listed);
        let cover = terms.and_then(|(from, to)| {
            let from = from.max(year_start(holiday_years.0));
            let to = to.min(year_end(holiday_years.1));
            (from <= to).then_some((from, to))
        });
        SchoolCalendar {
            cover,
            terms,
            holiday_years,
            days,
        }
    }

    /// The span school days can be counted in: from the first term listed (from 1 September when
    /// that term starts in September) to the last (to 31 August when it ends in July or
    /// August), within the years whose bank holidays are known.
    pub fn cover(&self) -> Option<(Date, Date)> {
        self.cover
    }

    pub fn covers(&self, d: Date) -> bool {
        self.cover.is_some_and(|(a, b)| a <= d && d <= b)
    }

    /// Why `d` is outside the cover, and what to add to the caseload so it is inside: `None`
    /// when it is covered. Quotes only the calendar's own dates.
    pub fn uncovered_because(&self, d: Date) -> Option<String> {
        if self.covers(d) {
            return None;
        }
        let mut why = Vec::new();
        match self.terms {
            None => why.push("the calendar lists no terms; add the LA's terms".to_owned()),
            Some((from, _)) if d < from => why.push(format!(
                "it is before the first term listed (the calendar starts {from}); add the terms from then on"
            )),
            Some((_, to)) if d > to => why.push(format!(
                "it is after the last term listed (the calendar ends {to}); add the terms up to then"
            )),
            Some(_) => {}
        }
        let (a, b) = self.holiday_years;
        let years = |x: i32, y: i32| {
            if x == y {
                x.to_string()
            } else {
                format!("{x} to {y}")
            }
        };
        let year = d.0.year();
        if year > b {
            why.push(format!(
                "fairpanel knows England's bank holidays only to {b}; list those of {} in calendar.bank_holidays",
                years(b + 1, year)
            ));
        } else if year < a {
            why.push(format!(
                "fairpanel knows England's bank holidays only from {a}; list those of {} in calendar.bank_holidays",
                years(year, a - 1)
            ));
        }
        Some(why.join("; and "))
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

    /// The date of school day `n` counting `from` itself as day 1 when it is a school day (else
    /// the next school day is day 1): how the days of an exclusion are counted.
    pub fn nth_school_day_from(&self, from: Date, n: usize) -> Option<Date> {
        if !self.covers(from) || n == 0 {
            return None;
        }
        let i = self.days.partition_point(|x| *x < from);
        self.days
            .get(i + n - 1)
            .copied()
            .filter(|d| self.covers(*d))
    }
}

/// The span the terms alone cover (see [`SchoolCalendar::cover`]).
fn terms_cover(cal: &Calendar) -> Option<(Date, Date)> {
    let first = cal.terms.iter().map(|t| t.start).min()?;
    let last = cal.terms.iter().map(|t| t.end).max()?;
    let from = if first.0.month() == 9 {
        Date::from_ymd(first.0.year(), 9, 1).unwrap_or(first)
    } else {
        first
    };
    let to = if matches!(last.0.month(), 7 | 8) {
        Date::from_ymd(last.0.year(), 8, 31).unwrap_or(last)
    } else {
        last
    };
    (from <= to).then_some((from, to))
}

/// Breaks between consecutive terms longer than three weeks that are not the summer holiday
/// and not marked as intended: (index of the earlier term, index of the later term, calendar
/// days between them). A term left out of the list would otherwise count as a holiday.
pub fn long_breaks(cal: &Calendar) -> Vec<(usize, usize, i64)> {
    let mut order: Vec<usize> = (0..cal.terms.len()).collect();
    order.sort_by_key(|&i| (cal.terms[i].start, i));
    let mut out = Vec::new();
    for w in order.windows(2) {
        let (a, b) = (&cal.terms[w[0]], &cal.terms[w[1]]);
        let gap = a.end.days_until(b.start) - 1;
        if gap <= LONGEST_BREAK_DAYS || b.long_break_before.is_some() {
            continue;
        }
        let includes_august = (a.end.0.year()..=b.start.0.year()).any(|y| {
            Date::from_ymd(y, 8, 1)
                .zip(Date::from_ymd(y, 8, 31))
                .is_some_and(|(f, l)| a.end < l && f < b.start)
        });
        if includes_august && gap <= LONGEST_SUMMER_DAYS {
            continue;
        }
        out.push((w[0], w[1], gap));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn term(name: &str, start: &str, end: &str) -> Term {
        Term {
            name: name.into(),
            start: d(start),
            end: d(end),
            long_break_before: None,
        }
    }

    fn walsall_spring_2026() -> Calendar {
        Calendar {
            terms: vec![
                term("Spring 1", "2026-01-05", "2026-02-13"),
                term("Spring 2", "2026-02-23", "2026-03-27"),
                term("Summer 1", "2026-04-13", "2026-05-22"),
            ],
            closure_days: vec![ClosureDay {
                date: d("2026-03-13"),
                reason: "INSET".into(),
            }],
            bank_holidays: vec![],
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
        cal.terms.push(term("Summer 2", "2026-06-01", "2026-07-21"));
        cal.terms.push(term("Autumn 1", "2026-09-03", "2026-10-23"));
        let cal = SchoolCalendar::new(&cal);
        assert_eq!(cal.cover(), Some((d("2026-01-05"), d("2026-10-23"))));
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

    /// Issue 11 §4: a day before the first term listed or after the last is outside the cover
    /// (a term left out would otherwise count as holiday), except the summer days either side
    /// of a year's first and last terms.
    #[test]
    fn outside_the_cover_is_none_not_a_guess() {
        let cal = SchoolCalendar::new(&walsall_spring_2026());
        assert_eq!(cal.cover(), Some((d("2026-01-05"), d("2026-05-22"))));
        assert_eq!(
            cal.school_days_between(d("2026-03-01"), d("2026-09-02")),
            None
        );
        assert_eq!(
            cal.school_days_between(d("2025-12-01"), d("2026-03-02")),
            None,
            "autumn is not listed: no count from an autumn date"
        );
        let why = cal.uncovered_because(d("2025-12-01")).unwrap();
        assert!(
            why.starts_with(
                "it is before the first term listed (the calendar starts 2026-01-05); add the terms"
            ),
            "{why}"
        );
        let mut whole = walsall_spring_2026();
        whole
            .terms
            .insert(0, term("Autumn 1", "2025-09-03", "2025-10-24"));
        whole
            .terms
            .push(term("Summer 2", "2026-06-01", "2026-07-21"));
        let cal = SchoolCalendar::new(&whole);
        assert_eq!(cal.cover(), Some((d("2025-09-01"), d("2026-08-31"))));
        assert!(cal.covers(d("2026-08-31")) && cal.uncovered_because(d("2026-08-31")).is_none());
    }

    /// Issue 11 §4: past the built-in bank holidays (to 2029) a date is outside the cover with a
    /// message saying what to list; listing the next year's holidays extends the cover.
    #[test]
    fn bank_holidays_after_2029_come_from_the_caseload() {
        let mut cal = Calendar {
            terms: vec![
                term("Autumn 1", "2029-09-03", "2029-10-19"),
                term("Autumn 2", "2029-10-29", "2029-12-19"),
                term("Spring 1", "2030-01-07", "2030-02-15"),
            ],
            closure_days: vec![],
            bank_holidays: vec![],
        };
        let sc = SchoolCalendar::new(&cal);
        assert!(sc.covers(d("2029-12-19")));
        assert_eq!(
            sc.school_days_between(d("2029-12-19"), d("2030-01-08")),
            None
        );
        assert_eq!(
            sc.uncovered_because(d("2030-01-08")).unwrap(),
            "fairpanel knows England's bank holidays only to 2029; list those of 2030 in calendar.bank_holidays"
        );
        cal.bank_holidays = vec![
            BankHoliday {
                date: d("2030-01-01"),
                name: Some("New Year's Day".into()),
            },
            BankHoliday {
                date: d("2030-01-07"),
                name: None,
            },
        ];
        let sc = SchoolCalendar::new(&cal);
        // 7 Jan 2030 listed as a holiday (for the test): day 1 is Tue 8 Jan.
        assert_eq!(
            sc.school_days_between(d("2029-12-19"), d("2030-01-08")),
            Some(1)
        );
        assert!(!sc.is_school_day(d("2030-01-07")));
    }

    /// Exclusion days count the first day as day 1 (when it is a school day); clock days count
    /// the agreed day as day 0.
    #[test]
    fn nth_school_day_from_counts_the_first_day_as_day_one() {
        let cal = SchoolCalendar::new(&walsall_spring_2026());
        // Mon 2 Mar is day 1: day 6 is Mon 9 Mar.
        assert_eq!(
            cal.nth_school_day_from(d("2026-03-02"), 6),
            Some(d("2026-03-09"))
        );
        // From Sat 7 Mar: Mon 9 is day 1, day 6 is Tue 17 Mar (Fri 13 is INSET).
        assert_eq!(
            cal.nth_school_day_from(d("2026-03-07"), 6),
            Some(d("2026-03-17"))
        );
        assert_eq!(
            cal.nth_school_day_after(d("2026-03-02"), 6),
            Some(d("2026-03-10"))
        );
    }

    /// Issue 11 §4: a gap of more than three weeks between terms, other than the summer
    /// holiday, is a missing term unless marked as intended.
    #[test]
    fn long_breaks_name_the_gap_unless_marked_or_summer() {
        let year = |autumn2: bool| {
            let mut terms = vec![term("Autumn 1", "2025-09-03", "2025-10-24")];
            if autumn2 {
                terms.push(term("Autumn 2", "2025-11-03", "2025-12-19"));
            }
            terms.extend([
                term("Spring 1", "2026-01-05", "2026-02-13"),
                term("Spring 2", "2026-02-23", "2026-03-27"),
                term("Summer 1", "2026-04-13", "2026-05-22"),
                term("Summer 2", "2026-06-01", "2026-07-21"),
                term("Autumn 1", "2026-09-03", "2026-10-23"),
            ]);
            Calendar {
                terms,
                closure_days: vec![],
                bank_holidays: vec![],
            }
        };
        assert_eq!(long_breaks(&year(true)), []);
        let mut missing = year(false);
        // 25 Oct to 4 Jan: 72 days with no term.
        assert_eq!(long_breaks(&missing), [(0, 1, 72)]);
        missing.terms[1].long_break_before = Some("school rebuilt over the autumn".into());
        assert_eq!(long_breaks(&missing), []);
        // A summer "holiday" from May to September hides a missing term.
        let mut no_summer2 = year(true);
        no_summer2.terms.remove(5);
        assert_eq!(long_breaks(&no_summer2), [(4, 5, 103)]);
    }
}
