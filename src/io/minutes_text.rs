//! The minutes people circulate: Markdown (for e-mail), one self-contained HTML file (for print
//! on A4) and a Word document, all rendered from the same [`Minutes`] the JSON is, never
//! recomputed. They are laid out once, as a [`Doc`] of sections and blocks in words (outcomes,
//! categories, findings and statuses as the room reads them, never `allocate_school`); the
//! renderers in `crate::io::doc` escape every text for their target.

use std::fmt::Write as _;

use crate::domain::caseload::{CaseKind, Category};
use crate::domain::event::{OptionShown, Outcome};
use crate::domain::rules;
use crate::io::doc::{self, Block, Doc, Section, section};
use crate::io::minutes::{
    AttendanceStatus, ChangeKind, ClockInfo, ClockState, DecisionInfo, Minutes,
};

fn field(label: &str, value: impl Into<String>) -> (String, String) {
    (label.to_owned(), value.into())
}

fn school(m: &Minutes, urn: u32) -> String {
    match m.schools.iter().find(|s| s.urn == urn) {
        Some(s) => format!("{} (URN {urn})", s.name),
        None => format!("URN {urn} (not in the caseload's schools)"),
    }
}

fn list_or(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join(", ")
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn status_words(s: AttendanceStatus) -> &'static str {
    match s {
        AttendanceStatus::Present => "present",
        AttendanceStatus::Apologies => "apologies",
        AttendanceStatus::ArrivedLate => "arrived late",
        AttendanceStatus::Left => "left",
        AttendanceStatus::InvitedAbsent => "invited, absent",
        AttendanceStatus::NotRecorded => "not recorded",
    }
}

fn kind_words(k: Option<CaseKind>) -> String {
    k.map_or_else(
        || "not in the meeting's caseload".to_owned(),
        |k| {
            let l = k.label();
            let mut c = l.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        },
    )
}

fn category_words(letters: &[String]) -> String {
    let words: Vec<String> = letters
        .iter()
        .map(
            |l| match Category::ALL.iter().find(|c| l.starts_with(c.letter())) {
                Some(c) => format!("({l}) {}", c.label()),
                None => format!("({l})"),
            },
        )
        .collect();
    list_or(&words, "none claimed")
}

fn eligibility_words(e: Option<&Vec<String>>) -> Vec<String> {
    match e {
        None => vec!["does not apply (not a Fair Access case at a Fair Access panel)".to_owned()],
        Some(names) if names.is_empty() => vec!["eligible for Fair Access".to_owned()],
        Some(names) => names
            .iter()
            .map(|n| match rules::ALL.iter().find(|r| r.name == n.as_str()) {
                Some(r) => format!("not eligible: {}", r.summary),
                None => format!("not eligible ({n})"),
            })
            .collect(),
    }
}

fn clock_words(c: &ClockInfo) -> String {
    let state = match c.state {
        ClockState::Running => "on time",
        ClockState::Warning => "due soon",
        ClockState::Overdue => "overdue",
        ClockState::NotAgreed => "not started: the panel has not agreed to consider the case",
        ClockState::Unknown => "not known: the calendar does not cover the dates",
        ClockState::Stopped => "stopped: a decision placed the child or closed the case",
    };
    match (c.school_days_since_agreed, c.left) {
        (Some(days), Some(left)) if left >= 0 => {
            format!("{days} of {} school days, {left} left; {state}", c.aim)
        }
        (Some(days), Some(left)) => format!(
            "{days} of {} school days, {} past the aim; {state}",
            c.aim, -left
        ),
        (Some(days), None) => format!("{days} school days (aim {}); {state}", c.aim),
        _ => format!("aim {} school days; {state}", c.aim),
    }
}

fn option_rows(m: &Minutes, options: &[OptionShown]) -> Vec<Vec<String>> {
    options
        .iter()
        .map(|o| {
            vec![
                o.rank.to_string(),
                school(m, o.urn),
                o.in_year_group.to_string(),
                o.per_100_on_roll.clone().unwrap_or_else(|| "-".to_owned()),
                o.this_year.to_string(),
                o.cap.map_or_else(|| "-".to_owned(), |c| c.to_string()),
                o.distance_km.clone().unwrap_or_else(|| "-".to_owned()),
                if o.chosen { "chosen" } else { "" }.to_owned(),
            ]
        })
        .collect()
}

const OPTION_HEAD: [&str; 8] = [
    "Rank",
    "School",
    "FA placements in year group",
    "Per 100 on roll",
    "This year",
    "Cap",
    "Distance (km)",
    "Chosen",
];

/// A decision's fields and its options table.
fn decision_blocks(m: &Minutes, d: &DecisionInfo, out: &mut Vec<Block>) {
    let mut f = vec![field("Outcome", d.outcome.label())];
    if let Some(urn) = d.urn {
        f.push(field("School", school(m, urn)));
    }
    if let Some(y) = d.year_group {
        f.push(field("Year group on start", y.to_string()));
    }
    if let Some(s) = d.start_date {
        f.push(field("Start", s.long()));
    }
    if let Some(p) = &d.package {
        f.push(field("Package", p.clone()));
    }
    if d.reduced_timetable {
        f.push(field("Reduced timetable", "yes"));
    }
    if d.outcome == Outcome::DeferMoreInfo {
        f.push(field(
            "Comes back",
            match d.comes_back {
                Some(day) if Some(day) == m.next_meeting => {
                    format!("{} (the next meeting)", day.long())
                }
                Some(day) => day.long(),
                None => "at the next meeting (its date is not yet set)".to_owned(),
            },
        ));
        f.push(field("Asked for", d.reasons.clone()));
    } else {
        f.push(field(
            "Review date",
            d.review_date
                .map_or_else(|| "none".to_owned(), |r| r.long()),
        ));
        f.push(field("Reasons", d.reasons.clone()));
    }
    if let Some(o) = &d.override_reason {
        f.push(field(
            "Why the panel went ahead despite a warning",
            o.clone(),
        ));
    }
    if !d.actions.is_empty() {
        f.push(field(
            "Actions",
            d.actions
                .iter()
                .map(|a| match a.by {
                    Some(by) => format!("{}: {} (by {})", a.owner, a.what, by.long()),
                    None => format!("{}: {}", a.owner, a.what),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    f.push(field("Agreed by", list_or(&d.agreed_by, "nobody recorded")));
    f.push(field("Dissented", list_or(&d.dissent, "none")));
    f.push(field(
        "Taken",
        format!(
            "{} (log entry {}, recorded {})",
            if d.outside_meeting {
                "between meetings"
            } else {
                "at the meeting"
            },
            d.entry_id,
            d.recorded_at
        ),
    ));
    out.push(Block::Fields(f));
    if !d.options_considered.is_empty() {
        out.push(Block::Sub("Options considered".to_owned()));
        out.push(Block::Table(
            OPTION_HEAD.iter().map(|s| (*s).to_owned()).collect(),
            option_rows(m, &d.options_considered),
        ));
    }
}

fn layout(m: &Minutes) -> Doc {
    let date = m.meeting_date.long();
    let mut sections = Vec::new();

    let revision = m.caseload_revisions.last().map_or_else(String::new, |r| {
        format!("revision {} (SHA-256 {})", r.revision, r.sha256)
    });
    sections.push(section(
        "Meeting",
        vec![Block::Fields(vec![
            field(
                "Panel",
                format!("{} ({})", m.panel.name, m.panel.kind.label()),
            ),
            field(
                "Local authority",
                format!("{} ({})", m.panel.la_name, m.panel.la_code),
            ),
            field("Date", date.clone()),
            field(
                "Venue",
                m.venue.clone().unwrap_or_else(|| "not recorded".to_owned()),
            ),
            field(
                "Started",
                m.starts_at
                    .clone()
                    .unwrap_or_else(|| "not recorded".to_owned()),
            ),
            field(
                "Next meeting",
                m.next_meeting
                    .map_or_else(|| "not yet set".to_owned(), |d| d.long()),
            ),
            field("Caseload", revision),
        ])],
    ));

    let rows = m
        .attendance
        .iter()
        .map(|a| {
            let mut note = Vec::new();
            if let Some(j) = &a.joined {
                note.push(match &j.substitute_for {
                    Some(s) => format!("substitute for {s}"),
                    None => "guest".to_owned(),
                });
                if let Some(urn) = j.urn {
                    note.push(format!("for {}", school(m, urn)));
                }
            }
            if let Some(t) = &a.arrived {
                note.push(format!("arrived {t}"));
            }
            if let Some(t) = &a.left {
                note.push(format!("left {t}"));
            }
            vec![
                a.member.clone(),
                a.organisation.clone().unwrap_or_default(),
                a.role.clone().unwrap_or_default(),
                yes_no(a.can_decide).to_owned(),
                status_words(a.status).to_owned(),
                note.join("; "),
            ]
        })
        .collect();
    let q = &m.quorum;
    sections.push(section(
        "Attendance",
        vec![
            Block::Table(
                [
                    "Name",
                    "Organisation",
                    "Role",
                    "Can decide",
                    "Attendance",
                    "Notes",
                ]
                .map(str::to_owned)
                .to_vec(),
                rows,
            ),
            Block::Fields(vec![
                field("Apologies", list_or(&m.apologies, "none")),
                field(
                    "Quorum",
                    format!(
                        "{}: {} present (needs {}), {} who can decide (needs {})",
                        if q.quorate { "quorate" } else { "NOT quorate" },
                        q.present,
                        q.needed_present,
                        q.can_decide,
                        q.needed_can_decide
                    ),
                ),
            ]),
        ],
    ));

    let declarations = if m.declarations.is_empty() {
        vec![Block::para("None.".to_owned())]
    } else {
        vec![Block::Table(
            ["Member", "Case", "Interest", "Withdrew"]
                .map(str::to_owned)
                .to_vec(),
            m.declarations
                .iter()
                .map(|d| {
                    vec![
                        d.member.clone(),
                        d.case_ref.clone(),
                        d.interest.clone(),
                        yes_no(d.withdrew).to_owned(),
                    ]
                })
                .collect(),
        )]
    };
    sections.push(section("Declarations of interest", declarations));

    for k in &m.cases_considered {
        let mut b = Vec::new();
        let mut f = Vec::new();
        if let Some(p) = &k.pupil {
            f.push(field(
                "Pupil (LA internal copy)",
                format!(
                    "{} {}, born {}, UPN {}",
                    p.given_name,
                    p.family_name,
                    p.date_of_birth.long(),
                    p.upn.as_deref().unwrap_or("none")
                ),
            ));
        }
        f.push(field("Kind", kind_words(k.kind)));
        f.push(field(
            "Year group",
            k.year_group
                .map_or_else(|| "not known".to_owned(), |y| y.to_string()),
        ));
        f.push(field("Categories", category_words(&k.categories)));
        f.push(field(
            "Agreed to consider",
            k.agreed_to_consider
                .map_or_else(|| "not agreed".to_owned(), |d| d.long()),
        ));
        f.push(field("Clock", clock_words(&k.clock)));
        b.push(Block::Fields(f));
        b.push(Block::Sub("Eligibility".to_owned()));
        b.push(Block::items(eligibility_words(k.eligibility.as_ref())));
        b.push(Block::Sub("Decision".to_owned()));
        match &k.decision {
            Some(d) => decision_blocks(m, d, &mut b),
            None => b.push(Block::para("No decision stands.".to_owned())),
        }
        if !k.history.is_empty() {
            b.push(Block::Sub("Earlier decisions, superseded".to_owned()));
            b.push(Block::items(
                k.history
                    .iter()
                    .map(|h| {
                        let mut s = format!("Entry {}: {}", h.entry_id, h.outcome.label());
                        if let Some(urn) = h.urn {
                            let _ = write!(s, ", {}", school(m, urn));
                        }
                        if let Some(by) = h.superseded_by {
                            let _ = write!(s, "; replaced by entry {by}");
                        }
                        if let Some(r) = &h.correction_reason {
                            let _ = write!(s, "; corrected because: {r}");
                        }
                        s
                    })
                    .collect(),
            ));
        }
        if !k.changes.is_empty() {
            b.push(Block::Sub("Changes to the case at the meeting".to_owned()));
            b.push(Block::items(
                k.changes
                    .iter()
                    .map(|c| match (c.change, &c.reason) {
                        (ChangeKind::CaseAdded, _) => {
                            format!("Case added (late referral), entry {}", c.entry_id)
                        }
                        (ChangeKind::CaseAmended, Some(r)) => {
                            format!("Case amended, entry {}: {r}", c.entry_id)
                        }
                        (ChangeKind::CaseAmended, None) => {
                            format!("Case amended, entry {}", c.entry_id)
                        }
                    })
                    .collect(),
            ));
        }
        sections.push(Section {
            heading: Some(format!("Case {}", k.reference)),
            new_page: true,
            blocks: b,
        });
    }
    if m.cases_considered.is_empty() {
        sections.push(section(
            "Cases considered",
            vec![Block::para("None.".to_owned())],
        ));
    }

    let places = if m.places_left.is_empty() {
        vec![Block::para(
            "The caseload lists no pools of places.".to_owned(),
        )]
    } else {
        vec![Block::Table(
            [
                "Provision",
                "Group",
                "Offered",
                "Used before",
                "Taken at the meeting",
                "Free",
            ]
            .map(str::to_owned)
            .to_vec(),
            m.places_left
                .iter()
                .map(|p| {
                    vec![
                        school(m, p.urn),
                        p.group.to_string(),
                        p.offered.to_string(),
                        p.used_before.to_string(),
                        p.taken_at_meeting.to_string(),
                        p.free.to_string(),
                    ]
                })
                .collect(),
        )]
    };
    let mut places_section = section("Places left", places);
    places_section.new_page = !m.cases_considered.is_empty();
    sections.push(places_section);

    let mut between = Vec::new();
    for d in &m.decided_between_meetings {
        between.push(Block::Sub(format!(
            "{}, decided {}{}",
            d.reference,
            d.decided_on
                .map_or_else(|| "on a day not recorded".to_owned(), |x| x.long()),
            if d.stands { "" } else { " (since replaced)" }
        )));
        decision_blocks(m, &d.decision, &mut between);
    }
    if between.is_empty() {
        between.push(Block::para("None.".to_owned()));
    }
    sections.push(section("Decisions taken between meetings", between));

    sections.push(section(
        "Carried forward",
        vec![Block::Fields(vec![
            field(
                "Cases for the next meeting",
                list_or(&m.carried_forward, "none"),
            ),
            field(
                "Of those, past the 20-school-day aim",
                list_or(&m.overdue, "none"),
            ),
        ])],
    ));

    sections.push(section(
        "Actions",
        if m.actions.is_empty() {
            vec![Block::para("None.")]
        } else {
            vec![Block::Table(
                ["Case", "Action", "Owner", "By"]
                    .map(str::to_owned)
                    .to_vec(),
                m.actions
                    .iter()
                    .map(|a| {
                        vec![
                            a.reference.clone(),
                            a.what.clone(),
                            a.owner.clone(),
                            a.by.map_or_else(|| "not set".to_owned(), |d| d.long()),
                        ]
                    })
                    .collect(),
            )]
        },
    ));

    sections.push(section(
        "The decision log",
        vec![Block::Fields(vec![
            field("Entries read", m.entries.to_string()),
            field("Last entry", m.log_entries.to_string()),
            field("Head hash", m.head_hash.clone()),
        ])],
    ));

    let title = format!("Minutes: {}, {date}", m.panel.name);
    Doc {
        running_head: title.clone(),
        title,
        notice: m.notice.clone(),
        sections,
        dated: m.meeting_date.to_string(),
        show_title: true,
    }
}

/// The minutes as Markdown, for e-mail: same content as the HTML, the Word file and the JSON.
pub fn to_markdown(m: &Minutes) -> String {
    doc::to_markdown(&layout(m))
}

/// The minutes as one self-contained HTML file: inline CSS, no scripts, nothing fetched; laid
/// out for A4, each case on a new page.
pub fn to_html(m: &Minutes) -> String {
    doc::to_html(&layout(m))
}

/// The minutes as a Word document, each case on a new page.
pub fn to_docx(m: &Minutes) -> Result<Vec<u8>, std::io::Error> {
    doc::to_docx(&layout(m))
}
