//! `fairpanel report` and `export` read here: one or several panels' logs, each verified, the
//! same chain given twice (or a copy and the log it was copied from) read once, each panel's
//! meetings, caseloads and entries handed to the domain ([`crate::domain::figures`]), and the
//! report written as Markdown, HTML, CSV or JSON (docs/report.md).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::domain::dates::Date;
use crate::domain::event::Entry;
use crate::domain::figures::{self, PanelFacts, PanelLog, Period};
use crate::domain::report::Report;
use crate::domain::story;
use crate::io::doc::{html_text, md_text};
use crate::log::store::{LogError, Store};

/// Why the logs could not be read together.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(transparent)]
    Log(#[from] LogError),
    /// Two copies of one log that differ: neither can be trusted to be the panel's.
    #[error(
        "{} and {}: copies of one log that differ from entry {at}; give only the log the panel kept writing to",
        .a.display(), .b.display()
    )]
    Fork { a: PathBuf, b: PathBuf, at: usize },
}

/// One log's verified entries.
struct Chain {
    path: PathBuf,
    store: Store,
    entries: Vec<Entry>,
}

/// What was read, and anything the reader should know about it.
pub struct Read {
    pub panels: Vec<PanelFacts>,
    /// Logs read once although given more than once, or copies within another log.
    pub notes: Vec<String>,
}

/// Reads `logs` for `period`: every chain verified, the same chain counted once, each panel's
/// rows. A log with no meeting up to the period's end adds nothing.
pub fn read(logs: &[PathBuf], period: Period) -> Result<Read, ReadError> {
    // Each log read and checked on its own thread (logs are independent files).
    let opened: Vec<Result<Chain, LogError>> = in_parallel(logs.to_vec(), |path| {
        let store = Store::open_reader(&path)?;
        let entries = store.entries_checked()?;
        Ok(Chain {
            path,
            store,
            entries,
        })
    });
    let mut chains: Vec<Chain> = Vec::new();
    let mut notes = Vec::new();
    for chain in opened {
        let Chain {
            path,
            store,
            entries,
        } = chain?;
        let path = &path;
        let Some(first) = entries.first().map(|e| e.hash.clone()) else {
            notes.push(format!("{}: the log holds no entry", path.display()));
            continue;
        };
        // The same chain: one is the other, or the start of it (a copy made earlier).
        if let Some(i) = chains
            .iter()
            .position(|c| c.entries.first().is_some_and(|e| e.hash == first))
        {
            let other = &chains[i];
            let n = other.entries.len().min(entries.len());
            if let Some(at) = (0..n).find(|&k| other.entries[k].hash != entries[k].hash) {
                return Err(ReadError::Fork {
                    a: other.path.clone(),
                    b: path.clone(),
                    at: at + 1,
                });
            }
            notes.push(format!(
                "{} and {}: one log given twice (or a copy of it); each entry is counted once",
                other.path.display(),
                path.display()
            ));
            if entries.len() > other.entries.len() {
                chains[i] = Chain {
                    path: path.clone(),
                    store,
                    entries,
                };
            }
            continue;
        }
        chains.push(Chain {
            path: path.clone(),
            store,
            entries,
        });
    }
    let per_chain: Vec<(PathBuf, Result<Vec<PanelFacts>, LogError>)> =
        in_parallel(chains, |chain| {
            let path = chain.path.clone();
            let facts = panel_logs(chain, period).map(|logs| {
                logs.into_iter()
                    .map(|log| figures::panel_facts(log, period))
                    .collect()
            });
            (path, facts)
        });
    let mut panels: Vec<PanelFacts> = Vec::new();
    let mut seen_panels: HashMap<String, PathBuf> = HashMap::new();
    for (path, facts) in per_chain {
        for f in facts? {
            if let Some(other) = seen_panels.insert(f.panel.id.clone(), path.clone()) {
                notes.push(format!(
                    "{} and {}: both hold meetings of panel {}; each log's cases are counted apart",
                    other.display(),
                    path.display(),
                    f.panel.id
                ));
            }
            panels.push(f);
        }
    }
    panels.sort_by(|a, b| a.panel.id.cmp(&b.panel.id));
    Ok(Read { panels, notes })
}

/// `f` over `items` on as many threads as the machine has cores, results in order.
fn in_parallel<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len())
        .max(1);
    let per = items.len().div_ceil(threads).max(1);
    let mut chunks: Vec<Vec<T>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        chunks.push(items.by_ref().take(per).collect());
    }
    std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

/// Each panel of one log, as the domain reads it: the latest caseload up to the period's end,
/// the cases only earlier caseloads listed, the panel's entries dated up to the end.
fn panel_logs(chain: Chain, period: Period) -> Result<Vec<PanelLog>, LogError> {
    let store = &chain.store;
    let last = chain.entries.last().map_or(0, |e| e.id);
    let head = chain
        .entries
        .last()
        .map_or_else(String::new, |e| e.hash.clone());
    let meetings = store.meetings()?;
    let mut by_panel: Vec<(String, Vec<(i64, Date)>)> = Vec::new();
    for m in &meetings {
        let Some(d) = Date::parse(&m.meeting_date) else {
            continue;
        };
        match by_panel.iter_mut().find(|(p, _)| *p == m.panel_id) {
            Some((_, v)) => v.push((m.id, d)),
            None => by_panel.push((m.panel_id.clone(), vec![(m.id, d)])),
        }
    }
    let mut out = Vec::new();
    for (_, mut rows) in by_panel {
        rows.sort_by_key(|(id, d)| (*d, *id));
        let dates: HashMap<i64, Date> = rows.iter().copied().collect();
        let upto: Vec<(i64, Date)> = rows
            .iter()
            .copied()
            .filter(|(_, d)| *d <= period.to)
            .collect();
        // The latest caseload up to the end, then every earlier one's cases it does not list.
        let newest_first: Vec<i64> = upto.iter().rev().map(|(id, _)| *id).collect();
        let Some((caseload, earlier)) = store.case_history(&newest_first, last)? else {
            continue;
        };
        out.push(PanelLog {
            caseload,
            earlier_cases: earlier,
            entries: Vec::new(),
            meeting_dates: dates,
            log_entries: last as usize,
            head_hash: head.clone(),
        });
    }
    // Each entry to its panel (moved, not copied), if dated up to the period's end.
    let panel_of: HashMap<i64, usize> = out
        .iter()
        .enumerate()
        .flat_map(|(i, p)| p.meeting_dates.keys().map(move |m| (*m, i)))
        .collect();
    for e in chain.entries {
        let Some(&i) = panel_of.get(&e.meeting_id) else {
            continue;
        };
        let Some(p) = out.get_mut(i) else {
            continue;
        };
        let dates = &p.meeting_dates;
        if story::when(&e, |id| dates.get(&id).copied()).is_some_and(|(d, _)| d <= period.to) {
            p.entries.push(e);
        }
    }
    Ok(out)
}

/// One table of the report, in words.
pub struct Table {
    pub title: &'static str,
    pub head: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "–".to_owned(), |x| x.to_string())
}

/// The report's tables, in order, as every text format writes them.
pub fn tables(r: &Report) -> Vec<Table> {
    let t = &r.totals;
    let crossed = |title, group, cells: &[crate::domain::report::Crossed]| Table {
        title,
        head: vec!["Outcome", group, "Decisions"],
        rows: cells
            .iter()
            .map(|c| vec![c.outcome.clone(), c.group.clone(), c.count.text()])
            .collect(),
    };
    vec![
        Table {
            title: "Totals",
            head: vec!["Figure", "Count"],
            rows: vec![
                vec!["Decisions taken".into(), t.decisions.text()],
                vec!["Children with a decision".into(), t.children.text()],
                vec!["Placements made".into(), t.placements.text()],
                vec!["Fair Access school places".into(), t.school_places.text()],
            ],
        },
        Table {
            title: "Children admitted under the protocol, by school type and phase",
            head: vec!["School type", "Phase", "Admitted", "Directions requested"],
            rows: r
                .by_type_and_phase
                .iter()
                .map(|l| {
                    vec![
                        l.school_type.clone(),
                        l.phase.clone(),
                        l.admitted.text(),
                        l.directions_requested.text(),
                    ]
                })
                .collect(),
        },
        Table {
            title: "Placements per school against an even share",
            head: vec![
                "School",
                "URN",
                "Type",
                "Phase",
                "On roll",
                "Placed",
                "Per 100 on roll",
                "Even share",
                "Difference",
            ],
            rows: r
                .schools
                .iter()
                .map(|s| {
                    vec![
                        s.name.clone(),
                        s.urn.to_string(),
                        s.school_type.clone(),
                        s.phase.clone(),
                        opt(s.on_roll),
                        s.placed.text(),
                        opt(s.per_100_on_roll.clone()),
                        s.even_share.clone(),
                        opt(s.difference.clone()),
                    ]
                })
                .collect(),
        },
        crossed("Outcomes by kind of case", "Kind", &r.outcomes_by_kind),
        crossed("Outcomes by category", "Category", &r.outcomes_by_category),
        crossed(
            "Outcomes by year group",
            "Year group",
            &r.outcomes_by_year_group,
        ),
        Table {
            title: "School days waited",
            head: vec![
                "From",
                "Children",
                "Median",
                "90th percentile",
                "Over the aim",
            ],
            rows: r
                .waits
                .iter()
                .map(|w| {
                    vec![
                        w.measure.clone(),
                        w.children.text(),
                        opt(w.median),
                        opt(w.p90),
                        w.over_aim.text(),
                    ]
                })
                .collect(),
        },
        Table {
            title: "School days from agreement to allocation",
            head: vec!["School days", "Children"],
            rows: r
                .wait_histogram
                .iter()
                .map(|b| vec![b.label.clone(), b.children.text()])
                .collect(),
        },
        Table {
            title: "Children still waiting at the end of the period",
            head: vec!["Figure", "Count"],
            rows: vec![
                vec!["Still waiting".into(), r.still_waiting.children.text()],
                vec!["Agreed to consider".into(), r.still_waiting.agreed.text()],
                vec!["Not yet agreed".into(), r.still_waiting.not_agreed.text()],
                vec!["Past the aim".into(), r.still_waiting.overdue.text()],
                vec![
                    "Median school days since agreement".into(),
                    opt(r.still_waiting.median_days),
                ],
            ],
        },
        Table {
            title: "School places: on roll",
            head: vec!["When", "Children"],
            rows: vec![
                vec![
                    "Within 2 weeks of the decision".into(),
                    r.on_roll.within_two_weeks.text(),
                ],
                vec!["Later".into(), r.on_roll.later.text()],
                vec![
                    "Outstanding at the end of the period".into(),
                    r.on_roll.outstanding.text(),
                ],
            ],
        },
        Table {
            title: "AP and specialist places",
            head: vec![
                "Provision",
                "URN",
                "Places",
                "Offered",
                "Placed in the period",
            ],
            rows: r
                .places
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        p.urn.to_string(),
                        p.pool.clone(),
                        p.offered.to_string(),
                        p.placed.text(),
                    ]
                })
                .collect(),
        },
        Table {
            title: "Children placed more than once",
            head: vec!["Figure", "Count"],
            rows: vec![vec![
                "Placed more than once in the period".into(),
                r.placed_more_than_once.text(),
            ]],
        },
        Table {
            title: "Refusals and directions requested",
            head: vec!["School", "URN", "Direction by", "Refusals"],
            rows: r
                .refusals
                .iter()
                .map(|l| vec![l.name.clone(), opt(l.urn), l.route.clone(), l.count.text()])
                .collect(),
        },
        Table {
            title: "Decisions superseded",
            head: vec!["Was", "Now", "Corrections"],
            rows: r
                .superseded
                .iter()
                .map(|l| vec![l.was.clone(), l.now.clone(), l.count.text()])
                .collect(),
        },
        Table {
            title: "Corrections and why",
            head: vec!["Day", "Case", "Was", "Now", "Why"],
            rows: r
                .corrections
                .iter()
                .map(|c| {
                    vec![
                        c.day.to_string(),
                        c.case_ref.clone(),
                        c.was.clone(),
                        c.now.clone(),
                        c.reason.clone(),
                    ]
                })
                .collect(),
        },
    ]
    .into_iter()
    .filter(|t| !(r.published && t.title == "Corrections and why"))
    .collect()
}

fn title(r: &Report) -> String {
    let names: Vec<&str> = r.panels.iter().map(|p| p.name.as_str()).collect();
    format!(
        "Fair Access figures, {} to {}{}",
        r.from.long(),
        r.to.long(),
        if names.is_empty() {
            String::new()
        } else {
            format!(": {}", names.join("; "))
        }
    )
}

fn sources(r: &Report) -> Vec<String> {
    r.panels
        .iter()
        .map(|p| {
            format!(
                "{} ({}, LA {} {}): log of {} entries, head {}",
                p.name, p.id, p.la_code, p.la_name, p.log_entries, p.head_hash
            )
        })
        .collect()
}

/// The report as Markdown.
pub fn to_markdown(r: &Report) -> String {
    let mut o = format!("# {}\n\n", md_text(&title(r)));
    for n in &r.notes {
        let _ = writeln!(o, "- {}", md_text(n));
    }
    o.push('\n');
    for t in tables(r) {
        let _ = writeln!(o, "## {}\n", md_text(t.title));
        if t.rows.is_empty() {
            o.push_str("None.\n\n");
            continue;
        }
        let _ = writeln!(o, "| {} |", t.head.join(" | "));
        let _ = writeln!(
            o,
            "|{}|",
            t.head.iter().map(|_| "---").collect::<Vec<_>>().join("|")
        );
        for row in &t.rows {
            let cells: Vec<String> = row.iter().map(|c| md_text(c)).collect();
            let _ = writeln!(o, "| {} |", cells.join(" | "));
        }
        o.push('\n');
    }
    o.push_str("## Sources\n\n");
    for s in sources(r) {
        let _ = writeln!(o, "- {}", md_text(&s));
    }
    o
}

/// The report as one self-contained HTML page.
pub fn to_html(r: &Report) -> String {
    let e = html_text;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{0}</title>\n<style>\nbody{{font-family:sans-serif;max-width:60em;margin:auto}}table{{border-collapse:collapse;margin-bottom:1em}}th,td{{border:1px solid #888;padding:.2em .5em;text-align:left}}\n</style>\n</head>\n<body>\n<h1>{0}</h1>\n<ul>\n",
        e(&title(r))
    );
    for n in &r.notes {
        let _ = writeln!(o, "<li>{}</li>", e(n));
    }
    o.push_str("</ul>\n");
    for t in tables(r) {
        let _ = writeln!(o, "<h2>{}</h2>", e(t.title));
        if t.rows.is_empty() {
            o.push_str("<p>None.</p>\n");
            continue;
        }
        o.push_str("<table>\n<thead><tr>");
        for h in &t.head {
            let _ = write!(o, "<th>{}</th>", e(h));
        }
        o.push_str("</tr></thead>\n<tbody>\n");
        for row in &t.rows {
            o.push_str("<tr>");
            for c in row {
                let _ = write!(o, "<td>{}</td>", e(c));
            }
            o.push_str("</tr>\n");
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("<h2>Sources</h2>\n<ul>\n");
    for s in sources(r) {
        let _ = writeln!(o, "<li>{}</li>", e(&s));
    }
    o.push_str("</ul>\n</body>\n</html>\n");
    o
}

/// The report as one CSV of (table, row, column, value): every cell of every table, long form.
pub fn to_csv(r: &Report) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["table", "row", "column", "value"])?;
    for n in &r.notes {
        w.write_record(["Notes", "", "", &safe_cell(n)])?;
    }
    for t in tables(r) {
        for (i, row) in t.rows.iter().enumerate() {
            for (h, c) in t.head.iter().zip(row) {
                w.write_record([t.title, &(i + 1).to_string(), h, &safe_cell(c)])?;
            }
        }
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A CSV cell: unsafe characters shown as escapes, and a leading `= + - @` made inert so a
/// spreadsheet never runs it as a formula.
pub fn safe_cell(s: &str) -> String {
    let mut v = String::with_capacity(s.len());
    for c in s.chars() {
        if crate::domain::text::is_unsafe(c) {
            let _ = write!(v, "\\u{{{:x}}}", c as u32);
        } else {
            v.push(c);
        }
    }
    if v.starts_with(['=', '+', '-', '@']) && v.parse::<f64>().is_err() {
        format!("'{v}")
    } else {
        v
    }
}

/// The report as JSON (`fairpanel-report/1`), escaped for a terminal.
pub fn to_json(r: &Report) -> Result<String, serde_json::Error> {
    crate::io::json::to_safe_string(r)
}

/// The latest meeting date any of `logs` holds (an export's default period ends there).
pub fn last_meeting(logs: &[PathBuf]) -> Result<Option<Date>, LogError> {
    let mut last = None;
    for path in logs {
        let store = Store::open_reader(path)?;
        for m in store.meetings()? {
            last = last.max(Date::parse(&m.meeting_date));
        }
    }
    Ok(last)
}
