//! `fairpanel init`: a new panel's starter caseload from the files an LA already has: its open
//! schools from a GIAS extract, its term dates from a simple CSV or the iCalendar file many LAs
//! publish, and the panel's settings with their defaults written out. No cases: referrals come
//! in afterwards (`fairpanel referrals import`, or a late referral at the meeting).

use std::collections::BTreeMap;

use icalendar::{Component, DatePerhapsTime};

use crate::domain::caseload::{
    Calendar, Caseload, ClosureDay, FORMAT, Panel, PanelKind, Settings, Term, checks,
};
use crate::domain::dates::Date;
use crate::domain::problem::{Problem, Severity};
use crate::io::gias::Import;

/// What was read from a term-dates file, and how each entry was taken, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub calendar: Calendar,
    /// One line per entry taken: "term Autumn 1: Wed 3 Sep 2025 to Fri 24 Oct 2025".
    pub taken: Vec<String>,
}

/// A date as an LA writes it: `2025-09-03` or the UK day-first `03/09/2025`.
fn uk_date(s: &str) -> Option<Date> {
    let s = s.trim();
    Date::parse(s).or_else(|| {
        chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y")
            .ok()
            .map(Date)
    })
}

/// Reads the term-dates CSV: a header row, then one row per term (`term`) or closure (`closure`):
/// `type,name,first day,last day`. A closure's name is its reason ("INSET day"); its last day may
/// be left empty for one day. Problems name the file line and the column.
pub fn terms_csv(text: &str) -> Result<Terms, Vec<Problem>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let head: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|x| x.to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![Problem::error(
                "line 1",
                format!("cannot read the header row: {e}; save the file as CSV"),
            )]);
        }
    };
    let col = |names: &[&str]| head.iter().position(|h| names.contains(&h.as_str()));
    let (Some(kind), Some(name), Some(first), last) = (
        col(&["type", "kind"]),
        col(&["name", "term", "reason"]),
        col(&["first day", "first_day", "start", "from"]),
        col(&["last day", "last_day", "end", "to"]),
    ) else {
        return Err(vec![Problem::error(
            "line 1",
            "the header must name the columns type, name, first day and last day (e.g. type,name,first day,last day)",
        )]);
    };
    let mut cal = Calendar {
        terms: Vec::new(),
        closure_days: Vec::new(),
        bank_holidays: Vec::new(),
    };
    let (mut taken, mut errors) = (Vec::new(), Vec::new());
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let at = |c: &str| format!("line {line}, \"{c}\"");
        let rec = match rec {
            Ok(x) => x,
            Err(e) => {
                errors.push(Problem::error(
                    format!("line {line}"),
                    format!("cannot read the row: {e}"),
                ));
                continue;
            }
        };
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let label = get(name).to_owned();
        let Some(from) = uk_date(get(first)) else {
            errors.push(Problem::error(
                at("first day"),
                "not a date; write YYYY-MM-DD or DD/MM/YYYY",
            ));
            continue;
        };
        let to = match last.map(get).filter(|s| !s.is_empty()) {
            None => from,
            Some(s) => match uk_date(s) {
                Some(d) if d >= from => d,
                Some(_) => {
                    errors.push(Problem::error(
                        at("last day"),
                        "before the first day; check the two dates",
                    ));
                    continue;
                }
                None => {
                    errors.push(Problem::error(
                        at("last day"),
                        "not a date; write YYYY-MM-DD or DD/MM/YYYY",
                    ));
                    continue;
                }
            },
        };
        match get(kind).to_lowercase().as_str() {
            "term" => {
                taken.push(format!("term {label}: {} to {}", from.long(), to.long()));
                cal.terms.push(Term {
                    name: label,
                    start: from,
                    end: to,
                    long_break_before: None,
                });
            }
            "closure" => {
                let days = weekdays(from, to);
                taken.push(format!(
                    "closure {label}: {} ({} school day{})",
                    from.long(),
                    days.len(),
                    if days.len() == 1 { "" } else { "s" }
                ));
                cal.closure_days
                    .extend(days.into_iter().map(|date| ClosureDay {
                        date,
                        reason: label.clone(),
                    }));
            }
            _ => errors.push(Problem::error(at("type"), "must be term or closure")),
        }
    }
    if errors.is_empty() {
        Ok(Terms {
            calendar: cal,
            taken,
        })
    } else {
        Err(errors)
    }
}

/// Monday to Friday from `from` to `to`, inclusive.
fn weekdays(from: Date, to: Date) -> Vec<Date> {
    use chrono::Datelike;
    from.0
        .iter_days()
        .take_while(|d| *d <= to.0)
        .filter(|d| d.weekday().number_from_monday() <= 5)
        .map(Date)
        .collect()
}

/// How an iCalendar event's summary is taken: a term, a closure (days off inside terms), or
/// neither.
fn classify(summary: &str) -> Option<bool> {
    let s = summary.to_lowercase();
    let closure = [
        "half term",
        "half-term",
        "inset",
        "training day",
        "closure",
        "closed",
        "holiday",
        "break",
        "bank holiday",
    ];
    if closure.iter().any(|w| s.contains(w)) {
        Some(false)
    } else if s.contains("term") {
        Some(true)
    } else {
        None
    }
}

/// Reads an LA's term dates from iCalendar: all-day events whose summary names a term ("Autumn
/// term 1") are terms; those naming a half term, holiday, break, INSET or training day, or a
/// closure are closure days where they fall inside a term (outside one they are not school days
/// anyway); anything else, and any event with a time of day, is refused, by its place in the
/// file and its summary.
pub fn terms_ics(text: &str) -> Result<Terms, Vec<Problem>> {
    let cal: icalendar::Calendar = text.parse().map_err(|_| {
        vec![Problem::error(
            "file",
            "not an iCalendar file that can be read; export the calendar again as .ics",
        )]
    })?;
    let mut terms = Vec::new();
    let mut closures: Vec<(Date, Date, String)> = Vec::new();
    let mut errors = Vec::new();
    let day = |d: Option<DatePerhapsTime>| match d {
        Some(DatePerhapsTime::Date(d)) => Some(Date(d)),
        _ => None,
    };
    for (i, e) in cal.events().enumerate() {
        let at = format!("event {}", i + 1);
        let summary = e.get_summary().unwrap_or("").trim().to_owned();
        let Some(start) = day(e.get_start()) else {
            errors.push(Problem::error(
                format!("{at} ({summary})"),
                "has no all-day start date (a time of day, or none); term dates are whole days",
            ));
            continue;
        };
        // DTEND of an all-day event is the day after its last (RFC 5545).
        let end = match e.get_end() {
            None => start,
            Some(d) => match day(Some(d)) {
                Some(x) if x > start => Date(x.0.pred_opt().unwrap_or(x.0)),
                Some(_) => start,
                None => {
                    errors.push(Problem::error(
                        format!("{at} ({summary})"),
                        "ends at a time of day; term dates are whole days",
                    ));
                    continue;
                }
            },
        };
        match classify(&summary) {
            Some(true) => terms.push(Term {
                name: summary,
                start,
                end,
                long_break_before: None,
            }),
            Some(false) => closures.push((start, end, summary)),
            None => errors.push(Problem::error(
                format!("{at} ({summary})"),
                "cannot be taken as a term or a closure: name terms \"… term …\" and closures \"INSET day\", \"half term\", \"holiday\" or \"closure\", or remove the event",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    terms.sort_by_key(|t| t.start);
    let mut taken: Vec<String> = terms
        .iter()
        .map(|t| format!("term {}: {} to {}", t.name, t.start.long(), t.end.long()))
        .collect();
    let mut by_day: BTreeMap<Date, String> = BTreeMap::new();
    for (from, to, reason) in closures {
        let inside: Vec<Date> = weekdays(from, to)
            .into_iter()
            .filter(|d| terms.iter().any(|t| t.start <= *d && *d <= t.end))
            .collect();
        taken.push(format!(
            "closure {reason}: {} ({} school day{} inside a term)",
            from.long(),
            inside.len(),
            if inside.len() == 1 { "" } else { "s" }
        ));
        for d in inside {
            by_day.entry(d).or_insert_with(|| reason.clone());
        }
    }
    Ok(Terms {
        calendar: Calendar {
            terms,
            closure_days: by_day
                .into_iter()
                .map(|(date, reason)| ClosureDay { date, reason })
                .collect(),
            bank_holidays: Vec::new(),
        },
        taken,
    })
}

/// What `init` is given, besides the files it reads.
#[derive(Debug, Clone)]
pub struct Starter {
    pub la_code: u16,
    pub kind: PanelKind,
    pub meeting_date: Date,
}

/// The starter caseload: the LA's open schools, the calendar, the panel with its settings'
/// defaults written out, no cases and no members yet. Checked as `fairpanel check` would: its
/// errors refuse it, its warnings come back to be printed.
pub fn starter(
    s: &Starter,
    schools: Import,
    terms: Terms,
) -> Result<(Caseload, Vec<Problem>), Vec<Problem>> {
    let la_name = schools
        .la_name
        .clone()
        .unwrap_or_else(|| format!("LA {}", s.la_code));
    let id = format!(
        "{}-{}",
        la_name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect::<String>()
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-"),
        match s.kind {
            PanelKind::IyfapPri => "pri-fap",
            PanelKind::IyfapSec => "sec-fap",
            PanelKind::Ap => "ap",
            PanelKind::Send => "send",
            PanelKind::ManagedMove => "mm",
        }
    );
    let c = Caseload {
        format: FORMAT.to_owned(),
        carried_from: None,
        panel: Panel {
            id,
            name: format!("{la_name} {} panel", s.kind.label()),
            kind: s.kind,
            la_code: s.la_code,
            la_name,
            area: None,
            meeting_date: s.meeting_date,
            venue: None,
            starts_at: None,
            next_meeting: None,
            contact: None,
            members: Vec::new(),
            settings: Settings::default(),
        },
        calendar: terms.calendar,
        schools: schools.schools,
        cases: Vec::new(),
        places: Vec::new(),
    };
    let problems: Vec<Problem> = checks::check(&c).into_iter().map(|f| f.problem).collect();
    if problems.iter().any(|p| p.severity == Severity::Error) {
        Err(problems)
    } else {
        Ok((c, problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_terms_csv_gives_terms_and_closure_days() {
        let t = terms_csv(
            "type,name,first day,last day\nterm,Autumn 1,03/09/2025,24/10/2025\nclosure,INSET day,2025-09-19,\nclosure,Staff training,2025-10-23,2025-10-26\n",
        )
        .unwrap();
        assert_eq!(t.calendar.terms.len(), 1);
        assert_eq!(t.calendar.terms[0].start, d("2025-09-03"));
        let days: Vec<Date> = t.calendar.closure_days.iter().map(|c| c.date).collect();
        // Thursday and Friday; the weekend is not a school day to close.
        assert_eq!(days, [d("2025-09-19"), d("2025-10-23"), d("2025-10-24")]);
        assert_eq!(t.taken.len(), 3);
        let e = terms_csv(
            "type,name,first day,last day\nterm,Autumn,31/02/2025,\nbreak,x,2025-01-01,\n",
        )
        .unwrap_err();
        assert_eq!(e[0].path, "line 2, \"first day\"");
        assert_eq!(e[1].path, "line 3, \"type\"");
        assert!(terms_csv("when,what\n").is_err());
    }

    #[test]
    fn an_ics_gives_terms_and_closures_inside_them_and_refuses_what_it_cannot_map() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//LA//Term dates//EN\r\n\
BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Autumn term\r\nDTSTART;VALUE=DATE:20250903\r\nDTEND;VALUE=DATE:20251220\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:Half term\r\nDTSTART;VALUE=DATE:20251027\r\nDTEND;VALUE=DATE:20251101\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:3\r\nDTSTAMP:20250101T000000Z\r\nSUMMARY:INSET day\r\nDTSTART;VALUE=DATE:20250903\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
        let t = terms_ics(ics).unwrap();
        assert_eq!(t.calendar.terms.len(), 1);
        assert_eq!(
            t.calendar.terms[0].end,
            d("2025-12-19"),
            "DTEND is exclusive"
        );
        assert_eq!(
            t.calendar.closure_days.len(),
            6,
            "five half-term weekdays and an INSET day"
        );
        let bad = ics.replace("SUMMARY:INSET day", "SUMMARY:Parents' evening");
        let e = terms_ics(&bad).unwrap_err();
        assert_eq!(e.len(), 1);
        assert!(e[0].path.starts_with("event 3"), "{e:?}");
        assert!(
            e[0].message
                .contains("cannot be taken as a term or a closure")
        );
        assert!(terms_ics("not a calendar").is_err());
    }
}
