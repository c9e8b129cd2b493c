//! What the room reads: outcomes, statuses, kinds and counts in words, never the identifiers the
//! code and the log use (`defer_more_info`, `NotApplicable`). The screen and the CLI's messages
//! both say things this way; the log, JSON and the command line keep the snake_case spellings.

use crate::domain::caseload::{AppOutcome, Phase, PlaceKind, Sex};
use crate::domain::event::{Attendance, Decision, Outcome};
use crate::domain::rules::Severity;

/// "1 placement", "3 placements", "0 placements".
pub fn count(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What a recorded decision did, to follow "→" in a sentence: "deferred for more information".
pub fn outcome_done(o: Outcome) -> &'static str {
    match o {
        Outcome::AllocateSchool => "school place allocated",
        Outcome::AllocateApInterim => "interim AP place allocated",
        Outcome::ManagedMoveAgreed => "managed move agreed",
        Outcome::DeferMoreInfo => "deferred for more information",
        Outcome::NotEligibleInYear => "not eligible for Fair Access",
        Outcome::RedirectEhcp => "redirected to the EHC plan route",
        Outcome::RedirectLac => "redirected to a looked-after direction (s97A)",
        Outcome::Withdrawn => "withdrawn",
        Outcome::RefusedEscalateDirection => "school refused: escalated to a direction",
        Outcome::ReviewConfirmed => "review: placement continues",
        Outcome::ReviewExtended => "review: placement extended",
        Outcome::ReviewReintegrated => "review: reintegrated to a school",
        Outcome::ReviewMadePermanent => "review: managed move made permanent",
        Outcome::ReviewEnded => "review: placement ended",
        Outcome::ReviewBreakdown => "review: placement broke down",
    }
}

/// What a decision does, after its case: "FA-2026-003 → Pool Hayes Academy, start Fri 13 Mar
/// 2026", "FA-2026-008 → deferred for more information". `school` is the named school's name.
pub fn decision_sentence(d: &Decision, school: Option<&str>) -> String {
    let to = match (school, d.outcome.places_child()) {
        (Some(name), true) => match d.start_date {
            Some(start) => format!("{name}, start {}", start.long()),
            None => name.to_owned(),
        },
        (Some(name), false) => format!("{} ({name})", outcome_done(d.outcome)),
        (None, _) => outcome_done(d.outcome).to_owned(),
    };
    format!("{} → {to}", d.case_ref)
}

pub fn attendance(a: Attendance) -> &'static str {
    match a {
        Attendance::Present => "present",
        Attendance::Apologies => "apologies",
        Attendance::ArrivedLate => "arrived late",
        Attendance::Left => "left",
        Attendance::InvitedAbsent => "invited, absent",
    }
}

/// The kind of place a request seeks, with its article: "an AP place".
pub fn place_kind(k: PlaceKind) -> &'static str {
    match k {
        PlaceKind::Ap => "an AP place",
        PlaceKind::Special => "a special school place",
        PlaceKind::Arp => "a resourced provision (ARP) place",
    }
}

pub fn sex(s: Sex) -> &'static str {
    match s {
        Sex::Female => "female",
        Sex::Male => "male",
    }
}

pub fn phase(p: Phase) -> &'static str {
    match p {
        Phase::Nursery => "nursery",
        Phase::Primary => "primary",
        Phase::MiddleDeemedPrimary => "middle (deemed primary)",
        Phase::MiddleDeemedSecondary => "middle (deemed secondary)",
        Phase::Secondary => "secondary",
        Phase::AllThrough => "all-through",
        Phase::SixteenPlus => "16 plus",
        Phase::NotApplicable => "no phase",
    }
}

pub fn app_outcome(o: AppOutcome) -> &'static str {
    match o {
        AppOutcome::Refused => "refused",
        AppOutcome::NoPlace => "no place",
        AppOutcome::Offered => "offered",
        AppOutcome::DeclinedByParent => "declined by parent",
        AppOutcome::Pending => "pending",
    }
}

/// How a finding reads before its message: "refused", "needs a reason", "warning".
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Refuse => "refused",
        Severity::NeedsReason => "needs a reason",
        Severity::Warn => "warning",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_right() {
        assert_eq!(count(1u32, "placement", "placements"), "1 placement");
        assert_eq!(count(0u32, "placement", "placements"), "0 placements");
        assert_eq!(count(7i64, "case", "cases"), "7 cases");
    }

    #[test]
    fn no_identifier_in_the_words() {
        for o in Outcome::ALL {
            for w in [o.label(), outcome_done(o)] {
                assert!(!w.contains('_'), "{w}");
            }
        }
    }
}
