//! Letters and notices from a decision: which letter a decision can give, to whom, and the dates
//! it must print, worked out on the calendar (domain.md §3). The wording is the templates'
//! (`templates/letters/`); what the law fixes is here, with its source.

use crate::domain::calendar::SchoolCalendar;
use crate::domain::caseload::School;
use crate::domain::dates::Date;
use crate::domain::event::{Decision, Outcome};

/// The letters fairpanel writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    /// To the school or provision: the child allocated, the start date, the aim.
    SchoolAllocation,
    /// To the parent or carer: the place, the start, who to contact, the right to apply and
    /// appeal elsewhere.
    ParentAllocation,
    /// A refusal by a maintained school: notice to its governing body and head that the LA
    /// intends to direct (s96), with the 15-day right to refer to the Schools Adjudicator (s97).
    DirectionNotice,
    /// A refusal by an academy: the LA's request to the Secretary of State to direct it.
    AcademyDirectionRequest,
}

impl LetterKind {
    pub const ALL: [LetterKind; 4] = [
        LetterKind::SchoolAllocation,
        LetterKind::ParentAllocation,
        LetterKind::DirectionNotice,
        LetterKind::AcademyDirectionRequest,
    ];

    /// As typed after `--kind`, and the template's file name without `.md`.
    pub fn slug(self) -> &'static str {
        match self {
            LetterKind::SchoolAllocation => "school-allocation",
            LetterKind::ParentAllocation => "parent-allocation",
            LetterKind::DirectionNotice => "direction-notice",
            LetterKind::AcademyDirectionRequest => "academy-direction-request",
        }
    }

    pub fn parse(s: &str) -> Option<LetterKind> {
        LetterKind::ALL.into_iter().find(|k| k.slug() == s)
    }

    /// In words, for titles and messages.
    pub fn label(self) -> &'static str {
        match self {
            LetterKind::SchoolAllocation => "allocation letter to the school",
            LetterKind::ParentAllocation => "allocation letter to the parent or carer",
            LetterKind::DirectionNotice => "notice of intention to direct admission",
            LetterKind::AcademyDirectionRequest => {
                "request to the Secretary of State to direct an academy"
            }
        }
    }

    /// Whether the letter is addressed to the child's parent or carer (so needs a contact).
    pub fn to_family(self) -> bool {
        self == LetterKind::ParentAllocation
    }
}

/// Whether a school is an academy (or free school, UTC, studio school): the Secretary of State
/// directs those; the LA directs maintained schools (SSFA 1998 s96). Read from the GIAS type.
pub fn is_academy(s: &School) -> bool {
    let t = s.school_type.to_lowercase();
    [
        "academy",
        "free school",
        "university technical college",
        "studio school",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// Why `kind` cannot be written from this decision, in words, or `Ok`.
pub fn applies(kind: LetterKind, d: &Decision, school: Option<&School>) -> Result<(), String> {
    let outcome = d.outcome.label().to_lowercase();
    match kind {
        LetterKind::SchoolAllocation | LetterKind::ParentAllocation => {
            if !d.outcome.places_child() {
                return Err(format!(
                    "an allocation letter needs a decision that places the child; the decision that stands is \"{outcome}\""
                ));
            }
            if d.start_date.is_none() {
                return Err(
                    "the decision records no start date; correct the decision to add one"
                        .to_owned(),
                );
            }
        }
        LetterKind::DirectionNotice | LetterKind::AcademyDirectionRequest => {
            if d.outcome != Outcome::RefusedEscalateDirection {
                return Err(format!(
                    "a direction letter needs a decision \"{}\"; the decision that stands is \"{outcome}\"",
                    Outcome::RefusedEscalateDirection.label().to_lowercase()
                ));
            }
            let Some(s) = school else {
                return Err("the decision names no school the caseload lists".to_owned());
            };
            match (kind, is_academy(s)) {
                (LetterKind::DirectionNotice, true) => {
                    return Err(format!(
                        "{} is an academy: the LA asks the Secretary of State to direct it; use --kind academy-direction-request",
                        s.name
                    ));
                }
                (LetterKind::AcademyDirectionRequest, false) => {
                    return Err(format!(
                        "{} is a maintained school: the LA directs it itself (s96); use --kind direction-notice",
                        s.name
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// A date a letter prints, with what it is and where the rule comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Deadline {
    pub date: Date,
    pub what: &'static str,
    pub source: &'static str,
}

/// Days the governing body has to refer a direction to the Schools Adjudicator, beginning with
/// the day it is notified (SSFA 1998 s97): calendar days.
pub const REFER_DAYS: i64 = 15;
/// Days an academy is given to answer before the LA asks the Secretary of State (panel
/// protocol: Buckinghamshire's, domain.md §3): calendar days.
pub const ACADEMY_REPLY_DAYS: i64 = 7;

/// The dates `kind` prints for a letter dated `on`: the aim (school days from the day the panel
/// agreed to consider the case, on the calendar) for an allocation, the referral period for a
/// direction notice, the academy's reply for a request. A date the calendar does not cover is
/// left out, never guessed.
pub fn deadlines(
    kind: LetterKind,
    on: Date,
    agreed: Option<Date>,
    aim_school_days: u32,
    cal: &SchoolCalendar,
) -> Vec<Deadline> {
    let days = |n: i64| Date(on.0 + chrono::Duration::days(n));
    match kind {
        LetterKind::SchoolAllocation | LetterKind::ParentAllocation => agreed
            .and_then(|a| cal.nth_school_day_after(a, aim_school_days as usize))
            .map(|date| Deadline {
                date,
                what: "the place should be allocated by",
                source: "School Admissions Code 2021 para 3.21, counted in school days from the day the panel agreed to consider the case",
            })
            .into_iter()
            .collect(),
        LetterKind::DirectionNotice => vec![Deadline {
            date: days(REFER_DAYS - 1),
            what: "the governing body may refer the case to the Schools Adjudicator until",
            source: "School Standards and Framework Act 1998 s97: 15 days beginning with the day of this notice",
        }],
        LetterKind::AcademyDirectionRequest => vec![Deadline {
            date: days(ACADEMY_REPLY_DAYS),
            what: "the academy was given until",
            source: "panel protocol: 7 calendar days to answer the LA",
        }],
    }
}
