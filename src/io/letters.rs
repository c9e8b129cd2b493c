//! `fairpanel letters`: a letter or notice from a decision, read from the log (the decision, the
//! case and its contacts as the meeting's caseload held them), written from a Markdown template
//! the LA can edit (minijinja; embedded defaults in `templates/letters/`) and laid out by
//! `crate::io::doc` as Word, HTML or Markdown. Letters name the child by necessity: they are
//! written only on request, to an owner-only file.

use std::path::{Path, PathBuf};

use minijinja::{Environment, UndefinedBehavior, Value};
use pulldown_cmark::{Event as Md, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::domain::calendar::SchoolCalendar;
use crate::domain::caseload::{Case, Caseload};
use crate::domain::dates::Date;
use crate::domain::event::{Decision, Event, Outcome};
use crate::domain::letters::{self, LetterKind};
use crate::domain::meeting::Meeting;
use crate::domain::state::Here;
use crate::domain::year_group::YearGroup;
use crate::io::doc::{Block, Doc, Inline, Section, md_text};
use crate::log::store::{LogError, Store};

/// The embedded templates, by kind.
pub fn default_template(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::SchoolAllocation => {
            include_str!("../../templates/letters/school-allocation.md")
        }
        LetterKind::ParentAllocation => {
            include_str!("../../templates/letters/parent-allocation.md")
        }
        LetterKind::DirectionNotice => include_str!("../../templates/letters/direction-notice.md"),
        LetterKind::AcademyDirectionRequest => {
            include_str!("../../templates/letters/academy-direction-request.md")
        }
    }
}

/// What a letter is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub case_ref: String,
    pub kind: LetterKind,
    /// The letter's date (the day it is sent): deadlines count from it.
    pub date: Date,
    /// Which of the pupil's contacts a family letter goes to (0 = the first).
    pub contact: usize,
    /// A folder of templates the LA has edited: `KIND.md` there replaces the embedded one.
    pub templates: Option<PathBuf>,
    /// For a request to the Secretary of State: the academy's reasons and the LA's response.
    pub academy_reasons: Option<String>,
    pub la_response: Option<String>,
}

/// Why a letter could not be written. Messages name what to fill in, never a pupil's value.
#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error(transparent)]
    Log(#[from] LogError),
    /// Bad input: the case, the decision, a missing field or option.
    #[error("{0}")]
    Input(String),
    #[error("{}: cannot read the template: {source}; check the --templates folder", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A template the LA edited does not render: its name, line and what is wrong.
    #[error("{0}")]
    Template(String),
}

#[derive(Serialize)]
struct LaContactCtx {
    name: String,
    role: String,
    address_lines: Vec<String>,
    phone: Option<String>,
    email: Option<String>,
}

#[derive(Serialize)]
struct Ctx {
    la: LaCtx,
    panel: PanelCtx,
    letter: LetterCtx,
    case: CaseCtx,
    pupil: PupilCtx,
    school: Option<SchoolCtx>,
    decision: DecisionCtx,
    to: Option<ToCtx>,
    deadlines: Vec<DeadlineCtx>,
    request: RequestCtx,
}

#[derive(Serialize)]
struct LaCtx {
    name: String,
    code: u16,
    contact: LaContactCtx,
}

#[derive(Serialize)]
struct PanelCtx {
    name: String,
}

#[derive(Serialize)]
struct LetterCtx {
    date: String,
    kind: String,
}

#[derive(Serialize)]
struct CaseCtx {
    #[serde(rename = "ref")]
    reference: String,
}

#[derive(Serialize)]
struct PupilCtx {
    given_name: String,
    family_name: String,
    full_name: String,
    date_of_birth: String,
    upn: Option<String>,
    year_group: Option<String>,
}

#[derive(Serialize)]
struct SchoolCtx {
    urn: u32,
    name: String,
    postcode: Option<String>,
    academy: bool,
}

#[derive(Serialize)]
struct DecisionCtx {
    outcome: String,
    /// "a school place", "an interim alternative provision place", "a managed move".
    outcome_sentence: String,
    kind: String,
    decided_on: String,
    start_date: Option<String>,
    review_date: Option<String>,
    package: Option<String>,
    reasons: String,
    year_group: Option<String>,
}

#[derive(Serialize)]
struct ToCtx {
    name: String,
    relationship: Option<String>,
    address_lines: Vec<String>,
}

#[derive(Serialize)]
struct DeadlineCtx {
    date: String,
    what: String,
    source: String,
}

#[derive(Serialize)]
struct RequestCtx {
    academy_reasons: Option<String>,
    la_response: Option<String>,
}

fn input(s: impl Into<String>) -> LetterError {
    LetterError::Input(s.into())
}

/// An address as lines: new lines, else commas, split it.
fn lines(address: &str) -> Vec<String> {
    let sep = if address.contains('\n') { '\n' } else { ',' };
    address
        .split(sep)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn sentence(o: Outcome) -> &'static str {
    match o {
        Outcome::AllocateApInterim => "an interim place in alternative provision",
        Outcome::ManagedMoveAgreed => "a managed move",
        Outcome::ReviewReintegrated => "a place to return to mainstream school",
        _ => "a school place",
    }
}

/// The standing decision on the case, the meeting's view it stands in, and the case.
fn decision_and_case(
    store: &Store,
    case_ref: &str,
) -> Result<(Meeting, Decision, Case), LetterError> {
    let verified = store.verify()?;
    let head = verified.entries as i64;
    let entries = store.entries_for_case(case_ref)?;
    let Some(last) = entries
        .iter()
        .rev()
        .find(|e| matches!(e.event, Event::Decision(_)))
    else {
        let listed = crate::io::history::latest_caseload_with(store, case_ref)?.is_some();
        return Err(input(if entries.is_empty() && !listed {
            "--case: the log holds no case with this reference; check the reference".to_owned()
        } else {
            "--case: the log holds no decision on this case yet; a letter is written from a decision".to_owned()
        }));
    };
    let row = store
        .meetings()?
        .into_iter()
        .find(|m| m.id == last.meeting_id)
        .ok_or_else(|| input("--case: the decision's meeting is not in the log"))?;
    let (_, latest) = crate::io::minutes::revisions(store, &row, head)?;
    let caseload: Caseload = latest.caseload;
    let upto = match &last.event {
        Event::Decision(d) => d.decided_on.map_or(caseload.panel.meeting_date, |d| {
            d.max(caseload.panel.meeting_date)
        }),
        _ => caseload.panel.meeting_date,
    };
    let history = store.history_until(&caseload, Some(case_ref), Some(row.id), upto, head)?;
    let logged = entries.iter().rev().find_map(|e| match &e.event {
        Event::CaseAdded { case } | Event::CaseAmended { case, .. } => Some((**case).clone()),
        _ => None,
    });
    let m = Meeting::resume(caseload, Here::Meeting(row.id), history);
    let case = m
        .case_index(case_ref)
        .and_then(|i| m.case(i))
        .cloned()
        .or(logged)
        .ok_or_else(|| input("--case: the meeting's caseload does not hold this case"))?;
    let decision = m
        .state()
        .current_decision(case_ref)
        .map(|(_, d)| d.clone())
        .ok_or_else(|| {
            input("--case: no decision on this case stands (each was corrected or replaced)")
        })?;
    Ok((m, decision, case))
}

/// The template for `kind`: the LA's own from `--templates`, else the embedded default.
fn template(req: &Request) -> Result<(String, String), LetterError> {
    let name = format!("{}.md", req.kind.slug());
    if let Some(dir) = &req.templates {
        let path = dir.join(&name);
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| LetterError::Read { path, source: e })?;
            return Ok((name, text));
        }
    }
    Ok((name, default_template(req.kind).to_owned()))
}

/// Renders `source` with values escaped for Markdown, line by line (an address keeps its lines).
/// A value the template names that the letter does not have is an error, never a blank.
fn render(name: &str, source: &str, ctx: &Ctx) -> Result<String, LetterError> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_formatter(|out, _state, value| {
        let text = if value.is_none() {
            String::new()
        } else {
            value.to_string()
        };
        let escaped: Vec<String> = text.split('\n').map(md_text).collect();
        out.write_str(&escaped.join("\n"))
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
    });
    let fail = |e: minijinja::Error| {
        let at = e
            .line()
            .map_or_else(String::new, |l| format!(" (line {l})"));
        LetterError::Template(format!(
            "template {name}{at}: {}; correct the template or remove it to use the default",
            e.detail()
                .map_or_else(|| e.kind().to_string(), str::to_owned)
        ))
    };
    env.add_template_owned(name.to_owned(), source.to_owned())
        .map_err(fail)?;
    let t = env.get_template(name).map_err(fail)?;
    t.render(Value::from(minijinja::value::Serde(ctx)))
        .map_err(fail)
}

/// The rendered Markdown as the document's blocks: headings, paragraphs (a single new line is a
/// line break: addresses), lists, bold and italic. Raw HTML is shown as text, never obeyed.
fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut runs: Vec<Inline> = Vec::new();
    let mut items: Vec<Vec<Inline>> = Vec::new();
    let (mut bold, mut italic, mut in_heading, mut in_item) = (false, false, false, false);
    let text = |runs: &mut Vec<Inline>, t: &str, bold: bool, italic: bool| {
        runs.push(Inline::Text {
            text: t.to_owned(),
            bold,
            italic,
        });
    };
    for ev in Parser::new_ext(markdown, Options::empty()) {
        match ev {
            Md::Start(Tag::Heading { .. }) => in_heading = true,
            Md::End(TagEnd::Heading(_)) => {
                in_heading = false;
                let t: String = runs
                    .drain(..)
                    .map(|r| match r {
                        Inline::Text { text, .. } => text,
                        Inline::Break => " ".to_owned(),
                    })
                    .collect();
                out.push(Block::Sub(t));
            }
            Md::Start(Tag::Item) => in_item = true,
            Md::End(TagEnd::Item) => {
                in_item = false;
                items.push(std::mem::take(&mut runs));
            }
            Md::End(TagEnd::List(_)) => out.push(Block::Items(std::mem::take(&mut items))),
            Md::End(TagEnd::Paragraph) if !in_item && !in_heading => {
                out.push(Block::Para(std::mem::take(&mut runs)));
            }
            Md::Start(Tag::Strong) => bold = true,
            Md::End(TagEnd::Strong) => bold = false,
            Md::Start(Tag::Emphasis) => italic = true,
            Md::End(TagEnd::Emphasis) => italic = false,
            Md::Text(t) | Md::Code(t) | Md::Html(t) | Md::InlineHtml(t) => {
                text(&mut runs, &t, bold, italic);
            }
            Md::SoftBreak | Md::HardBreak => runs.push(Inline::Break),
            _ => {}
        }
    }
    if !runs.is_empty() {
        out.push(Block::Para(runs));
    }
    out
}

/// The letter laid out, ready for `crate::io::doc` to write, or why it cannot be written.
pub fn build(store: &Store, req: &Request) -> Result<Doc, LetterError> {
    let (m, d, case) = decision_and_case(store, &req.case_ref)?;
    let c = m.caseload();
    let school = d.urn.and_then(|u| c.schools.iter().find(|s| s.urn == u));
    letters::applies(req.kind, &d, school)
        .map_err(|why| input(format!("--kind {}: {why}", req.kind.slug())))?;
    let contact = c.panel.contact.as_ref().ok_or_else(|| {
        input("panel.contact: the caseload names no LA contact for letters; add panel.contact (name, role, address, phone, email) to the caseload and open it again, or record with it")
    })?;
    let to = if req.kind.to_family() {
        let Some(p) = case.pupil.contacts.get(req.contact) else {
            return Err(input(format!(
                "pupil.contacts[{}] of case {}: the caseload holds {} contact(s) for this pupil; add the parent's or carer's name and address (caseload pupil.contacts, or the referral sheet's contact columns)",
                req.contact,
                req.case_ref,
                case.pupil.contacts.len()
            )));
        };
        let Some(address) = p.address.as_deref().filter(|a| !a.trim().is_empty()) else {
            return Err(input(format!(
                "pupil.contacts[{}].address of case {}: the address is missing; fill it in before writing to the family",
                req.contact, req.case_ref
            )));
        };
        Some(ToCtx {
            name: p.name.clone(),
            relationship: p.relationship.clone(),
            address_lines: lines(address),
        })
    } else {
        None
    };
    let request = RequestCtx {
        academy_reasons: req.academy_reasons.clone(),
        la_response: req.la_response.clone(),
    };
    if req.kind == LetterKind::AcademyDirectionRequest {
        for (flag, v) in [
            ("--academy-reasons", &request.academy_reasons),
            ("--la-response", &request.la_response),
        ] {
            if v.as_deref().is_none_or(|t| t.trim().is_empty()) {
                return Err(input(format!(
                    "{flag}: a request to the Secretary of State must give the academy's reasons and the LA's response; add {flag} \"…\""
                )));
            }
        }
    }
    let cal = SchoolCalendar::new(&c.calendar);
    let decided_on = d.decided_on.unwrap_or(c.panel.meeting_date);
    let agreed = m
        .case_index(&req.case_ref)
        .and_then(|i| m.facts(i))
        .and_then(|f| f.agreed);
    // A request to the Secretary of State counts the academy's days from the decision that
    // asked it; every other letter from its own date.
    let from = if req.kind == LetterKind::AcademyDirectionRequest {
        decided_on
    } else {
        req.date
    };
    let deadlines = letters::deadlines(
        req.kind,
        from,
        agreed,
        c.panel.settings.clock_school_days,
        &cal,
    )
    .into_iter()
    .map(|x| DeadlineCtx {
        date: x.date.long(),
        what: x.what.to_owned(),
        source: x.source.to_owned(),
    })
    .collect();
    let year = |on: Date| YearGroup::on(case.pupil.date_of_birth, on).map(|y| y.to_string());
    let ctx = Ctx {
        la: LaCtx {
            name: c.panel.la_name.clone(),
            code: c.panel.la_code,
            contact: LaContactCtx {
                name: contact.name.clone(),
                role: contact.role.clone(),
                address_lines: lines(&contact.address),
                phone: contact.phone.clone(),
                email: contact.email.clone(),
            },
        },
        panel: PanelCtx {
            name: c.panel.name.clone(),
        },
        letter: LetterCtx {
            date: req.date.long(),
            kind: req.kind.label().to_owned(),
        },
        case: CaseCtx {
            reference: req.case_ref.clone(),
        },
        pupil: PupilCtx {
            given_name: case.pupil.given_name.clone(),
            family_name: case.pupil.family_name.clone(),
            full_name: format!("{} {}", case.pupil.given_name, case.pupil.family_name),
            date_of_birth: case.pupil.date_of_birth.long(),
            upn: case.pupil.upn.clone(),
            year_group: year(req.date),
        },
        school: school.map(|s| SchoolCtx {
            urn: s.urn,
            name: s.name.clone(),
            postcode: s.postcode.clone(),
            academy: letters::is_academy(s),
        }),
        decision: DecisionCtx {
            outcome: d.outcome.label().to_owned(),
            outcome_sentence: sentence(d.outcome).to_owned(),
            kind: case.kind.label().to_owned(),
            decided_on: decided_on.long(),
            start_date: d.start_date.map(Date::long),
            review_date: d.review_date.map(Date::long),
            package: d.package.clone(),
            reasons: d.reasons.clone(),
            year_group: d
                .year_group
                .map(|y| y.to_string())
                .or_else(|| year(d.start_date.unwrap_or(decided_on))),
        },
        to,
        deadlines,
        request,
    };
    let (name, source) = template(req)?;
    let markdown = render(&name, &source, &ctx)?;
    let title = format!("{}: {}", capitalised(req.kind.label()), req.case_ref);
    Ok(Doc {
        running_head: format!("{} · {} · {}", c.panel.la_name, title, req.date.long()),
        title,
        notice: None,
        sections: vec![Section {
            heading: None,
            new_page: false,
            blocks: blocks(&markdown),
        }],
        dated: req.date.to_string(),
        show_title: false,
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Writes the embedded templates into `dir` (created 0700), never over a file already there
/// (an LA's edits are kept); returns what was written.
pub fn write_defaults(dir: &Path) -> Result<Vec<PathBuf>, std::io::Error> {
    crate::log::store::create_private_dir(dir)?;
    let mut written = Vec::new();
    for k in LetterKind::ALL {
        let path = dir.join(format!("{}.md", k.slug()));
        if path.exists() {
            continue;
        }
        crate::io::files::write_atomic(&path, default_template(k).as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
