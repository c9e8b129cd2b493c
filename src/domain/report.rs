//! The report's tables (issue 17 §1), counted from the rows of one or several panels
//! ([`crate::domain::figures`]). `fairpanel report` writes it as Markdown, HTML, CSV or JSON; the
//! figures view draws its charts from it. Words are the screen's (outcomes, kinds, categories,
//! year groups), never internal identifiers. With `publish`, every count from 1 to 4 is shown as
//! `<5`, and any figure worked out from fewer than 5 children is left out.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Serialize, Serializer};

use crate::domain::caseload::{CaseKind, Category};
use crate::domain::dates::Date;
use crate::domain::event::Outcome;
use crate::domain::figures::{PanelFacts, Period, nearest_rank};
use crate::domain::names::NameIndex;
use crate::domain::words;

/// The report format this build writes.
pub const FORMAT: &str = "fairpanel-report/1";

/// Below this, a published count is suppressed.
pub const SUPPRESS_BELOW: u32 = 5;

/// What stands in place of a correction reason that names a pupil.
pub const WITHHELD: &str = "[withheld: names a pupil; read it in the log]";

/// School days waited, in the histogram's bins (the last is open-ended).
pub const BINS: [(i64, Option<i64>); 7] = [
    (0, Some(5)),
    (6, Some(10)),
    (11, Some(15)),
    (16, Some(20)),
    (21, Some(30)),
    (31, Some(40)),
    (41, None),
];

/// A count, shown as `<5` in a published report when it is 1 to 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    pub n: u32,
    pub hidden: bool,
}

impl Count {
    pub fn new(n: u32, publish: bool) -> Count {
        Count {
            n,
            hidden: publish && n > 0 && n < SUPPRESS_BELOW,
        }
    }

    pub fn text(&self) -> String {
        if self.hidden {
            "<5".to_owned()
        } else {
            self.n.to_string()
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.hidden {
            s.serialize_str("<5")
        } else {
            s.serialize_u32(self.n)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub from: Date,
    pub to: Date,
    /// Counts from 1 to 4 are suppressed.
    pub published: bool,
    /// What the reader must know: suppression, what is and is not counted.
    pub notes: Vec<String>,
    pub panels: Vec<PanelLine>,
    pub totals: Totals,
    /// Per school: Fair Access placements in the period, per 100 on roll, against an even share.
    pub schools: Vec<SchoolLine>,
    /// The Schools Adjudicator's table: children admitted under the protocol by school type and
    /// phase.
    pub by_type_and_phase: Vec<TypePhaseLine>,
    pub outcomes_by_kind: Vec<Crossed>,
    pub outcomes_by_category: Vec<Crossed>,
    pub outcomes_by_year_group: Vec<Crossed>,
    /// School days from agreement to allocation, and to the start.
    pub waits: Vec<WaitLine>,
    /// School days from agreement to allocation, in bins.
    pub wait_histogram: Vec<Bin>,
    pub still_waiting: Waiting,
    /// School places: on roll within two weeks of the decision, later, or outstanding at the
    /// period's end (the Schools Forum table).
    pub on_roll: OnRoll,
    pub places: Vec<PlaceLine>,
    pub placed_more_than_once: Count,
    pub refusals: Vec<RefusalLine>,
    pub superseded: Vec<SupersededLine>,
    /// Each correction with its reason; not in a published report.
    pub corrections: Vec<CorrectionLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelLine {
    pub id: String,
    pub name: String,
    pub la_code: u16,
    pub la_name: String,
    pub area: Option<String>,
    pub log_entries: usize,
    pub head_hash: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    /// Decisions taken in the period that were not later corrected.
    pub decisions: Count,
    /// Children placed (a school, AP or specialist place, a managed move, a reintegration).
    pub placements: Count,
    /// Of which Fair Access school places (the adjudicator's count).
    pub school_places: Count,
    /// Children with a decision in the period.
    pub children: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolLine {
    pub urn: u32,
    pub name: String,
    pub school_type: String,
    pub phase: String,
    pub on_roll: Option<u32>,
    pub placed: Count,
    /// Placements per 100 on roll, two decimals.
    pub per_100_on_roll: Option<String>,
    /// The even share by roll, one decimal.
    pub even_share: String,
    /// Placements less the even share, one decimal (positive: more than its share).
    pub difference: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypePhaseLine {
    pub school_type: String,
    pub phase: String,
    pub admitted: Count,
    /// Directions requested (a school refused: escalated to a direction).
    pub directions_requested: Count,
}

/// One cell of a table of outcomes against a grouping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossed {
    pub outcome: String,
    pub group: String,
    pub count: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaitLine {
    pub measure: String,
    pub children: Count,
    pub median: Option<i64>,
    pub p90: Option<i64>,
    /// Over the panel's aim (20 school days unless set shorter).
    pub over_aim: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bin {
    pub label: String,
    pub from: i64,
    pub to: Option<i64>,
    pub children: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waiting {
    pub children: Count,
    pub agreed: Count,
    pub not_agreed: Count,
    pub overdue: Count,
    pub median_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnRoll {
    pub within_two_weeks: Count,
    pub later: Count,
    pub outstanding: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceLine {
    pub urn: u32,
    pub name: String,
    pub pool: String,
    pub offered: i64,
    pub placed: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefusalLine {
    pub urn: Option<u32>,
    pub name: String,
    /// Who directs: the LA (a maintained school) or the Secretary of State (an academy).
    pub route: String,
    pub count: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupersededLine {
    pub was: String,
    pub now: String,
    pub count: Count,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorrectionLine {
    pub day: Date,
    pub case_ref: String,
    pub was: String,
    pub now: String,
    pub reason: String,
}

/// The name of a category as the screen shows it: "homeless (g)".
pub fn category_words(c: Category) -> String {
    format!("{} ({})", c.label(), c.letter())
}

/// Is this school an academy or free school (directions go through the Secretary of State)?
fn academy(school_type: &str) -> bool {
    let t = school_type.to_lowercase();
    t.contains("academy") || t.contains("free school")
}

/// One decimal place, never "-0.0".
fn one_decimal(x: f64) -> String {
    let s = format!("{x:.1}");
    if s == "-0.0" { "0.0".to_owned() } else { s }
}

impl Report {
    /// The tables for `period` from the panels' rows (several panels' schools that share a URN
    /// are one line).
    pub fn build(panels: &[PanelFacts], period: Period, publish: bool) -> Report {
        let count = |n: usize| Count::new(u32::try_from(n).unwrap_or(u32::MAX), publish);
        let mut notes = vec![
            "Counts are of decisions taken in the period that were not later corrected; a corrected decision counts as its correction.".to_owned(),
            "School places per school are Fair Access school places (the fair-share tally); an even share is the period's placements shared out by number on roll among the panel's mainstream schools.".to_owned(),
        ];
        if publish {
            notes.insert(
                0,
                "Published: counts from 1 to 4 are shown as <5, and figures worked out from fewer than 5 children are left out.".to_owned(),
            );
        }
        let decisions: Vec<_> = panels
            .iter()
            .flat_map(|p| &p.decisions)
            .filter(|d| !d.corrected_later)
            .collect();
        let placements: Vec<_> = panels.iter().flat_map(|p| &p.placements).collect();
        let schools_by_urn: HashMap<u32, &crate::domain::figures::SchoolRow> = panels
            .iter()
            .flat_map(|p| &p.schools)
            .map(|s| (s.urn, s))
            .collect();

        // Per school: placements and even shares summed across panels.
        let mut per: BTreeMap<u32, (u32, f64)> = BTreeMap::new();
        for s in panels.iter().flat_map(|p| &p.schools) {
            let e = per.entry(s.urn).or_default();
            e.0 += s.placed;
            e.1 += s.even_share;
        }
        let mut schools: Vec<SchoolLine> = per
            .iter()
            .filter_map(|(urn, (placed, even))| {
                let s = schools_by_urn.get(urn)?;
                let shown = Count::new(*placed, publish);
                Some(SchoolLine {
                    urn: *urn,
                    name: s.name.clone(),
                    school_type: s.school_type.clone(),
                    phase: words::phase(s.phase).to_owned(),
                    on_roll: s.on_roll,
                    placed: shown,
                    per_100_on_roll: s
                        .on_roll
                        .filter(|r| *r > 0 && !shown.hidden)
                        .map(|r| format!("{:.2}", f64::from(*placed) * 100.0 / f64::from(r))),
                    even_share: one_decimal(*even),
                    difference: (!shown.hidden).then(|| one_decimal(f64::from(*placed) - even)),
                })
            })
            .collect();
        schools.sort_by(|a, b| b.placed.n.cmp(&a.placed.n).then(a.name.cmp(&b.name)));

        let refusals_of = |urn: Option<u32>| {
            decisions
                .iter()
                .filter(|d| d.outcome == Outcome::RefusedEscalateDirection && d.urn == urn)
                .count()
        };
        let mut type_phase: BTreeMap<(String, String), (u32, usize)> = BTreeMap::new();
        for (urn, (placed, _)) in &per {
            if let Some(s) = schools_by_urn.get(urn) {
                let e = type_phase
                    .entry((s.school_type.clone(), words::phase(s.phase).to_owned()))
                    .or_default();
                e.0 += placed;
                e.1 += refusals_of(Some(*urn));
            }
        }
        let by_type_and_phase = type_phase
            .into_iter()
            .filter(|(_, (a, r))| *a > 0 || *r > 0)
            .map(|((t, p), (a, r))| TypePhaseLine {
                school_type: t,
                phase: p,
                admitted: Count::new(a, publish),
                directions_requested: count(r),
            })
            .collect();

        let crossed =
            |group: &dyn Fn(&crate::domain::figures::DecisionRow) -> Vec<(usize, String)>| {
                let mut cells: BTreeMap<(usize, usize, String), usize> = BTreeMap::new();
                for d in &decisions {
                    let o = Outcome::ALL
                        .iter()
                        .position(|x| *x == d.outcome)
                        .unwrap_or(0);
                    for (order, g) in group(d) {
                        *cells.entry((o, order, g)).or_default() += 1;
                    }
                }
                cells
                    .into_iter()
                    .map(|((o, _, g), n)| Crossed {
                        outcome: Outcome::ALL.get(o).map_or("", |x| x.label()).to_owned(),
                        group: g,
                        count: count(n),
                    })
                    .collect::<Vec<_>>()
            };
        let outcomes_by_kind = crossed(&|d| match d.kind {
            Some(k) => vec![(
                CaseKind::ALL.iter().position(|x| *x == k).unwrap_or(0),
                k.label().to_owned(),
            )],
            None => vec![(9, "not known".to_owned())],
        });
        let outcomes_by_category = crossed(&|d| {
            if d.categories.is_empty() {
                return vec![(99, "no category claimed".to_owned())];
            }
            let mut v: Vec<(usize, String)> = d
                .categories
                .iter()
                .map(|c| (*c as usize, category_words(*c)))
                .collect();
            v.dedup();
            v
        });
        let outcomes_by_year_group = crossed(&|d| match d.year_group {
            Some(y) => vec![(usize::from(y.number()), y.to_string())],
            None => vec![(99, "not known".to_owned())],
        });

        let clocks: Vec<_> = panels.iter().flat_map(|p| &p.clocks).collect();
        let aim = clocks.first().map_or(20, |c| c.aim);
        let wait = |measure: &str, values: Vec<(i64, i64)>| {
            let mut v: Vec<i64> = values.iter().map(|x| x.0).collect();
            v.sort_unstable();
            let enough = !publish || v.len() >= SUPPRESS_BELOW as usize;
            WaitLine {
                measure: measure.to_owned(),
                children: count(v.len()),
                median: nearest_rank(&v, 0.5).filter(|_| enough),
                p90: nearest_rank(&v, 0.9).filter(|_| enough),
                over_aim: count(values.iter().filter(|(d, a)| d > a).count()),
            }
        };
        let to_allocation: Vec<(i64, i64)> = clocks
            .iter()
            .filter_map(|c| c.to_allocation.map(|d| (d, c.aim)))
            .collect();
        let to_start: Vec<(i64, i64)> = clocks
            .iter()
            .filter_map(|c| c.to_start.map(|d| (d, c.aim)))
            .collect();
        let wait_histogram = BINS
            .iter()
            .map(|(lo, hi)| Bin {
                label: match hi {
                    Some(h) => format!("{lo}–{h}"),
                    None => format!("{lo}+"),
                },
                from: *lo,
                to: *hi,
                children: count(
                    to_allocation
                        .iter()
                        .filter(|(d, _)| d >= lo && hi.is_none_or(|h| *d <= h))
                        .count(),
                ),
            })
            .collect();
        let waits = vec![
            wait("agreement to allocation", to_allocation),
            wait("agreement to start", to_start),
        ];

        let waiting: Vec<_> = clocks.iter().filter(|c| c.waiting).collect();
        let mut waited: Vec<i64> = waiting.iter().filter_map(|c| c.waited).collect();
        waited.sort_unstable();
        let still_waiting = Waiting {
            children: count(waiting.len()),
            agreed: count(waiting.iter().filter(|c| c.agreed.is_some()).count()),
            not_agreed: count(waiting.iter().filter(|c| c.agreed.is_none()).count()),
            overdue: count(waiting.iter().filter(|c| c.overdue).count()),
            median_days: nearest_rank(&waited, 0.5)
                .filter(|_| !publish || waited.len() >= SUPPRESS_BELOW as usize),
        };

        let school_places: Vec<_> = placements
            .iter()
            .filter(|p| {
                matches!(
                    p.outcome,
                    Outcome::AllocateSchool | Outcome::ReviewReintegrated
                )
            })
            .collect();
        let mut on_roll = (0, 0, 0);
        for p in &school_places {
            match p.start {
                Some(s) if s <= period.to && p.day.days_until(s) <= 14 => on_roll.0 += 1,
                Some(s) if s <= period.to => on_roll.1 += 1,
                _ => on_roll.2 += 1,
            }
        }
        let on_roll = OnRoll {
            within_two_weeks: count(on_roll.0),
            later: count(on_roll.1),
            outstanding: count(on_roll.2),
        };

        // A provision several panels list is one line per pool: its places are the same
        // places, so the most any panel offers; placements from every panel.
        let mut pools: Vec<(u32, crate::domain::year_group::PoolGroup, String, i64)> = Vec::new();
        for p in panels.iter().flat_map(|p| &p.places) {
            match pools
                .iter_mut()
                .find(|(u, g, _, _)| *u == p.urn && *g == p.pool)
            {
                Some(x) => x.3 = x.3.max(p.offered),
                None => pools.push((p.urn, p.pool, p.name.clone(), p.offered)),
            }
        }
        let places: Vec<PlaceLine> = pools
            .into_iter()
            .map(|(urn, pool, name, offered)| PlaceLine {
                urn,
                name,
                pool: pool.to_string(),
                offered,
                placed: count(
                    placements
                        .iter()
                        .filter(|x| x.urn == Some(urn) && x.pool == Some(pool))
                        .count(),
                ),
            })
            .collect();

        let mut per_case: HashMap<(&str, &str), usize> = HashMap::new();
        for p in &placements {
            *per_case
                .entry((p.panel.as_str(), p.case_ref.as_str()))
                .or_default() += 1;
        }
        let placed_more_than_once = count(per_case.values().filter(|n| **n > 1).count());

        let mut refused: BTreeMap<(String, Option<u32>), (String, usize)> = BTreeMap::new();
        for d in decisions
            .iter()
            .filter(|d| d.outcome == Outcome::RefusedEscalateDirection)
        {
            let s = d.urn.and_then(|u| schools_by_urn.get(&u));
            let name = s.map_or_else(
                || {
                    d.urn
                        .map_or("no school named".to_owned(), |u| format!("URN {u}"))
                },
                |s| s.name.clone(),
            );
            let route = if s.is_some_and(|s| academy(&s.school_type)) {
                "Secretary of State (academy)"
            } else {
                "the LA (maintained school)"
            };
            refused
                .entry((name, d.urn))
                .or_insert((route.to_owned(), 0))
                .1 += 1;
        }
        let refusals = refused
            .into_iter()
            .map(|((name, urn), (route, n))| RefusalLine {
                urn,
                name,
                route,
                count: count(n),
            })
            .collect();

        let corrected: Vec<_> = panels
            .iter()
            .flat_map(|p| &p.decisions)
            .filter(|d| d.corrects.is_some())
            .collect();
        let was_of = |d: &crate::domain::figures::DecisionRow| {
            d.corrects
                .and_then(|(_, o)| o)
                .map_or("an entry", |o| o.label())
                .to_owned()
        };
        let mut superseded_counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for d in &corrected {
            *superseded_counts
                .entry((was_of(d), d.outcome.label().to_owned()))
                .or_default() += 1;
        }
        let superseded = superseded_counts
            .into_iter()
            .map(|((was, now), n)| SupersededLine {
                was,
                now,
                count: count(n),
            })
            .collect();
        let corrections = if publish {
            Vec::new()
        } else {
            // Built only when some reason is there to read (it indexes every pupil's names).
            let names = if corrected.iter().any(|d| d.correction_reason.is_some()) {
                NameIndex::new(panels.iter().flat_map(|p| &p.cases))
            } else {
                NameIndex::new(std::iter::empty())
            };
            let mut lines: Vec<CorrectionLine> = corrected
                .iter()
                .map(|d| {
                    let reason = d.correction_reason.clone().unwrap_or_default();
                    CorrectionLine {
                        day: d.day,
                        case_ref: d.case_ref.clone(),
                        was: was_of(d),
                        now: d.outcome.label().to_owned(),
                        reason: if names.mentions(&reason) {
                            WITHHELD.to_owned()
                        } else {
                            reason
                        },
                    }
                })
                .collect();
            lines.sort_by(|a, b| a.day.cmp(&b.day).then(a.case_ref.cmp(&b.case_ref)));
            lines
        };
        if aim != 20 {
            notes.push(format!("The panel's aim is {aim} school days."));
        }

        let children: HashSet<(&str, &str)> = decisions
            .iter()
            .map(|d| (d.panel.as_str(), d.case_ref.as_str()))
            .collect();
        Report {
            format: FORMAT,
            from: period.from,
            to: period.to,
            published: publish,
            notes,
            panels: panels
                .iter()
                .map(|p| PanelLine {
                    id: p.panel.id.clone(),
                    name: p.panel.name.clone(),
                    la_code: p.panel.la_code,
                    la_name: p.panel.la_name.clone(),
                    area: p.panel.area.clone(),
                    log_entries: p.panel.log_entries,
                    head_hash: p.panel.head_hash.clone(),
                })
                .collect(),
            totals: Totals {
                decisions: count(decisions.len()),
                placements: count(placements.len()),
                school_places: Count::new(per.values().map(|(n, _)| n).sum(), publish),
                children: count(children.len()),
            },
            schools,
            by_type_and_phase,
            outcomes_by_kind,
            outcomes_by_category,
            outcomes_by_year_group,
            waits,
            wait_histogram,
            still_waiting,
            on_roll,
            places,
            placed_more_than_once,
            refusals,
            superseded,
            corrections,
        }
    }
}
