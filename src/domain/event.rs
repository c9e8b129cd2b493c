//! What the log holds: decisions and the meeting's other events (domain.md §4, §6). Every entry is
//! one of these, serialised as JSON with a `kind` tag. A [`Proposal`] is an event on its way in,
//! before the rules have judged it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::caseload::Case;
use crate::domain::dates::Date;
use crate::domain::year_group::YearGroup;

/// Decision outcomes, spelled as in domain.md §6 (and on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    AllocateSchool,
    AllocateApInterim,
    ManagedMoveAgreed,
    DeferMoreInfo,
    NotEligibleInYear,
    RedirectEhcp,
    RedirectLac,
    Withdrawn,
    RefusedEscalateDirection,
    // A review: the placement continues to a new review date.
    ReviewConfirmed,
    // A review: the placement is extended on new terms (the package says what), to a new
    // review date.
    ReviewExtended,
    // A review: the child goes back to (or on to) a named mainstream school.
    ReviewReintegrated,
    // A review of a managed move: the move is made permanent; no further review.
    ReviewMadePermanent,
    // A review: the placement ended as planned; the case closes.
    ReviewEnded,
    // A review: the placement broke down; the case returns to the panel with its history.
    ReviewBreakdown,
}

impl Outcome {
    pub const ALL: [Outcome; 15] = [
        Outcome::AllocateSchool,
        Outcome::AllocateApInterim,
        Outcome::ManagedMoveAgreed,
        Outcome::DeferMoreInfo,
        Outcome::NotEligibleInYear,
        Outcome::RedirectEhcp,
        Outcome::RedirectLac,
        Outcome::Withdrawn,
        Outcome::RefusedEscalateDirection,
        Outcome::ReviewConfirmed,
        Outcome::ReviewExtended,
        Outcome::ReviewReintegrated,
        Outcome::ReviewMadePermanent,
        Outcome::ReviewEnded,
        Outcome::ReviewBreakdown,
    ];

    /// The snake_case spelling of domain.md §6.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::AllocateSchool => "allocate_school",
            Outcome::AllocateApInterim => "allocate_ap_interim",
            Outcome::ManagedMoveAgreed => "managed_move_agreed",
            Outcome::DeferMoreInfo => "defer_more_info",
            Outcome::NotEligibleInYear => "not_eligible_in_year",
            Outcome::RedirectEhcp => "redirect_ehcp",
            Outcome::RedirectLac => "redirect_lac",
            Outcome::Withdrawn => "withdrawn",
            Outcome::RefusedEscalateDirection => "refused_escalate_direction",
            Outcome::ReviewConfirmed => "review_confirmed",
            Outcome::ReviewExtended => "review_extended",
            Outcome::ReviewReintegrated => "review_reintegrated",
            Outcome::ReviewMadePermanent => "review_made_permanent",
            Outcome::ReviewEnded => "review_ended",
            Outcome::ReviewBreakdown => "review_breakdown",
        }
    }

    /// The outcome spelled `s` (domain.md §6), as typed on the command line.
    pub fn parse(s: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// The outcome in words, as the screen offers it.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::AllocateSchool => "Allocate a school place",
            Outcome::AllocateApInterim => "Interim AP place",
            Outcome::ManagedMoveAgreed => "Managed move agreed",
            Outcome::DeferMoreInfo => "Defer for more information",
            Outcome::NotEligibleInYear => "Not eligible for Fair Access",
            Outcome::RedirectEhcp => "Redirect to the EHC plan route",
            Outcome::RedirectLac => "Redirect: looked after (s97A direction)",
            Outcome::Withdrawn => "Withdrawn",
            Outcome::RefusedEscalateDirection => "School refused: escalate to a direction",
            Outcome::ReviewConfirmed => "Review: placement continues",
            Outcome::ReviewExtended => "Review: placement extended",
            Outcome::ReviewReintegrated => "Review: reintegrate to a school",
            Outcome::ReviewMadePermanent => "Review: managed move made permanent",
            Outcome::ReviewEnded => "Review: placement ended",
            Outcome::ReviewBreakdown => "Review: placement broke down",
        }
    }

    /// Outcomes that name a school or provision.
    pub fn needs_school(self) -> bool {
        matches!(
            self,
            Outcome::AllocateSchool
                | Outcome::AllocateApInterim
                | Outcome::ManagedMoveAgreed
                | Outcome::RefusedEscalateDirection
                | Outcome::ReviewReintegrated
        )
    }

    /// Outcomes that place the child somewhere from a start date (a reintegration at a review
    /// included: a new school from a new start).
    pub fn places_child(self) -> bool {
        matches!(
            self,
            Outcome::AllocateSchool
                | Outcome::AllocateApInterim
                | Outcome::ManagedMoveAgreed
                | Outcome::ReviewReintegrated
        )
    }

    /// The outcomes of a review of a standing placement (domain.md §5).
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Outcome::ReviewConfirmed
                | Outcome::ReviewExtended
                | Outcome::ReviewReintegrated
                | Outcome::ReviewMadePermanent
                | Outcome::ReviewEnded
                | Outcome::ReviewBreakdown
        )
    }

    /// Review outcomes after which the placement reviewed still stands, at the same school.
    pub fn continues_placement(self) -> bool {
        matches!(
            self,
            Outcome::ReviewConfirmed | Outcome::ReviewExtended | Outcome::ReviewMadePermanent
        )
    }

    /// Outcomes that set a new review date: each is reviewed again (domain.md §6 rule 11).
    pub fn needs_review_date(self) -> bool {
        matches!(
            self,
            Outcome::AllocateApInterim
                | Outcome::ManagedMoveAgreed
                | Outcome::ReviewConfirmed
                | Outcome::ReviewExtended
        )
    }

    /// Fair Access decisions proper: domain.md §6 rules 1–4 apply to these, and not to the
    /// redirect, withdrawal or deferral outcomes (which are how such cases are rightly closed).
    pub fn is_fap_decision(self) -> bool {
        matches!(
            self,
            Outcome::AllocateSchool
                | Outcome::AllocateApInterim
                | Outcome::RefusedEscalateDirection
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    Present,
    Apologies,
    ArrivedLate,
    Left,
    /// Invited (a school asked to attend for a case) and did not come: minuted as such, not
    /// as "not recorded". Decisions naming the school stand (domain.md §3 Participation).
    InvitedAbsent,
}

impl Attendance {
    pub fn is_present(self) -> bool {
        matches!(self, Attendance::Present | Attendance::ArrivedLate)
    }
}

/// One decision, as agreed by the panel (domain.md §6 Decision).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub case_ref: String,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<u32>,
    /// The pupil's year group on the start date (31 August rule), filled in when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_group: Option<YearGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    /// Support package and conditions (transport, AP sessions, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<String>,
    /// A reduced timetable is part of the package: a review date is then required (rule 11).
    #[serde(default)]
    pub reduced_timetable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<Date>,
    /// Free text: the log stores it apart from the hashed entry (so `default` for reading the
    /// entry without it).
    #[serde(default)]
    pub reasons: String,
    /// Members (by name as in the caseload) who agreed.
    pub agreed_by: Vec<String>,
    #[serde(default)]
    pub dissent: Vec<String>,
    /// Taken between meetings (`fairpanel record`), not at the meeting itself.
    #[serde(default)]
    pub outside_meeting: bool,
    /// The day it was decided: the meeting date, or `--as-of` between meetings. Filled in when
    /// recorded; the fair-share tally counts log placements from this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
    /// Why the panel went ahead despite a warning that needs one (fair share, local bar,
    /// exemption, the excluding school's agreement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub override_reason: Option<String>,
    /// The schools the panel was shown, ranked, with the fair-share figures that ranked them,
    /// as they stood when the decision was recorded (for the minutes: "options considered").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options_considered: Vec<OptionShown>,
    /// A review: the placement it reviews (the first placement, through any earlier reviews),
    /// filled in when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_of: Option<Reviewed>,
    /// What the panel asked someone to do, with its owner and when by (the minutes' actions).
    /// Free text, stored apart like the reasons.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

/// An action agreed with a decision: who does what, by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// Who: a person, a school or a service ("Lucy Bradbury", "Bloxwich Academy", "Housing").
    pub owner: String,
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Date>,
}

impl Action {
    /// Actions as the form and `record --action` take them: `OWNER: WHAT [by DATE]`, several
    /// separated by `;`. The date is `YYYY-MM-DD` or day first (`20/3/2026`).
    pub fn parse_list(text: &str) -> Result<Vec<Action>, String> {
        let mut out = Vec::new();
        for (i, item) in text.split(';').map(str::trim).enumerate() {
            if item.is_empty() {
                continue;
            }
            let n = i + 1;
            let Some((owner, rest)) = item.split_once(':') else {
                return Err(format!(
                    "action {n}: say who does it first, then a colon: \"Housing: send the officer's report by 2026-03-20\""
                ));
            };
            let (owner, rest) = (owner.trim(), rest.trim());
            if owner.is_empty() || rest.is_empty() {
                return Err(format!(
                    "action {n}: needs who does it and what, as \"OWNER: WHAT\""
                ));
            }
            let lower = rest.to_lowercase();
            let (what, by) = match lower.rfind(" by ") {
                Some(at) => {
                    let date = rest[at + 4..].trim();
                    match Date::parse(date).or_else(|| Date::parse_day_first(date)) {
                        Some(d) => (rest[..at].trim(), Some(d)),
                        // "by" in the words, not before a date: all of it is what.
                        None => (rest, None),
                    }
                }
                None => (rest, None),
            };
            out.push(Action {
                owner: owner.to_owned(),
                what: what.to_owned(),
                by,
            });
        }
        Ok(out)
    }

    /// Back to the form's text, the list `parse_list` reads.
    pub fn list_text(actions: &[Action]) -> String {
        actions
            .iter()
            .map(|a| match a.by {
                Some(d) => format!("{}: {} by {d}", a.owner, a.what),
                None => format!("{}: {}", a.owner, a.what),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The placement a review outcome is about, as it was decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reviewed {
    /// The log entry of the placement.
    pub entry: i64,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_group: Option<YearGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<Date>,
}

/// One ranked school as shown when a decision was taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionShown {
    pub rank: u32,
    pub urn: u32,
    /// Fair Access placements in the pupil's year group this academic year.
    pub in_year_group: u32,
    /// Per 100 on roll, to two decimals, where the roll is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_100_on_roll: Option<String>,
    /// Placements this academic year, all year groups.
    pub this_year: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<u32>,
    /// Straight-line km from home to one decimal, where both are known (never the home itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<String>,
    /// The school the decision named.
    #[serde(default)]
    pub chosen: bool,
}

impl Decision {
    /// A decision with only its case and outcome set; the rest is filled in by the form.
    pub fn new(case_ref: &str, outcome: Outcome) -> Decision {
        Decision {
            case_ref: case_ref.to_owned(),
            outcome,
            urn: None,
            year_group: None,
            start_date: None,
            package: None,
            reduced_timetable: false,
            review_date: None,
            reasons: String::new(),
            agreed_by: Vec::new(),
            dissent: Vec::new(),
            outside_meeting: false,
            decided_on: None,
            override_reason: None,
            options_considered: Vec::new(),
            review_of: None,
            actions: Vec::new(),
        }
    }

    /// A placement with a review to come: an AP place, a managed move, a reduced timetable, or
    /// a review that set a new date. Review outcomes are for these only.
    pub fn is_reviewable(&self) -> bool {
        self.outcome.needs_review_date()
            || (self.reduced_timetable
                && (self.outcome.places_child() || self.outcome.continues_placement()))
    }

    /// The outcome that placed the child: a review's first placement, else this decision's own.
    pub fn placed_by(&self) -> Outcome {
        self.review_of.as_ref().map_or(self.outcome, |r| r.outcome)
    }

    /// The child is placed by this decision: a placement, or a review that continues one.
    pub fn stands_placed(&self) -> bool {
        self.outcome.places_child() || self.outcome.continues_placement()
    }

    /// The placement the fair-share tally counts for this decision: its own, or for a review
    /// the placement reviewed (a school that took a child keeps the count whatever the review
    /// decides; only a correction undoes it). Outcome, school, year group and day decided.
    pub fn placement_counted(&self) -> Option<(Outcome, u32, YearGroup, Date)> {
        match &self.review_of {
            Some(r) if self.outcome.is_review() => {
                Some((r.outcome, r.urn?, r.year_group?, r.decided_on?))
            }
            _ => Some((self.outcome, self.urn?, self.year_group?, self.decided_on?)),
        }
    }
}

/// Everything the log records, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// The meeting's caseload as opened: a new revision whenever the file changed.
    CaseloadOpened {
        revision: u32,
        sha256: String,
    },
    Attendance {
        member: String,
        status: Attendance,
        /// Local time of day (HH:MM) someone arrived late or left, filled in when recorded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time: Option<String>,
    },
    /// Someone not on the panel's list joined the meeting: a substitute for a member, or a
    /// guest. They are present from then on; attendance entries record them leaving.
    Joined(Guest),
    /// The panel agreed to consider a referral: day 0 of the 20-school-day clock.
    AgreedToConsider {
        case_ref: String,
        date: Date,
    },
    Declaration {
        member: String,
        case_ref: String,
        /// Free text, stored apart like a decision's reasons.
        #[serde(default)]
        interest: String,
        withdrew: bool,
    },
    Decision(Decision),
    /// A late referral added during the meeting: the whole case, as a caseload file would hold
    /// it (its personal data in the entry's personal part, which can later be removed).
    CaseAdded {
        case: Box<Case>,
    },
    /// A case's facts corrected or added to during the meeting (a date of birth, a category
    /// with its evidence, a new in-year application): the case as it now stands, and why.
    CaseAmended {
        case: Box<Case>,
        /// Free text, stored apart like a decision's reasons.
        #[serde(default)]
        reason: String,
    },
}

impl Event {
    pub fn kind(&self) -> &'static str {
        match self {
            Event::CaseloadOpened { .. } => "caseload_opened",
            Event::Attendance { .. } => "attendance",
            Event::Joined(_) => "joined",
            Event::AgreedToConsider { .. } => "agreed_to_consider",
            Event::Declaration { .. } => "declaration",
            Event::Decision(_) => "decision",
            Event::CaseAdded { .. } => "case_added",
            Event::CaseAmended { .. } => "case_amended",
        }
    }

    pub fn case_ref(&self) -> Option<&str> {
        match self {
            Event::AgreedToConsider { case_ref, .. } | Event::Declaration { case_ref, .. } => {
                Some(case_ref)
            }
            Event::Decision(d) => Some(&d.case_ref),
            Event::CaseAdded { case } | Event::CaseAmended { case, .. } => Some(&case.reference),
            _ => None,
        }
    }
}

/// A substitute or guest who joined a meeting (domain.md §4 Members: school, authority to
/// decide).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Guest {
    pub name: String,
    pub organisation: String,
    pub role: String,
    /// The school they speak for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<u32>,
    /// May decide and admit for their organisation.
    #[serde(default)]
    pub can_decide: bool,
    /// The panel member they stand in for; none for a guest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substitute_for: Option<String>,
    /// Local time of day (HH:MM) they joined, filled in when recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// A stored entry: the event, where it sits in the chain, and what it corrects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: i64,
    pub meeting_id: i64,
    pub event: Event,
    /// The entry this one corrects; the corrected entry then no longer counts.
    pub supersedes: Option<i64>,
    pub correction_reason: Option<String>,
    /// UTC, RFC 3339, when it was written (the log's own clock; meeting dates come from the
    /// caseload).
    pub recorded_at: String,
    pub prev_hash: String,
    pub hash: String,
}

/// When an entry is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// At the meeting: "today" is the caseload's meeting date; quorum applies.
    Meeting,
    /// Between meetings (`fairpanel record --as-of`): deciders, not quorum.
    Between(Date),
}

/// The standing decision entry a new decision corrects, and why (the minutes keep both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub entry: i64,
    pub reason: String,
}

/// An entry on its way into the log: what a form or `fairpanel record` built. The rules judge it
/// (`Meeting::check`) before anything is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub event: Event,
    pub correction: Option<Correction>,
    pub when: When,
}

impl Proposal {
    pub fn at_meeting(event: Event) -> Proposal {
        Proposal {
            event,
            correction: None,
            when: When::Meeting,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logs_written_before_times_and_joins_still_read() {
        let old: Event = serde_json::from_str(
            r#"{"kind":"attendance","member":"Janet Okafor","status":"present"}"#,
        )
        .expect("an attendance entry without a time");
        assert_eq!(
            old,
            Event::Attendance {
                member: "Janet Okafor".into(),
                status: Attendance::Present,
                time: None
            }
        );
        // A time is written only where there is one.
        let late = Event::Attendance {
            member: "Mark Ellery".into(),
            status: Attendance::ArrivedLate,
            time: Some("10:25".into()),
        };
        let json = serde_json::to_string(&late).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"attendance","member":"Mark Ellery","status":"arrived_late","time":"10:25"}"#
        );
        assert!(!serde_json::to_string(&old).unwrap().contains("time"));
        let joined: Event = serde_json::from_str(
            r#"{"kind":"joined","name":"Priya Shah","organisation":"Walsall Academy","role":"Deputy Headteacher"}"#,
        )
        .expect("a guest with only the required fields");
        assert!(matches!(joined, Event::Joined(g) if !g.can_decide && g.substitute_for.is_none()));
    }
}

#[cfg(test)]
mod action_tests {
    use super::*;

    #[test]
    fn actions_read_owner_what_and_an_optional_date() {
        let a = Action::parse_list(
            "Housing: send the report by 2026-03-20; Lucy Bradbury: stand by the family; School: call by 20/3/2026;",
        )
        .unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].by, Date::parse("2026-03-20"));
        assert_eq!(a[0].what, "send the report");
        // "by" not before a date is part of the words.
        assert_eq!(a[1].what, "stand by the family");
        assert_eq!(a[1].by, None);
        assert_eq!(a[2].by, Date::parse("2026-03-20"));
        assert_eq!(Action::parse_list(&Action::list_text(&a)).unwrap(), a);
        assert!(
            Action::parse_list("no owner here")
                .unwrap_err()
                .contains("action 1")
        );
        assert!(
            Action::parse_list("x: y; : z")
                .unwrap_err()
                .contains("action 2")
        );
        assert_eq!(Action::parse_list("  ").unwrap(), Vec::new());
    }
}
