//! The minutes people circulate: Markdown (for e-mail) and one self-contained HTML file (for
//! print on A4), both rendered from the same [`Minutes`] the JSON is, never recomputed.
//!
//! Both forms are laid out once, as a [`Doc`] of sections and blocks in words (outcomes,
//! categories, findings and statuses as the room reads them, never `allocate_school`), then
//! written by a renderer that escapes every text from the log or the caseload for its target:
//! HTML entities for `& < > " '`, Markdown backslashes for what would change formatting. A
//! control or bidirectional character never reaches either output raw: it is shown as a visible
//! `\u{..}` escape, spelled as on the terminal.

use std::fmt::Write as _;

use crate::domain::caseload::{CaseKind, Category};
use crate::domain::event::OptionShown;
use crate::domain::rules;
use crate::domain::text::is_unsafe;
use crate::io::minutes::{
    AttendanceStatus, ChangeKind, ClockInfo, ClockState, DecisionInfo, Minutes,
};

/// The minutes laid out: a title, an optional warning, then sections.
struct Doc {
    title: String,
    notice: Option<String>,
    sections: Vec<Section>,
}

struct Section {
    heading: String,
    /// Starts on a new page in print (each case does).
    new_page: bool,
    blocks: Vec<Block>,
}

enum Block {
    Sub(String),
    Para(String),
    /// Label and value pairs.
    Fields(Vec<(String, String)>),
    Items(Vec<String>),
    Table(Vec<String>, Vec<Vec<String>>),
}

fn section(heading: impl Into<String>, blocks: Vec<Block>) -> Section {
    Section {
        heading: heading.into(),
        new_page: false,
        blocks,
    }
}

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
    f.push(field(
        "Review date",
        d.review_date
            .map_or_else(|| "none".to_owned(), |r| r.long()),
    ));
    f.push(field("Reasons", d.reasons.clone()));
    if let Some(o) = &d.override_reason {
        f.push(field(
            "Why the panel went ahead despite a warning",
            o.clone(),
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
        vec![Block::Para("None.".to_owned())]
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
        b.push(Block::Items(eligibility_words(k.eligibility.as_ref())));
        b.push(Block::Sub("Decision".to_owned()));
        match &k.decision {
            Some(d) => decision_blocks(m, d, &mut b),
            None => b.push(Block::Para("No decision stands.".to_owned())),
        }
        if !k.history.is_empty() {
            b.push(Block::Sub("Earlier decisions, superseded".to_owned()));
            b.push(Block::Items(
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
            b.push(Block::Items(
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
            heading: format!("Case {}", k.reference),
            new_page: true,
            blocks: b,
        });
    }
    if m.cases_considered.is_empty() {
        sections.push(section(
            "Cases considered",
            vec![Block::Para("None.".to_owned())],
        ));
    }

    let places = if m.places_left.is_empty() {
        vec![Block::Para(
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
        between.push(Block::Para("None.".to_owned()));
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
        "The decision log",
        vec![Block::Fields(vec![
            field("Entries read", m.entries.to_string()),
            field("Last entry", m.log_entries.to_string()),
            field("Head hash", m.head_hash.clone()),
        ])],
    ));

    Doc {
        title: format!("Minutes: {}, {date}", m.panel.name),
        notice: m.notice.clone(),
        sections,
    }
}

/// Unsafe characters (controls, bidirectional overrides) as visible escapes, spelled as on the
/// terminal; newlines, tabs and carriage returns as spaces, so free text keeps its words on one
/// line. Like `crate::io::json` for JSON, each form encodes unsafe characters itself: it is the
/// form's own encoding of its text, done before it leaves through `cli::out` or a file.
fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\n' | '\r' | '\t') {
            out.push(' ');
        } else if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Text for HTML: `& < > " '` as entities, unsafe characters shown as escapes.
pub fn html_text(s: &str) -> String {
    let v = visible(s);
    let mut out = String::with_capacity(v.len() + 8);
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text for Markdown, inline or in a table cell: every character that could start emphasis,
/// code, a link, raw HTML, an entity or a cell break is backslash-escaped; a line's leading
/// markup (a heading, a list, a quote, a numbered item) is neutralised; unsafe characters are
/// shown as escapes and newlines become spaces.
pub fn md_text(s: &str) -> String {
    let v = visible(s);
    let v = v.trim_start();
    let mut out = String::with_capacity(v.len() + 8);
    for (i, c) in v.chars().enumerate() {
        let leading = i == 0 && matches!(c, '#' | '+' | '-' | '=' | '!' | ':');
        if leading
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    // "1. text" or "1) text" (or "1." alone) would start a numbered list; "0.25" would not.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let mut rest = out[digits..].chars();
    if digits > 0
        && matches!(rest.next(), Some('.' | ')'))
        && matches!(rest.next(), None | Some(' '))
    {
        out.insert(digits, '\\');
    }
    out
}

/// The minutes as Markdown, for e-mail: same content as the HTML and the JSON.
pub fn to_markdown(m: &Minutes) -> String {
    let doc = layout(m);
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md_text(&doc.title));
    if let Some(n) = &doc.notice {
        let _ = writeln!(o, "**{}**\n", md_text(n));
    }
    for s in &doc.sections {
        let _ = writeln!(o, "## {}\n", md_text(&s.heading));
        for b in &s.blocks {
            match b {
                Block::Sub(t) => {
                    let _ = writeln!(o, "### {}\n", md_text(t));
                }
                Block::Para(t) => {
                    let _ = writeln!(o, "{}\n", md_text(t));
                }
                Block::Fields(f) => {
                    for (l, v) in f {
                        let _ = writeln!(o, "- **{}:** {}", md_text(l), md_text(v));
                    }
                    o.push('\n');
                }
                Block::Items(items) => {
                    for i in items {
                        let _ = writeln!(o, "- {}", md_text(i));
                    }
                    o.push('\n');
                }
                Block::Table(head, rows) => {
                    let cells =
                        |r: &[String]| r.iter().map(|c| md_text(c)).collect::<Vec<_>>().join(" | ");
                    let _ = writeln!(o, "| {} |", cells(head));
                    let _ = writeln!(o, "|{}", "---|".repeat(head.len()));
                    for r in rows {
                        let _ = writeln!(o, "| {} |", cells(r));
                    }
                    o.push('\n');
                }
            }
        }
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

const CSS: &str = "@page { size: A4; margin: 18mm 16mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #000; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 6pt; }
h2 { font-size: 13pt; margin: 14pt 0 6pt; border-bottom: 1px solid #444; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; }
.notice { border: 2px solid #000; padding: 6pt; font-weight: bold; }
section.case, section.new-page { break-before: page; page-break-before: always; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 1px solid #666; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eee; }
tr, li, dt, dd { break-inside: avoid; page-break-inside: avoid; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2pt 8pt; margin: 4pt 0 8pt; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
";

/// The minutes as one self-contained HTML file: inline CSS, no scripts, nothing fetched; laid
/// out for A4, each case on a new page.
pub fn to_html(m: &Minutes) -> String {
    let doc = layout(m);
    let e = html_text;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        e(&doc.title),
        e(&doc.title)
    );
    if let Some(n) = &doc.notice {
        let _ = writeln!(o, "<p class=\"notice\">{}</p>", e(n));
    }
    for s in &doc.sections {
        let class = if s.heading.starts_with("Case ") && s.new_page {
            " class=\"case\""
        } else if s.new_page {
            " class=\"new-page\""
        } else {
            ""
        };
        let _ = writeln!(o, "<section{class}>\n<h2>{}</h2>", e(&s.heading));
        for b in &s.blocks {
            match b {
                Block::Sub(t) => {
                    let _ = writeln!(o, "<h3>{}</h3>", e(t));
                }
                Block::Para(t) => {
                    let _ = writeln!(o, "<p>{}</p>", e(t));
                }
                Block::Fields(f) => {
                    o.push_str("<dl>\n");
                    for (l, v) in f {
                        let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", e(l), e(v));
                    }
                    o.push_str("</dl>\n");
                }
                Block::Items(items) => {
                    o.push_str("<ul>\n");
                    for i in items {
                        let _ = writeln!(o, "<li>{}</li>", e(i));
                    }
                    o.push_str("</ul>\n");
                }
                Block::Table(head, rows) => {
                    o.push_str("<table>\n<thead><tr>");
                    for h in head {
                        let _ = write!(o, "<th>{}</th>", e(h));
                    }
                    o.push_str("</tr></thead>\n<tbody>\n");
                    for r in rows {
                        o.push_str("<tr>");
                        for c in r {
                            let _ = write!(o, "<td>{}</td>", e(c));
                        }
                        o.push_str("</tr>\n");
                    }
                    o.push_str("</tbody>\n</table>\n");
                }
            }
        }
        o.push_str("</section>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_covers_the_five_and_controls() {
        assert_eq!(
            html_text("<script>alert('x')</script> & \"q\"\u{1b}[2J"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\\u{1b}[2J"
        );
        assert_eq!(html_text("a\nb\u{202e}c"), "a b\\u{202e}c");
    }

    #[test]
    fn md_text_neutralises_markup_and_cells() {
        assert_eq!(md_text("a | b\nc"), "a \\| b c");
        assert_eq!(md_text("# not a heading"), "\\# not a heading");
        assert_eq!(md_text("- not a list"), "\\- not a list");
        assert_eq!(md_text("1. not a list"), "1\\. not a list");
        assert_eq!(md_text("*x* [l](u) <b>"), "\\*x\\* \\[l\\](u) \\<b\\>");
        assert_eq!(md_text("\u{7}bell"), "\\\\u{7}bell");
        assert_eq!(md_text("FA-2026-003"), "FA-2026-003");
        assert_eq!(md_text("0.25"), "0.25");
        assert_eq!(md_text("2)"), "2\\)");
    }
}
