//! `fairpanel record`: one decision taken between meetings, through the same one way in as the
//! screen (`Meeting::record`), so the same rules judge it.

use std::path::Path;

use crate::cli::out::{eprint, eprint_lines, print};
use crate::cli::{Failure, RecordArgs};
use crate::domain::dates::Date;
use crate::domain::event::{Correction, Decision, Event, Proposal, When};
use crate::domain::meeting::RecordError;
use crate::domain::rules::Hit;
use crate::domain::words;
use crate::io::caseload as load;
use crate::log::now_utc;

pub(super) fn record(a: &RecordArgs) -> Result<(), Failure> {
    let (loaded, text) = load::open(&a.caseload)?;
    if !loaded
        .caseload
        .cases
        .iter()
        .any(|c| c.reference == a.case_ref)
    {
        return Err(Failure::BadInput(format!(
            "--case: no case with this reference in {}; check the reference",
            a.caseload.display()
        )));
    }
    let as_of = a
        .as_of
        .unwrap_or_else(|| Date(chrono::Local::now().date_naive()));
    if let Some(why) = crate::domain::calendar::SchoolCalendar::new(&loaded.caseload.calendar)
        .uncovered_because(as_of)
    {
        return Err(Failure::BadInput(format!(
            "--as-of: {as_of} is outside the school calendar of {}: {why}",
            a.caseload.display()
        )));
    }
    let (mut session, mut meeting) =
        super::screen::open_session(loaded, &text, Some(&a.log), false, Some(&a.case_ref))?;
    let actions = crate::domain::event::Action::parse_list(&a.actions.join("; "))
        .map_err(|e| Failure::BadInput(format!("--action: {e}")))?;
    let decision = Decision {
        reduced_timetable: a.reduced_timetable,
        urn: a.urn,
        start_date: a.start,
        package: a.package.clone(),
        actions,
        review_date: a.review,
        reasons: a.reasons.clone(),
        agreed_by: a.agreed_by.clone(),
        dissent: a.dissent.clone(),
        override_reason: a.override_reason.clone(),
        ..Decision::new(&a.case_ref, a.outcome)
    };
    let proposal = Proposal {
        event: Event::Decision(decision),
        correction: a.corrects.map(|entry| Correction {
            entry,
            reason: a.correction_reason.clone().unwrap_or_default(),
        }),
        when: When::Between(as_of),
    };
    match meeting.record(&mut session, proposal, now_utc()) {
        Ok(r) => {
            // A sentence for people on stderr (the id and hash on stdout are for scripts).
            if let Event::Decision(d) = &r.entry.event {
                let school = d.urn.and_then(|u| {
                    meeting
                        .caseload()
                        .schools
                        .iter()
                        .find(|s| s.urn == u)
                        .map(|s| s.name.clone())
                        .or_else(|| Some(format!("URN {u}")))
                });
                let corrects = r
                    .entry
                    .supersedes
                    .map_or(String::new(), |old| format!(", superseding decision {old}"));
                eprint(format!(
                    "Decision {} recorded between meetings on {}: {}{corrects}",
                    r.entry.id,
                    as_of.long(),
                    words::decision_sentence(d, school.as_deref())
                ));
            }
            eprint_lines(&r.warnings.iter().map(Hit::line).collect::<Vec<_>>());
            print(format!("{} {}", r.entry.id, r.entry.hash))
                .map_err(|e| Failure::io(Path::new("standard output"), "write", e))
        }
        Err(RecordError::Refused(hits)) => Err(Failure::Refused(hits)),
        Err(RecordError::Write(e)) => Err(e.into()),
    }
}
