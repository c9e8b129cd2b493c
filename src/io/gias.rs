//! Reads a DfE "Get Information About Schools" (GIAS) establishment extract into the caseload's
//! `schools`, and merges an import into a caseload by URN.
//!
//! Pure functions: bytes in, schools and problems out. Columns are found by their header name,
//! never by position (a full extract has 130+ columns in any order). Our per-LA files also carry
//! Ofsted columns (`ofsted_phase`, `ofsted_type_of_education`, `ofsted_category_of_concern`); where
//! a GIAS cell is blank and an Ofsted column holds the same fact, the Ofsted value is used.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::str::FromStr;

use csv::StringRecord;

use crate::domain::caseload::{Caseload, Gender, OfstedCategory, Phase, School};
use crate::domain::problem::{MAX_REPORTED, Problem};
use crate::io::text::Encoding;

/// What an import found: the LA's open schools, in file order, and anything worth a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    pub schools: Vec<School>,
    pub warnings: Vec<Problem>,
    /// The LA's name as GIAS gives it (`LA (name)`), where the extract has the column.
    pub la_name: Option<String>,
    /// The encoding the file was read in (`io::text`), for the summary.
    pub encoding: Encoding,
}

/// What [`merge`] did, each list in ascending URN order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// In the import, not in the caseload: appended.
    pub added: Vec<u32>,
    /// In both, and at least one GIAS-derived field changed.
    pub updated: Vec<u32>,
    /// In the caseload, not in the import, and referenced nowhere: removed.
    pub closed: Vec<u32>,
    /// In the caseload, not in the import, but a case, place, member or setting names it: kept.
    pub closed_but_referenced: Vec<u32>,
}

/// Header names, exactly as GIAS spells them.
mod col {
    pub const URN: &str = "URN";
    pub const LA: &str = "LA (code)";
    pub const LA_NAME: &str = "LA (name)";
    pub const NAME: &str = "EstablishmentName";
    pub const TYPE: &str = "TypeOfEstablishment (name)";
    pub const STATUS: &str = "EstablishmentStatus (name)";
    pub const PHASE: &str = "PhaseOfEducation (name)";
    pub const LOW_AGE: &str = "StatutoryLowAge";
    pub const HIGH_AGE: &str = "StatutoryHighAge";
    pub const GENDER: &str = "Gender (name)";
    pub const RELIGION: &str = "ReligiousCharacter (name)";
    pub const ADMISSIONS: &str = "AdmissionsPolicy (name)";
    pub const PUPILS: &str = "NumberOfPupils";
    pub const POSTCODE: &str = "Postcode";
    pub const EASTING: &str = "Easting";
    pub const NORTHING: &str = "Northing";
    pub const OFSTED_PHASE: &str = "ofsted_phase";
    pub const OFSTED_TYPE: &str = "ofsted_type_of_education";
    pub const OFSTED_CONCERN: &str = "ofsted_category_of_concern";
}

/// Stop reading rows after this many errors: the file is the wrong one or badly broken, and the
/// first hundred (all that is printed) say so.
const ERROR_CAP: usize = 10 * MAX_REPORTED;

/// How many LA codes the "no schools for this LA" error lists.
const LA_CODES_SHOWN: usize = 10;

/// Longest stretch of a bad value quoted back in a message, in characters.
const QUOTE_CHARS: usize = 40;

/// Reads a GIAS establishment extract (the bytes of a CSV file) and returns the open schools of
/// the local authority `la_code` (e.g. 335 for Walsall).
///
/// Rows of other LAs, and rows whose status is not `Open` or `Open, but proposed to close`, are
/// skipped without a word. `Err` holds every problem found (at least one error, warnings too), so
/// that one run shows everything to fix.
pub fn read_extract(bytes: &[u8], la_code: u16) -> Result<Import, Vec<Problem>> {
    let (text, encoding) = decode(bytes).map_err(|p| vec![p])?;
    if text.trim().is_empty() {
        return Err(vec![Problem::error(
            "file",
            "the file is empty; download the establishment extract from GIAS again",
        )]);
    }

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(vec![Problem::error(
                HEADER,
                format!("cannot read the header row: {e}; save the file as CSV"),
            )]);
        }
    };
    let (cols, mut warnings) = Columns::find(&headers)?;

    let mut errors: Vec<Problem> = Vec::new();
    let mut schools: Vec<School> = Vec::new();
    let mut la_codes: BTreeSet<u16> = BTreeSet::new();
    let mut la_rows = 0usize;
    let mut open_rows = 0usize;
    let mut first_seen: HashMap<u32, (usize, u64)> = HashMap::new();
    let mut record = StringRecord::new();
    let mut row_no = 0usize;
    let mut la_name: Option<String> = None;

    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                row_no += 1;
                let line = lines.line_of(e.position().map_or(start, |p| p.byte()));
                errors.push(Problem::error(
                    format!("row {row_no} (line {line})"),
                    format!("cannot be read as CSV: {e}; re-save the file as CSV"),
                ));
                if errors.len() >= ERROR_CAP {
                    errors.push(stopped(row_no, line));
                    break;
                }
                continue;
            }
        }
        row_no += 1;
        // The csv crate's own line count is off by one per record with CRLF line ends (as
        // Windows and GIAS write them), so count the newlines before the record's first byte.
        let line = lines.line_of(record.position().map_or(start, |p| p.byte()));
        let row = Row {
            rec: &record,
            row: row_no,
            line,
        };

        if record.len() != headers.len() {
            errors.push(Problem::error(
                row.whole(),
                format!(
                    "has {} fields but the header has {}; a comma or quote is out of place, so re-export the file from GIAS",
                    record.len(),
                    headers.len()
                ),
            ));
        } else if let Some(la) = row.la_code(cols.la, &mut errors) {
            la_codes.insert(la);
            if la == la_code {
                la_rows += 1;
                if la_name.is_none() {
                    la_name = Some(row.opt(cols.la_name).to_owned()).filter(|n| !n.is_empty());
                }
                if is_open(row.get(cols.status)) {
                    open_rows += 1;
                    if let Some(school) = row.school(&cols, &mut errors, &mut warnings) {
                        match first_seen.get(&school.urn) {
                            Some((r, l)) => errors.push(Problem::error(
                                row.at(col::URN),
                                format!(
                                    "URN {} appears again (first at row {r} (line {l})); list each school once",
                                    school.urn
                                ),
                            )),
                            None => {
                                first_seen.insert(school.urn, (row.row, row.line));
                                schools.push(school);
                            }
                        }
                    }
                }
            }
        }
        if errors.len() >= ERROR_CAP {
            errors.push(stopped(row_no, line));
            break;
        }
    }

    if open_rows == 0 && errors.len() < ERROR_CAP {
        errors.push(no_schools(la_code, la_rows, &la_codes));
    }

    if errors.is_empty() {
        Ok(Import {
            schools,
            warnings,
            la_name,
            encoding,
        })
    } else {
        errors.append(&mut warnings);
        Err(errors)
    }
}

/// Merges imported schools into a caseload by URN.
///
/// A new URN is appended (new ones in ascending URN order, after the existing schools, whose order
/// is kept). An existing one takes every GIAS-derived field from the import but keeps the
/// caseload's own `pan`, `exemptions` and `prior_placements`; it counts as updated only if
/// something changed. A caseload school missing from the import has closed: it is removed, unless
/// a case, place, panel member or setting names its URN, in which case it stays and is reported in
/// `closed_but_referenced`. If the import lists a URN twice, the first one counts.
pub fn merge(caseload: &mut Caseload, imported: Vec<School>) -> MergeReport {
    let mut incoming: BTreeMap<u32, School> = BTreeMap::new();
    for s in imported {
        incoming.entry(s.urn).or_insert(s);
    }
    let referenced = referenced_urns(caseload);
    let mut report = MergeReport::default();
    let mut present: HashSet<u32> = HashSet::new();
    let old = std::mem::take(&mut caseload.schools);
    let mut kept: Vec<School> = Vec::with_capacity(old.len().max(incoming.len()));

    for school in old {
        present.insert(school.urn);
        match incoming.get(&school.urn) {
            Some(new) => {
                let mut merged = new.clone();
                merged.pan = school.pan.clone();
                merged.exemptions = school.exemptions.clone();
                merged.infant_classes_full = school.infant_classes_full.clone();
                merged.prior_placements = school.prior_placements.clone();
                if merged != school {
                    report.updated.push(school.urn);
                }
                kept.push(merged);
            }
            None if referenced.contains(&school.urn) => {
                report.closed_but_referenced.push(school.urn);
                kept.push(school);
            }
            None => report.closed.push(school.urn),
        }
    }
    for (urn, school) in incoming {
        if !present.contains(&urn) {
            report.added.push(urn);
            kept.push(school);
        }
    }
    caseload.schools = kept;

    for list in [
        &mut report.added,
        &mut report.updated,
        &mut report.closed,
        &mut report.closed_but_referenced,
    ] {
        list.sort_unstable();
        list.dedup();
    }
    report
}

/// Every URN the caseload names outside `schools`.
fn referenced_urns(c: &Caseload) -> HashSet<u32> {
    let mut r: HashSet<u32> = HashSet::new();
    for case in &c.cases {
        r.extend(case.in_year_apps.iter().map(|a| a.urn));
        r.extend(case.pex_history.iter().map(|x| x.urn));
        r.extend(case.suspensions.iter().map(|s| s.urn));
        r.extend(case.schools_attended.iter().filter_map(|a| a.urn));
        r.extend(case.preferences.iter().copied());
        r.extend(case.proposed_school);
        r.extend(case.referrer.urn);
    }
    r.extend(c.places.iter().map(|p| p.urn));
    r.extend(c.panel.members.iter().filter_map(|m| m.urn));
    r.extend(c.panel.settings.barred_schools.iter().map(|b| b.urn));
    r
}

const HEADER: &str = "header (line 1)";

/// The file's text, by the one rule for files made elsewhere (`io::text`): GIAS downloads are
/// Windows-1252, a file saved again may be UTF-8; a mix of both is refused at its first bad byte.
fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding), Problem> {
    crate::io::text::decode(bytes).map_err(|e| Problem::error("file", e.message()))
}

fn is_open(status: &str) -> bool {
    status.eq_ignore_ascii_case("Open")
        || status.eq_ignore_ascii_case("Open, but proposed to close")
}

fn stopped(row: usize, line: u64) -> Problem {
    Problem::error(
        "file",
        format!(
            "stopped reading at row {row} (line {line}) after {ERROR_CAP} errors; is this a GIAS establishment extract? Fix these and run again"
        ),
    )
}

fn no_schools(la_code: u16, la_rows: usize, la_codes: &BTreeSet<u16>) -> Problem {
    if la_rows > 0 {
        return Problem::error(
            "file",
            format!(
                "no open schools for LA {la_code}: none of its {la_rows} rows has the status Open or \"Open, but proposed to close\"; download an extract that includes open establishments"
            ),
        );
    }
    if la_codes.is_empty() {
        return Problem::error(
            "file",
            format!(
                "no schools for LA {la_code}; the file has no data rows; download the establishment extract from GIAS again"
            ),
        );
    }
    let mut shown: Vec<String> = la_codes
        .iter()
        .take(LA_CODES_SHOWN)
        .map(|c| format!("{c:03}"))
        .collect();
    if la_codes.len() > LA_CODES_SHOWN {
        shown.push(format!("and {} more", la_codes.len() - LA_CODES_SHOWN));
    }
    Problem::error(
        "file",
        format!(
            "no schools for LA {la_code}; the file has LA codes {}; check the LA code, or download the extract for LA {la_code}",
            shown.join(", ")
        ),
    )
}

/// File lines (from 1) of byte offsets, counted forward as the reader moves on.
struct LineCounter<'a> {
    text: &'a [u8],
    at: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> LineCounter<'a> {
        LineCounter {
            text,
            at: 0,
            line: 1,
        }
    }

    /// The line holding the first byte of a record that starts at or after `byte` (blank lines
    /// before a record are passed over, as the csv reader passes over them).
    fn line_of(&mut self, byte: u64) -> u64 {
        let mut b = usize::try_from(byte).map_or(self.text.len(), |b| b.min(self.text.len()));
        while matches!(self.text.get(b), Some(b'\r' | b'\n')) {
            b += 1;
        }
        if b < self.at {
            self.at = 0;
            self.line = 1;
        }
        let newlines = self
            .text
            .get(self.at..b)
            .map_or(0, |s| s.iter().filter(|c| **c == b'\n').count());
        self.line += newlines as u64;
        self.at = b;
        self.line
    }
}

/// Where each needed column is.
struct Columns {
    urn: usize,
    la: usize,
    name: usize,
    school_type: usize,
    status: usize,
    low_age: usize,
    high_age: usize,
    phase: Option<usize>,
    gender: Option<usize>,
    religion: Option<usize>,
    admissions: Option<usize>,
    pupils: Option<usize>,
    postcode: Option<usize>,
    /// Both or neither: half a grid reference is no use.
    grid: Option<(usize, usize)>,
    ofsted_phase: Option<usize>,
    ofsted_type: Option<usize>,
    ofsted_concern: Option<usize>,
    la_name: Option<usize>,
}

impl Columns {
    fn find(headers: &StringRecord) -> Result<(Columns, Vec<Problem>), Vec<Problem>> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut find = |name: &str| -> Option<usize> {
            let mut hits = headers
                .iter()
                .enumerate()
                .filter(|(_, h)| h.trim().eq_ignore_ascii_case(name))
                .map(|(i, _)| i);
            let first = hits.next()?;
            if let Some(second) = hits.next() {
                errors.push(Problem::error(
                    HEADER,
                    format!(
                        "column \"{name}\" appears twice (columns {} and {}); remove one of them",
                        first + 1,
                        second + 1
                    ),
                ));
            }
            Some(first)
        };
        let urn = find(col::URN);
        let la = find(col::LA);
        let name = find(col::NAME);
        let school_type = find(col::TYPE);
        let status = find(col::STATUS);
        let low_age = find(col::LOW_AGE);
        let high_age = find(col::HIGH_AGE);
        let phase = find(col::PHASE);
        let gender = find(col::GENDER);
        let religion = find(col::RELIGION);
        let admissions = find(col::ADMISSIONS);
        let pupils = find(col::PUPILS);
        let postcode = find(col::POSTCODE);
        let easting = find(col::EASTING);
        let northing = find(col::NORTHING);
        let ofsted_phase = find(col::OFSTED_PHASE);
        let ofsted_type = find(col::OFSTED_TYPE);
        let ofsted_concern = find(col::OFSTED_CONCERN);
        let la_name = find(col::LA_NAME);

        for (found, name) in [
            (urn, col::URN),
            (la, col::LA),
            (name, col::NAME),
            (school_type, col::TYPE),
            (status, col::STATUS),
            (low_age, col::LOW_AGE),
            (high_age, col::HIGH_AGE),
        ] {
            if found.is_none() {
                errors.push(Problem::error(
                    HEADER,
                    format!(
                        "no column \"{name}\"; use the GIAS \"all establishment fields\" extract, or add the column with this exact header"
                    ),
                ));
            }
        }
        if phase.is_none() && ofsted_phase.is_none() {
            warnings.push(Problem::warning(
                HEADER,
                format!(
                    "no column \"{}\"; every school's phase is recorded as not_applicable, so use the full GIAS extract",
                    col::PHASE
                ),
            ));
        }
        if gender.is_none() {
            warnings.push(Problem::warning(
                HEADER,
                format!(
                    "no column \"{}\"; every school's gender is recorded as unknown, so use the full GIAS extract",
                    col::GENDER
                ),
            ));
        }
        let grid = match (easting, northing) {
            (Some(e), Some(n)) => Some((e, n)),
            (None, None) => None,
            (Some(_), None) | (None, Some(_)) => {
                let missing = if easting.is_none() {
                    col::EASTING
                } else {
                    col::NORTHING
                };
                warnings.push(Problem::warning(
                    HEADER,
                    format!(
                        "no column \"{missing}\", so no school gets a grid reference; use the full GIAS extract"
                    ),
                ));
                None
            }
        };

        match (urn, la, name, school_type, status, low_age, high_age) {
            (
                Some(urn),
                Some(la),
                Some(name),
                Some(school_type),
                Some(status),
                Some(lo),
                Some(hi),
            ) if errors.is_empty() => Ok((
                Columns {
                    urn,
                    la,
                    name,
                    school_type,
                    status,
                    low_age: lo,
                    high_age: hi,
                    phase,
                    gender,
                    religion,
                    admissions,
                    pupils,
                    postcode,
                    grid,
                    ofsted_phase,
                    ofsted_type,
                    ofsted_concern,
                    la_name,
                },
                warnings,
            )),
            // Warnings about optional columns would only bury the errors here.
            _ => Err(errors),
        }
    }
}

/// One data row and where it sits in the file.
struct Row<'a> {
    rec: &'a StringRecord,
    /// First data row = 1.
    row: usize,
    /// File line where the record starts; the header is line 1.
    line: u64,
}

impl Row<'_> {
    fn get(&self, i: usize) -> &str {
        self.rec.get(i).unwrap_or("").trim()
    }

    fn opt(&self, i: Option<usize>) -> &str {
        i.map_or("", |i| self.get(i))
    }

    fn whole(&self) -> String {
        format!("row {} (line {})", self.row, self.line)
    }

    fn at(&self, column: &str) -> String {
        format!("row {} (line {}), column \"{column}\"", self.row, self.line)
    }

    fn la_code(&self, i: usize, errors: &mut Vec<Problem>) -> Option<u16> {
        let v = self.get(i);
        if v.is_empty() {
            errors.push(Problem::error(
                self.at(col::LA),
                "blank; every establishment has a three-digit LA code, so re-export the file from GIAS",
            ));
            return None;
        }
        match v.parse::<u16>() {
            Ok(n) if n <= 999 => Some(n),
            _ => {
                errors.push(Problem::error(
                    self.at(col::LA),
                    format!(
                        "not an LA code: {}; an LA code is three digits, e.g. 335",
                        quote(v)
                    ),
                ));
                None
            }
        }
    }

    /// A whole number, or an error saying what to give instead.
    fn number<T: FromStr>(
        &self,
        i: usize,
        column: &str,
        hint: &str,
        errors: &mut Vec<Problem>,
    ) -> Option<T> {
        let v = self.get(i);
        match v.parse::<T>() {
            Ok(n) if v.bytes().all(|b| b.is_ascii_digit()) => Some(n),
            _ => {
                let what = if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                    "too large"
                } else {
                    "not a whole number"
                };
                errors.push(Problem::error(
                    self.at(column),
                    format!("{what}: {}; {hint}", quote(v)),
                ));
                None
            }
        }
    }

    /// An optional whole number: blank (or no such column) is `None`.
    fn optional<T: FromStr>(
        &self,
        i: Option<usize>,
        column: &str,
        hint: &str,
        errors: &mut Vec<Problem>,
    ) -> Option<T> {
        match i {
            Some(i) if !self.get(i).is_empty() => self.number(i, column, hint, errors),
            _ => None,
        }
    }

    /// The school in this row, or `None` with the reasons pushed to `errors`.
    fn school(
        &self,
        c: &Columns,
        errors: &mut Vec<Problem>,
        warnings: &mut Vec<Problem>,
    ) -> Option<School> {
        let before = errors.len();

        let urn_raw = self.get(c.urn);
        let urn = if urn_raw.is_empty() {
            errors.push(Problem::error(
                self.at(col::URN),
                "blank; every school needs its six-digit URN",
            ));
            None
        } else {
            match self.number::<u32>(c.urn, col::URN, "a URN has six digits", errors) {
                Some(u) if (100_000..=999_999).contains(&u) => Some(u),
                Some(_) => {
                    errors.push(Problem::error(
                        self.at(col::URN),
                        format!("not a URN: {}; a URN has six digits", quote(urn_raw)),
                    ));
                    None
                }
                None => None,
            }
        };

        let name = self.get(c.name);
        if name.is_empty() {
            errors.push(Problem::error(
                self.at(col::NAME),
                "blank; every school needs its name",
            ));
        }

        let gias_type = self.get(c.school_type);
        let school_type = if gias_type.is_empty() {
            gias_type_wording(self.opt(c.ofsted_type))
        } else {
            gias_type.to_owned()
        };
        if school_type.is_empty() {
            errors.push(Problem::error(
                self.at(col::TYPE),
                format!(
                    "blank, and no \"{}\" to fall back on; the type decides whether a school is AP, a PRU or special, so fill it in",
                    col::OFSTED_TYPE
                ),
            ));
        }

        let (low_raw, high_raw) = (self.get(c.low_age), self.get(c.high_age));
        if low_raw.is_empty() || high_raw.is_empty() {
            if errors.len() == before {
                warnings.push(Problem::warning(
                    self.whole(),
                    format!(
                        "skipped URN {}, {}: no statutory age range, so it is not a school the panel places children in",
                        urn_raw,
                        quote(name)
                    ),
                ));
            }
            return None;
        }
        let age_hint = "give the age in whole years, e.g. 11";
        let low_age: Option<u8> = self.number(c.low_age, col::LOW_AGE, age_hint, errors);
        let high_age: Option<u8> = self.number(c.high_age, col::HIGH_AGE, age_hint, errors);
        if let (Some(lo), Some(hi)) = (low_age, high_age)
            && lo > hi
        {
            errors.push(Problem::error(
                self.at(col::LOW_AGE),
                format!(
                    "{lo} is above {} {hi}; correct the age range",
                    col::HIGH_AGE
                ),
            ));
        }

        let on_roll: Option<u32> = self.optional(
            c.pupils,
            col::PUPILS,
            "give the number on roll, or leave it blank",
            errors,
        );
        let grid_hint = "give British National Grid metres, or leave it blank";
        let easting: Option<u32> =
            self.optional(c.grid.map(|g| g.0), col::EASTING, grid_hint, errors);
        let northing: Option<u32> =
            self.optional(c.grid.map(|g| g.1), col::NORTHING, grid_hint, errors);
        let (easting, northing) = match (easting, northing) {
            // GIAS writes 0, 0 for an establishment it has not located.
            (Some(0), Some(0)) => (None, None),
            (Some(e), Some(n)) => (Some(e), Some(n)),
            (None, None) => (None, None),
            (e, _) => {
                if errors.len() == before {
                    let missing = if e.is_none() {
                        col::EASTING
                    } else {
                        col::NORTHING
                    };
                    warnings.push(Problem::warning(
                        self.at(missing),
                        "blank while the other half of the grid reference is given; the school gets no grid reference",
                    ));
                }
                (None, None)
            }
        };

        let ofsted_phase = self.opt(c.ofsted_phase);
        let gias_phase = self.opt(c.phase);
        let mut special_by_phase = false;
        let mut ap_by_phase = false;
        if ofsted_phase.eq_ignore_ascii_case("Special") {
            special_by_phase = true;
        } else if ofsted_phase.eq_ignore_ascii_case("PRU") {
            // Ofsted's "PRU" phase covers every kind of AP: PRUs, AP academies and AP free
            // schools. Only the type says whether it is a PRU.
            ap_by_phase = true;
        }
        let phase = if gias_phase.is_empty() {
            match phase_from_ofsted(ofsted_phase) {
                Some(p) => Some(p),
                None => {
                    if c.phase.is_some() || c.ofsted_phase.is_some() {
                        warnings.push(Problem::warning(
                            self.at(col::PHASE),
                            "blank, and no Ofsted phase to fall back on; recorded as not_applicable, so check the school's phase",
                        ));
                    }
                    Some(Phase::NotApplicable)
                }
            }
        } else {
            let p = phase_from_gias(gias_phase);
            if p.is_none() {
                errors.push(Problem::error(
                    self.at(col::PHASE),
                    format!(
                        "not a GIAS phase: {}; expected Nursery, Primary, Middle deemed primary, Middle deemed secondary, Secondary, All-through, 16 plus or Not applicable",
                        quote(gias_phase)
                    ),
                ));
            }
            p
        };

        let gender_raw = self.opt(c.gender);
        let gender = match gender_raw.to_ascii_lowercase().as_str() {
            "mixed" => Gender::Mixed,
            "boys" => Gender::Boys,
            "girls" => Gender::Girls,
            "" | "not applicable" => Gender::Unknown,
            _ => {
                warnings.push(Problem::warning(
                    self.at(col::GENDER),
                    format!(
                        "not Mixed, Boys or Girls: {}; recorded as unknown",
                        quote(gender_raw)
                    ),
                ));
                Gender::Unknown
            }
        };

        let religion = match self.opt(c.religion) {
            r if r.is_empty()
                || r.eq_ignore_ascii_case("Does not apply")
                || r.eq_ignore_ascii_case("None") =>
            {
                None
            }
            r => Some(r.to_owned()),
        };
        let selective = self.opt(c.admissions).eq_ignore_ascii_case("Selective");
        let postcode = Some(self.opt(c.postcode))
            .filter(|p| !p.is_empty())
            .map(str::to_owned);

        let concern = self.opt(c.ofsted_concern);
        let ofsted_category = if concern.is_empty() {
            None
        } else if concern.eq_ignore_ascii_case("SM") {
            Some(OfstedCategory::SpecialMeasures)
        } else if concern.eq_ignore_ascii_case("SWK") {
            Some(OfstedCategory::SeriousWeaknesses)
        } else {
            warnings.push(Problem::warning(
                self.at(col::OFSTED_CONCERN),
                format!(
                    "not SM or SWK: {}; no category of concern recorded, so check the school's Ofsted report",
                    quote(concern)
                ),
            ));
            None
        };

        let type_lower = school_type.to_lowercase();
        let pru = type_lower == "pupil referral unit";
        let ap = pru || ap_by_phase || type_lower.contains("alternative provision");
        let special = special_by_phase || type_lower.contains("special");

        if errors.len() != before {
            return None;
        }
        Some(School {
            urn: urn?,
            name: name.to_owned(),
            school_type,
            phase: phase?,
            low_age: low_age?,
            high_age: high_age?,
            gender,
            selective,
            religion,
            on_roll,
            pan: BTreeMap::new(),
            ofsted_category,
            postcode,
            easting,
            northing,
            ap,
            special,
            pru,
            infant_classes_full: Vec::new(),
            exemptions: Vec::new(),
            prior_placements: None,
        })
    }
}

fn phase_from_gias(s: &str) -> Option<Phase> {
    const PHASES: [(&str, Phase); 8] = [
        ("Nursery", Phase::Nursery),
        ("Primary", Phase::Primary),
        ("Middle deemed primary", Phase::MiddleDeemedPrimary),
        ("Middle deemed secondary", Phase::MiddleDeemedSecondary),
        ("Secondary", Phase::Secondary),
        ("All-through", Phase::AllThrough),
        ("16 plus", Phase::SixteenPlus),
        ("Not applicable", Phase::NotApplicable),
    ];
    PHASES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(s))
        .map(|(_, p)| *p)
}

/// Ofsted's phase (Primary / Secondary / Nursery / Special / PRU) where GIAS gives none.
fn phase_from_ofsted(s: &str) -> Option<Phase> {
    match s.to_ascii_lowercase().as_str() {
        "nursery" => Some(Phase::Nursery),
        "primary" => Some(Phase::Primary),
        "secondary" => Some(Phase::Secondary),
        "special" | "pru" => Some(Phase::NotApplicable),
        _ => None,
    }
}

/// Ofsted's "Type of education" in GIAS wording (shared PROVENANCE.md: checked against 3,387
/// schools in both sources with no disagreement), so a school reads the same whichever source
/// supplied its type. Wording not in the table is kept as it is.
fn gias_type_wording(ofsted: &str) -> String {
    const TYPES: [(&str, &str); 21] = [
        ("Academy Converter", "Academy converter"),
        ("Academy Sponsor Led", "Academy sponsor led"),
        ("Academy Special Converter", "Academy special converter"),
        ("Academy Special Sponsor Led", "Academy special sponsor led"),
        (
            "Academy Alternative Provision Converter",
            "Academy alternative provision converter",
        ),
        (
            "Academy Alternative Provision Sponsor Led",
            "Academy alternative provision sponsor led",
        ),
        ("Community School", "Community school"),
        ("Community Special School", "Community special school"),
        ("Foundation School", "Foundation school"),
        ("Foundation Special School", "Foundation special school"),
        ("Voluntary Aided School", "Voluntary aided school"),
        ("Voluntary Controlled School", "Voluntary controlled school"),
        ("Free School", "Free schools"),
        ("Free School Special", "Free schools special"),
        (
            "Free School - Alternative Provision",
            "Free schools alternative provision",
        ),
        ("Pupil Referral Unit", "Pupil referral unit"),
        ("LA Nursery School", "Local authority nursery school"),
        (
            "Non-Maintained Special School",
            "Non-maintained special school",
        ),
        ("Studio School", "Studio schools"),
        (
            "University Technical College",
            "University technical college",
        ),
        ("City Technology College", "City technology college"),
    ];
    TYPES
        .iter()
        .find(|(o, _)| o.eq_ignore_ascii_case(ofsted))
        .map_or_else(|| ofsted.to_owned(), |(_, g)| (*g).to_owned())
}

/// A value from the file, quoted for a message and cut short if long (escaped where the message
/// is printed).
fn quote(v: &str) -> String {
    let mut chars = v.chars();
    let head: String = chars.by_ref().take(QUOTE_CHARS).collect();
    let more = if chars.next().is_some() { "…" } else { "" };
    format!("\"{head}{more}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::problem::Severity;

    const HEAD: &str = "URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),StatutoryLowAge,StatutoryHighAge,Gender (name),ReligiousCharacter (name),AdmissionsPolicy (name),NumberOfPupils,Postcode,Easting,Northing";

    fn csv(rows: &[&str]) -> Vec<u8> {
        let mut s = String::from(HEAD);
        for r in rows {
            s.push('\n');
            s.push_str(r);
        }
        s.push('\n');
        s.into_bytes()
    }

    fn errors(r: Result<Import, Vec<Problem>>) -> Vec<Problem> {
        match r {
            Ok(i) => panic!("expected errors, got {} schools", i.schools.len()),
            Err(p) => p
                .into_iter()
                .filter(|p| p.severity == Severity::Error)
                .collect(),
        }
    }

    const GOOD: &str = "100001,335,Alpha School,Community school,Open,Primary,4,11,Mixed,Does not apply,Not applicable,210,WS1 1AA,400000,300000";

    #[test]
    fn statuses_and_las_filter_silently() {
        let bytes = csv(&[
            GOOD,
            "100002,335,Beta,Community school,Closed,Primary,4,11,Mixed,,,,,,",
            "100003,335,Gamma,Community school,\"Open, but proposed to close\",Primary,4,11,,,,,,,",
            "100004,886,Delta,Community school,Open,Primary,x,11,,,,,,,",
            "100005,335,Epsilon,Community school,Proposed to open,Primary,4,11,,,,,,,",
        ]);
        let i = read_extract(&bytes, 335).unwrap();
        let urns: Vec<u32> = i.schools.iter().map(|s| s.urn).collect();
        assert_eq!(urns, [100001, 100003]);
        assert!(i.warnings.is_empty(), "{:?}", i.warnings);
    }

    #[test]
    fn fields_are_mapped() {
        let i = read_extract(&csv(&[GOOD]), 335).unwrap();
        let s = &i.schools[0];
        assert_eq!(s.name, "Alpha School");
        assert_eq!(s.school_type, "Community school");
        assert_eq!(s.phase, Phase::Primary);
        assert_eq!((s.low_age, s.high_age), (4, 11));
        assert_eq!(s.gender, Gender::Mixed);
        assert_eq!(s.religion, None);
        assert!(!s.selective);
        assert_eq!(s.on_roll, Some(210));
        assert_eq!(s.postcode.as_deref(), Some("WS1 1AA"));
        assert_eq!((s.easting, s.northing), (Some(400000), Some(300000)));
        assert!(!s.ap && !s.pru && !s.special);
        assert!(s.pan.is_empty() && s.exemptions.is_empty() && s.prior_placements.is_none());
    }

    #[test]
    fn every_gias_phase_is_known() {
        for (name, phase) in [
            ("Nursery", Phase::Nursery),
            ("Primary", Phase::Primary),
            ("Middle deemed primary", Phase::MiddleDeemedPrimary),
            ("Middle deemed secondary", Phase::MiddleDeemedSecondary),
            ("Secondary", Phase::Secondary),
            ("All-through", Phase::AllThrough),
            ("16 plus", Phase::SixteenPlus),
            ("Not applicable", Phase::NotApplicable),
        ] {
            assert_eq!(phase_from_gias(name), Some(phase), "{name}");
        }
        assert_eq!(phase_from_gias("Tertiary"), None);
    }

    #[test]
    fn ofsted_types_take_gias_wording() {
        assert_eq!(
            gias_type_wording("Pupil Referral Unit"),
            "Pupil referral unit"
        );
        assert_eq!(
            gias_type_wording("Free School - Alternative Provision"),
            "Free schools alternative provision"
        );
        assert_eq!(gias_type_wording("Something New"), "Something New");
        assert_eq!(gias_type_wording(""), "");
    }

    #[test]
    fn bad_values_name_row_line_and_column() {
        let bytes = csv(&[
            GOOD,
            "100002,335,Beta,Community school,Open,Primary,eleven,11,,,,,,,",
            "100003,335,Gamma,Community school,Open,Tertiary,4,11,,,,lots,,4x,300000",
            "12,335,Delta,Community school,Open,Primary,11,4,,,,,,,",
        ]);
        let e = errors(read_extract(&bytes, 335));
        let shown: Vec<String> = e.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            [
                "row 2 (line 3), column \"StatutoryLowAge\": not a whole number: \"eleven\"; give the age in whole years, e.g. 11",
                "row 3 (line 4), column \"NumberOfPupils\": not a whole number: \"lots\"; give the number on roll, or leave it blank",
                "row 3 (line 4), column \"Easting\": not a whole number: \"4x\"; give British National Grid metres, or leave it blank",
                "row 3 (line 4), column \"PhaseOfEducation (name)\": not a GIAS phase: \"Tertiary\"; expected Nursery, Primary, Middle deemed primary, Middle deemed secondary, Secondary, All-through, 16 plus or Not applicable",
                "row 4 (line 5), column \"URN\": not a URN: \"12\"; a URN has six digits",
                "row 4 (line 5), column \"StatutoryLowAge\": 11 is above StatutoryHighAge 4; correct the age range",
            ]
        );
    }

    #[test]
    fn age_too_large_for_a_byte() {
        let e = errors(read_extract(
            &csv(&["100002,335,Beta,Community school,Open,Primary,4,300,,,,,,,"]),
            335,
        ));
        assert_eq!(e[0].path, "row 1 (line 2), column \"StatutoryHighAge\"");
        assert!(
            e[0].message.starts_with("too large: \"300\""),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn duplicate_urn_is_an_error() {
        let e = errors(read_extract(&csv(&[GOOD, GOOD]), 335));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].path, "row 2 (line 3), column \"URN\"");
        assert!(
            e[0].message.contains("first at row 1 (line 2)"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn quoted_newlines_keep_file_lines() {
        let bytes = csv(&[
            "100001,335,\"Alpha\nAnnexe\",Community school,Open,Primary,4,11,,,,,,,",
            "100002,335,Beta,Community school,Open,Primary,x,11,,,,,,,",
        ]);
        let e = errors(read_extract(&bytes, 335));
        assert_eq!(e[0].path, "row 2 (line 4), column \"StatutoryLowAge\"");
    }

    #[test]
    fn crlf_and_blank_lines_keep_file_lines() {
        let text = format!(
            "{HEAD}\r\n{GOOD}\r\n\r\n100002,335,\"Beta\r\nAnnexe\",Community school,Open,Primary,4,11,,,,,,,\r\n100003,335,Gamma,Community school,Open,Primary,x,11,,,,,,,\r\n"
        );
        let e = errors(read_extract(text.as_bytes(), 335));
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].path, "row 3 (line 6), column \"StatutoryLowAge\"");
    }

    #[test]
    fn short_row_is_an_error() {
        let e = errors(read_extract(&csv(&[GOOD, "100002,335,Beta"]), 335));
        assert_eq!(e[0].path, "row 2 (line 3)");
        assert!(
            e[0].message
                .starts_with("has 3 fields but the header has 15")
        );
    }

    #[test]
    fn blank_ages_skip_with_a_warning() {
        let i = read_extract(
            &csv(&[
                GOOD,
                "100009,335,Walsall College,Further education,Open,16 plus,,,,,,,,,",
            ]),
            335,
        )
        .unwrap();
        assert_eq!(i.schools.len(), 1);
        assert_eq!(i.warnings.len(), 1);
        assert_eq!(i.warnings[0].path, "row 2 (line 3)");
        assert!(i.warnings[0].message.contains("100009"));
    }

    #[test]
    fn blank_type_without_fallback_is_an_error() {
        let e = errors(read_extract(
            &csv(&["100002,335,Beta,,Open,Primary,4,11,,,,,,,"]),
            335,
        ));
        assert_eq!(
            e[0].path,
            "row 1 (line 2), column \"TypeOfEstablishment (name)\""
        );
    }

    #[test]
    fn ofsted_columns_fill_blank_gias_cells() {
        let text = format!(
            "{HEAD},ofsted_phase,ofsted_type_of_education,ofsted_category_of_concern\n\
             100001,335,Unit,,Open,,11,16,,,,,,,,PRU,Pupil Referral Unit,SWK\n\
             100002,335,Hill,,Open,,3,19,,,,,,,,Special,Academy Special Converter,\n\
             100003,335,Vale,Community school,Open,,4,11,,,,,,,,Primary,Community School,SM\n\
             100004,335,Odd,Community school,Open,,4,11,,,,,,,,,Community School,XX\n"
        );
        let i = read_extract(text.as_bytes(), 335).unwrap();
        let [unit, hill, vale, odd] = &i.schools[..] else {
            panic!("{:?}", i.schools)
        };
        assert_eq!(unit.school_type, "Pupil referral unit");
        assert!(unit.pru && unit.ap && !unit.special);
        assert_eq!(unit.phase, Phase::NotApplicable);
        assert_eq!(
            unit.ofsted_category,
            Some(OfstedCategory::SeriousWeaknesses)
        );
        assert_eq!(hill.school_type, "Academy special converter");
        assert!(hill.special && !hill.ap && !hill.pru);
        assert_eq!(hill.phase, Phase::NotApplicable);
        assert_eq!(vale.phase, Phase::Primary);
        assert_eq!(vale.ofsted_category, Some(OfstedCategory::SpecialMeasures));
        assert_eq!(odd.phase, Phase::NotApplicable);
        assert_eq!(odd.ofsted_category, None);
        let paths: Vec<&str> = i.warnings.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "row 4 (line 5), column \"PhaseOfEducation (name)\"",
                "row 4 (line 5), column \"ofsted_category_of_concern\"",
            ]
        );
    }

    #[test]
    fn zero_grid_reference_means_unknown() {
        let i = read_extract(
            &csv(&["100002,335,Beta,Community school,Open,Primary,4,11,,,,,,0,0"]),
            335,
        )
        .unwrap();
        assert_eq!((i.schools[0].easting, i.schools[0].northing), (None, None));
    }

    #[test]
    fn many_las_listed_up_to_ten() {
        let rows: Vec<String> = (0..12)
            .map(|k| {
                format!(
                    "1000{:02},{},S,Community school,Open,Primary,4,11,,,,,,,",
                    k,
                    300 + k
                )
            })
            .collect();
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        let e = errors(read_extract(&csv(&refs), 886));
        assert_eq!(
            e[0].message,
            "no schools for LA 886; the file has LA codes 300, 301, 302, 303, 304, 305, 306, 307, 308, 309, and 2 more; check the LA code, or download the extract for LA 886"
        );
    }

    #[test]
    fn closed_only_la_says_so() {
        let e = errors(read_extract(
            &csv(&["100002,335,Beta,Community school,Closed,Primary,4,11,,,,,,,"]),
            335,
        ));
        assert!(
            e[0].message.starts_with("no open schools for LA 335"),
            "{}",
            e[0].message
        );
    }

    #[test]
    fn encodings() {
        assert!(matches!(
            decode(b"\xEF\xBB\xBFURN"),
            Ok((Cow::Borrowed("URN"), Encoding::Utf8))
        ));
        assert_eq!(
            decode(b"caf\xE9").unwrap(),
            (Cow::Borrowed("café"), Encoding::Windows1252)
        );
        assert!(decode(b"\xFF\xFEU\0").is_err());
        assert!(decode(b"\xEF\xBB\xBFcaf\xE9").is_err());
        let e = errors(read_extract(b"", 335));
        assert!(e[0].message.starts_with("the file is empty"));
    }

    #[test]
    fn error_cap_stops_reading() {
        let rows: Vec<String> = (0..1500)
            .map(|k| {
                format!(
                    "{},335,S,Community school,Open,Primary,x,11,,,,,,,",
                    200_000 + k
                )
            })
            .collect();
        let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
        let e = errors(read_extract(&csv(&refs), 335));
        assert_eq!(e.len(), ERROR_CAP + 1);
        assert!(
            e[ERROR_CAP]
                .message
                .starts_with("stopped reading at row 1000 (line 1001)")
        );
    }

    #[test]
    fn long_values_are_cut_short() {
        let long = "x".repeat(100);
        assert_eq!(quote(&long), format!("\"{}…\"", "x".repeat(40)));
        // Kept as it is here; `cli::out` escapes it on the way to stderr (tests/escaping.rs).
        assert_eq!(quote("a\u{1b}b"), "\"a\u{1b}b\"");
    }
}
