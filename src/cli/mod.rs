//! The command line (cli.md): parse, run, map outcomes to exit codes. Each command returns
//! `Result<(), Failure>`; `exit` turns a failure into its code and prints it, and every line
//! leaves through `out`, which escapes it.

mod caseload;
mod ctf;
pub mod exit;
mod init;
mod install;
mod keep;
mod letters;
mod minutes;
mod next;
pub mod out;
mod record;
mod referrals;
pub mod report;
mod screen;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::domain::dates::Date;
use crate::domain::event::Outcome;
use crate::domain::letters::LetterKind;
pub use exit::Failure;

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| crate::domain::dates::BAD_DATE.to_owned())
}

/// Outcomes as domain.md §6 spells them, listed in `--help`.
fn outcome_parser() -> impl clap::builder::TypedValueParser<Value = Outcome> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(Outcome::ALL.map(Outcome::as_str))
        .try_map(|s| Outcome::parse(&s).ok_or("not an outcome"))
}

#[derive(Debug, Parser)]
#[command(
    name = "fairpanel",
    version,
    about = "Triage for In-Year Fair Access and allocation panels",
    long_about = "Opens a panel's caseload on a keyboard-driven triage screen. Without CASELOAD it opens the embedded demo panel (real Walsall schools, invented pupils).",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Caseload file (JSON, format fairpanel-caseload/1); omit for the demo panel
    pub caseload: Option<PathBuf>,
    /// Decision log (SQLite); default: one per panel in the fairpanel data folder
    #[arg(long)]
    pub log: Option<PathBuf>,
    /// Draw the screen in plain ASCII, for a console that cannot draw box drawing or symbols
    /// (automatic in the old Windows console; FAIRPANEL_ASCII=1 or 0 decides too)
    #[arg(long)]
    pub ascii: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a caseload without opening the screen
    Check {
        /// Caseload file to check
        #[arg(required_unless_present = "demo", conflicts_with = "demo")]
        caseload: Option<PathBuf>,
        /// Check the embedded demo caseload instead
        #[arg(long)]
        demo: bool,
    },
    /// Write the embedded demo caseload to a new file, to start from
    Demo {
        /// The file to write (a new file: never replaced)
        #[arg(long)]
        out: PathBuf,
    },
    /// A new panel's starter caseload: the LA's open schools from GIAS, the calendar from its
    /// term dates (CSV or iCalendar), the settings' defaults written out, no cases
    Init {
        /// DfE three-digit LA code, e.g. 335 for Walsall
        #[arg(long)]
        la: u16,
        /// The panel: iyfap_pri, iyfap_sec, ap, send or managed_move
        #[arg(long, value_parser = init::parse_kind)]
        kind: crate::domain::caseload::PanelKind,
        /// The GIAS establishment extract (CSV)
        #[arg(long)]
        gias: PathBuf,
        /// Term dates: CSV (type,name,first day,last day) or an iCalendar (.ics) file
        #[arg(long)]
        terms: PathBuf,
        /// The first meeting's date, YYYY-MM-DD
        #[arg(long, value_parser = parse_date)]
        meeting: Date,
        /// The caseload file to write (a new file: never replaced)
        #[arg(long)]
        out: PathBuf,
    },
    /// Record one decision taken between meetings, through the same rules as the screen
    Record(RecordArgs),
    /// Write the minutes of a meeting as JSON, Markdown or HTML, built from the log alone (no
    /// pupil names unless --with-names)
    Minutes {
        /// The decision log
        #[arg(long)]
        log: PathBuf,
        /// The meeting's date, YYYY-MM-DD; default the latest meeting in the log
        #[arg(long, value_parser = parse_date)]
        meeting: Option<Date>,
        /// json (the format), md (for e-mail), html (one self-contained file, for print on A4) or
        /// docx (Word; needs --out)
        #[arg(long, value_enum, default_value_t = MinutesFormat::Json)]
        format: MinutesFormat,
        /// Write to this file (atomically, owner-only) instead of stdout
        #[arg(long)]
        out: Option<PathBuf>,
        /// The LA's internal copy: include pupil names, dates of birth and UPNs (personal data)
        #[arg(long)]
        with_names: bool,
    },
    /// A letter or notice from a decision: the allocation letters to the school and to the
    /// parent or carer, the notice of intention to direct a maintained school (s96/s97), the
    /// request to the Secretary of State to direct an academy. Letters name the child: they are
    /// written only to an owner-only file
    Letters(LettersArgs),
    /// The next meeting's caseload from the log: cases still waiting (with their clocks),
    /// deferred ones with what was asked for, reviews falling due, places used
    Next {
        /// The decision log
        #[arg(long)]
        log: PathBuf,
        /// The next meeting's date, YYYY-MM-DD
        #[arg(long, value_parser = parse_date)]
        meeting: Date,
        /// The caseload file to write (atomically, owner-only)
        #[arg(long)]
        out: PathBuf,
    },
    /// A case's whole story across meetings: referred, agreed, decided, corrected, and the school
    /// days waited (case references only, no pupil names)
    History {
        /// The decision log
        #[arg(long)]
        log: PathBuf,
        /// Case reference
        #[arg(long = "case")]
        case_ref: String,
    },
    /// Walk the log's hash chain: entry count and head hash, or the first entry that fails
    Verify {
        /// The decision log
        #[arg(long)]
        log: PathBuf,
        /// A head hash the minutes printed: the log must still hold that entry (exit 5 if not)
        #[arg(long, value_name = "HEAD")]
        expect: Option<String>,
    },
    /// A consistent copy of the log (also while the screen has it open), verified, owner-only,
    /// named by panel and date in DIR (never written over another file); prints its path
    Backup {
        /// The decision log
        #[arg(long)]
        log: PathBuf,
        /// The folder to write the backup into (made, owner-only, if missing)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Remove the personal data of cases closed before DATE (storage limitation), erased from
    /// the file; the log still verifies. Backups taken before keep it
    Purge {
        /// The decision log
        #[arg(long)]
        log: PathBuf,
        /// Cases closed before this day, YYYY-MM-DD: today minus the retention period
        #[arg(long, value_parser = parse_date)]
        before: Date,
        /// List the cases and parts that would go, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// The period's figures across one or several panels' logs (docs/report.md)
    Report {
        /// A panel's decision log; give --log once per log (the same log twice counts once)
        #[arg(long = "log", required = true)]
        logs: Vec<PathBuf>,
        /// The period's first day, YYYY-MM-DD
        #[arg(long, value_parser = parse_date)]
        from: Date,
        /// The period's last day, YYYY-MM-DD
        #[arg(long, value_parser = parse_date)]
        to: Date,
        #[arg(long, value_enum, default_value_t = report::ReportFormat::Md)]
        format: report::ReportFormat,
        /// Write to this file (0600) instead of standard output
        #[arg(long)]
        out: Option<PathBuf>,
        /// For publication: counts from 1 to 4 shown as <5, no case references or reasons
        #[arg(long)]
        publish: bool,
    },
    /// Flat, pseudonymised tables for an analytical engine (docs/export.md)
    Export {
        /// A panel's decision log; give --log once per log
        #[arg(long = "log", required = true)]
        logs: Vec<PathBuf>,
        #[arg(long, value_enum)]
        format: report::ExportFormat,
        /// The folder to write the tables into (made 0700 if missing)
        #[arg(long)]
        out: PathBuf,
        /// The LA's key for the keyed hashes; default: export.key in the fairpanel data folder, made on first use
        #[arg(long)]
        key: Option<PathBuf>,
        /// The first day exported (default: the logs' first)
        #[arg(long, value_parser = parse_date)]
        from: Option<Date>,
        /// The last day exported (default: the logs' latest meeting)
        #[arg(long, value_parser = parse_date)]
        to: Option<Date>,
    },
    /// Schools from DfE Get Information About Schools (GIAS)
    Schools {
        #[command(subcommand)]
        command: SchoolsCommand,
    },
    /// Pupils' details from DfE Common Transfer Files (CTF)
    Ctf {
        #[command(subcommand)]
        command: CtfCommand,
    },
    /// Referrals from a spreadsheet: the sheet to fill in, and its rows merged into a caseload
    Referrals {
        #[command(subcommand)]
        command: ReferralsCommand,
    },
    /// Print the shell completion script for SHELL (bash, zsh, fish, powershell, elvish)
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (one per command, section 1) into a folder
    Man {
        /// The folder to write them in (made if missing)
        #[arg(long)]
        out: PathBuf,
    },
}

/// `fairpanel letters`.
#[derive(Debug, clap::Args)]
pub struct LettersArgs {
    /// The decision log
    #[arg(long, required_unless_present = "save_templates")]
    pub log: Option<PathBuf>,
    /// The case's reference
    #[arg(
        long = "case",
        value_name = "REF",
        required_unless_present = "save_templates"
    )]
    pub case_ref: Option<String>,
    /// Which letter
    #[arg(long, value_parser = letter_kind_parser(), required_unless_present = "save_templates")]
    pub kind: Option<LetterKind>,
    /// docx (for Word), html (one file, prints on A4) or md
    #[arg(long, value_enum, default_value_t = LetterFormat::Docx)]
    pub format: LetterFormat,
    /// The file to write (owner-only); a letter is never printed to the terminal
    #[arg(long, required_unless_present = "save_templates")]
    pub out: Option<PathBuf>,
    /// The letter's date, YYYY-MM-DD (deadlines count from it); default today
    #[arg(long, value_parser = parse_date)]
    pub date: Option<Date>,
    /// Which of the pupil's contacts a letter to the family goes to: 1 = the first
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..))]
    pub contact: u16,
    /// A folder of the LA's own templates (KIND.md); the embedded one for any kind not there
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// For a request to the Secretary of State: the academy's reasons for not admitting
    #[arg(long)]
    pub academy_reasons: Option<String>,
    /// For a request to the Secretary of State: the LA's response to those reasons
    #[arg(long)]
    pub la_response: Option<String>,
    /// Write the embedded templates into DIR to edit (never over a file already there), and
    /// nothing else
    #[arg(long, value_name = "DIR", conflicts_with_all = ["log", "case_ref", "kind", "out", "templates"])]
    pub save_templates: Option<PathBuf>,
}

/// The letters' kinds as `--kind` spells them, listed in `--help`.
fn letter_kind_parser() -> impl clap::builder::TypedValueParser<Value = LetterKind> {
    use clap::builder::TypedValueParser as _;
    clap::builder::PossibleValuesParser::new(LetterKind::ALL.map(LetterKind::slug))
        .try_map(|s| LetterKind::parse(&s).ok_or("not a letter"))
}

/// The forms of a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LetterFormat {
    Docx,
    Html,
    Md,
}

/// The forms of the minutes (cli.md `--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MinutesFormat {
    Json,
    Md,
    Html,
    Docx,
}

#[derive(Debug, Subcommand)]
pub enum CtfCommand {
    /// Fill cases' pupil details from a CTF (25.0 or 24.0), or a folder of them: names, UPN, ULN,
    /// date of birth, sex, year group, looked after, SEN, schools attended and attendance
    Import {
        /// The CTF (.xml), or a folder of CTFs
        file: PathBuf,
        /// The caseload to fill (written atomically, owner-only; nothing is written on an error)
        #[arg(long)]
        into: PathBuf,
        /// The case to fill (the file must hold one pupil); without it, pupils are matched to
        /// cases by UPN
        #[arg(long = "case")]
        case_ref: Option<String>,
        /// Where the file and the caseload disagree, take the file's value (default: keep the
        /// caseload's)
        #[arg(long)]
        prefer_ctf: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ReferralsCommand {
    /// Write the referral sheet to fill in: one row per case, drop-down lists for the coded
    /// columns, and a sheet explaining each column (.xlsx), or the header row alone (.csv)
    Template {
        /// The file to write, .xlsx or .csv (atomically, owner-only)
        #[arg(long)]
        out: PathBuf,
    },
    /// Read referrals from .xlsx, .xls, .ods or .csv and merge them into a caseload by case
    /// reference: new cases added, changed fields updated, the result checked as `check` does
    Import {
        /// The spreadsheet or CSV file
        file: PathBuf,
        /// The caseload to merge into (written atomically, owner-only)
        #[arg(long)]
        into: PathBuf,
        /// The sheet to read; default "Referrals", else the first sheet
        #[arg(long)]
        sheet: Option<String>,
        /// Read a column the importer does not know as a caseload field: COLUMN=FIELD (repeat)
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// Say what would change, by case reference and field, and write nothing
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct RecordArgs {
    /// The decision log
    #[arg(long)]
    pub log: PathBuf,
    /// The caseload the case is in
    #[arg(long)]
    pub caseload: PathBuf,
    /// Case reference
    #[arg(long = "case")]
    pub case_ref: String,
    /// Outcome, spelled as in domain.md §6
    #[arg(long, value_parser = outcome_parser())]
    pub outcome: Outcome,
    /// School or provision URN
    #[arg(long)]
    pub urn: Option<u32>,
    /// Start date, YYYY-MM-DD
    #[arg(long, value_parser = parse_date)]
    pub start: Option<Date>,
    /// Review date, YYYY-MM-DD
    #[arg(long, value_parser = parse_date)]
    pub review: Option<Date>,
    /// Support package and conditions
    #[arg(long)]
    pub package: Option<String>,
    /// An action agreed with the decision, "OWNER: WHAT [by DATE]"; repeat for more
    #[arg(long = "action", value_name = "OWNER: WHAT [by DATE]")]
    pub actions: Vec<String>,
    /// The package includes a reduced timetable (a review date is then required)
    #[arg(long)]
    pub reduced_timetable: bool,
    /// Reasons, as they will stand in the minutes (no pupil names)
    #[arg(long)]
    pub reasons: String,
    /// A member who agreed (repeat for each); at least one must be able to decide
    #[arg(long = "agreed-by", required = true)]
    pub agreed_by: Vec<String>,
    /// A member who dissented (repeat for each)
    #[arg(long)]
    pub dissent: Vec<String>,
    /// Correct (supersede) this earlier decision entry
    #[arg(long, requires = "correction_reason")]
    pub corrects: Option<i64>,
    /// Why the earlier decision is corrected
    #[arg(long)]
    pub correction_reason: Option<String>,
    /// Why the panel goes ahead despite a warning that needs a reason (fair share, local bar)
    #[arg(long)]
    pub override_reason: Option<String>,
    /// The date the decision was taken; default today
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<Date>,
}

#[derive(Debug, Subcommand)]
pub enum SchoolsCommand {
    /// Read a GIAS establishment extract (CSV, UTF-8 or Windows-1252): the LA's open schools
    Import {
        /// The GIAS CSV file
        csv: PathBuf,
        /// DfE three-digit LA code, e.g. 335 for Walsall
        #[arg(long)]
        la: u16,
        /// Merge into this caseload by URN (written atomically) instead of printing JSON
        #[arg(long)]
        into: Option<PathBuf>,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Check {
            caseload: Some(c), ..
        }) => caseload::check(&c),
        Some(Command::Check { caseload: None, .. }) => caseload::check_demo(),
        Some(Command::Demo { out }) => init::demo(&out),
        Some(Command::Init {
            la,
            kind,
            gias,
            terms,
            meeting,
            out,
        }) => init::init(la, kind, &gias, &terms, meeting, &out),
        Some(Command::Record(args)) => record::record(&args),
        Some(Command::Verify { log, expect }) => keep::verify(&log, expect.as_deref()),
        Some(Command::Backup { log, out }) => keep::backup(&log, &out),
        Some(Command::Purge {
            log,
            before,
            dry_run,
        }) => keep::purge(&log, before, dry_run),
        Some(Command::History { log, case_ref }) => minutes::history(&log, &case_ref),
        Some(Command::Minutes {
            log,
            meeting,
            format,
            out,
            with_names,
        }) => minutes::minutes(&log, meeting, format, out.as_deref(), with_names),
        Some(Command::Report {
            logs,
            from,
            to,
            format,
            out,
            publish,
        }) => report::report(&logs, from, to, format, out.as_deref(), publish),
        Some(Command::Export {
            logs,
            format,
            out,
            key,
            from,
            to,
        }) => report::export(&report::ExportArgs {
            logs: &logs,
            format,
            out: &out,
            key: key.as_deref(),
            from,
            to,
        }),
        Some(Command::Letters(args)) => letters::letters(&args),
        Some(Command::Next { log, meeting, out }) => next::next(&log, meeting, &out),
        Some(Command::Schools {
            command: SchoolsCommand::Import { csv, la, into },
        }) => caseload::import_schools(&csv, la, into.as_deref()),
        Some(Command::Ctf {
            command:
                CtfCommand::Import {
                    file,
                    into,
                    case_ref,
                    prefer_ctf,
                },
        }) => ctf::import(&file, &into, case_ref, prefer_ctf),
        Some(Command::Referrals {
            command: ReferralsCommand::Template { out },
        }) => referrals::template(&out),
        Some(Command::Referrals {
            command:
                ReferralsCommand::Import {
                    file,
                    into,
                    sheet,
                    map,
                    dry_run,
                },
        }) => referrals::import(&file, &into, sheet.as_deref(), &map, dry_run),
        Some(Command::Completions { shell }) => install::completions(shell),
        Some(Command::Man { out }) => install::man(&out),
        None => screen::open(cli.caseload.as_deref(), cli.log.as_deref(), cli.ascii),
    };
    ExitCode::from(match result {
        Ok(()) => exit::OK,
        Err(f) => {
            f.report();
            f.code()
        }
    })
}
