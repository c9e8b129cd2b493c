//! Reads a DfE Common Transfer File (CTF, dfe-formats.md §1) into what a case holds about its
//! pupil, and merges it into a caseload's cases.
//!
//! Pure functions: bytes in, pupils and problems out. Every problem names the XML element path
//! (`CTfile/CTFpupilData/Pupil[2]/DOB`, positions counted from 1 as XPath counts them) and what
//! to do; no message quotes a pupil's value. Text from the file that a message does quote (an
//! element's name, the header's version) is escaped where it is printed (`cli::out`).

use std::borrow::Cow;

use quick_xml::events::Event;
use serde::Deserialize;

use crate::domain::caseload::{Attendance, Attended, Caseload, Sen, Sex};
use crate::domain::dates::Date;
use crate::domain::problem::{Problem, Severity};
use crate::domain::upn;
use crate::domain::year_group::YearGroup;
use crate::io::diag::LineIndex;

/// The CTF version of the school year 2025/26 (valid from September 2025), and the one before:
/// MIS accept the current and previous versions (dfe-formats.md §1); fairpanel does the same.
pub const CURRENT_VERSION: &str = "25.0";
pub const PREVIOUS_VERSION: &str = "24.0";

/// The root of every element path.
const ROOT: &str = "CTfile";
const PUPILS: &str = "CTfile/CTFpupilData";

/// A CTF read: its version and pupils, and what is worth a warning.
#[derive(Debug, Clone, PartialEq)]
pub struct CtfFile {
    pub version: String,
    pub pupils: Vec<CtfPupil>,
    pub warnings: Vec<Problem>,
}

/// One `Pupil`: what fairpanel takes from it, each value checked, and where it sits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CtfPupil {
    /// `CTfile/CTFpupilData/Pupil[n]`.
    pub path: String,
    pub upn: Option<String>,
    pub former_upn: Option<String>,
    pub uln: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub date_of_birth: Option<Date>,
    /// With the element it came from (`Gender` or `Sex`).
    pub sex: Option<(Sex, &'static str)>,
    pub year_group: Option<YearGroup>,
    pub lac: Option<bool>,
    /// With the path of the `SEN` entry it came from.
    pub sen: Option<(Sen, String)>,
    pub sen_need: Option<(String, String)>,
    pub schools: Vec<Attended>,
    pub attendance: Option<Attendance>,
}

// The file as serde sees it: every leaf a string, checked by hand below so that a message can
// name the element and never quote the value.

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawFile {
    #[serde(rename = "Header")]
    header: Option<RawHeader>,
    #[serde(rename = "CTFpupilData")]
    data: Option<RawData>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawHeader {
    #[serde(rename = "CTFversion")]
    version: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawData {
    #[serde(rename = "Pupil")]
    pupils: Vec<RawPupil>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
struct RawPupil {
    #[serde(rename = "UPN")]
    upn: Option<String>,
    unique_learner_number: Option<String>,
    surname: Option<String>,
    forename: Option<String>,
    #[serde(rename = "DOB")]
    dob: Option<String>,
    gender: Option<String>,
    sex: Option<String>,
    basic_details: Option<RawBasic>,
    looked_after: Option<RawLookedAfter>,
    #[serde(rename = "SENhistory")]
    sen_history: Option<RawSenHistory>,
    attendance: Option<RawAttendance>,
    school_history: Option<RawSchoolHistory>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawBasic {
    #[serde(rename = "FormerUPN")]
    former_upn: Option<String>,
    #[serde(rename = "NCyearActual")]
    nc_year: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawLookedAfter {
    #[serde(rename = "InCare")]
    in_care: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawSenHistory {
    #[serde(rename = "SEN")]
    sen: Vec<RawSen>,
    #[serde(rename = "SENneeds")]
    needs: Option<RawSenNeeds>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawSen {
    #[serde(rename = "StartDate")]
    start: Option<String>,
    #[serde(rename = "SENprovision")]
    provision: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawSenNeeds {
    #[serde(rename = "SENneed")]
    needs: Vec<RawSenNeed>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawSenNeed {
    #[serde(rename = "SENtypeRank")]
    rank: Option<String>,
    #[serde(rename = "SENtype")]
    kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawAttendance {
    #[serde(rename = "YearData")]
    years: Vec<RawYearData>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
struct RawYearData {
    year: Option<String>,
    sessions_possible: Option<String>,
    sessions_attended: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawSchoolHistory {
    #[serde(rename = "School")]
    schools: Vec<RawSchool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
struct RawSchool {
    #[serde(rename = "LEA")]
    lea: Option<String>,
    estab: Option<String>,
    #[serde(rename = "URN")]
    urn: Option<String>,
    school_name: Option<String>,
    entry_date: Option<String>,
    leaving_date: Option<String>,
}

/// Trimmed, and `None` when empty.
fn value(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Reads a CTF (the bytes of an XML file). `Err` holds every problem found, at least one an
/// error, so one run shows everything to fix.
pub fn read(bytes: &[u8]) -> Result<CtfFile, Vec<Problem>> {
    let text = crate::io::text::decode(bytes)
        .map(|(t, _)| t)
        .map_err(|e| vec![Problem::error("(file)", e.message())])?;
    let text: Cow<'_, str> = match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.strip_prefix('\u{feff}').unwrap_or(s)),
        Cow::Owned(s) => Cow::Owned(s.trim_start_matches('\u{feff}').to_owned()),
    };
    well_formed(&text)?;
    let mut de = quick_xml::de::Deserializer::from_str(&text);
    let raw: RawFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let mut path = String::from(ROOT);
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => {
                    path.push_str(&format!("[{}]", index + 1));
                }
                serde_path_to_error::Segment::Map { key } => {
                    path.push('/');
                    path.push_str(shown_element(key));
                }
                _ => {}
            }
        }
        vec![Problem::error(
            path,
            "not laid out as a CTF lays it out (an element given twice, or holding other elements where text belongs); ask the sending school to export the CTF again",
        )]
    })?;

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let version = match raw.header.as_ref().and_then(|h| value(&h.version)) {
        None => {
            errors.push(Problem::error(
                format!("{ROOT}/Header/CTFversion"),
                "missing: a CTF's header says its version; ask the sending school to export the CTF again",
            ));
            String::new()
        }
        Some(v) => {
            if v != CURRENT_VERSION && v != PREVIOUS_VERSION {
                warnings.push(Problem::warning(
                    format!("{ROOT}/Header/CTFversion"),
                    format!(
                        "version {} is neither {CURRENT_VERSION} (current) nor {PREVIOUS_VERSION} (previous), the versions fairpanel reads; its elements were read by the names CTF {} uses, so check the result, or ask the sending school for a CTF {}",
                        quote(v),
                        major(CURRENT_VERSION),
                        major(CURRENT_VERSION)
                    ),
                ));
            }
            v.to_owned()
        }
    };
    let raw_pupils = raw.data.map(|d| d.pupils).unwrap_or_default();
    if raw_pupils.is_empty() {
        errors.push(Problem::error(
            format!("{PUPILS}/Pupil"),
            "the file holds no pupils; check that this is the pupil's CTF and not a header-only file",
        ));
    }
    let pupils: Vec<CtfPupil> = raw_pupils
        .iter()
        .enumerate()
        .map(|(i, p)| {
            pupil(
                p,
                format!("{PUPILS}/Pupil[{}]", i + 1),
                &mut errors,
                &mut warnings,
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(CtfFile {
            version,
            pupils,
            warnings,
        })
    } else {
        errors.append(&mut warnings);
        Err(errors)
    }
}

fn major(v: &str) -> &str {
    v.split('.').next().unwrap_or(v)
}

/// A header value, quoted for a message and cut short.
fn quote(v: &str) -> String {
    let mut chars = v.chars();
    let head: String = chars.by_ref().take(20).collect();
    let more = if chars.next().is_some() { "…" } else { "" };
    format!("\"{head}{more}\"")
}

/// The elements a CTF has that fairpanel reads or passes through: only these are named in a
/// path. A damaged file's "element name" can hold a pupil's details (`<DOB2012-03-08</DOB>`
/// once the `>` is lost: found by tests/fuzz.rs), so any other is shown as `(element)`.
const ELEMENTS: &[&str] = &[
    "CTfile",
    "Header",
    "DocumentName",
    "CTFversion",
    "DateTime",
    "DocumentQualifier",
    "SupplierID",
    "SourceSchool",
    "DestSchool",
    "SuppInfo",
    "CTFpupilData",
    "Pupil",
    "UPN",
    "UniqueLearnerNumber",
    "UCI",
    "Surname",
    "Forename",
    "DOB",
    "Gender",
    "Sex",
    "BasicDetails",
    "FormerUPN",
    "NCyearActual",
    "LookedAfter",
    "InCare",
    "CareAuthority",
    "SENhistory",
    "SEN",
    "StartDate",
    "SENprovision",
    "SENneeds",
    "SENneed",
    "SENtypeRank",
    "SENtype",
    "Attendance",
    "YearData",
    "Year",
    "LEA",
    "Estab",
    "URN",
    "SchoolName",
    "SessionsPossible",
    "SessionsAuthorised",
    "SessionsAttended",
    "SessionsUnauthorised",
    "SchoolHistory",
    "School",
    "EntryDate",
    "LeavingDate",
    "LeavingReason",
    "$value",
    "$text",
];

fn shown_element(name: &str) -> &str {
    if ELEMENTS.contains(&name) {
        name
    } else {
        "(element)"
    }
}

/// One pass of the XML reader over the whole text: well-formed, and rooted at `CTfile`.
fn well_formed(text: &str) -> Result<(), Vec<Problem>> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut root: Option<String> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) if root.is_none() => {
                let name = e.name().0.to_owned();
                if name != ROOT {
                    let hint = if name == "ATfile" {
                        " (an Admissions Transfer File)"
                    } else {
                        ""
                    };
                    return Err(vec![Problem::error(
                        "(document)",
                        format!(
                            "not a Common Transfer File: its root element is {}{hint}, not {ROOT}; import the pupil's CTF",
                            // A short name of letters is a tag's; anything else may be content.
                            if name.chars().all(|c| c.is_ascii_alphabetic()) {
                                quote(&name)
                            } else {
                                "not one a CTF has".to_owned()
                            }
                        ),
                    )]);
                }
                root = Some(name);
            }
            Ok(_) => {}
            Err(e) => {
                let offset = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                let at = LineIndex::new(text).pos(offset.min(text.len()));
                let what = match e {
                    quick_xml::Error::Syntax(_) => "a tag, comment or quoted value is not closed",
                    quick_xml::Error::IllFormed(_) => {
                        "an end tag does not match its start tag, or one is missing"
                    }
                    quick_xml::Error::Escape(_) => "an entity such as &amp; is not valid",
                    _ => "the XML cannot be read",
                };
                return Err(vec![
                    Problem::error(
                        "(document)",
                        format!("not well-formed XML: {what}; the file is damaged or cut short, so ask the sending school to export the CTF again"),
                    )
                    .at(Some(at)),
                ]);
            }
        }
    }
    if root.is_none() {
        return Err(vec![Problem::error(
            "(document)",
            "no XML elements at all; import the pupil's CTF (an .xml file)",
        )]);
    }
    Ok(())
}

fn pupil(
    p: &RawPupil,
    path: String,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> CtfPupil {
    let at = |el: &str| format!("{path}/{el}");
    let mut out = CtfPupil {
        path: path.clone(),
        ..CtfPupil::default()
    };
    if let Some(u) = value(&p.upn) {
        match upn::check_upn(u) {
            Ok(()) => {
                if !upn::la_prefix(u).is_some_and(upn::known_la) {
                    warnings.push(Problem::warning(
                        at("UPN"),
                        "characters 2 to 4 are not a local authority code fairpanel knows; check the UPN with the sending school",
                    ));
                }
                out.upn = Some(u.to_owned());
            }
            Err(e) => errors.push(Problem::error(at("UPN"), ctf_fix(e.message()))),
        }
    }
    if let Some(basic) = &p.basic_details {
        if let Some(u) = value(&basic.former_upn) {
            // Only to match a case that holds the old number; never written.
            out.former_upn = upn::check_upn(u).is_ok().then(|| u.to_owned());
        }
        if let Some(y) = value(&basic.nc_year) {
            let n = if y.eq_ignore_ascii_case("R") {
                Some(0)
            } else {
                y.parse::<i32>().ok().filter(|n| (1..=13).contains(n))
            };
            match n.and_then(YearGroup::new) {
                Some(g) => out.year_group = Some(g),
                None => warnings.push(Problem::warning(
                    at("BasicDetails/NCyearActual"),
                    "not a school year group from R to 13 (nursery, early years, 14 or NC not followed); the year group was left to the date of birth",
                )),
            }
        }
    }
    if let Some(u) = value(&p.unique_learner_number) {
        match upn::check_uln(u) {
            Ok(()) => out.uln = Some(u.to_owned()),
            Err(e) => errors.push(Problem::error(
                at("UniqueLearnerNumber"),
                ctf_fix(e.message()),
            )),
        }
    }
    out.given_name = value(&p.forename).map(str::to_owned);
    out.family_name = value(&p.surname).map(str::to_owned);
    if let Some(d) = value(&p.dob) {
        match Date::parse(d) {
            Some(d) => out.date_of_birth = Some(d),
            None => errors.push(Problem::error(
                at("DOB"),
                "not a real date written YYYY-MM-DD; ask the sending school to correct the date of birth and export the CTF again",
            )),
        }
    }
    for (el, v) in [("Gender", &p.gender), ("Sex", &p.sex)] {
        if let Some(s) = value(v) {
            match s {
                "M" => out.sex = Some((Sex::Male, el)),
                "F" => out.sex = Some((Sex::Female, el)),
                _ => warnings.push(Problem::warning(
                    at(el),
                    "neither M nor F, so not recorded; the caseload's sex was kept",
                )),
            }
        }
    }
    if let Some(s) = p.looked_after.as_ref().and_then(|l| value(&l.in_care)) {
        match s.to_ascii_lowercase().as_str() {
            "true" | "1" | "y" | "yes" => out.lac = Some(true),
            "false" | "0" | "n" | "no" => out.lac = Some(false),
            _ => warnings.push(Problem::warning(
                at("LookedAfter/InCare"),
                "not true or false, so not read; check with the sending school whether the child is looked after",
            )),
        }
    }
    if let Some(h) = &p.sen_history {
        sen(h, &at("SENhistory"), &mut out, errors, warnings);
    }
    if let Some(a) = &p.attendance {
        out.attendance = attendance(a, &at("Attendance"), errors);
    }
    if let Some(h) = &p.school_history {
        out.schools = schools(h, &at("SchoolHistory"), errors, warnings);
    }
    out
}

/// An identifier message with what to do about a CTF in place of the caseload's advice.
fn ctf_fix(msg: &str) -> String {
    let what = msg.split_once("; ").map_or(msg, |(w, _)| w);
    format!("{what}; ask the sending school to correct it and export the CTF again")
}

fn sen(
    h: &RawSenHistory,
    base: &str,
    out: &mut CtfPupil,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) {
    // The current provision: the entry with the latest start date (the last if none has one).
    let mut current: Option<(usize, Option<Date>)> = None;
    for (k, s) in h.sen.iter().enumerate() {
        let start = match value(&s.start) {
            Some(d) => match Date::parse(d) {
                Some(d) => Some(d),
                None => {
                    errors.push(Problem::error(
                        format!("{base}/SEN[{}]/StartDate", k + 1),
                        "not a real date written YYYY-MM-DD; ask the sending school to correct it",
                    ));
                    None
                }
            },
            None => None,
        };
        if current.is_none_or(|(_, d)| start >= d) {
            current = Some((k, start));
        }
    }
    if let Some((k, _)) = current {
        let path = format!("{base}/SEN[{}]/SENprovision", k + 1);
        match value(&h.sen[k].provision) {
            Some("N") => out.sen = Some((Sen::None, path)),
            Some("K") => out.sen = Some((Sen::SenSupport, path)),
            Some("E") => out.sen = Some((Sen::Ehcp, path)),
            Some("S" | "A" | "P") => warnings.push(Problem::warning(
                path,
                "a legacy code (statement, School Action or School Action Plus) that says nothing of the provision now; the caseload's SEN status was kept, so check it",
            )),
            Some(_) => warnings.push(Problem::warning(
                path,
                "not a SEN provision code (N, K or E); the caseload's SEN status was kept",
            )),
            None => {}
        }
    }
    if let Some(needs) = &h.needs {
        // The primary need: rank 1, else the lowest rank, else the first.
        let best = needs
            .needs
            .iter()
            .enumerate()
            .filter(|(_, n)| value(&n.kind).is_some())
            .min_by_key(|(k, n)| {
                (
                    value(&n.rank)
                        .and_then(|r| r.parse::<u32>().ok())
                        .unwrap_or(u32::MAX),
                    *k,
                )
            });
        if let Some((k, n)) = best
            && let Some(kind) = value(&n.kind)
        {
            out.sen_need = Some((
                kind.to_owned(),
                format!("{base}/SENneeds/SENneed[{}]/SENtype", k + 1),
            ));
        }
    }
}

fn attendance(a: &RawAttendance, base: &str, errors: &mut Vec<Problem>) -> Option<Attendance> {
    let mut years: Vec<(u16, u32, u32)> = Vec::new();
    for (k, y) in a.years.iter().enumerate() {
        let at = |el: &str| format!("{base}/YearData[{}]/{el}", k + 1);
        let year = value(&y.year)
            .and_then(|s| s.get(..4))
            .and_then(|s| s.parse::<u16>().ok());
        let Some(year) = year.filter(|y| (2000..=2100).contains(y)) else {
            errors.push(Problem::error(
                at("Year"),
                "not a school year (e.g. 2025); ask the sending school to correct the attendance",
            ));
            continue;
        };
        let mut count = |el: &str, v: &Option<String>| -> Option<u32> {
            let n = value(v).and_then(|s| s.parse::<u32>().ok());
            if n.is_none() {
                errors.push(Problem::error(
                    at(el),
                    "missing or not a whole number of sessions; ask the sending school to correct the attendance",
                ));
            }
            n
        };
        let possible = count("SessionsPossible", &y.sessions_possible);
        let attended = count("SessionsAttended", &y.sessions_attended);
        if let (Some(p), Some(n)) = (possible, attended) {
            if n > p {
                errors.push(Problem::error(
                    at("SessionsAttended"),
                    "more sessions attended than possible; ask the sending school to correct the attendance",
                ));
            } else {
                years.push((year, p, n));
            }
        }
    }
    // The latest year, across the schools that recorded it.
    let latest = years.iter().map(|y| y.0).max()?;
    let (p, n) = years
        .iter()
        .filter(|y| y.0 == latest)
        .fold((0u32, 0u32), |(p, n), y| {
            (p.saturating_add(y.1), n.saturating_add(y.2))
        });
    Some(Attendance {
        year: latest,
        sessions_possible: p,
        sessions_attended: n,
    })
}

fn schools(
    h: &RawSchoolHistory,
    base: &str,
    errors: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Vec<Attended> {
    let mut out = Vec::new();
    for (k, s) in h.schools.iter().enumerate() {
        let at = |el: &str| format!("{base}/School[{}]/{el}", k + 1);
        let urn = match value(&s.urn) {
            None => None,
            Some(u) => match u.parse::<u32>() {
                Ok(n) if crate::domain::caseload::checks::bounds::URN.contains(&n) => Some(n),
                _ => {
                    warnings.push(Problem::warning(
                        at("URN"),
                        "not a six-digit URN; the school was kept without it",
                    ));
                    None
                }
            },
        };
        let date = |el: &str, v: &Option<String>, errors: &mut Vec<Problem>| -> Option<Date> {
            let d = Date::parse(value(v)?);
            if d.is_none() {
                errors.push(Problem::error(
                    at(el),
                    "not a real date written YYYY-MM-DD; ask the sending school to correct the school history",
                ));
            }
            d
        };
        let from = date("EntryDate", &s.entry_date, errors);
        let to = date("LeavingDate", &s.leaving_date, errors);
        let name = value(&s.school_name).map(str::to_owned).or_else(|| {
            match (value(&s.lea), value(&s.estab)) {
                (Some(l), Some(e)) => Some(format!("LA {l} establishment {e}")),
                _ => urn.map(|u| format!("URN {u}")),
            }
        });
        let (Some(name), Some(from)) = (name, from) else {
            if value(&s.entry_date).is_none() {
                warnings.push(Problem::warning(
                    at("EntryDate"),
                    "missing, so this school was not added to the schools attended",
                ));
            } else if from.is_some() {
                warnings.push(Problem::warning(
                    at("SchoolName"),
                    "no name, URN or LA and establishment number, so this school was not added to the schools attended",
                ));
            }
            continue;
        };
        if let Some(t) = to
            && t < from
        {
            errors.push(Problem::error(
                at("LeavingDate"),
                "before the entry date; ask the sending school to correct the school history",
            ));
            continue;
        }
        out.push(Attended {
            urn,
            name,
            from,
            to,
        });
    }
    out
}

/// How an import was asked to match and merge.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The case to fill (the files must then hold one pupil); without it, match by UPN.
    pub case_ref: Option<String>,
    /// Where the file and the caseload disagree, take the file's value.
    pub prefer_ctf: bool,
}

/// What [`merge`] did, by counts and case references only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeReport {
    /// Case indices matched, in the order matched.
    pub matched: Vec<usize>,
    pub unmatched: usize,
    /// Fields the caseload did not have, filled from a file.
    pub filled: usize,
    /// Fields where the caseload and a file disagree.
    pub disagreements: usize,
    /// Errors (nothing may be written) and warnings, each path starting with its file's name.
    pub problems: Vec<Problem>,
}

impl MergeReport {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// Merges the pupils of read CTFs (each with the name its problems are reported under) into the
/// caseload's cases. The caseload's own values win where they disagree, unless `prefer_ctf`.
pub fn merge(caseload: &mut Caseload, files: &[(String, CtfFile)], opts: &Options) -> MergeReport {
    let mut r = MergeReport::default();
    let total: usize = files.iter().map(|(_, f)| f.pupils.len()).sum();
    if let Some(reference) = &opts.case_ref {
        let Some(i) = caseload
            .cases
            .iter()
            .position(|c| &c.reference == reference)
        else {
            r.problems.push(Problem::error(
                "--case",
                format!(
                    "no case {} in the caseload; check the reference",
                    quote(reference)
                ),
            ));
            return r;
        };
        if total != 1 {
            r.problems.push(Problem::error(
                "--case",
                format!("the files hold {total} pupils, and --case names one case; import a CTF of one pupil, or leave out --case to match pupils by UPN"),
            ));
            return r;
        }
        for (name, f) in files {
            for p in &f.pupils {
                fill(caseload, i, name, p, opts.prefer_ctf, &mut r);
            }
        }
        return r;
    }
    for (name, f) in files {
        for p in &f.pupils {
            let where_ = format!("{name}: {}", p.path);
            let Some(u) = &p.upn else {
                r.unmatched += 1;
                r.problems.push(Problem::warning(
                    &where_,
                    "has no UPN, so it matches no case; import this pupil's CTF with --case REF",
                ));
                continue;
            };
            let hits: Vec<usize> = caseload
                .cases
                .iter()
                .enumerate()
                .filter(|(_, c)| {
                    c.pupil
                        .upn
                        .as_ref()
                        .is_some_and(|cu| cu == u || p.former_upn.as_ref() == Some(cu))
                })
                .map(|(i, _)| i)
                .collect();
            match hits[..] {
                [] => {
                    r.unmatched += 1;
                    r.problems.push(Problem::warning(
                        &where_,
                        "no case in the caseload holds this pupil's UPN, so nothing was added for it; add the case first, or import with --case REF",
                    ));
                }
                [i] if r.matched.contains(&i) => r.problems.push(Problem::error(
                    &where_,
                    format!(
                        "matches case {} (cases[{i}]), which an earlier pupil matched too; import one CTF per pupil",
                        caseload.cases[i].reference
                    ),
                )),
                [i] => fill(caseload, i, name, p, opts.prefer_ctf, &mut r),
                _ => {
                    let list: Vec<String> = hits.iter().map(|i| format!("cases[{i}]")).collect();
                    r.problems.push(Problem::error(
                        &where_,
                        format!(
                            "more than one case holds this pupil's UPN ({}); correct the caseload so one case has it",
                            list.join(", ")
                        ),
                    ));
                }
            }
        }
    }
    if r.matched.is_empty() && !r.has_errors() {
        r.problems.push(Problem::error(
            "(files)",
            "no pupil matched a case by UPN; add the cases first, or import a pupil's CTF with --case REF",
        ));
    }
    r
}

/// One field of one case: fill it if the caseload has none, else report a difference and take
/// the file's value only if asked.
struct Filler<'a> {
    file: &'a str,
    case: String,
    case_path: String,
    prefer: bool,
}

impl Filler<'_> {
    /// Returns whether to write the file's value.
    fn decide<T: PartialEq>(
        &self,
        have: Option<&T>,
        incoming: &T,
        field: &str,
        element: &str,
        r: &mut MergeReport,
    ) -> bool {
        match have {
            None => {
                r.filled += 1;
                true
            }
            Some(h) if h == incoming => false,
            Some(_) => {
                r.disagreements += 1;
                let then = if self.prefer {
                    "took the file's value (--prefer-ctf)"
                } else {
                    "kept the caseload's value; check which is right, and use --prefer-ctf to take the file's"
                };
                r.problems.push(Problem::warning(
                    format!("{}: {element}", self.file),
                    format!(
                        "differs from {}.{field} (case {}); {then}",
                        self.case_path, self.case
                    ),
                ));
                self.prefer
            }
        }
    }
}

fn fill(
    caseload: &mut Caseload,
    i: usize,
    file: &str,
    p: &CtfPupil,
    prefer: bool,
    r: &mut MergeReport,
) {
    r.matched.push(i);
    let case = &mut caseload.cases[i];
    let f = Filler {
        file,
        case: case.reference.clone(),
        case_path: format!("cases[{i}]"),
        prefer,
    };
    let at = |el: &str| format!("{}/{el}", p.path);
    let pu = &mut case.pupil;
    let nonempty = |s: &String| -> Option<String> { (!s.trim().is_empty()).then(|| s.clone()) };
    if let Some(v) = &p.given_name
        && f.decide(
            nonempty(&pu.given_name).as_ref(),
            v,
            "pupil.given_name",
            &at("Forename"),
            r,
        )
    {
        pu.given_name = v.clone();
    }
    if let Some(v) = &p.family_name
        && f.decide(
            nonempty(&pu.family_name).as_ref(),
            v,
            "pupil.family_name",
            &at("Surname"),
            r,
        )
    {
        pu.family_name = v.clone();
    }
    if let Some(v) = &p.upn
        && f.decide(pu.upn.as_ref(), v, "pupil.upn", &at("UPN"), r)
    {
        pu.upn = Some(v.clone());
    }
    if let Some(v) = &p.uln
        && f.decide(
            pu.uln.as_ref(),
            v,
            "pupil.uln",
            &at("UniqueLearnerNumber"),
            r,
        )
    {
        pu.uln = Some(v.clone());
    }
    if let Some(v) = p.date_of_birth
        && f.decide(
            Some(&pu.date_of_birth),
            &v,
            "pupil.date_of_birth",
            &at("DOB"),
            r,
        )
    {
        pu.date_of_birth = v;
    }
    if let Some((v, el)) = p.sex
        && f.decide(Some(&pu.sex), &v, "pupil.sex", &at(el), r)
    {
        pu.sex = v;
    }
    if let Some(v) = p.year_group
        && f.decide(
            pu.year_group.as_ref(),
            &v,
            "pupil.year_group",
            &at("BasicDetails/NCyearActual"),
            r,
        )
    {
        pu.year_group = Some(v);
    }
    if let Some(v) = p.lac
        && f.decide(Some(&pu.lac), &v, "pupil.lac", &at("LookedAfter/InCare"), r)
    {
        pu.lac = v;
    }
    if let Some((v, path)) = &p.sen
        && f.decide(Some(&pu.sen), v, "pupil.sen", path, r)
    {
        pu.sen = *v;
    }
    if let Some((v, path)) = &p.sen_need
        && f.decide(pu.sen_need.as_ref(), v, "pupil.sen_need", path, r)
    {
        pu.sen_need = Some(v.clone());
    }
    if let Some(v) = &p.attendance
        && f.decide(
            case.attendance.as_ref(),
            v,
            "attendance",
            &at("Attendance"),
            r,
        )
    {
        case.attendance = Some(v.clone());
    }
    // Schools: a school the caseload lacks is added; one it has (same URN, or same name where
    // either has no URN) with other dates is a difference.
    let mut added = Vec::new();
    for (k, s) in p.schools.iter().enumerate() {
        let same = case
            .schools_attended
            .iter()
            .position(|a| match (a.urn, s.urn) {
                (Some(x), Some(y)) => {
                    x == y && (a.from == s.from || a.to.is_none() || s.to.is_none())
                }
                _ => a.name.eq_ignore_ascii_case(&s.name),
            });
        match same {
            None => {
                r.filled += 1;
                added.push(s.clone());
            }
            Some(j) => {
                let have = &case.schools_attended[j];
                let dates = (have.from, have.to);
                if f.decide(
                    Some(&dates),
                    &(s.from, s.to),
                    &format!("schools_attended[{j}]"),
                    &at(&format!("SchoolHistory/School[{}]", k + 1)),
                    r,
                ) {
                    let a = &mut case.schools_attended[j];
                    a.from = s.from;
                    a.to = s.to;
                    if a.urn.is_none() {
                        a.urn = s.urn;
                    }
                }
            }
        }
    }
    added.sort_by_key(|a| a.from);
    case.schools_attended.extend(added);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctf(pupils: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CTfile><Header><DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion></Header><CTFpupilData>{pupils}</CTFpupilData></CTfile>"
        )
    }

    const ONE: &str = "<Pupil><UPN>B801200005001</UPN><Surname>Example</Surname><Forename>Alex</Forename><DOB>2012-05-17</DOB><Sex>F</Sex><BasicDetails><NCyearActual>9</NCyearActual></BasicDetails><LookedAfter><InCare>false</InCare></LookedAfter><SENhistory><SEN><StartDate>2020-09-01</StartDate><SENprovision>K</SENprovision></SEN><SEN><StartDate>2024-09-01</StartDate><SENprovision>E</SENprovision></SEN><SENneeds><SENneed><SENtypeRank>2</SENtypeRank><SENtype>SLCN</SENtype></SENneed><SENneed><SENtypeRank>1</SENtypeRank><SENtype>SEMH</SENtype></SENneed></SENneeds></SENhistory><Attendance><YearData><Year>2024</Year><SessionsPossible>300</SessionsPossible><SessionsAttended>280</SessionsAttended></YearData><YearData><Year>2025</Year><SessionsPossible>100</SessionsPossible><SessionsAttended>80</SessionsAttended></YearData><YearData><Year>2025</Year><SessionsPossible>60</SessionsPossible><SessionsAttended>40</SessionsAttended></YearData></Attendance><SchoolHistory><School><LEA>335</LEA><Estab>4000</Estab><URN>142594</URN><SchoolName>Pool Hayes Academy</SchoolName><EntryDate>2023-09-04</EntryDate><LeavingDate>2025-12-19</LeavingDate></School></SchoolHistory></Pupil>";

    #[test]
    fn reads_the_fields_fairpanel_uses() {
        let f = read(ctf(ONE).as_bytes()).unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(f.version, "25.0");
        assert!(f.warnings.is_empty(), "{:#?}", f.warnings);
        let p = &f.pupils[0];
        assert_eq!(p.path, "CTfile/CTFpupilData/Pupil[1]");
        assert_eq!(p.upn.as_deref(), Some("B801200005001"));
        assert_eq!(p.given_name.as_deref(), Some("Alex"));
        assert_eq!(p.date_of_birth, Date::parse("2012-05-17"));
        assert_eq!(p.sex, Some((Sex::Female, "Sex")));
        assert_eq!(p.year_group, YearGroup::new(9));
        assert_eq!(p.lac, Some(false));
        // The latest SEN entry is the current one: an EHC plan.
        assert_eq!(
            p.sen,
            Some((
                Sen::Ehcp,
                "CTfile/CTFpupilData/Pupil[1]/SENhistory/SEN[2]/SENprovision".into()
            ))
        );
        assert_eq!(p.sen_need.as_ref().map(|n| n.0.as_str()), Some("SEMH"));
        // The latest year, summed across the two schools that recorded it.
        assert_eq!(
            p.attendance,
            Some(Attendance {
                year: 2025,
                sessions_possible: 160,
                sessions_attended: 120
            })
        );
        assert_eq!(p.schools.len(), 1);
        assert_eq!(p.schools[0].urn, Some(142594));
    }

    #[test]
    fn a_bad_upn_and_date_name_their_elements_and_not_their_values() {
        let bad = ONE
            .replace("B801200005001", "A801200005001")
            .replace("2012-05-17", "17/05/2012");
        let e = read(ctf(&format!("{ONE}{bad}")).as_bytes()).unwrap_err();
        let lines: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2, "{lines:#?}");
        assert!(
            lines[0].starts_with(
                "CTfile/CTFpupilData/Pupil[2]/UPN: the UPN's check letter does not match"
            ),
            "{lines:?}"
        );
        assert!(
            lines[0].ends_with("ask the sending school to correct it and export the CTF again")
        );
        assert!(lines[1].starts_with("CTfile/CTFpupilData/Pupil[2]/DOB: not a real date"));
        for l in &lines {
            assert!(!l.contains("801200005001") && !l.contains("17/05"), "{l}");
        }
    }

    #[test]
    fn malformed_xml_is_placed_by_line_and_column() {
        let text = "<CTfile>\n  <Header>\n    <CTFversion>25.0</Header>\n</CTfile>";
        let e = read(text.as_bytes()).unwrap_err();
        assert_eq!(e.len(), 1);
        let l = e[0].to_string();
        assert!(l.starts_with("(document) (line 3, column "), "{l}");
        assert!(l.contains("not well-formed XML"), "{l}");
    }

    #[test]
    fn the_root_must_be_a_ctf() {
        let e = read(b"<ATfile><Header/></ATfile>").unwrap_err();
        assert!(e[0].message.contains("Admissions Transfer File"), "{e:?}");
    }

    #[test]
    fn versions_current_and_previous_pass_others_warn() {
        let prev = ctf(ONE).replace("25.0", "24.0");
        assert!(read(prev.as_bytes()).unwrap().warnings.is_empty());
        let odd = ctf(ONE).replace("25.0", "19.0");
        let f = read(odd.as_bytes()).unwrap();
        assert_eq!(f.warnings.len(), 1);
        assert_eq!(f.warnings[0].path, "CTfile/Header/CTFversion");
        let none = ctf(ONE).replace("<CTFversion>25.0</CTFversion>", "");
        assert!(read(none.as_bytes()).is_err());
    }

    #[test]
    fn gender_is_read_as_sex_and_other_codes_are_not_recorded() {
        let g = ctf(&ONE.replace("<Sex>F</Sex>", "<Gender>M</Gender>"));
        assert_eq!(
            read(g.as_bytes()).unwrap().pupils[0].sex,
            Some((Sex::Male, "Gender"))
        );
        let u = ctf(&ONE.replace("<Sex>F</Sex>", "<Sex>U</Sex>"));
        let f = read(u.as_bytes()).unwrap();
        assert_eq!(f.pupils[0].sex, None);
        assert_eq!(f.warnings[0].path, "CTfile/CTFpupilData/Pupil[1]/Sex");
    }
}
