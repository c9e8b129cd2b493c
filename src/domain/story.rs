//! A case's whole story across meetings: referred, agreed to be considered, deferred, placed,
//! corrected, and the school days the child waited, as `fairpanel history` prints it. [`when`]
//! dates and places each entry, for it and for the detail pane alike. It names the case by
//! reference only; free text that names the pupil is withheld, as in the minutes.

use crate::domain::calendar::SchoolCalendar;
use crate::domain::caseload::{Case, Caseload};
use crate::domain::dates::Date;
use crate::domain::event::{Entry, Event};
use crate::domain::names::NameIndex;

/// Where a step of the story happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The referral, as the caseload records it.
    Referral,
    /// A date the caseload records and the log does not.
    CaseloadSays,
    /// At the panel's meeting of that date.
    Meeting(Date),
    /// Decided between meetings (`fairpanel record --as-of`).
    Between,
}

/// When and where an entry of the log happened: a decision on its own date (between meetings
/// if so taken), an agreement on the date it records, anything else at its meeting. `None` for
/// an entry whose meeting the log does not name.
pub fn when(e: &Entry, meeting_date: impl Fn(i64) -> Option<Date>) -> Option<(Date, Place)> {
    let at = meeting_date(e.meeting_id);
    let day = match &e.event {
        Event::Decision(d) => d.decided_on.or(at),
        Event::AgreedToConsider { date, .. } => Some(*date),
        _ => at,
    }?;
    let place = match (&e.event, at) {
        (Event::Decision(d), _) if d.outside_meeting => Place::Between,
        (_, Some(m)) => Place::Meeting(m),
        _ => Place::CaseloadSays,
    };
    Some((day, place))
}

impl Place {
    /// As the meeting of `today` says it: "at this meeting", "at the meeting of Thu 26 Feb
    /// 2026", "between meetings".
    pub fn words_at(self, today: Date) -> String {
        match self {
            Place::Meeting(d) if d == today => "at this meeting".to_owned(),
            Place::Meeting(d) => format!("at the meeting of {}", d.long()),
            other => other.words(),
        }
    }

    pub fn words(self) -> String {
        match self {
            Place::Referral => "referral".to_owned(),
            Place::CaseloadSays => "as the caseload records".to_owned(),
            Place::Meeting(d) => format!("meeting of {}", d.long()),
            Place::Between => "between meetings".to_owned(),
        }
    }
}

/// One step of the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub day: Date,
    pub place: Place,
    pub what: String,
}

/// The story of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    pub reference: String,
    pub lines: Vec<Line>,
    /// School days from agreeing to consider the case to the placement that stands (`true`), or
    /// to `until` while the child still waits (`false`); `None` when not agreed or not countable.
    pub waited: Option<(i64, bool)>,
    pub aim: u32,
}

/// What a story is told from.
pub struct Sources<'a> {
    pub case_ref: &'a str,
    /// The case as the latest caseload that lists it has it.
    pub case: Option<&'a Case>,
    /// That caseload: its schools, calendar and clock setting.
    pub caseload: Option<&'a Caseload>,
    /// The log's entries about the case, in id order.
    pub entries: Vec<&'a Entry>,
    /// Each meeting's date by its row in the log.
    pub meeting_date: &'a dyn Fn(i64) -> Option<Date>,
    /// The day a child still waiting is counted to.
    pub until: Date,
}

const WITHHELD: &str = "[withheld: names a pupil; read it in the log]";

impl Story {
    pub fn tell(s: &Sources<'_>) -> Story {
        let names =
            NameIndex::new(s.case).with_schools(s.caseload.iter().flat_map(|c| c.school_names()));
        let safe = |t: &str| -> String {
            if names.mentions(t) {
                WITHHELD.to_owned()
            } else {
                t.to_owned()
            }
        };
        let school = |urn: u32| -> String {
            s.caseload
                .and_then(|c| c.schools.iter().find(|x| x.urn == urn))
                .map_or_else(
                    || format!("URN {urn}"),
                    |x| format!("{} (URN {urn})", x.name),
                )
        };
        let mut lines = Vec::new();
        if let Some(k) = s.case {
            lines.push(Line {
                day: k.referral_date,
                place: Place::Referral,
                what: format!(
                    "referred by {} ({}); {}",
                    k.referrer.organisation,
                    k.referrer.role,
                    k.kind.label()
                ),
            });
        }
        let logged_agreement = s
            .entries
            .iter()
            .any(|e| matches!(e.event, Event::AgreedToConsider { .. }));
        let mut agreed = s.case.and_then(|k| k.fap_agreed_date);
        if let Some(d) = agreed.filter(|_| !logged_agreement) {
            lines.push(Line {
                day: d,
                place: Place::CaseloadSays,
                what: "agreed to consider: day 0 of the school-day clock".into(),
            });
        }
        let superseded: Vec<i64> = s.entries.iter().filter_map(|e| e.supersedes).collect();
        let mut placed: Option<Date> = None;
        for e in &s.entries {
            let Some((day, place)) = when(e, s.meeting_date) else {
                continue;
            };
            let what = match &e.event {
                Event::AgreedToConsider { date, .. } => {
                    agreed = Some(*date);
                    "agreed to consider: day 0 of the school-day clock".to_owned()
                }
                Event::Declaration {
                    member,
                    interest,
                    withdrew,
                    ..
                } => format!(
                    "interest declared by {member}: {}{}",
                    safe(interest),
                    if *withdrew { "; withdrew" } else { "; stayed" }
                ),
                Event::Decision(d) => {
                    let mut what = format!("decision {}: {}", e.id, d.outcome.label());
                    if let Some(u) = d.urn {
                        what.push_str(&format!(" → {}", school(u)));
                    }
                    if let Some(x) = d.start_date {
                        what.push_str(&format!(", start {}", x.long()));
                    }
                    if let Some(r) = d.review_date {
                        what.push_str(&format!(", review {}", r.long()));
                    }
                    if let (Some(old), Some(reason)) = (e.supersedes, &e.correction_reason) {
                        what.push_str(&format!("; corrects decision {old}: {}", safe(reason)));
                    }
                    let stands = !superseded.contains(&e.id);
                    if !stands {
                        what.push_str(" (later corrected)");
                    }
                    // A review keeps the day the child was first placed.
                    if stands && !d.outcome.is_review() {
                        placed = d.outcome.places_child().then_some(day);
                    }
                    what
                }
                Event::CaseAdded { case } => {
                    format!(
                        "added at the meeting (a late referral); {}",
                        case.kind.label()
                    )
                }
                Event::CaseAmended { reason, .. } => {
                    format!("the case's details amended: {}", safe(reason))
                }
                _ => continue,
            };
            lines.push(Line { day, place, what });
        }
        lines.sort_by_key(|l| l.day);
        let aim = s
            .caseload
            .map_or(20, |c| c.panel.settings.clock_school_days);
        let waited = match (agreed, s.caseload) {
            (Some(from), Some(c)) => {
                let until = placed.unwrap_or(s.until);
                SchoolCalendar::new(&c.calendar)
                    .school_days_between(from, until)
                    .map(|d| (d, placed.is_some()))
            }
            _ => None,
        };
        Story {
            reference: s.case_ref.to_owned(),
            lines,
            waited,
            aim,
        }
    }

    /// How long the child waited, in words.
    pub fn waited_words(&self) -> String {
        match self.waited {
            Some((d, true)) => format!(
                "Waited {d} school days from agreement to placement (the duty: within {})",
                self.aim
            ),
            Some((d, false)) => format!(
                "Still waiting: {d} school days since agreement (the duty: within {})",
                self.aim
            ),
            None => "School days waited: not counted (not agreed to be considered, or outside the calendar)".to_owned(),
        }
    }

    /// The story as text, one line a step, then how long the child waited.
    pub fn text(&self) -> Vec<String> {
        let mut out = vec![format!("Case {}", self.reference)];
        for l in &self.lines {
            out.push(format!(
                "{} ({}): {}",
                l.day.long(),
                l.place.words(),
                l.what
            ));
        }
        out.push(self.waited_words());
        out
    }
}
