//! `fairpanel export`: the rows the report counts, as flat tables for an analytical engine
//! (DuckDB, PostgreSQL, Spark), CSV or JSON Lines, format `fairpanel-export/1` (docs/export.md).
//!
//! Pseudonymous: no pupil's name, date of birth (its year at most), UPN or address, and no free
//! text; each case reference and each person's name is replaced by a keyed hash (HMAC-SHA256)
//! whose key stays with the LA, so two exports made with one key join and nobody without it
//! can reverse them. Files are owner-only (0600), the folder 0700.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::domain::caseload::CaseKind;
use crate::domain::figures::PanelFacts;
use crate::domain::view::Standing;
use crate::domain::words;

/// The export format: its columns change only with a new version.
pub const FORMAT: &str = "fairpanel-export/1";

/// The key file's name in the fairpanel data folder.
pub const KEY_FILE: &str = "export.key";

/// One column of an export table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    /// `string`, `integer`, `number`, `boolean` or `date` (YYYY-MM-DD).
    pub kind: &'static str,
    pub nullable: bool,
    pub about: &'static str,
}

const fn col(
    name: &'static str,
    kind: &'static str,
    nullable: bool,
    about: &'static str,
) -> Column {
    Column {
        name,
        kind,
        nullable,
        about,
    }
}

/// Every table and its columns, in order: the schema (`schema.json` in the folder, and
/// docs/export.md, which a test keeps in step).
pub const TABLES: &[(&str, &[Column])] = &[
    (
        "decisions",
        &[
            col("panel_id", "string", false, "the panel's id"),
            col(
                "entry",
                "integer",
                false,
                "the decision's entry in its panel's log",
            ),
            col(
                "meeting_date",
                "date",
                true,
                "the meeting it is filed under",
            ),
            col("decided_on", "date", false, "the day it was decided"),
            col(
                "between_meetings",
                "boolean",
                false,
                "decided between meetings",
            ),
            col(
                "case",
                "string",
                false,
                "the case: a keyed hash of panel and case reference",
            ),
            col(
                "case_kind",
                "string",
                true,
                "fair_access, managed_move or place_request",
            ),
            col(
                "categories",
                "string",
                false,
                "the categories claimed, letters a to m joined by ';'",
            ),
            col("year_group", "string", true, "R or Y1 to Y14"),
            col(
                "outcome",
                "string",
                false,
                "the outcome, as on the command line",
            ),
            col("urn", "integer", true, "the school or provision named"),
            col("start_date", "date", true, "the start date"),
            col("review_date", "date", true, "the review date"),
            col(
                "corrects_entry",
                "integer",
                true,
                "the entry this decision corrects",
            ),
            col("corrected_outcome", "string", true, "that entry's outcome"),
            col(
                "corrected_later",
                "boolean",
                false,
                "a later entry corrected this one: it does not count",
            ),
        ],
    ),
    (
        "placements",
        &[
            col("panel_id", "string", false, "the panel's id"),
            col("entry", "integer", false, "the placing decision's entry"),
            col("case", "string", false, "the case (keyed hash)"),
            col("decided_on", "date", false, "the day it was decided"),
            col(
                "outcome",
                "string",
                false,
                "allocate_school, allocate_ap_interim, managed_move_agreed or review_reintegrated",
            ),
            col("urn", "integer", true, "the school or provision"),
            col(
                "pool",
                "string",
                true,
                "the AP or specialist pool it draws on (Y9, KS3)",
            ),
            col("year_group", "string", true, "R or Y1 to Y14"),
            col("start_date", "date", true, "the start date"),
        ],
    ),
    (
        "clocks",
        &[
            col("panel_id", "string", false, "the panel's id"),
            col("case", "string", false, "the case (keyed hash)"),
            col(
                "case_kind",
                "string",
                false,
                "fair_access, managed_move or place_request",
            ),
            col(
                "year_of_birth",
                "integer",
                true,
                "the pupil's year of birth",
            ),
            col("referral_date", "date", false, "the day of the referral"),
            col(
                "agreed_on",
                "date",
                true,
                "the day the panel agreed to consider the case (day 0)",
            ),
            col(
                "placed_on",
                "date",
                true,
                "the first placement after agreement, if in the period",
            ),
            col("start_date", "date", true, "that placement's start date"),
            col(
                "school_days_to_allocation",
                "integer",
                true,
                "school days from agreement to that placement",
            ),
            col(
                "school_days_to_start",
                "integer",
                true,
                "school days from agreement to its start",
            ),
            col(
                "standing",
                "string",
                false,
                "open, deferred, escalated, placed, closed or broke_down at the period's end",
            ),
            col(
                "still_waiting",
                "boolean",
                false,
                "the latest meeting lists the case and nothing placed or closed it",
            ),
            col(
                "school_days_waited",
                "integer",
                true,
                "for a child still waiting: school days since agreement",
            ),
            col("overdue", "boolean", false, "still waiting past the aim"),
            col("aim", "integer", false, "the panel's aim in school days"),
        ],
    ),
    (
        "attendance",
        &[
            col("panel_id", "string", false, "the panel's id"),
            col("meeting_date", "date", false, "the meeting"),
            col(
                "person",
                "string",
                false,
                "the person: a keyed hash of their name",
            ),
            col("organisation", "string", true, "their organisation"),
            col("role", "string", true, "their role"),
            col("urn", "integer", true, "the school they speak for"),
            col(
                "can_decide",
                "boolean",
                false,
                "may decide and admit for their organisation",
            ),
            col(
                "status",
                "string",
                false,
                "present, apologies, arrived_late, left or invited_absent",
            ),
        ],
    ),
    (
        "schools",
        &[
            col("panel_id", "string", false, "the panel's id"),
            col("urn", "integer", false, "the school"),
            col("name", "string", false, "its name"),
            col("school_type", "string", false, "GIAS type of establishment"),
            col("phase", "string", false, "its phase, in words"),
            col("on_roll", "integer", true, "number on roll"),
            col(
                "placed",
                "integer",
                false,
                "Fair Access school places in the period (the fair-share tally)",
            ),
            col(
                "even_share",
                "number",
                false,
                "the period's places shared out by roll among the panel's mainstream schools",
            ),
        ],
    ),
];

/// The schema as JSON: the format and every table's columns.
pub fn schema_json() -> String {
    let tables: Vec<Value> = TABLES
        .iter()
        .map(|(name, cols)| {
            json!({
                "table": name,
                "columns": cols.iter().map(|c| json!({
                    "name": c.name, "type": c.kind, "nullable": c.nullable, "description": c.about
                })).collect::<Vec<_>>()
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({"format": FORMAT, "tables": tables}))
        .unwrap_or_default();
    s.push('\n');
    s
}

/// The LA's key for the keyed hashes.
pub struct Key(Vec<u8>);

/// Why the key could not be had.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{}: cannot {what}: {source}; check the path and the folder's permissions", .path.display())]
    Io {
        path: PathBuf,
        what: &'static str,
        source: std::io::Error,
    },
    #[error("{}: not an export key (at least 32 characters of key are needed); give the key file the LA keeps, or leave out --key to use the data folder's", .0.display())]
    TooShort(PathBuf),
    #[error("no data folder for the export key; set FAIRPANEL_DATA_DIR or give --key FILE")]
    NoDataDir,
    #[error("cannot make a random key: {0}")]
    Random(String),
}

impl Key {
    /// The key in `path` (its bytes, surrounding whitespace trimmed).
    pub fn read(path: &Path) -> Result<Key, KeyError> {
        let bytes = std::fs::read(path).map_err(|e| KeyError::Io {
            path: path.to_owned(),
            what: "read the export key",
            source: e,
        })?;
        let key = bytes.trim_ascii().to_vec();
        if key.len() < 32 {
            return Err(KeyError::TooShort(path.to_owned()));
        }
        Ok(Key(key))
    }

    /// A key from bytes the caller holds (tests and benches); `read` checks a key file's length.
    pub fn read_bytes(bytes: &[u8]) -> Key {
        Key(bytes.to_vec())
    }

    /// The data folder's key, made (256 random bits as hex, 0600) on first use.
    pub fn default_key() -> Result<(Key, PathBuf, bool), KeyError> {
        let dir = crate::log::store::data_dir().ok_or(KeyError::NoDataDir)?;
        let path = dir.join(KEY_FILE);
        if path.exists() {
            return Ok((Key::read(&path)?, path, false));
        }
        crate::log::store::create_private_dir(&dir).map_err(|e| KeyError::Io {
            path: dir.clone(),
            what: "make the data folder",
            source: e,
        })?;
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| KeyError::Random(e.to_string()))?;
        let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
        crate::io::files::write_atomic(&path, format!("{hex}\n").as_bytes()).map_err(|e| {
            KeyError::Io {
                path: path.clone(),
                what: "write the export key",
                source: e,
            }
        })?;
        Ok((Key(hex.into_bytes()), path, true))
    }

    /// HMAC-SHA256 of `scope` and `value` (a unit separator between), as lowercase hex.
    pub fn hash(&self, scope: &str, value: &str) -> String {
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(scope.as_bytes());
        mac.update(&[0x1f]);
        mac.update(value.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect()
    }
}

/// CSV or JSON Lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

fn kind_code(k: CaseKind) -> &'static str {
    match k {
        CaseKind::FairAccess => "fair_access",
        CaseKind::ManagedMove => "managed_move",
        CaseKind::PlaceRequest => "place_request",
    }
}

fn standing_code(s: Standing) -> &'static str {
    match s {
        Standing::Open => "open",
        Standing::Deferred => "deferred",
        Standing::Escalated => "escalated",
        Standing::Placed => "placed",
        Standing::Closed => "closed",
        Standing::BrokeDown => "broke_down",
    }
}

fn opt<T: Into<Value>>(v: Option<T>) -> Value {
    v.map_or(Value::Null, Into::into)
}

fn date(d: Option<crate::domain::dates::Date>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

/// Every table's rows, cells in column order.
pub fn rows(panels: &[PanelFacts], key: &Key) -> Vec<(&'static str, Vec<Vec<Value>>)> {
    let mut hashes: HashMap<(String, String), String> = HashMap::new();
    let mut case = |panel: &str, r: &str| -> Value {
        Value::String(
            hashes
                .entry((panel.to_owned(), r.to_owned()))
                .or_insert_with(|| key.hash(panel, r))
                .clone(),
        )
    };
    let mut decisions = Vec::new();
    let mut placements = Vec::new();
    let mut clocks = Vec::new();
    let mut attendance = Vec::new();
    let mut schools = Vec::new();
    for p in panels {
        let pid = p.panel.id.as_str();
        for d in &p.decisions {
            let cats: Vec<String> = d
                .categories
                .iter()
                .map(|c| c.letter().to_string())
                .collect();
            decisions.push(vec![
                pid.into(),
                d.entry.into(),
                date(d.meeting),
                date(Some(d.day)),
                d.between_meetings.into(),
                case(pid, &d.case_ref),
                opt(d.kind.map(kind_code)),
                cats.join(";").into(),
                opt(d.year_group.map(|y| y.to_string())),
                d.outcome.as_str().into(),
                opt(d.urn),
                date(d.start),
                date(d.review),
                opt(d.corrects.map(|c| c.0)),
                opt(d.corrects.and_then(|c| c.1).map(|o| o.as_str())),
                d.corrected_later.into(),
            ]);
        }
        for x in &p.placements {
            placements.push(vec![
                pid.into(),
                x.entry.into(),
                case(pid, &x.case_ref),
                date(Some(x.day)),
                x.outcome.as_str().into(),
                opt(x.urn),
                opt(x.pool.map(|g| g.to_string())),
                opt(x.year_group.map(|y| y.to_string())),
                date(x.start),
            ]);
        }
        for c in &p.clocks {
            clocks.push(vec![
                pid.into(),
                case(pid, &c.case_ref),
                kind_code(c.kind).into(),
                opt(c.year_of_birth),
                date(Some(c.referral)),
                date(c.agreed),
                date(c.placed),
                date(c.start),
                opt(c.to_allocation),
                opt(c.to_start),
                standing_code(c.standing).into(),
                c.waiting.into(),
                opt(c.waited),
                c.overdue.into(),
                c.aim.into(),
            ]);
        }
        for a in &p.attendance {
            let status = serde_json::to_value(a.status).unwrap_or(Value::Null);
            attendance.push(vec![
                pid.into(),
                date(Some(a.meeting)),
                Value::String(key.hash(&format!("{pid}/person"), &a.member)),
                opt(a.organisation.clone()),
                opt(a.role.clone()),
                opt(a.urn),
                a.can_decide.into(),
                status,
            ]);
        }
        for s in &p.schools {
            schools.push(vec![
                pid.into(),
                s.urn.into(),
                s.name.clone().into(),
                s.school_type.clone().into(),
                words::phase(s.phase).into(),
                opt(s.on_roll),
                s.placed.into(),
                json!((s.even_share * 1000.0).round() / 1000.0),
            ]);
        }
    }
    vec![
        ("decisions", decisions),
        ("placements", placements),
        ("clocks", clocks),
        ("attendance", attendance),
        ("schools", schools),
    ]
}

/// What `write` wrote: each file and its rows.
pub struct Written {
    pub files: Vec<(PathBuf, usize)>,
}

/// Why the export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{}: cannot {what}: {source}; check the path, the disk and the folder's permissions", .path.display())]
    Io {
        path: PathBuf,
        what: &'static str,
        source: std::io::Error,
    },
    /// A table that could not be encoded (a bug).
    #[error("cannot encode a table: {0}")]
    Csv(String),
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => crate::io::report::safe_cell(s),
        other => other.to_string(),
    }
}

/// Writes every table (and `schema.json`) into `dir`, made 0700 if missing; files 0600.
pub fn write(
    panels: &[PanelFacts],
    key: &Key,
    format: Format,
    dir: &Path,
) -> Result<Written, WriteError> {
    let io = |path: &Path, what: &'static str| {
        let path = path.to_owned();
        move |e| WriteError::Io {
            path,
            what,
            source: e,
        }
    };
    crate::log::store::create_private_dir(dir).map_err(io(dir, "make the folder"))?;
    let mut files = Vec::new();
    for (table, rows) in rows(panels, key) {
        let cols = TABLES
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(&[][..], |(_, c)| *c);
        let (name, bytes) = match format {
            Format::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let csv_err = |e: csv::Error| WriteError::Csv(e.to_string());
                w.write_record(cols.iter().map(|c| c.name))
                    .map_err(csv_err)?;
                for r in &rows {
                    w.write_record(r.iter().map(cell)).map_err(csv_err)?;
                }
                let bytes = w
                    .into_inner()
                    .map_err(|e| WriteError::Csv(e.error().to_string()))?;
                (format!("{table}.csv"), bytes)
            }
            Format::Jsonl => {
                let mut out = String::new();
                for r in &rows {
                    let obj: BTreeMap<&str, &Value> =
                        cols.iter().map(|c| c.name).zip(r.iter()).collect();
                    // One line a row, unsafe characters as \u escapes.
                    let line =
                        serde_json::to_string(&obj).map_err(|e| WriteError::Csv(e.to_string()))?;
                    out.push_str(&crate::io::json::escape_json_text(line));
                    out.push('\n');
                }
                (format!("{table}.jsonl"), out.into_bytes())
            }
        };
        let path = dir.join(name);
        crate::io::files::write_atomic(&path, &bytes).map_err(io(&path, "write the table"))?;
        files.push((path, rows.len()));
    }
    let path = dir.join("schema.json");
    crate::io::files::write_atomic(&path, schema_json().as_bytes())
        .map_err(io(&path, "write the schema"))?;
    files.push((path, TABLES.len()));
    Ok(Written { files })
}
