//! The caseload file, format `fairpanel-caseload/1`: one JSON file per meeting.
//!
//! JSON keys follow domain.md §6 wherever it names the field (`ref`, `ehcp`, `lac`, `plac`,
//! `pex_history`, `fap_agreed_date`, `cin_cp_end`, `pan`, `ofsted_category` …). Every struct denies
//! unknown fields: a misspelt `ehcp` silently read as "no plan" would route a child wrongly.
//! `docs/caseload.md` documents each field; `fixtures/caseload.schema.json` is generated from here.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::dates::Date;
use crate::domain::year_group::{PoolGroup, YearGroup};

/// Format 1: a caseload written by hand or by an earlier version; still read.
pub const FORMAT_V1: &str = "fairpanel-caseload/1";
/// Format 2 adds what `fairpanel next` carries from one meeting to the next: where the caseload
/// came from, and per case a deferral's request or a review that falls due.
pub const FORMAT_V2: &str = "fairpanel-caseload/2";
/// Format 3 adds what the minutes and letters print about the meeting and the LA: the venue,
/// the start time, the next meeting's date and the LA's contact for letters. Written by this
/// build.
pub const FORMAT_V3: &str = "fairpanel-caseload/3";
/// What this build writes.
pub const FORMAT: &str = FORMAT_V3;

/// Is `format` one this build reads?
pub fn reads_format(format: &str) -> bool {
    [FORMAT_V1, FORMAT_V2, FORMAT_V3].contains(&format)
}

/// The formats this build reads, for messages.
pub const READS: &str = "`fairpanel-caseload/3` (and `/2`, `/1`)";

/// One meeting's caseload: the panel, its calendar, the schools it can place in, the cases and the
/// free AP and specialist places.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Caseload {
    /// `fairpanel-caseload/3` (or `/2`, `/1`, still read).
    pub format: String,
    /// Written by `fairpanel next`: the meeting, caseload and log this one was carried from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<CarriedFrom>,
    pub panel: Panel,
    pub calendar: Calendar,
    pub schools: Vec<School>,
    pub cases: Vec<Case>,
    /// Free AP and specialist places on offer at this meeting.
    #[serde(default)]
    pub places: Vec<Provision>,
}

/// The message of a key given twice in one object, wherever it is found.
pub const DUPLICATE_KEY: &str = "duplicate key: this object already has this key; keep one of the two (JSON readers disagree on which counts)";

/// A map that refuses a key given twice, written the same way (`"Y7"` twice) or not (`"Y7"` and
/// `"7"`): serde keeps the last silently. (A struct's field given twice is refused by serde.)
fn unique_keys<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
{
    struct Unique<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<K, V> {
        type Value = BTreeMap<K, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut a: A,
        ) -> Result<Self::Value, A::Error> {
            let mut m = BTreeMap::new();
            while let Some((k, v)) = a.next_entry::<K, V>()? {
                if m.insert(k, v).is_some() {
                    return Err(serde::de::Error::custom(DUPLICATE_KEY));
                }
            }
            Ok(m)
        }
    }
    d.deserialize_map(Unique(std::marker::PhantomData))
}

impl Caseload {
    /// Every school name the caseload holds, its schools' and those its pupils attended: masked
    /// before free text is searched for a pupil's name (`names::NameIndex::with_schools`).
    pub fn school_names(&self) -> impl Iterator<Item = &str> {
        self.schools.iter().map(|s| s.name.as_str()).chain(
            self.cases
                .iter()
                .flat_map(|c| c.schools_attended.iter().map(|a| a.name.as_str())),
        )
    }
}

/// Where a caseload written by `fairpanel next` came from, so the chair can tell which log and
/// which earlier caseload it continues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CarriedFrom {
    /// The meeting it follows.
    pub meeting_date: Date,
    /// SHA-256 of that meeting's caseload file as the log holds it (its latest revision).
    pub caseload_sha256: String,
    /// The log's last entry read, and its hash: the log up to there made this file.
    pub log_entries: i64,
    pub log_head: String,
}

/// A deferred case carried to the next meeting: when, and what the panel asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deferred {
    pub on: Date,
    /// The deferral's reasons, as recorded.
    pub asked_for: String,
}

/// A placement whose review falls due by the meeting (AP place, managed move, reduced timetable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewDue {
    /// The outcome that placed the child (`allocate_ap_interim`, `managed_move_agreed`, …).
    pub placement: String,
    /// The school or provision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<Date>,
    pub review_date: Date,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reduced_timetable: bool,
    /// The log entry of the decision under review.
    pub entry: i64,
}

/// Which statutory or local process the panel runs (domain.md §6 Panel.kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PanelKind {
    IyfapPri,
    IyfapSec,
    Ap,
    Send,
    ManagedMove,
}

impl PanelKind {
    /// Fair Access panels are the ones eligibility rules 1–4 of domain.md §6 apply to.
    pub fn is_fair_access(self) -> bool {
        matches!(self, PanelKind::IyfapPri | PanelKind::IyfapSec)
    }

    pub fn label(self) -> &'static str {
        match self {
            PanelKind::IyfapPri => "primary Fair Access",
            PanelKind::IyfapSec => "secondary Fair Access",
            PanelKind::Ap => "alternative provision",
            PanelKind::Send => "SEND",
            PanelKind::ManagedMove => "managed move",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Panel {
    /// Stable identifier of the panel: with `meeting_date` it names a meeting in the decision log.
    pub id: String,
    pub name: String,
    pub kind: PanelKind,
    /// DfE three-digit local authority code (e.g. 335 for Walsall).
    pub la_code: u16,
    pub la_name: String,
    /// Area or district the panel covers, where the LA runs several panels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The "today" of the meeting: every clock and age is taken on this date, never the wall clock.
    pub meeting_date: Date,
    /// Where the meeting is held, as the minutes print it (since format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// When it starts, local time `HH:MM` (since format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<String>,
    /// The next meeting's date, as the minutes print it (since format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_meeting: Option<Date>,
    /// Who letters name as the LA's contact (since format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<LaContact>,
    #[serde(default)]
    pub members: Vec<Member>,
    #[serde(default)]
    pub settings: Settings,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    pub role: String,
    pub organisation: String,
    /// The school the member represents, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<u32>,
    /// May decide and admit for their organisation (domain.md §3 Participation).
    #[serde(default)]
    pub can_decide: bool,
}

/// Local settings (domain.md marks these *local*: each LA sets its own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub quorum: Quorum,
    /// Fair-share cap: at most one placement a year per this many places of PAN (Bucks: 30, so
    /// PAN 180 → 6). Absent means no cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fair_share_pan_per_placement: Option<u32>,
    /// School days from agreeing to consider a case to the allocation aim (SAC21 3.21: 20).
    #[serde(default = "default_clock")]
    pub clock_school_days: u32,
    /// Weeks to the first review of an AP placement or managed move.
    #[serde(default = "default_review_weeks")]
    pub review_weeks: u32,
    /// Groups this LA places outside Fair Access (e.g. `plac` in BCP and Worcestershire).
    #[serde(default)]
    pub excluded_groups: Vec<LocalGroup>,
    /// Previously looked-after children come to Fair Access only under category (m): a local
    /// choice (domain.md §6 rule 2); off by default, since they may qualify under any category.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub plac_only_under_m: bool,
    /// Schools the LA does not allocate to locally, with why.
    #[serde(default)]
    pub barred_schools: Vec<BarredSchool>,
    /// Warn on allocations to a school under an Ofsted category of concern (BUCKS-2021).
    #[serde(default)]
    pub bar_ofsted_concern: bool,
    /// Allow an allocation (never a direction) to the school that permanently excluded the
    /// child, when that school agrees; the agreement is then recorded as the override reason.
    #[serde(default)]
    pub allow_excluding_school_with_agreement: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            quorum: Quorum::default(),
            fair_share_pan_per_placement: None,
            clock_school_days: default_clock(),
            review_weeks: default_review_weeks(),
            excluded_groups: Vec::new(),
            plac_only_under_m: false,
            barred_schools: Vec::new(),
            bar_ofsted_concern: false,
            allow_excluding_school_with_agreement: false,
        }
    }
}

fn default_clock() -> u32 {
    20
}

fn default_review_weeks() -> u32 {
    6
}

/// Quorum rule: no national rule exists (domain.md §4), so each panel states its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quorum {
    /// Members present, at least.
    pub min_present: u32,
    /// Of those, members who can decide for a school, at least.
    pub min_can_decide: u32,
}

impl Default for Quorum {
    fn default() -> Self {
        Quorum {
            min_present: 3,
            min_can_decide: 2,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LocalGroup {
    Plac,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BarredSchool {
    pub urn: u32,
    pub reason: String,
}

pub use crate::domain::calendar::{BankHoliday, Calendar, ClosureDay, Term};

/// Phase of education as GIAS names it (`PhaseOfEducation (name)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Nursery,
    Primary,
    MiddleDeemedPrimary,
    MiddleDeemedSecondary,
    Secondary,
    AllThrough,
    SixteenPlus,
    /// Special schools and PRUs have no phase in GIAS.
    NotApplicable,
}

/// Sex admitted (GIAS `Gender (name)`). `unknown` is not `mixed`: the fit rule warns on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Mixed,
    Boys,
    Girls,
    Unknown,
}

/// Ofsted category of concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfstedCategory {
    SpecialMeasures,
    SeriousWeaknesses,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct School {
    /// DfE unique reference number.
    pub urn: u32,
    pub name: String,
    /// GIAS `TypeOfEstablishment (name)`, e.g. "Academy converter", "Pupil referral unit".
    #[serde(rename = "type")]
    pub school_type: String,
    pub phase: Phase,
    /// Statutory low and high age.
    pub low_age: u8,
    pub high_age: u8,
    pub gender: Gender,
    #[serde(default)]
    pub selective: bool,
    /// Religious character, absent for none ("Does not apply").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub religion: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_roll: Option<u32>,
    /// Published admission number per year group, where the LA holds it (not in GIAS).
    #[serde(default, deserialize_with = "unique_keys")]
    #[schemars(with = "BTreeMap<YearGroup, u32>")]
    pub pan: BTreeMap<YearGroup, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ofsted_category: Option<OfstedCategory>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// British National Grid (OSGB36) metres, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub easting: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub northing: Option<u32>,
    /// Alternative provision (PRU, AP academy or AP free school).
    #[serde(default)]
    pub ap: bool,
    /// Special school (SEN only; places through the EHC plan route).
    #[serde(default)]
    pub special: bool,
    /// Pupil referral unit (LA-run AP).
    #[serde(default)]
    pub pru: bool,
    /// Infant year groups (R, Y1, Y2) whose classes are already at the 30-pupil limit: Fair
    /// Access is not an excepted category (SI 2012/10), so the panel is warned (rule 10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub infant_classes_full: Vec<YearGroup>,
    /// Year groups the panel has excused this school from this year, with why.
    #[serde(default)]
    pub exemptions: Vec<Exemption>,
    /// Fair Access placements already made this academic year, before the log began.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prior_placements: Option<PriorPlacements>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    pub year_group: YearGroup,
    pub reason: String,
}

/// Counts of earlier placements per year group, counted up to and including `as_of`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorPlacements {
    pub as_of: Date,
    #[serde(deserialize_with = "unique_keys")]
    #[schemars(with = "BTreeMap<YearGroup, u32>")]
    pub by_year_group: BTreeMap<YearGroup, u32>,
}

/// What the panel is asked to do for the child.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    /// A Fair Access referral (SAC21 3.14ff).
    FairAccess,
    /// A managed move or local "managed transfer" proposal (EXC24 §48-50).
    ManagedMove,
    /// A request for an AP or specialist place.
    PlaceRequest,
}

impl CaseKind {
    pub const ALL: [CaseKind; 3] = [
        CaseKind::FairAccess,
        CaseKind::ManagedMove,
        CaseKind::PlaceRequest,
    ];

    pub fn label(self) -> &'static str {
        match self {
            CaseKind::FairAccess => "Fair Access",
            CaseKind::ManagedMove => "managed move",
            CaseKind::PlaceRequest => "place request",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            CaseKind::FairAccess => "FA",
            CaseKind::ManagedMove => "MM",
            CaseKind::PlaceRequest => "AP",
        }
    }
}

/// Where the child is now (domain.md §6 Case.status, plus `on_roll` for managed moves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Unplaced,
    Cme,
    Ehe,
    Ap,
    Pex,
    OnRoll,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Unplaced => "unplaced",
            Status::Cme => "child missing education",
            Status::Ehe => "leaving elective home education",
            Status::Ap => "in alternative provision",
            Status::Pex => "permanently excluded",
            Status::OnRoll => "on a school roll",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The panel's case reference; minutes carry this, never the name.
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: CaseKind,
    pub referral_date: Date,
    pub referrer: Referrer,
    /// The day the panel agreed to consider the case: day 0 of the 20-school-day clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fap_agreed_date: Option<Date>,
    pub status: Status,
    pub pupil: Pupil,
    #[serde(default)]
    pub categories: Vec<CategoryClaim>,
    /// When a CIN or CP plan ended; absent with category (a) means the plan is current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cin_cp_end: Option<Date>,
    #[serde(default)]
    pub in_year_apps: Vec<InYearApp>,
    #[serde(default)]
    pub schools_attended: Vec<Attended>,
    #[serde(default)]
    pub pex_history: Vec<Pex>,
    #[serde(default)]
    pub suspensions: Vec<Suspension>,
    /// First day out of education (domain.md §6 `out_since`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_since: Option<Date>,
    /// Parental preferences, most preferred first, as school URNs.
    #[serde(default)]
    pub preferences: Vec<u32>,
    /// Managed moves: the proposed host school.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_school: Option<u32>,
    /// Place requests: what kind of place is sought and for which need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_sought: Option<PlaceSought>,
    /// Managed moves: when the parent, the home school and the host school consented. A move
    /// is agreed only with all three (EXC24; DfE guidance from 26 July 2026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// The paragraph of the infant class size regulations (SI 2012/10 Sch) that makes the child
    /// an excepted pupil, with its evidence, beyond being looked after or previously looked
    /// after (which fairpanel knows from `pupil`). Lets a direction into a full infant class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub infant_class_exception: Option<String>,
    /// Free text for the LA's eyes: hidden in screen-share mode, never in the minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Carried by `fairpanel next`: deferred at an earlier meeting, and what was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferred: Option<Deferred>,
    /// Carried by `fairpanel next`: a placement whose review falls due by this meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewDue>,
    /// Sessions possible and attended in one school year, as a Common Transfer File gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Attendance>,
}

/// A school year's attendance in sessions (two a day), from the CTF's `Attendance/YearData`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attendance {
    /// The academic year, by the year it starts in (2025 = 2025/26).
    pub year: u16,
    pub sessions_possible: u32,
    pub sessions_attended: u32,
}

impl Attendance {
    /// Sessions attended as a percentage of those possible, to one decimal place; `None` when no
    /// session was possible.
    pub fn percent(&self) -> Option<f64> {
        (self.sessions_possible > 0).then(|| {
            (f64::from(self.sessions_attended) * 1000.0 / f64::from(self.sessions_possible)).round()
                / 10.0
        })
    }
}

impl Case {
    /// A case with what every case must have, and nothing else yet: a late referral as typed,
    /// or a new row of a referral sheet, before the rest is filled in.
    pub fn new(
        reference: String,
        kind: CaseKind,
        referral_date: Date,
        referrer: Referrer,
        status: Status,
        pupil: Pupil,
    ) -> Case {
        Case {
            reference,
            kind,
            referral_date,
            referrer,
            fap_agreed_date: None,
            status,
            pupil,
            categories: Vec::new(),
            cin_cp_end: None,
            in_year_apps: Vec::new(),
            schools_attended: Vec::new(),
            pex_history: Vec::new(),
            suspensions: Vec::new(),
            out_since: None,
            preferences: Vec::new(),
            proposed_school: None,
            place_sought: None,
            consent: None,
            infant_class_exception: None,
            notes: None,
            deferred: None,
            review: None,
            attendance: None,
        }
    }
}

impl Pupil {
    /// The words that name the child or a parent or carer, each with the part of the name it
    /// is: the parts of each name of two characters or more (a contact's first word is their
    /// given name, the rest their family name). Free text holding a family name as a whole word
    /// names the family; a given name alone is only a warning.
    pub fn name_words(&self) -> Vec<(&str, NamePart)> {
        fn words(s: &str) -> Vec<&str> {
            s.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 2)
                .collect()
        }
        let mut v: Vec<(&str, NamePart)> = Vec::new();
        v.extend(
            words(&self.given_name)
                .into_iter()
                .map(|w| (w, NamePart::Given)),
        );
        v.extend(
            words(&self.family_name)
                .into_iter()
                .map(|w| (w, NamePart::Family)),
        );
        for c in &self.contacts {
            for (i, w) in words(&c.name).into_iter().enumerate() {
                let part = if i == 0 {
                    NamePart::Given
                } else {
                    NamePart::Family
                };
                v.push((w, part));
            }
        }
        v
    }

    /// The child's and each parent's or carer's full name, in the orders people write them
    /// ("Zoe Hart", "Hart Zoe"); the check squashes out spaces and punctuation, so "ZoeHart"
    /// and "hart, zoe" are the same name.
    pub fn full_names(&self) -> Vec<String> {
        let mut v = vec![
            format!("{} {}", self.given_name, self.family_name),
            format!("{} {}", self.family_name, self.given_name),
        ];
        for c in &self.contacts {
            let words: Vec<&str> = c.name.split_whitespace().collect();
            if let [first, rest @ ..] = words.as_slice()
                && !rest.is_empty()
            {
                v.push(words.join(" "));
                v.push(format!("{} {first}", rest.join(" ")));
            }
        }
        v
    }

    /// What identifies the child or family wherever it appears in a text, as stored: the UPN,
    /// and each parent's or carer's phone number and e-mail address. (The date of birth is
    /// found in any written form by `names::NameIndex`, and any valid UPN however spaced.)
    pub fn identifiers(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        v.extend(self.upn.clone());
        for c in &self.contacts {
            v.extend(c.phone.clone());
            v.extend(c.email.clone());
        }
        v.retain(|s| !s.trim().is_empty());
        v
    }

    /// A pupil with what every pupil must have, and nothing else yet.
    pub fn new(
        given_name: String,
        family_name: String,
        date_of_birth: Date,
        sex: Sex,
        sen: Sen,
    ) -> Pupil {
        Pupil {
            given_name,
            family_name,
            date_of_birth,
            sex,
            year_group: None,
            upn: None,
            uln: None,
            sen,
            sen_need: None,
            lac: false,
            plac: false,
            home_easting: None,
            home_northing: None,
            contacts: Vec::new(),
        }
    }
}

/// The consents a managed move needs, each as the day it was given (left out: not given yet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Date>,
    /// The school the child is on roll at now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_school: Option<Date>,
    /// The proposed host school (`proposed_school`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_school: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Referrer {
    pub organisation: String,
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    // Also read as `F`, the school census code (CBDS).
    #[serde(alias = "F")]
    Female,
    // Also read as `M`.
    #[serde(alias = "M")]
    Male,
}

/// SEN status: support without a plan is category (e); a plan takes the EHC plan route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sen {
    // Also read as `N`, the CBDS SEN provision code.
    #[serde(alias = "N")]
    None,
    // Also read as `K`.
    #[serde(alias = "K")]
    SenSupport,
    // Also read as `E`.
    #[serde(alias = "E")]
    Ehcp,
}

/// Which part of a person's name a word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePart {
    Given,
    Family,
}

/// The child. Every value here is personal data: never echoed in messages, hidden on a shared
/// screen except initials, and kept out of the minutes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pupil {
    pub given_name: String,
    pub family_name: String,
    pub date_of_birth: Date,
    pub sex: Sex,
    /// Year group as stated by the referrer; checked against the date of birth (31 August rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_group: Option<YearGroup>,
    /// Unique Pupil Number: 13 characters with a check letter (dfe-formats.md §2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    /// Unique Learner Number: 10 digits with a check (dfe-formats.md §2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uln: Option<String>,
    pub sen: Sen,
    /// Primary SEN type as the school census codes it (`SEMH`, `SPLD`, `ASD` …); an unknown code
    /// is warned about, not refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sen_need: Option<String>,
    /// Currently looked after by a local authority.
    #[serde(default)]
    pub lac: bool,
    /// Previously looked after (adoption, SGO or CAO).
    #[serde(default)]
    pub plac: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_easting: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_northing: Option<u32>,
    /// Parents and carers to contact, as the referral gives them: personal data like the rest
    /// of the pupil, hidden on a shared screen and never in minutes, reports or messages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

/// A parent or carer of the child, to contact about the case. Only the name is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    /// To the child, in the referrer's words: "mother", "foster carer", "grandfather (SGO)".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The LA officer letters name: who the school and the family contact, and where letters come
/// from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LaContact {
    pub name: String,
    /// "Fair Access Officer, Walsall Council".
    pub role: String,
    /// The LA's postal address for replies, lines separated by commas or new lines.
    pub address: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The Fair Access categories of SAC21 3.17 (domain.md §2 gate 3), by the Code's letters.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
    K,
    L,
    M,
}

impl Category {
    pub const ALL: [Category; 13] = [
        Category::A,
        Category::B,
        Category::C,
        Category::D,
        Category::E,
        Category::F,
        Category::G,
        Category::H,
        Category::I,
        Category::J,
        Category::K,
        Category::L,
        Category::M,
    ];

    pub fn letter(self) -> char {
        (b'a' + self as u8) as char
    }

    /// Short label for the queue and the shared screen (domain.md §2).
    pub fn label(self) -> &'static str {
        match self {
            Category::A => "CIN/CP plan",
            Category::B => "refuge",
            Category::C => "criminal justice",
            Category::D => "AP/PEX reintegration",
            Category::E => "SEN support/disability/medical",
            Category::F => "carer",
            Category::G => "homeless",
            Category::H => "kinship care",
            Category::I => "GRT/refugee/asylum",
            Category::J => "refused under 3.10",
            Category::K => "exceptional circumstances",
            Category::L => "out of education 4+ weeks",
            Category::M => "PLAC not placed promptly",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryClaim {
    pub code: Category,
    /// What shows the child is in the category (a document, an agency's confirmation).
    pub evidence: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AppOutcome {
    Refused,
    NoPlace,
    Offered,
    DeclinedByParent,
    Pending,
}

/// An in-year application: the evidence of gate 2 (domain.md §2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InYearApp {
    pub urn: u32,
    pub date: Date,
    pub outcome: AppOutcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attended {
    /// The school's URN, or absent for a school outside England's register.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<u32>,
    pub name: String,
    pub from: Date,
    /// Absent while the pupil is still on its roll.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
}

/// A permanent exclusion (domain.md §6 pex_history).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pex {
    pub urn: u32,
    /// The day the exclusion took effect: its first day, the school day from which the head
    /// teacher excluded the child (not the day the decision was made). SSFA 1998 s87(2) counts
    /// the two years from it; the sixth-day duty counts it as day 1.
    pub date: Date,
    /// Overturned on review: does not count for the twice-excluded rule (SSFA s87(3A)).
    #[serde(default)]
    pub reinstated: bool,
    /// The school census exclusion reason codes, up to three (e.g. `PA`, `VP`, `OW`): the list
    /// changes, so an unknown code is loaded with a warning.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suspension {
    pub urn: u32,
    pub start: Date,
    /// School days (at most 45 in a school year, EXC24).
    pub days: u32,
    /// The school census exclusion reason codes, at most three, as for a permanent exclusion.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Ap,
    Special,
    Arp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceSought {
    pub kind: PlaceKind,
    /// The need the place must meet, e.g. "SEMH".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<String>,
}

/// One AP or specialist provision and the places it offers this meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    /// URN of the provision, which must be in `schools`.
    pub urn: u32,
    /// Places by year group ("Y9") or by key stage ("KS3"), not both for one provision.
    pub pools: Vec<Pool>,
    /// No place may start before this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_from: Option<Date>,
    /// E.g. "part-time (mornings)", "SEMH only".
    #[serde(default)]
    pub conditions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    pub group: PoolGroup,
    /// Signed on purpose, so a negative count is reported as such rather than as a type error.
    pub offered: i64,
    pub used: i64,
}

impl Pool {
    pub fn free(&self) -> i64 {
        (self.offered - self.used).max(0)
    }
}
