//! The SQL of format 2. `docs/log.md` describes every table.

/// `PRAGMA application_id`: "FPLG" in ASCII. Marks a file as a fairpanel log, so no other SQLite
/// file is ever taken for one.
pub const APPLICATION_ID: i32 = 0x4650_4C47;

/// `PRAGMA user_version` of this format.
pub const FORMAT: u32 = 2;

/// The decisions the fair-share tally reads: those that place a child at a school, and those
/// that may undo such a placement (corrections and reviews). Written once so the index and the
/// query that must match it never differ.
macro_rules! placements_where {
    () => {
        "kind = 'decision' AND (json_extract(body, '$.event.outcome') IN ('allocate_school', 'review_confirmed', 'review_extended', 'review_reintegrated', 'review_made_permanent', 'review_ended', 'review_breakdown') OR json_extract(body, '$.supersedes') IS NOT NULL)"
    };
}

/// The index's name. `entry_placements`, made before reviews had six outcomes, matched only two
/// of them: a writer drops it and makes this one.
macro_rules! index_name {
    () => {
        "entry_year_placements"
    };
}

/// The name of [`PLACEMENTS_INDEX`], for the query that names it.
pub const PLACEMENTS_INDEX_NAME: &str = index_name!();

macro_rules! placements_index {
    () => {
        concat!(
            "DROP INDEX IF EXISTS entry_placements; CREATE INDEX IF NOT EXISTS ",
            index_name!(),
            " ON entry (day, id) WHERE ",
            placements_where!(),
            ";"
        )
    };
}

/// The condition of [`PLACEMENTS_INDEX`], for the query that uses it.
pub const PLACEMENTS_WHERE: &str = placements_where!();

/// A partial index on those decisions by day: an academic year's placements read without
/// reading the year's other decisions. Part of format 2 from this version; a writer adds it to
/// a format-2 log made before (an index, not data: older versions read the log as before).
pub const PLACEMENTS_INDEX: &str = placements_index!();

/// Format 2 in one batch, run in the transaction that creates a log (or upgrades one).
pub const V2: &str = concat!(
    r#"
CREATE TABLE log_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE meeting (
  id INTEGER PRIMARY KEY,
  panel_id TEXT NOT NULL,
  meeting_date TEXT NOT NULL,
  UNIQUE (panel_id, meeting_date)
);
CREATE TABLE blob (
  sha256 TEXT PRIMARY KEY,
  bytes BLOB
);
CREATE TABLE entry (
  id INTEGER PRIMARY KEY,
  meeting_id INTEGER NOT NULL REFERENCES meeting(id),
  kind TEXT NOT NULL,
  case_ref TEXT,
  day TEXT NOT NULL,
  body TEXT NOT NULL,
  personal_sha256 TEXT REFERENCES blob(sha256),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX entry_by_meeting ON entry (meeting_id, id);
CREATE INDEX entry_by_case ON entry (case_ref, id);
CREATE INDEX entry_by_day ON entry (kind, day, id);
"#,
    placements_index!(),
    r#"
CREATE TRIGGER entry_no_update BEFORE UPDATE ON entry
  BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: record a correction instead'); END;
CREATE TRIGGER entry_no_delete BEFORE DELETE ON entry
  BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: entries are never deleted'); END;
CREATE TRIGGER meeting_no_update BEFORE UPDATE ON meeting
  BEGIN SELECT RAISE(ABORT, 'meetings are never changed'); END;
CREATE TRIGGER meeting_no_delete BEFORE DELETE ON meeting
  BEGIN SELECT RAISE(ABORT, 'meetings are never deleted'); END;
CREATE TRIGGER blob_only_removed BEFORE UPDATE ON blob
  WHEN NEW.sha256 IS NOT OLD.sha256 OR NEW.bytes IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'stored parts are never changed, only removed when their time is up'); END;
CREATE TRIGGER blob_no_delete BEFORE DELETE ON blob
  BEGIN SELECT RAISE(ABORT, 'stored parts are never deleted; personal data is removed by purge'); END;
"#
);
