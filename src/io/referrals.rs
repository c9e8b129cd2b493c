//! Referral spreadsheets: the template an LA fills in (one row per case), and the import that
//! reads it (.xlsx, .xls, .ods with calamine; .csv with the `csv` crate, its encoding decided by
//! `io::text::decode`) and merges it into a caseload by case reference.
//!
//! Columns are found by header, case, space and punctuation ignored, under the plain words of the
//! template or the aliases LA sheets use ("DOB", "Surname", "NC year"); `--map` names the rest.
//! Every problem names the sheet, the row as the spreadsheet shows it (header = row 1) and the
//! column header, or for a CSV the data row, the file line and the column header, and what to do;
//! never the value in the cell, which is the pupil's.

use std::collections::HashMap;
use std::io::Cursor;

use crate::domain::caseload::lines;
use crate::domain::caseload::{
    Attended, Case, CaseKind, Caseload, CategoryClaim, Contact, FORMAT, InYearApp, Pupil, Referrer,
    Sen, Sex, Status, checks,
};
use crate::domain::dates::Date;
use crate::domain::problem::{MAX_REPORTED, Problem, Severity};
use crate::domain::year_group::YearGroup;
use crate::io::text::{self, Encoding};

/// What each column holds, in the order the template writes them.
pub struct Spec {
    /// The caseload field it fills, as `--map` names it.
    pub key: &'static str,
    /// The template's header, in plain words.
    pub header: &'static str,
    /// Other headers LA sheets use for it.
    pub aliases: &'static [&'static str],
    pub what: &'static str,
    pub form: &'static str,
    pub example: &'static str,
    /// The template's drop-down list, if the field is coded.
    pub choices: &'static [&'static str],
}

const KINDS: &[&str] = &["Fair Access", "Managed move", "Place request"];
const STATUSES: &[&str] = &[
    "Unplaced",
    "Child missing education",
    "Elective home education",
    "Alternative provision",
    "Permanently excluded",
    "On roll",
];
const SEXES: &[&str] = &["Female", "Male"];
const SENS: &[&str] = &["None", "SEN support", "EHC plan"];
const YES_NO: &[&str] = &["Yes", "No"];
const CATEGORY_CHOICES: &[&str] = &[
    "a: ", "b: ", "c: ", "d: ", "e: ", "f: ", "g: ", "h: ", "i: ", "j: ", "k: ", "l: ", "m: ",
];
const APP_CHOICES: &[&str] = &[
    "URN DD/MM/YYYY refused",
    "URN DD/MM/YYYY no place",
    "URN DD/MM/YYYY offered",
    "URN DD/MM/YYYY declined",
    "URN DD/MM/YYYY pending",
];

const DATE_FORM: &str = "a date, DD/MM/YYYY (D/M/YY and YYYY-MM-DD are read too)";

macro_rules! contact_specs {
    ($n:literal) => {
        [
            Spec {
                key: concat!("contact", $n, ".name"),
                header: concat!("Parent/carer ", $n, " name"),
                aliases: if $n == 1 {
                    &["Parent name", "Parent/carer name", "Carer name", "Parent or carer", "Parent/carer", "Contact name", "Parent 1 name"]
                } else {
                    &["Parent 2 name", "Second parent name", "Second contact name"]
                },
                what: "A parent or carer to contact (personal data: hidden on a shared screen, never in minutes)",
                form: "text",
                example: if $n == 1 { "Dana Sample" } else { "Lee Sample" },
                choices: &[],
            },
            Spec {
                key: concat!("contact", $n, ".relationship"),
                header: concat!("Parent/carer ", $n, " relationship"),
                aliases: if $n == 1 { &["Relationship", "Relationship to child", "Parent 1 relationship"] } else { &["Parent 2 relationship"] },
                what: "Their relationship to the child",
                form: "text",
                example: if $n == 1 { "mother" } else { "grandfather (SGO)" },
                choices: &[],
            },
            Spec {
                key: concat!("contact", $n, ".address"),
                header: concat!("Parent/carer ", $n, " address"),
                aliases: if $n == 1 { &["Address", "Home address", "Parent address", "Parent 1 address"] } else { &["Parent 2 address"] },
                what: "Their postal address, one line",
                form: "text",
                example: "1 Example Road, Walsall WS1 1AA",
                choices: &[],
            },
            Spec {
                key: concat!("contact", $n, ".phone"),
                header: concat!("Parent/carer ", $n, " phone"),
                aliases: if $n == 1 { &["Phone", "Telephone", "Tel", "Mobile", "Phone number", "Contact number", "Parent phone", "Parent 1 phone"] } else { &["Parent 2 phone"] },
                what: "A telephone number",
                form: "text (type it as text so a leading 0 is kept)",
                example: "07700 900123",
                choices: &[],
            },
            Spec {
                key: concat!("contact", $n, ".email"),
                header: concat!("Parent/carer ", $n, " email"),
                aliases: if $n == 1 { &["Email", "E-mail", "Email address", "Parent email", "Parent 1 email"] } else { &["Parent 2 email"] },
                what: "An email address",
                form: "text",
                example: "parent@example.org",
                choices: &[],
            },
        ]
    };
}

const CONTACT1: [Spec; 5] = contact_specs!(1);
const CONTACT2: [Spec; 5] = contact_specs!(2);

const MAIN: [Spec; 23] = [
    Spec {
        key: "ref",
        header: "Case reference",
        aliases: &[
            "Ref",
            "Reference",
            "Case ref",
            "Case ID",
            "Case number",
            "Referral reference",
            "Referral ref",
            "Referral ID",
            "FAP ref",
        ],
        what: "The panel's case reference: the row is merged into the caseload's case with this reference, or added as a new case. Never built from the child's name",
        form: "text, one per row, unique",
        example: "FA-2026-041",
        choices: &[],
    },
    Spec {
        key: "kind",
        header: "Kind",
        aliases: &["Case kind", "Case type", "Referral type", "Type"],
        what: "What the panel is asked to do",
        form: "Fair Access, Managed move or Place request",
        example: "Fair Access",
        choices: KINDS,
    },
    Spec {
        key: "referral_date",
        header: "Referral date",
        aliases: &[
            "Date referred",
            "Date of referral",
            "Referral received",
            "Date received",
        ],
        what: "The day the case was referred",
        form: DATE_FORM,
        example: "02/03/2026",
        choices: &[],
    },
    Spec {
        key: "referrer.organisation",
        header: "Referred by",
        aliases: &[
            "Referrer",
            "Referring school",
            "Referring organisation",
            "Referrer organisation",
            "Referring agency",
            "Referred from",
        ],
        what: "The referring school, service or agency",
        form: "text",
        example: "Walsall Council In-Year Admissions",
        choices: &[],
    },
    Spec {
        key: "referrer.role",
        header: "Referrer's role",
        aliases: &["Referrer role", "Role of referrer", "Role"],
        what: "The referrer's role, not their name",
        form: "text",
        example: "In-year admissions officer",
        choices: &[],
    },
    Spec {
        key: "status",
        header: "Status",
        aliases: &["Current status", "Education status", "Pupil status"],
        what: "Where the child is now",
        form: "Unplaced, Child missing education, Elective home education, Alternative provision, Permanently excluded or On roll",
        example: "Unplaced",
        choices: STATUSES,
    },
    Spec {
        key: "pupil.given_name",
        header: "Given name",
        aliases: &[
            "Forename",
            "Forenames",
            "First name",
            "Legal forename",
            "Legal first name",
            "Christian name",
            "Pupil forename",
        ],
        what: "The child's given name (personal data)",
        form: "text",
        example: "Sam",
        choices: &[],
    },
    Spec {
        key: "pupil.family_name",
        header: "Family name",
        aliases: &[
            "Surname",
            "Last name",
            "Legal surname",
            "Legal last name",
            "Pupil surname",
        ],
        what: "The child's family name (personal data)",
        form: "text",
        example: "Sample",
        choices: &[],
    },
    Spec {
        key: "pupil.date_of_birth",
        header: "Date of birth",
        aliases: &["DOB", "D.O.B.", "Birth date", "Birthdate"],
        what: "The child's date of birth (personal data); gives the year group by the 31 August rule",
        form: DATE_FORM,
        example: "14/05/2012",
        choices: &[],
    },
    Spec {
        key: "pupil.sex",
        header: "Sex",
        aliases: &["Gender", "Legal sex"],
        what: "The child's sex, matched against a single-sex school",
        form: "Female or Male (F and M are read too)",
        example: "Female",
        choices: SEXES,
    },
    Spec {
        key: "pupil.year_group",
        header: "Year group",
        aliases: &[
            "Year",
            "NC year",
            "NCY",
            "National curriculum year",
            "Year grp",
            "Current year",
            "Year of education",
        ],
        what: "The year group as the referrer states it; checked against the date of birth",
        form: "R, or 1 to 13 (Y9 and Year 9 are read too)",
        example: "9",
        choices: &[],
    },
    Spec {
        key: "pupil.upn",
        header: "UPN",
        aliases: &["Unique pupil number", "Pupil number"],
        what: "The unique pupil number (personal data)",
        form: "a capital letter, 11 digits, then a digit or letter",
        example: "A123456789012",
        choices: &[],
    },
    Spec {
        key: "pupil.sen",
        header: "SEN",
        aliases: &[
            "SEN status",
            "SEND",
            "SEND status",
            "SEN provision",
            "SEN stage",
            "SEN need",
        ],
        what: "Special educational needs: an EHC plan takes the EHC plan route, not Fair Access",
        form: "None, SEN support or EHC plan (N, K and E are read too)",
        example: "SEN support",
        choices: SENS,
    },
    Spec {
        key: "pupil.lac",
        header: "Looked after",
        aliases: &[
            "LAC",
            "CLA",
            "Child looked after",
            "Looked after child",
            "Looked-after",
        ],
        what: "Currently looked after by a local authority: placed by an s97A direction, not Fair Access",
        form: "Yes or No (blank is No for a new case)",
        example: "No",
        choices: YES_NO,
    },
    Spec {
        key: "pupil.plac",
        header: "Previously looked after",
        aliases: &[
            "PLAC",
            "Previously looked after child",
            "Previously looked-after",
        ],
        what: "Left care through adoption, an SGO or a CAO",
        form: "Yes or No (blank is No for a new case)",
        example: "No",
        choices: YES_NO,
    },
    Spec {
        key: "categories",
        header: "Categories",
        aliases: &[
            "Category",
            "FAP category",
            "FAP categories",
            "Fair Access category",
            "Fair Access categories",
        ],
        what: "The Fair Access categories (a) to (m) claimed, each with its evidence (no names)",
        form: "letter: evidence; letter: evidence",
        example: "g: Housing Options letter, 27 Feb 2026; l: out since 2 Feb",
        choices: CATEGORY_CHOICES,
    },
    Spec {
        key: "in_year_apps",
        header: "In-year applications",
        aliases: &[
            "In year applications",
            "Applications",
            "In-year apps",
            "IYA",
            "Schools applied to",
        ],
        what: "The in-year applications made: the school's URN, the date applied and the outcome",
        form: "URN DD/MM/YYYY outcome; … with outcome refused, no place, offered, declined or pending",
        example: "142594 16/02/2026 no place",
        choices: APP_CHOICES,
    },
    Spec {
        key: "preferences",
        header: "Preferences",
        aliases: &[
            "Parental preferences",
            "Preferred schools",
            "School preferences",
            "Preference URNs",
        ],
        what: "The parents' preferred schools, most preferred first",
        form: "school URNs separated by ; or ,",
        example: "142594; 136777",
        choices: &[],
    },
    Spec {
        key: "out_since",
        header: "Out of education since",
        aliases: &[
            "Out since",
            "Date out of education",
            "Missing education since",
            "Out of school since",
            "Last attended",
        ],
        what: "The child's first day out of education (category (l) needs four weeks)",
        form: DATE_FORM,
        example: "02/02/2026",
        choices: &[],
    },
    Spec {
        key: "current_school",
        header: "Current school URN",
        aliases: &[
            "Current school",
            "School URN",
            "URN of current school",
            "Home school URN",
            "Current URN",
            "School on roll URN",
        ],
        what: "The school the child is on roll at now: a schools attended entry with no end date (needs On roll since)",
        form: "a six-digit URN",
        example: "136777",
        choices: &[],
    },
    Spec {
        key: "current_school.from",
        header: "On roll since",
        aliases: &[
            "Date joined current school",
            "Start date at current school",
            "Current school start date",
            "Date on roll",
        ],
        what: "The day the child joined the current school",
        form: DATE_FORM,
        example: "04/09/2023",
        choices: &[],
    },
    Spec {
        key: "proposed_school",
        header: "Proposed school URN",
        aliases: &[
            "Proposed school",
            "Host school URN",
            "Host school",
            "Receiving school URN",
        ],
        what: "For a managed move: the proposed host school (it must be in the caseload's schools)",
        form: "a six-digit URN",
        example: "142594",
        choices: &[],
    },
    Spec {
        key: "notes",
        header: "Notes",
        aliases: &[
            "Comments",
            "Additional information",
            "Other information",
            "Note",
        ],
        what: "Free text for the LA's eyes (personal data: hidden on a shared screen, never in minutes)",
        form: "text",
        example: "Family moved into the area in January",
        choices: &[],
    },
];

/// Every column, in the template's order.
pub fn specs() -> impl Iterator<Item = &'static Spec> {
    MAIN.iter().chain(CONTACT1.iter()).chain(CONTACT2.iter())
}

fn spec(key: &str) -> Option<&'static Spec> {
    specs().find(|s| s.key == key)
}

/// A header as compared: lower case, letters and digits only ("D.O.B." is "dob").
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a `--map` value names: `date_of_birth`, `pupil.date_of_birth` or the template's
/// header all name the same one.
pub fn field_named(name: &str) -> Option<&'static str> {
    let f = fold(name);
    specs()
        .find(|s| {
            fold(s.key) == f
                || fold(s.key.strip_prefix("pupil.").unwrap_or(s.key)) == f
                || fold(s.header) == f
        })
        .map(|s| s.key)
}

/// The field names `--map` takes, for its error message.
pub fn field_names() -> Vec<&'static str> {
    specs().map(|s| s.key).collect()
}

// ---------------------------------------------------------------------------------------------
// The template.

/// The referral sheet as .xlsx: a "Referrals" sheet with the header row and drop-down lists for
/// the coded columns, and a "Columns" sheet explaining each column.
pub fn template_xlsx() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let wrap = Format::new().set_text_wrap();
    let sheet = wb.add_worksheet();
    sheet.set_name("Referrals")?;
    for (i, s) in specs().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, s.header, &bold)?;
        sheet.set_column_width(col, (s.header.len() as f64 + 4.0).max(14.0))?;
        if s.form == DATE_FORM {
            sheet.set_column_format(col, &date)?;
        } else if !s.form.starts_with("a six-digit") {
            sheet.set_column_format(col, &text)?;
        }
        let title: String = s.header.chars().take(32).collect();
        let message: String = format!("{}. Write: {}.", s.what, s.form)
            .chars()
            .take(255)
            .collect();
        let mut dv = if s.choices.is_empty() {
            DataValidation::new().allow_any_value()
        } else {
            let dv = DataValidation::new().allow_list_strings(s.choices)?;
            // Categories and applications carry evidence and dates after the choice: the list
            // offers the start, and the cell takes more.
            if s.key == "categories" || s.key == "in_year_apps" {
                dv.set_error_style(DataValidationErrorStyle::Information)
            } else {
                dv.set_error_title("Not one of the choices")?
                    .set_error_message(format!("Write {}.", s.form))?
            }
        };
        dv = dv.set_input_title(title)?.set_input_message(message)?;
        sheet.add_data_validation(1, col, 2000, col, &dv)?;
    }
    sheet.set_freeze_panes(1, 1)?;

    let help = wb.add_worksheet();
    help.set_name("Columns")?;
    let heads = [
        "Column",
        "What it holds",
        "Form",
        "Example (invented)",
        "Caseload field",
        "Also read from these headers",
    ];
    for (c, h) in heads.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(0);
        help.write_string_with_format(0, col, *h, &bold)?;
    }
    for (c, w) in [24.0, 60.0, 40.0, 34.0, 26.0, 50.0].iter().enumerate() {
        help.set_column_width(u16::try_from(c).unwrap_or(0), *w)?;
    }
    for (r, s) in specs().enumerate() {
        let row = u32::try_from(r + 1).unwrap_or(u32::MAX);
        let fills = match s.key {
            "current_school" => "schools_attended (urn, to left out)".to_owned(),
            "current_school.from" => "schools_attended (from)".to_owned(),
            k if k.starts_with("contact") => {
                let (n, part) = k.split_once('.').unwrap_or((k, ""));
                let i: usize = n.trim_start_matches("contact").parse().unwrap_or(1);
                format!("pupil.contacts[{}].{part}", i - 1)
            }
            k => k.to_owned(),
        };
        for (c, v) in [
            s.header,
            s.what,
            s.form,
            s.example,
            fills.as_str(),
            &s.aliases.join(", "),
        ]
        .iter()
        .enumerate()
        {
            help.write_string_with_format(row, u16::try_from(c).unwrap_or(0), *v, &wrap)?;
        }
    }
    help.set_freeze_panes(1, 1)?;
    wb.save_to_buffer()
}

/// The referral sheet as CSV: UTF-8, the header row only.
pub fn template_csv() -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(specs().map(|s| s.header));
    w.into_inner().unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Reading a sheet.

/// One cell, as the reader found it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(Date),
    Bool(bool),
    /// A spreadsheet error (`#REF!`, `#N/A`).
    Error,
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// Where the rows came from, for messages and the summary.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    Sheet(String),
    Csv(Encoding),
}

#[derive(Debug, Clone)]
pub struct Row {
    /// The row as the spreadsheet shows it (header = row 1 in a sheet starting at A1); for a
    /// CSV, the data row (first data row = 1).
    pub shown: usize,
    /// For a CSV, the file line the record starts on.
    pub line: u64,
    pub cells: Vec<Cell>,
}

/// A sheet's header and rows.
#[derive(Debug, Clone)]
pub struct Table {
    pub source: Source,
    pub header: Vec<String>,
    /// The header's row (sheets) or line (CSV).
    pub header_at: usize,
    pub rows: Vec<Row>,
}

impl Table {
    /// `Referrals!row 14, "Date of birth"` or `row 13 (line 14), "Date of birth"`.
    fn at(&self, row: &Row, col: Option<&str>) -> String {
        let base = match &self.source {
            Source::Sheet(s) => format!("{s}!row {}", row.shown),
            Source::Csv(_) => format!("row {} (line {})", row.shown, row.line),
        };
        match col {
            Some(c) => format!("{base}, \"{c}\""),
            None => base,
        }
    }

    fn header_place(&self) -> String {
        match &self.source {
            Source::Sheet(s) => format!("{s}!row {}", self.header_at),
            Source::Csv(_) => format!("header (line {})", self.header_at),
        }
    }

    /// "sheet \"Referrals\"" or "UTF-8".
    pub fn describe(&self) -> String {
        match &self.source {
            Source::Sheet(s) => format!("sheet \"{s}\""),
            Source::Csv(e) => format!("CSV, {}", e.label()),
        }
    }
}

/// What kind of file a name says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

impl FileKind {
    pub fn of(path: &std::path::Path) -> Option<FileKind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "xlsx" | "xlsm" => FileKind::Xlsx,
            "xls" => FileKind::Xls,
            "ods" => FileKind::Ods,
            "csv" => FileKind::Csv,
            _ => return None,
        })
    }
}

/// Why a file cannot be imported.
#[derive(Debug)]
pub enum ImportError {
    /// A usage error: a `--sheet` or `--map` that does not fit the file.
    Usage(String),
    /// Problems with the file's content, errors and warnings, at least one an error.
    Problems(Vec<Problem>),
}

fn file_problem(msg: impl Into<String>) -> ImportError {
    ImportError::Problems(vec![Problem::error("file", msg)])
}

/// Reads the rows of a spreadsheet or CSV from its bytes.
pub fn read_table(bytes: &[u8], kind: FileKind, sheet: Option<&str>) -> Result<Table, ImportError> {
    match kind {
        FileKind::Csv => read_csv(bytes),
        _ => read_sheet(bytes, kind, sheet),
    }
}

fn read_sheet(bytes: &[u8], kind: FileKind, wanted: Option<&str>) -> Result<Table, ImportError> {
    use calamine::{Reader, Sheets, open_workbook_from_rs};
    let cur = Cursor::new(bytes);
    let unreadable = |e: String| {
        file_problem(format!(
            "cannot be read as a spreadsheet ({e}); save it again as .xlsx, .ods or .csv"
        ))
    };
    let mut wb: Sheets<Cursor<&[u8]>> = match kind {
        FileKind::Xls => {
            Sheets::Xls(open_workbook_from_rs(cur).map_err(|e| unreadable(format!("{e}")))?)
        }
        FileKind::Ods => {
            Sheets::Ods(open_workbook_from_rs(cur).map_err(|e| unreadable(format!("{e}")))?)
        }
        _ => Sheets::Xlsx(open_workbook_from_rs(cur).map_err(|e| unreadable(format!("{e}")))?),
    };
    let names = wb.sheet_names();
    let listed = || {
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let name = match wanted {
        Some(w) => names
            .iter()
            .find(|n| *n == w)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(w)))
            .cloned()
            .ok_or_else(|| {
                ImportError::Usage(format!(
                    "--sheet \"{w}\": the file has no such sheet; it has {}",
                    listed()
                ))
            })?,
        None => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case("Referrals"))
            .or_else(|| names.first())
            .cloned()
            .ok_or_else(|| file_problem("the file has no sheets; fill in the referral template"))?,
    };
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| unreadable(format!("{e}")))?;
    let (r0, _) = range.start().unwrap_or((0, 0));
    let mut header: Option<(Vec<String>, usize)> = None;
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let shown = r0 as usize + i + 1;
        let cells: Vec<Cell> = r.iter().map(cell_of).collect();
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        if header.is_none() {
            let h = cells
                .iter()
                .map(|c| match c {
                    Cell::Text(t) => t.trim().to_owned(),
                    Cell::Number(n) => format!("{n}"),
                    _ => String::new(),
                })
                .collect();
            header = Some((h, shown));
            continue;
        }
        rows.push(Row {
            shown,
            line: 0,
            cells,
        });
    }
    let Some((header, header_at)) = header else {
        return Err(ImportError::Problems(vec![Problem::error(
            format!("{name}!row 1"),
            "the sheet is empty; fill in the referral template (header row first)",
        )]));
    };
    Ok(Table {
        source: Source::Sheet(name),
        header,
        header_at,
        rows,
    })
}

fn cell_of(d: &calamine::Data) -> Cell {
    use calamine::Data;
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => {
            if s.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.clone())
            }
        }
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => serial_date(dt.as_f64(), dt),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(Date::parse)
            .map_or_else(|| Cell::Text(s.clone()), Cell::Date),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(_) => Cell::Error,
    }
}

fn serial_date(v: f64, dt: &calamine::ExcelDateTime) -> Cell {
    if !(1.0..2_958_466.0).contains(&v) {
        return Cell::Number(v);
    }
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Date::from_ymd(i32::from(y), u32::from(m), u32::from(d)).map_or(Cell::Number(v), Cell::Date)
}

/// An Excel serial day number (1900 system) as a date; what a date cell holds when it is not
/// formatted as a date.
fn from_serial(v: f64) -> Option<Date> {
    if v.fract() != 0.0 || !(61.0..2_958_466.0).contains(&v) {
        return None;
    }
    let dt = calamine::ExcelDateTime::new(v, calamine::ExcelDateTimeType::DateTime, false);
    let (y, m, d, ..) = dt.to_ymd_hms_milli();
    Date::from_ymd(i32::from(y), u32::from(m), u32::from(d))
}

fn read_csv(bytes: &[u8]) -> Result<Table, ImportError> {
    let (text, encoding) = text::decode(bytes).map_err(|e| file_problem(e.message()))?;
    let lines = LineStarts::new(text.as_bytes());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<(Vec<String>, usize)> = None;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut n = 0usize;
    loop {
        let start = reader.position().byte();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = lines.line_of(e.position().map_or(start, |p| p.byte()));
                errors.push(Problem::error(
                    format!("line {line}"),
                    "cannot be read as CSV (a quote is out of place); save the file again as CSV",
                ));
                if errors.len() >= MAX_REPORTED {
                    break;
                }
                continue;
            }
        }
        let line = lines.line_of(record.position().map_or(start, |p| p.byte()));
        let cells: Vec<Cell> = record
            .iter()
            .map(|s| {
                if s.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(s.to_owned())
                }
            })
            .collect();
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        if header.is_none() {
            header = Some((
                record.iter().map(|s| s.trim().to_owned()).collect(),
                line as usize,
            ));
            continue;
        }
        n += 1;
        rows.push(Row {
            shown: n,
            line,
            cells,
        });
    }
    if !errors.is_empty() {
        return Err(ImportError::Problems(errors));
    }
    let Some((header, header_at)) = header else {
        return Err(file_problem(
            "the file is empty; fill in the referral template (header row first)",
        ));
    };
    Ok(Table {
        source: Source::Csv(encoding),
        header,
        header_at,
        rows,
    })
}

/// Byte offsets to file lines (the csv crate's own count is off by one per CRLF record, and a
/// record's position can fall on the line ends before it).
struct LineStarts<'a> {
    text: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> LineStarts<'a> {
    fn new(text: &'a [u8]) -> LineStarts<'a> {
        LineStarts {
            text,
            newlines: memchr::memchr_iter(b'\n', text).collect(),
        }
    }

    /// The line holding the first byte of a record that starts at or after `byte`, line ends
    /// before it passed over as the csv reader passes over them.
    fn line_of(&self, byte: u64) -> u64 {
        let mut b = usize::try_from(byte).map_or(self.text.len(), |b| b.min(self.text.len()));
        while matches!(self.text.get(b), Some(b'\r' | b'\n')) {
            b += 1;
        }
        self.newlines.partition_point(|nl| *nl < b) as u64 + 1
    }
}

// ---------------------------------------------------------------------------------------------
// Columns.

/// Which column fills which field.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    /// Field key → column index.
    by_key: HashMap<&'static str, usize>,
}

impl Columns {
    fn get(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }
}

/// Finds the columns by header (and `--map COLUMN=FIELD`). Unread columns are warned about.
pub fn columns(
    table: &Table,
    maps: &[(String, String)],
) -> Result<(Columns, Vec<Problem>), ImportError> {
    let mut cols = Columns::default();
    let mut taken: HashMap<usize, &'static str> = HashMap::new();
    for (column, field) in maps {
        let key = field_named(field).ok_or_else(|| {
            ImportError::Usage(format!(
                "--map {column}={field}: no field is called \"{field}\"; write one of {}",
                field_names().join(", ")
            ))
        })?;
        let i = table
            .header
            .iter()
            .position(|h| fold(h) == fold(column))
            .ok_or_else(|| {
                ImportError::Usage(format!(
                    "--map {column}={field}: the sheet has no column \"{column}\"; its columns are {}",
                    table
                        .header
                        .iter()
                        .filter(|h| !h.is_empty())
                        .map(|h| format!("\"{h}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        cols.by_key.insert(key, i);
        taken.insert(i, key);
    }
    let mut problems = Vec::new();
    // Unknown headers are quoted (to be named in --map) only when the header row looks like one:
    // a header row that is really a row of data (the header line lost, or a data line joined to
    // it) would otherwise print a pupil's details. Such a row is longer than most rows below it,
    // or holds no case reference column; its unknown cells are then named by column only.
    let mut widths: HashMap<usize, usize> = HashMap::new();
    for r in &table.rows {
        *widths.entry(r.cells.len()).or_default() += 1;
    }
    let usual = widths
        .iter()
        .max_by_key(|(w, n)| (**n, **w))
        .map(|(w, _)| *w);
    let mut unknown: Vec<(usize, &str)> = Vec::new();
    for (i, h) in table.header.iter().enumerate() {
        if taken.contains_key(&i) || h.is_empty() {
            continue;
        }
        let f = fold(h);
        let Some(s) =
            specs().find(|s| fold(s.header) == f || s.aliases.iter().any(|a| fold(a) == f))
        else {
            unknown.push((i, h.as_str()));
            continue;
        };
        if maps.iter().any(|(_, f)| field_named(f) == Some(s.key)) {
            problems.push(Problem::warning(
                format!("{}, \"{h}\"", table.header_place()),
                format!("not read: --map gives {} another column", s.key),
            ));
            continue;
        }
        if let Some(j) = cols.get(s.key) {
            problems.push(Problem::error(
                format!("{}, \"{h}\"", table.header_place()),
                format!(
                    "fills {} as column \"{}\" does; keep one of them, or say which with --map",
                    s.key, table.header[j]
                ),
            ));
            continue;
        }
        cols.by_key.insert(s.key, i);
    }
    let has_ref = cols.get("ref").is_some();
    let looks_like_a_header = has_ref
        && usual.is_none_or(|w| table.header.len() <= w)
        && unknown.len() * 2 <= table.header.len();
    if looks_like_a_header {
        for (_, h) in unknown {
            problems.push(Problem::warning(
                format!("{}, \"{h}\"", table.header_place()),
                format!("a column fairpanel does not know, so it is not read; to read it, add --map \"{h}=FIELD\" (see docs/intake.md)"),
            ));
        }
    } else if !unknown.is_empty() {
        let numbers: Vec<String> = unknown.iter().map(|(i, _)| (i + 1).to_string()).collect();
        problems.push(Problem::warning(
            table.header_place(),
            format!(
                "{} columns fairpanel does not know (columns {}), so they are not read; their headers are not shown, as this row may not be a header at all (longer than the rows below it, or few known columns): check the file's first lines",
                numbers.len(),
                numbers.join(", ")
            ),
        ));
    }
    if !has_ref {
        problems.push(Problem::error(
            table.header_place(),
            "no case reference column; add one headed \"Case reference\", or name it with --map COLUMN=ref",
        ));
    }
    if problems.iter().any(|p| p.severity == Severity::Error) {
        return Err(ImportError::Problems(problems));
    }
    Ok((cols, problems))
}

// ---------------------------------------------------------------------------------------------
// Rows into changes.

#[derive(Debug, Clone, Default)]
struct ContactPatch {
    name: Option<String>,
    relationship: Option<String>,
    address: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

impl ContactPatch {
    fn any(&self) -> bool {
        self.name.is_some()
            || self.relationship.is_some()
            || self.address.is_some()
            || self.phone.is_some()
            || self.email.is_some()
    }
}

/// What one row says about its case; `None` is a blank cell (or no column): left as it is.
#[derive(Debug, Clone, Default)]
struct Patch {
    kind: Option<CaseKind>,
    referral_date: Option<Date>,
    organisation: Option<String>,
    role: Option<String>,
    status: Option<Status>,
    given_name: Option<String>,
    family_name: Option<String>,
    date_of_birth: Option<Date>,
    sex: Option<Sex>,
    year_group: Option<YearGroup>,
    upn: Option<String>,
    sen: Option<Sen>,
    lac: Option<bool>,
    plac: Option<bool>,
    categories: Option<Vec<CategoryClaim>>,
    in_year_apps: Option<Vec<InYearApp>>,
    preferences: Option<Vec<u32>>,
    out_since: Option<Date>,
    current_school: Option<u32>,
    on_roll_since: Option<Date>,
    proposed_school: Option<u32>,
    notes: Option<String>,
    contacts: [ContactPatch; 2],
}

/// One row read: its case reference and what it says.
#[derive(Debug, Clone)]
struct Referral {
    row: usize,
    reference: String,
    patch: Patch,
}

fn text_of(c: &Cell) -> Option<String> {
    match c {
        Cell::Empty | Cell::Error => None,
        Cell::Text(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(format!("{}", *n as i64)),
        Cell::Number(n) => Some(n.to_string()),
        Cell::Date(d) => Some(d.to_string()),
        Cell::Bool(b) => Some(if *b { "Yes" } else { "No" }.to_owned()),
    }
}

fn date_of(c: &Cell) -> Result<Date, String> {
    let bad = || "not a real date; write DD/MM/YYYY".to_owned();
    match c {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) => from_serial(*n).ok_or_else(bad),
        Cell::Text(t) => {
            let t = t.trim();
            // "2026-03-02 00:00:00" or "2026-03-02T00:00:00" from a date-time cell saved as text.
            let day = t.split([' ', 'T']).next().unwrap_or(t);
            Date::parse_day_first(day).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

fn urn_of(c: &Cell) -> Result<u32, String> {
    text_of(c)
        .and_then(|t| t.parse::<u32>().ok())
        .filter(|u| (100_000..=999_999).contains(u))
        .ok_or_else(|| "not a URN; write the school's six-digit URN".to_owned())
}

fn coded<T: Copy>(c: &Cell, table: &[(&[&str], T)], write: &str) -> Result<T, String> {
    let f = text_of(c).map(|t| fold(&t)).unwrap_or_default();
    table
        .iter()
        .find(|(names, _)| names.iter().any(|n| fold(n) == f))
        .map(|(_, v)| *v)
        .ok_or_else(|| format!("not one of the choices; write {write}"))
}

fn yes_no(c: &Cell) -> Result<bool, String> {
    if let Cell::Bool(b) = c {
        return Ok(*b);
    }
    coded(
        c,
        &[
            (&["yes", "y", "true", "1"], true),
            (&["no", "n", "false", "0"], false),
        ],
        "Yes or No",
    )
}

fn year_of(c: &Cell) -> Result<YearGroup, String> {
    let bad = || "not a year group; write R or 1 to 13".to_owned();
    let t = text_of(c).ok_or_else(bad)?;
    let f = fold(&t);
    if matches!(f.as_str(), "r" | "reception" | "yr" | "0") {
        return Ok(YearGroup::RECEPTION);
    }
    let digits = f
        .strip_prefix("year")
        .or_else(|| f.strip_prefix("y"))
        .unwrap_or(&f);
    digits
        .parse::<i32>()
        .ok()
        .filter(|n| *n >= 1)
        .and_then(YearGroup::new)
        .ok_or_else(bad)
}

fn urns_of(c: &Cell) -> Result<Vec<u32>, String> {
    let t = text_of(c).unwrap_or_default();
    let parts: Vec<&str> = t
        .split([';', ',', ' ', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let n = parts.len();
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            p.parse::<u32>()
                .ok()
                .filter(|u| (100_000..=999_999).contains(u))
                .ok_or_else(|| {
                    let which = if n == 1 {
                        "the preference".to_owned()
                    } else {
                        format!("preference {} of {n}", i + 1)
                    };
                    format!("{which} is not a URN; write six-digit school URNs separated by ;")
                })
        })
        .collect()
}

/// Reads every row: those that read whole, and the problems of those that did not, each with
/// its row's index.
fn read_rows(table: &Table, cols: &Columns) -> (Vec<Referral>, Vec<(usize, Problem)>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let ref_col = cols.get("ref").unwrap_or(0);
    for (ri, row) in table.rows.iter().enumerate() {
        let cell = |key: &str| -> Option<(&Cell, &str)> {
            let i = cols.get(key)?;
            let c = row.cells.get(i)?;
            (!c.is_empty()).then(|| (c, table.header[i].as_str()))
        };
        let before = problems.len();
        let mut err = |header: &str, msg: String| {
            problems.push((ri, Problem::error(table.at(row, Some(header)), msg)));
        };
        let Some(reference) = cell("ref").and_then(|(c, _)| text_of(c)) else {
            err(
                &table.header[ref_col],
                "no case reference; write the panel's reference for the case (e.g. FA-2026-041): one row per case".to_owned(),
            );
            continue;
        };
        if let Some(first) = seen.get(&reference) {
            err(
                &table.header[ref_col],
                format!(
                    "the same case reference as row {first}; one row per case, so merge the two rows"
                ),
            );
            continue;
        }
        seen.insert(reference.clone(), row.shown);
        for (i, c) in row.cells.iter().enumerate() {
            if *c == Cell::Error && cols.by_key.values().any(|v| *v == i) {
                err(
                    &table.header[i],
                    "the cell holds a spreadsheet error (such as #REF! or #N/A); type the value in, not a formula".to_owned(),
                );
            }
        }
        let mut p = Patch::default();
        macro_rules! read {
            ($key:literal, $field:expr, $parse:expr) => {
                if let Some((c, h)) = cell($key) {
                    match $parse(c) {
                        Ok(v) => $field = Some(v),
                        Err(m) => err(h, m),
                    }
                }
            };
        }
        let text = |c: &Cell| -> Result<String, String> { text_of(c).ok_or_else(String::new) };
        read!("kind", p.kind, |c| coded(
            c,
            &[
                (
                    &["Fair Access", "fair_access", "FA", "FAP", "IYFAP"],
                    CaseKind::FairAccess
                ),
                (
                    &["Managed move", "managed_move", "MM", "Managed transfer"],
                    CaseKind::ManagedMove
                ),
                (
                    &["Place request", "place_request", "AP", "AP place", "Place"],
                    CaseKind::PlaceRequest
                ),
            ],
            "Fair Access, Managed move or Place request"
        ));
        read!("referral_date", p.referral_date, date_of);
        read!("referrer.organisation", p.organisation, text);
        read!("referrer.role", p.role, text);
        read!("status", p.status, |c| coded(
            c,
            &[
                (&["Unplaced", "unplaced"], Status::Unplaced),
                (
                    &["Child missing education", "cme", "Missing education"],
                    Status::Cme
                ),
                (
                    &[
                        "Elective home education",
                        "ehe",
                        "Leaving elective home education",
                        "Home educated"
                    ],
                    Status::Ehe
                ),
                (
                    &["Alternative provision", "ap", "In alternative provision"],
                    Status::Ap
                ),
                (
                    &[
                        "Permanently excluded",
                        "pex",
                        "Excluded",
                        "Permanent exclusion"
                    ],
                    Status::Pex
                ),
                (&["On roll", "on_roll", "On a school roll"], Status::OnRoll),
            ],
            "Unplaced, Child missing education, Elective home education, Alternative provision, Permanently excluded or On roll"
        ));
        read!("pupil.given_name", p.given_name, text);
        read!("pupil.family_name", p.family_name, text);
        read!("pupil.date_of_birth", p.date_of_birth, date_of);
        read!("pupil.sex", p.sex, |c| coded(
            c,
            &[
                (&["Female", "F", "Girl"], Sex::Female),
                (&["Male", "M", "Boy"], Sex::Male),
            ],
            "Female or Male"
        ));
        read!("pupil.year_group", p.year_group, year_of);
        read!("pupil.upn", p.upn, text);
        read!("pupil.sen", p.sen, |c| coded(
            c,
            &[
                (&["None", "No SEN", "N", "No"], Sen::None),
                (
                    &["SEN support", "sen_support", "K", "Support"],
                    Sen::SenSupport
                ),
                (&["EHC plan", "EHCP", "E", "Statement"], Sen::Ehcp),
            ],
            "None, SEN support or EHC plan"
        ));
        read!("pupil.lac", p.lac, yes_no);
        read!("pupil.plac", p.plac, yes_no);
        read!("categories", p.categories, |c| lines::parse_categories(
            &text_of(c).unwrap_or_default()
        ));
        read!("in_year_apps", p.in_year_apps, |c| {
            lines::parse_applications(
                &text_of(c).unwrap_or_default(),
                Date::parse_day_first,
                "DD/MM/YYYY",
            )
        });
        read!("preferences", p.preferences, urns_of);
        read!("out_since", p.out_since, date_of);
        read!("current_school", p.current_school, urn_of);
        read!("current_school.from", p.on_roll_since, date_of);
        read!("proposed_school", p.proposed_school, urn_of);
        read!("notes", p.notes, text);
        for (n, k) in p.contacts.iter_mut().enumerate() {
            let key = |part: &str| format!("contact{}.{part}", n + 1);
            let get = |part: &str| cell(&key(part)).and_then(|(c, _)| text_of(c));
            k.name = get("name");
            k.relationship = get("relationship");
            k.address = get("address");
            k.phone = get("phone");
            k.email = get("email");
            if k.any() && k.name.is_none() {
                let header = cols.get(&key("name")).map_or_else(
                    || spec_header(&key("name")).to_owned(),
                    |i| table.header[i].clone(),
                );
                err(
                    &header,
                    "a parent's or carer's details without their name; write the name, or clear their other details".to_owned(),
                );
            }
        }
        if p.current_school.is_some() != p.on_roll_since.is_some() {
            let (key, msg) = if p.current_school.is_some() {
                (
                    "current_school.from",
                    "needed with the current school's URN; write the day the child joined that school (DD/MM/YYYY)",
                )
            } else {
                (
                    "current_school",
                    "a date on roll without a school; write the current school's URN, or clear the date",
                )
            };
            let header = cols
                .get(key)
                .map_or_else(|| spec_header(key).to_owned(), |i| table.header[i].clone());
            err(&header, msg.to_owned());
        }
        if problems.len() == before {
            out.push(Referral {
                row: ri,
                reference,
                patch: p,
            });
        }
    }
    (out, problems)
}

fn spec_header(key: &str) -> &'static str {
    spec(key).map_or("", |s| s.header)
}

// ---------------------------------------------------------------------------------------------
// Merging.

/// What the import did (or, for a dry run, would do), by case reference and field name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// Rows read.
    pub rows: usize,
    /// New cases, in sheet order.
    pub added: Vec<String>,
    /// Existing cases and the fields that changed, in sheet order.
    pub updated: Vec<(String, Vec<&'static str>)>,
    /// Rows that matched a case and changed nothing.
    pub unchanged: usize,
}

/// A successful import: the merged caseload, what changed, and warnings.
#[derive(Debug, Clone)]
pub struct Merged {
    pub caseload: Caseload,
    pub report: MergeReport,
    pub warnings: Vec<Problem>,
}

/// Reads the table's rows and merges them into `caseload` by case reference, then checks the
/// result as `fairpanel check` does. `Err` holds every problem (the caseload is then not to be
/// written); the messages name sheet, row and column, never a value.
pub fn import(
    table: &Table,
    maps: &[(String, String)],
    caseload: &Caseload,
) -> Result<Merged, ImportError> {
    let (cols, mut warnings) = columns(table, maps)?;
    let (referrals, mut row_problems) = read_rows(table, &cols);
    let mut merged = caseload.clone();
    let mut report = MergeReport {
        rows: referrals.len(),
        ..MergeReport::default()
    };
    // Case index → the row that touched it.
    let mut touched: HashMap<usize, usize> = HashMap::new();
    for r in &referrals {
        let row = &table.rows[r.row];
        match merged.cases.iter().position(|c| c.reference == r.reference) {
            Some(i) => {
                let changed = apply(&mut merged.cases[i], &r.patch, &merged.schools);
                if changed.is_empty() {
                    report.unchanged += 1;
                } else {
                    report.updated.push((r.reference.clone(), changed));
                }
                touched.insert(i, r.row);
            }
            None => match new_case(&r.reference, &r.patch) {
                Ok(mut case) => {
                    apply(&mut case, &r.patch, &merged.schools);
                    touched.insert(merged.cases.len(), r.row);
                    merged.cases.push(case);
                    report.added.push(r.reference.clone());
                }
                Err(missing) => {
                    for key in missing {
                        let (header, msg) = match cols.get(key) {
                            Some(i) => (
                                table.header[i].clone(),
                                "blank, and a new case needs it; fill it in".to_owned(),
                            ),
                            None => (
                                spec_header(key).to_owned(),
                                format!(
                                    "a new case needs it and the sheet has no such column; add the column (or name one with --map COLUMN={key})"
                                ),
                            ),
                        };
                        row_problems
                            .push((r.row, Problem::error(table.at(row, Some(&header)), msg)));
                    }
                }
            },
        }
    }
    if !row_problems.is_empty() {
        // By row, each row's problems in column order as found.
        row_problems.sort_by_key(|(r, _)| *r);
        let mut problems: Vec<Problem> = row_problems.into_iter().map(|(_, p)| p).collect();
        problems.append(&mut warnings);
        return Err(ImportError::Problems(problems));
    }
    let mut problems = Vec::new();
    if merged.cases.iter().any(|c| !c.pupil.contacts.is_empty()) {
        // Contacts are a format-2 field.
        merged.format = FORMAT.to_owned();
    }
    // The merged caseload must pass every check `fairpanel check` makes.
    for f in checks::check(&merged) {
        let path = f.path.to_string();
        let case_at = path
            .strip_prefix("cases[")
            .and_then(|r| r.split_once(']'))
            .and_then(|(i, rest)| Some((i.parse::<usize>().ok()?, rest.trim_start_matches('.'))));
        let located = case_at.and_then(|(i, rest)| Some((touched.get(&i)?, rest)));
        let p = match located {
            Some((&ri, rest)) => {
                let row = &table.rows[ri];
                let header = column_for(rest).map(|key| {
                    cols.get(key)
                        .map_or_else(|| spec_header(key).to_owned(), |i| table.header[i].clone())
                });
                let what = if header.is_some() {
                    f.problem.message.clone()
                } else {
                    format!("{path}: {}", f.problem.message)
                };
                let at = table.at(row, header.as_deref());
                match f.problem.severity {
                    Severity::Error => Problem::error(at, what),
                    Severity::Warning => Problem::warning(at, what),
                }
            }
            // A case the sheet did not touch: only its warnings can be there, and `fairpanel
            // check` shows them.
            None if f.problem.severity == Severity::Warning => continue,
            None => f.problem.clone(),
        };
        if p.severity == Severity::Error {
            problems.push(p);
        } else {
            warnings.push(p);
        }
    }
    if !problems.is_empty() {
        problems.append(&mut warnings);
        return Err(ImportError::Problems(problems));
    }
    Ok(Merged {
        caseload: merged,
        report,
        warnings,
    })
}

/// The column a finding's path (after `cases[i].`) comes from.
fn column_for(rest: &str) -> Option<&'static str> {
    let head = |n: usize| -> String {
        rest.split('.')
            .take(n)
            .map(|s| s.split('[').next().unwrap_or(s))
            .collect::<Vec<_>>()
            .join(".")
    };
    if let Some(c) = rest.strip_prefix("pupil.contacts[") {
        let i: usize = c.split(']').next()?.parse().ok()?;
        let part = c.split_once("].").map_or("name", |(_, p)| p);
        let key = format!("contact{}.{part}", i + 1);
        return spec(&key).or_else(|| spec("contact1.name")).map(|s| s.key);
    }
    let key = if rest.starts_with("pupil.") || rest.starts_with("referrer.") {
        head(2)
    } else {
        head(1)
    };
    let key = match key.as_str() {
        "schools_attended" => "current_school".to_owned(),
        k => k.to_owned(),
    };
    spec(&key).map(|s| s.key)
}

/// The fields a new case cannot do without.
fn new_case(reference: &str, p: &Patch) -> Result<Case, Vec<&'static str>> {
    let mut missing = Vec::new();
    macro_rules! need {
        ($v:expr, $key:literal) => {
            match &$v {
                Some(v) => Some(v.clone()),
                None => {
                    missing.push($key);
                    None
                }
            }
        };
    }
    let kind = need!(p.kind, "kind");
    let referral_date = need!(p.referral_date, "referral_date");
    let organisation = need!(p.organisation, "referrer.organisation");
    let role = need!(p.role, "referrer.role");
    let status = need!(p.status, "status");
    let given_name = need!(p.given_name, "pupil.given_name");
    let family_name = need!(p.family_name, "pupil.family_name");
    let date_of_birth = need!(p.date_of_birth, "pupil.date_of_birth");
    let sex = need!(p.sex, "pupil.sex");
    let sen = need!(p.sen, "pupil.sen");
    let (
        Some(kind),
        Some(referral_date),
        Some(organisation),
        Some(role),
        Some(status),
        Some(given_name),
        Some(family_name),
        Some(date_of_birth),
        Some(sex),
        Some(sen),
    ) = (
        kind,
        referral_date,
        organisation,
        role,
        status,
        given_name,
        family_name,
        date_of_birth,
        sex,
        sen,
    )
    else {
        return Err(missing);
    };
    Ok(Case::new(
        reference.to_owned(),
        kind,
        referral_date,
        Referrer {
            organisation,
            role,
            urn: None,
        },
        status,
        Pupil::new(given_name, family_name, date_of_birth, sex, sen),
    ))
}

/// Applies what a row says to a case; returns the fields that changed, by caseload name.
fn apply(
    case: &mut Case,
    p: &Patch,
    schools: &[crate::domain::caseload::School],
) -> Vec<&'static str> {
    let mut changed = Vec::new();
    macro_rules! set {
        ($target:expr, $v:expr, $key:literal) => {
            if let Some(v) = &$v {
                if $target != *v {
                    $target = v.clone();
                    changed.push($key);
                }
            }
        };
        (opt $target:expr, $v:expr, $key:literal) => {
            if let Some(v) = &$v {
                if $target.as_ref() != Some(v) {
                    $target = Some(v.clone());
                    changed.push($key);
                }
            }
        };
    }
    set!(case.kind, p.kind, "kind");
    set!(case.referral_date, p.referral_date, "referral_date");
    set!(
        case.referrer.organisation,
        p.organisation,
        "referrer.organisation"
    );
    set!(case.referrer.role, p.role, "referrer.role");
    set!(case.status, p.status, "status");
    let pu = &mut case.pupil;
    set!(pu.given_name, p.given_name, "pupil.given_name");
    set!(pu.family_name, p.family_name, "pupil.family_name");
    set!(pu.date_of_birth, p.date_of_birth, "pupil.date_of_birth");
    set!(pu.sex, p.sex, "pupil.sex");
    set!(opt pu.year_group, p.year_group, "pupil.year_group");
    set!(opt pu.upn, p.upn, "pupil.upn");
    set!(pu.sen, p.sen, "pupil.sen");
    set!(pu.lac, p.lac, "pupil.lac");
    set!(pu.plac, p.plac, "pupil.plac");
    let contacts: Vec<Contact> = p
        .contacts
        .iter()
        .filter_map(|k| {
            Some(Contact {
                name: k.name.clone()?,
                relationship: k.relationship.clone(),
                address: k.address.clone(),
                phone: k.phone.clone(),
                email: k.email.clone(),
            })
        })
        .collect();
    if !contacts.is_empty() && pu.contacts != contacts {
        pu.contacts = contacts;
        changed.push("pupil.contacts");
    }
    set!(case.categories, p.categories, "categories");
    set!(case.in_year_apps, p.in_year_apps, "in_year_apps");
    set!(case.preferences, p.preferences, "preferences");
    set!(opt case.out_since, p.out_since, "out_since");
    set!(opt case.proposed_school, p.proposed_school, "proposed_school");
    set!(opt case.notes, p.notes, "notes");
    if let (Some(urn), Some(from)) = (p.current_school, p.on_roll_since) {
        let open = case
            .schools_attended
            .iter()
            .any(|a| a.urn == Some(urn) && a.to.is_none() && a.from == from);
        if !open {
            let name = schools
                .iter()
                .find(|s| s.urn == urn)
                .map_or_else(|| format!("URN {urn}"), |s| s.name.clone());
            case.schools_attended
                .retain(|a| !(a.urn == Some(urn) && a.to.is_none()));
            case.schools_attended.push(Attended {
                urn: Some(urn),
                name,
                from,
                to: None,
            });
            changed.push("schools_attended");
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_fold_and_aliases_find_their_fields() {
        assert_eq!(fold("D.O.B."), "dob");
        assert_eq!(fold("Referrer's role"), "referrersrole");
        for (h, key) in [
            ("DOB", "pupil.date_of_birth"),
            ("Date of birth", "pupil.date_of_birth"),
            ("D.O.B.", "pupil.date_of_birth"),
            ("UPN", "pupil.upn"),
            ("Year", "pupil.year_group"),
            ("NC year", "pupil.year_group"),
            ("Current school URN", "current_school"),
            ("Ref", "ref"),
            ("Surname", "pupil.family_name"),
            ("Legal surname", "pupil.family_name"),
            ("Forename", "pupil.given_name"),
        ] {
            let f = fold(h);
            let s = specs()
                .find(|s| fold(s.header) == f || s.aliases.iter().any(|a| fold(a) == f))
                .map(|s| s.key);
            assert_eq!(s, Some(key), "{h}");
        }
        // No header or alias names two fields.
        let mut seen: HashMap<String, &str> = HashMap::new();
        for s in specs() {
            for h in std::iter::once(&s.header).chain(s.aliases.iter()) {
                if let Some(other) = seen.insert(fold(h), s.key) {
                    assert_eq!(other, s.key, "{h} names two fields");
                }
            }
        }
    }

    #[test]
    fn map_names_a_field_by_key_short_key_or_header() {
        assert_eq!(field_named("date_of_birth"), Some("pupil.date_of_birth"));
        assert_eq!(
            field_named("pupil.date_of_birth"),
            Some("pupil.date_of_birth")
        );
        assert_eq!(field_named("Date of birth"), Some("pupil.date_of_birth"));
        assert_eq!(field_named("contact1.phone"), Some("contact1.phone"));
        assert_eq!(field_named("shoe_size"), None);
    }

    #[test]
    fn cells_read_as_the_sheet_writes_them() {
        assert_eq!(
            date_of(&Cell::Number(41043.0)),
            Ok(Date::from_ymd(2012, 5, 14).unwrap())
        );
        assert_eq!(
            date_of(&Cell::Text("14/5/12".into())),
            Ok(Date::from_ymd(2012, 5, 14).unwrap())
        );
        assert!(date_of(&Cell::Text("31/02/2012".into())).is_err());
        assert_eq!(
            year_of(&Cell::Number(9.0)),
            YearGroup::new(9).ok_or(String::new())
        );
        assert_eq!(
            year_of(&Cell::Text("Year 9".into())),
            YearGroup::new(9).ok_or(String::new())
        );
        assert_eq!(
            year_of(&Cell::Text("Reception".into())),
            Ok(YearGroup::RECEPTION)
        );
        assert!(year_of(&Cell::Text("14".into())).is_err());
        assert_eq!(urn_of(&Cell::Number(142594.0)), Ok(142594));
        assert!(urn_of(&Cell::Text("14259".into())).is_err());
        assert_eq!(yes_no(&Cell::Text("Y".into())), Ok(true));
        assert_eq!(
            urns_of(&Cell::Text("142594; 136777".into())),
            Ok(vec![142594, 136777])
        );
    }

    #[test]
    fn the_template_lists_every_column_once() {
        let csv = String::from_utf8(template_csv()).unwrap();
        let header: Vec<&str> = csv.trim_end().split(',').collect();
        assert_eq!(header.len(), specs().count());
        assert!(header.contains(&"Date of birth") && header.contains(&"Parent/carer 2 email"));
        assert!(template_xlsx().is_ok());
    }
}
