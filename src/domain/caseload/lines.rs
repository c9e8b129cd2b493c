//! The caseload's one-line lists, as a person types them: the categories claimed
//! (`b: refuge letter; l: out since Jan`) and the in-year applications (`142594 2026-02-10
//! refused; 136777 2026-02-20 no place`). The late-referral form and a referral spreadsheet's
//! cells read and write them the same way. An error says which item is wrong and what it needs,
//! never what was typed: the evidence is about the child.

use crate::domain::caseload::{AppOutcome, Category, CategoryClaim, InYearApp};
use crate::domain::dates::Date;

/// The categories claimed, as one line: `b: refuge letter; l: out since Jan`.
pub fn categories_text(claims: &[CategoryClaim]) -> String {
    claims
        .iter()
        .map(|c| {
            if c.evidence.trim().is_empty() {
                c.code.letter().to_string()
            } else {
                format!("{}: {}", c.code.letter(), c.evidence.trim())
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The items of a one-line list separated by `;`, each with how a message names it ("the
/// claim", or "claim 2 of 3"): never by what was typed.
fn items<'a>(s: &'a str, noun: &str) -> Vec<(String, &'a str)> {
    let parts: Vec<&str> = s
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let n = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let which = if n == 1 {
                format!("the {noun}")
            } else {
                format!("{noun} {} of {n}", i + 1)
            };
            (which, part)
        })
        .collect()
}

/// Reads a categories line: claims separated by `;`, each a letter `a` to `m` (the Code's 3.17
/// categories), a colon and the evidence. A letter alone is a claim without evidence, which the
/// caseload's checks warn about.
pub fn parse_categories(s: &str) -> Result<Vec<CategoryClaim>, String> {
    items(s, "claim")
        .into_iter()
        .map(|(which, part)| {
            let mut chars = part.chars();
            let letter = chars.next().map(|c| c.to_ascii_lowercase());
            let code = Category::ALL
                .into_iter()
                .find(|c| Some(c.letter()) == letter)
                .ok_or_else(|| {
                    format!(
                        "{which} does not start with a category letter a to m (e.g. b: refuge letter)"
                    )
                })?;
            let rest = chars.as_str().trim_start();
            let evidence = match rest.strip_prefix(':') {
                Some(e) => e.trim().to_owned(),
                None if rest.is_empty() => String::new(),
                None => {
                    return Err(format!(
                        "{which} needs a colon after its letter ({}), then the evidence",
                        code.letter()
                    ));
                }
            };
            Ok(CategoryClaim { code, evidence })
        })
        .collect()
}

/// The words an application's outcome is written in on the applications line.
pub const APP_OUTCOMES: [(AppOutcome, &str); 5] = [
    (AppOutcome::Refused, "refused"),
    (AppOutcome::NoPlace, "no place"),
    (AppOutcome::Offered, "offered"),
    (AppOutcome::DeclinedByParent, "declined"),
    (AppOutcome::Pending, "pending"),
];

/// The in-year applications as one line: `142594 2026-02-10 refused; 136777 2026-02-20 no
/// place`.
pub fn applications_text(apps: &[InYearApp]) -> String {
    apps.iter()
        .map(|a| {
            let word = APP_OUTCOMES
                .iter()
                .find(|(o, _)| *o == a.outcome)
                .map_or("pending", |(_, w)| w);
            format!("{} {} {word}", a.urn, a.date)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reads an applications line: applications separated by `;`, each a school's URN, the date
/// applied (read by `date`, written as `date_form` says) and the outcome (refused, no place,
/// offered, declined, pending).
pub fn parse_applications(
    s: &str,
    date: impl Fn(&str) -> Option<Date>,
    date_form: &str,
) -> Result<Vec<InYearApp>, String> {
    items(s, "application")
        .into_iter()
        .map(|(which, part)| {
            let mut words = part.split_whitespace();
            let urn = words
                .next()
                .and_then(|w| w.parse::<u32>().ok())
                .filter(|u| (100_000..=999_999).contains(u))
                .ok_or_else(|| format!("{which} does not start with a school's six-digit URN"))?;
            let on = words.next().and_then(&date).ok_or_else(|| {
                format!("{which} needs the date applied after the URN, as {date_form}")
            })?;
            let rest = words.collect::<Vec<_>>().join(" ").to_lowercase();
            let outcome = APP_OUTCOMES
                .iter()
                .find(|(_, w)| *w == rest)
                .map(|(o, _)| *o)
                .ok_or_else(|| {
                    format!("{which} needs its outcome after the date: refused, no place, offered, declined or pending")
                })?;
            Ok(InYearApp {
                urn,
                date: on,
                outcome,
            })
        })
        .collect()
}
