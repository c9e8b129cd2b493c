//! How long each child has waited, as of the meeting date (domain.md §3 "Clock", SAC21 3.21): a
//! place must be allocated within 20 school days. Day 0 is the day the panel agreed to consider
//! the case; a place allocated on school day 20 is on time, and the clock is overdue from day 21.

use std::cmp::Ordering;

use crate::domain::calendar::SchoolCalendar;
use crate::domain::caseload::{Case, Status};
use crate::domain::dates::Date;

/// domain.md §6 rule 7: warn five school days before the aim (day 15 of 20).
pub const WARN_BEFORE: i64 = 5;
/// The Code's duty (SAC21 3.21): a panel's local aim may be shorter, never longer.
pub const MAX_AIM: u32 = 20;
/// EXC24: the LA provides full-time education from the sixth school day of a permanent
/// exclusion, counting the day it took effect as day 1.
pub const PEX_PROVISION_DAY: usize = 6;

/// The school day from which a case with no allocation is flagged as due soon.
pub fn warn_from(aim: i64) -> i64 {
    (aim - WARN_BEFORE).max(0)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    /// School days since the panel agreed to consider the case (None: not agreed, or the date is
    /// outside the calendar).
    pub since_agreed: Option<i64>,
    pub agreed: Option<Date>,
    /// The panel's aim (settings.clock_school_days).
    pub aim: i64,
    /// School days since referral, where the calendar covers the referral date.
    pub since_referral: Option<i64>,
    /// Calendar days since referral: always known.
    pub calendar_days_since_referral: i64,
    /// Calendar days out of education.
    pub days_out: Option<i64>,
    /// For a permanently excluded pupil: the day the LA's provision must start.
    pub pex_provision_from: Option<Date>,
}

/// Where a case stands against the aim, in words and a symbol (never colour alone, ux.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Urgency {
    Overdue,
    Warning,
    Running,
    NotAgreed,
    Unknown,
}

impl Clock {
    /// `agreed` is the day the panel agreed to consider the case: the log's record of it, else
    /// the caseload's `fap_agreed_date`.
    pub fn of(
        case: &Case,
        agreed: Option<Date>,
        cal: &SchoolCalendar,
        meeting: Date,
        aim: u32,
    ) -> Clock {
        let since_agreed = agreed.and_then(|a| cal.school_days_between(a, meeting));
        let pex_provision_from = if case.status == Status::Pex {
            case.pex_history
                .iter()
                .filter(|p| !p.reinstated)
                .map(|p| p.date)
                .max()
                .and_then(|d| cal.nth_school_day_from(d, PEX_PROVISION_DAY))
        } else {
            None
        };
        Clock {
            since_agreed,
            agreed,
            aim: i64::from(aim),
            since_referral: cal.school_days_between(case.referral_date, meeting),
            calendar_days_since_referral: case.referral_date.days_until(meeting),
            days_out: case.out_since.map(|o| o.days_until(meeting)),
            pex_provision_from,
        }
    }

    /// School days left to the aim (negative once past it).
    pub fn left(&self) -> Option<i64> {
        self.since_agreed.map(|s| self.aim - s)
    }

    /// School days past the aim: 1 on school day 21 of 20; `None` while on time (day 20
    /// included) or when no count is known.
    pub fn overdue_by(&self) -> Option<i64> {
        self.since_agreed
            .map(|s| s - self.aim)
            .filter(|over| *over > 0)
    }

    pub fn urgency(&self) -> Urgency {
        match (self.agreed, self.since_agreed) {
            (None, _) => Urgency::NotAgreed,
            (Some(_), None) => Urgency::Unknown,
            (Some(_), Some(s)) if s > self.aim => Urgency::Overdue,
            (Some(_), Some(s)) if s >= warn_from(self.aim) => Urgency::Warning,
            _ => Urgency::Running,
        }
    }

    /// Queue order: agreed cases by fewest school days left, then cases not yet agreed by longest
    /// wait since referral (issue "The panel's rules" §3).
    pub fn queue_cmp(&self, other: &Clock) -> Ordering {
        match (self.agreed.is_some(), other.agreed.is_some()) {
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (true, true) => cmp_some_first(self.left(), other.left()),
            (false, false) => other
                .since_referral
                .unwrap_or(-1)
                .cmp(&self.since_referral.unwrap_or(-1))
                .then(
                    other
                        .calendar_days_since_referral
                        .cmp(&self.calendar_days_since_referral),
                ),
        }
    }
}

/// Smaller first; unknown after every known value.
fn cmp_some_first(a: Option<i64>, b: Option<i64>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}
