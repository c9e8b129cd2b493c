//! The meeting's modal forms: a decision (and its correction), a declaration of interest, a
//! late referral or an amendment of a case, the attendance picker, and the confirm view every irreversible entry passes through (ux.md:
//! "form → confirm view → Enter; Esc always backs out without side effects").
//!
//! State only: `App::update` changes it, `ui::form` draws it. A form parses what was typed into
//! a [`Proposal`]; whether that may be written is for the rules (`Meeting::check`) alone, and a
//! finding is mapped back to the row to put the cursor on ([`Row::for_rule`]).

use tui_input::Input;

use crate::domain::caseload::{
    Case, CaseKind, Caseload, CategoryClaim, InYearApp, Member, Pupil, Referrer, Sen, Sex, Status,
    lines,
};
use crate::domain::dates::Date;
use crate::domain::event::{Attendance, Correction, Decision, Event, Guest, Outcome, Proposal};
use crate::domain::rules::{self, Hit, Rule, Severity};
use crate::domain::state::LogState;
use crate::search::{Index, KeyBuilder, Searcher};

/// School matches listed under the school field.
pub const SCHOOL_ROWS: usize = 5;

/// One line of a form the cursor can stand on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    CorrectionReason,
    Outcome,
    /// The school filter: typing picks the best match.
    School,
    /// The n-th school listed under the filter.
    SchoolHit(usize),
    Start,
    Review,
    Package,
    /// Who does what by when, agreed with the decision.
    Actions,
    Reduced,
    Reasons,
    /// Why the panel goes ahead despite a warning that needs a reason (rule 8, local bars).
    Override,
    /// "All present agree": Space marks every member present who can decide and declared no
    /// interest as agreeing. A row of its own, not a letter: typing never ticks votes.
    AllAgree,
    /// The n-th member listed in the votes.
    Vote(usize),
    /// Declarations: the n-th panel member.
    Member(usize),
    Interest,
    Withdrew,
    /// Someone joining: their name, organisation, role, school, whether they can decide, and
    /// the member they stand in for.
    JoinName,
    JoinOrganisation,
    JoinRole,
    JoinSchool,
    JoinCanDecide,
    JoinSubstituteFor,
    /// A case added or amended: why it is amended (amendments only), then the case's facts.
    CaseReason,
    CaseRef,
    CaseKind,
    Referred,
    ReferrerOrganisation,
    ReferrerRole,
    CaseStatus,
    GivenName,
    FamilyName,
    Birth,
    Sex,
    Sen,
    Lac,
    Plac,
    Categories,
    /// In-year applications, one line: `142594 2026-02-10 refused; 136777 2026-02-20 no place`.
    Applications,
    /// Managed moves: the proposed host school (typing picks the best match).
    ProposedSchool,
}

impl Row {
    /// The row a finding is about, where the form has one: Esc from the confirm view puts the
    /// cursor there.
    pub fn for_rule(r: &Rule) -> Option<Row> {
        use rules as k;
        let row = match r.name {
            n if n == k::CORRECTION_REASON.name || n == k::BAD_CORRECTION.name => {
                Row::CorrectionReason
            }
            n if n == k::NEEDS_SCHOOL.name
                || n == k::UNKNOWN_SCHOOL.name
                || n == k::AGE_RANGE.name
                || n == k::SINGLE_SEX.name
                || n == k::NOT_A_PLACE_SCHOOL.name
                || n == k::NO_PLACE_FREE.name
                || n == k::NOT_OFFERED.name
                || n == k::ALLOCATION_TO_EXCLUDER.name
                || n == k::DIRECTION_TO_EXCLUDER.name
                || n == k::DIRECTION_TO_GRAMMAR.name
                || n == k::ALLOCATION_TO_GRAMMAR.name
                || n == k::DIRECTION_INFANT_CLASS.name
                || n == k::MM_HOST.name =>
            {
                Row::School
            }
            n if n == k::NEEDS_START.name
                || n == k::START_BEFORE_MEETING.name
                || n == k::BEFORE_FREE_FROM.name
                || n == k::NO_YEAR_GROUP.name =>
            {
                Row::Start
            }
            n if n == k::OUTCOME_FOR_KIND.name => Row::Outcome,
            n if n == k::AP_CONDITIONS.name => Row::Package,
            n if n == k::REVIEW_DATE.name || n == k::REVIEW_BEFORE_START.name => Row::Review,
            n if n == k::NO_REASONS.name
                || n == k::NAMES_IN_TEXT.name
                || n == k::GIVEN_NAME_IN_TEXT.name
                || n == k::MM_NO_TRIAL.name =>
            {
                Row::Reasons
            }
            n if n == k::OVERRIDE_REASON.name => Row::Override,
            n if n == k::NO_AGREED_BY.name || n == k::NO_DECIDER_AGREED.name => Row::AllAgree,
            n if n == k::ABSENT_MEMBER.name
                || n == k::INTEREST.name
                || n == k::UNKNOWN_MEMBER.name =>
            {
                Row::Vote(0)
            }
            n if n == k::MEMBER_REQUIRED.name => Row::Member(0),
            n if n == k::JOINED_DETAILS.name || n == k::ALREADY_IN_MEETING.name => Row::JoinName,
            n if n == k::INTEREST_TEXT.name => Row::Interest,
            n if n == k::AMEND_REASON.name => Row::CaseReason,
            _ => return None,
        };
        Some(row)
    }

    /// The row a hit is about: for a case's details the field it names (`pupil.date_of_birth:
    /// …`), so Esc from the confirm view lands on the field the caseload's checks found wrong;
    /// otherwise the rule's row.
    pub fn for_hit(h: &Hit) -> Option<Row> {
        if h.rule.name == rules::NAMES_IN_TEXT.name || h.rule.name == rules::GIVEN_NAME_IN_TEXT.name
        {
            let field = h.detail.split(':').next().unwrap_or_default();
            match field {
                "in the reason" => return Some(Row::CaseReason),
                "in the package" => return Some(Row::Package),
                "in the override reason" => return Some(Row::Override),
                "in the interest" => return Some(Row::Interest),
                "in the categories' evidence" => return Some(Row::Categories),
                "in the correction reason" => return Some(Row::CorrectionReason),
                _ => {}
            }
        }
        if h.rule.name == rules::CASE_DETAILS.name
            || h.rule.name == rules::CASE_DETAILS_WARNING.name
        {
            let field = h.detail.split(':').next().unwrap_or_default();
            let row = match field.split(['.', '[']).collect::<Vec<_>>().as_slice() {
                ["ref", ..] => Row::CaseRef,
                ["kind", ..] => Row::CaseKind,
                ["referral_date", ..] => Row::Referred,
                ["referrer", "role", ..] => Row::ReferrerRole,
                ["referrer", ..] => Row::ReferrerOrganisation,
                ["status", ..] => Row::CaseStatus,
                ["pupil", "given_name", ..] => Row::GivenName,
                ["pupil", "family_name", ..] => Row::FamilyName,
                ["pupil", "date_of_birth" | "year_group", ..] => Row::Birth,
                ["pupil", "sex", ..] => Row::Sex,
                ["pupil", "sen", ..] => Row::Sen,
                ["pupil", "lac", ..] => Row::Lac,
                ["pupil", "plac", ..] => Row::Plac,
                ["categories", ..] => Row::Categories,
                ["in_year_apps", ..] => Row::Applications,
                ["proposed_school", ..] => Row::ProposedSchool,
                _ => return None,
            };
            return Some(row);
        }
        Row::for_rule(h.rule)
    }

    /// Rows that are simply left empty when their rule fires: Ctrl-S stays in the form with the
    /// cursor there, rather than opening a confirm view that can only refuse.
    pub fn must_fill(r: &Rule) -> bool {
        [
            &rules::CORRECTION_REASON,
            &rules::MEMBER_REQUIRED,
            &rules::INTEREST_TEXT,
            &rules::JOINED_DETAILS,
            &rules::AMEND_REASON,
        ]
        .iter()
        .any(|x| x.name == r.name)
    }

    /// The field a row belongs to: a list's rows (school matches, votes, members) are one field
    /// with the row that leads it. Tab moves between fields, ↑↓ between rows.
    pub fn field(self) -> Row {
        match self {
            Row::SchoolHit(_) => Row::School,
            // "All present agree" leads the votes: Tab lands there, Tab again leaves them.
            Row::Vote(_) => Row::AllAgree,
            Row::Member(_) => Row::Member(0),
            r => r,
        }
    }

    /// Text rows that take Enter as a new line: what the minutes will say, in full.
    pub fn is_multiline(self) -> bool {
        matches!(
            self,
            Row::CorrectionReason | Row::Reasons | Row::Override | Row::CaseReason
        )
    }

    /// Rows whose text is the pupil's own (names, date of birth, a category's evidence): with
    /// names hidden (screen-share) what is typed there shows as dots, as in the search line.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Row::GivenName | Row::FamilyName | Row::Birth | Row::Categories
        )
    }

    /// Rows that hold a text input (typing is text there, q included).
    pub fn is_text(self) -> bool {
        matches!(
            self,
            Row::CorrectionReason
                | Row::School
                | Row::Start
                | Row::Review
                | Row::Package
                | Row::Actions
                | Row::Reasons
                | Row::Override
                | Row::Interest
                | Row::JoinName
                | Row::JoinOrganisation
                | Row::JoinRole
                | Row::JoinSchool
                | Row::CaseReason
                | Row::CaseRef
                | Row::Referred
                | Row::ReferrerOrganisation
                | Row::ReferrerRole
                | Row::GivenName
                | Row::FamilyName
                | Row::Birth
                | Row::Categories
                | Row::Applications
                | Row::ProposedSchool
        )
    }
}

/// A member's part in a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    Abstains,
    Agrees,
    Dissents,
}

impl Vote {
    pub fn next(self) -> Vote {
        match self {
            Vote::Abstains => Vote::Agrees,
            Vote::Agrees => Vote::Dissents,
            Vote::Dissents => Vote::Abstains,
        }
    }

    pub fn prev(self) -> Vote {
        self.next().next()
    }
}

/// Where a date field stands as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateField {
    Empty,
    /// Typed but not (yet) a real YYYY-MM-DD date.
    Invalid,
    Valid(Date),
}

pub fn date_field(input: &Input) -> DateField {
    let v = input.value().trim();
    if v.is_empty() {
        DateField::Empty
    } else {
        Date::parse(v).map_or(DateField::Invalid, DateField::Valid)
    }
}

#[derive(Debug)]
pub struct DecisionDraft {
    pub outcome: Outcome,
    /// The outcomes offered for this case, in the order ← → move through them.
    pub outcomes: Vec<Outcome>,
    pub school_input: Input,
    /// Matches for the school filter, best first: positions in `App::school_order`.
    pub school_hits: Vec<usize>,
    /// The chosen school or provision (URN).
    pub school: Option<u32>,
    pub start: Input,
    pub review: Input,
    /// The review date was filled in by fairpanel (start + the panel's review weeks), not typed:
    /// it follows the start date and the outcome until someone edits it.
    pub review_auto: bool,
    pub package: Input,
    /// `OWNER: WHAT [by DATE]; …` (`Action::parse_list`).
    pub actions: Input,
    pub reduced: bool,
    pub reasons: Input,
    /// Only needed when a warning asks for one (fair-share cap, top of the tally, local bar,
    /// exemption, the excluding school's agreement).
    pub override_reason: Input,
    /// Members listed in the votes (indices into the panel's members): those present, and any
    /// a corrected decision named.
    pub members: Vec<usize>,
    /// One per listed member.
    pub votes: Vec<Vote>,
    /// The standing decision entry this one corrects.
    pub correcting: Option<i64>,
    pub correction_reason: Input,
    /// What naming each listed school (and the chosen one) would add to the rules' findings
    /// for the decision as it stands: worked out in `update` after every change.
    pub verdicts: Vec<(u32, Vec<Hit>)>,
    /// The suggestion Ctrl-N took last (an index into the schools offered).
    pub took: Option<usize>,
}

impl DecisionDraft {
    /// Does this outcome name a school (and so have a school and a start date)?
    pub fn has_school(&self) -> bool {
        self.outcome.needs_school()
    }

    /// Outcomes that need a review date (domain.md §6 rule 11).
    pub fn needs_review(&self) -> bool {
        self.outcome.needs_review_date() || self.reduced
    }

    /// What naming `urn` would add to the rules' findings, as last worked out.
    pub fn verdict(&self, urn: u32) -> Option<&[Hit]> {
        self.verdicts
            .iter()
            .find(|(u, _)| *u == urn)
            .map(|(_, h)| h.as_slice())
    }

    fn voters(&self, vote: Vote, people: &[&Member]) -> Vec<String> {
        self.members
            .iter()
            .zip(&self.votes)
            .filter(|(_, v)| **v == vote)
            .filter_map(|(m, _)| people.get(*m).map(|m| m.name.clone()))
            .collect()
    }
}

#[derive(Debug)]
pub struct DeclarationDraft {
    /// How many members the panel has (one row each).
    pub members: usize,
    /// Index into the panel's members.
    pub member: Option<usize>,
    pub interest: Input,
    pub withdrew: bool,
}

/// Someone not on the panel's list who joined the meeting: a substitute or a guest.
#[derive(Debug, Default)]
pub struct JoinDraft {
    pub name: Input,
    pub organisation: Input,
    pub role: Input,
    /// Filter for the school they speak for; the best match is taken.
    pub school_input: Input,
    pub school: Option<u32>,
    pub can_decide: bool,
    /// The panel member they stand in for (an index into the panel's members).
    pub substitute_for: Option<usize>,
}

/// The statuses a case can have, in the order offered.
pub const CASE_STATUSES: [Status; 6] = [
    Status::Unplaced,
    Status::Cme,
    Status::Ehe,
    Status::Ap,
    Status::Pex,
    Status::OnRoll,
];

/// The SEN statuses, in the order offered.
pub const SENS: [Sen; 3] = [Sen::None, Sen::SenSupport, Sen::Ehcp];

/// A case referred late (added during the meeting) or a case's facts corrected or added to
/// (amended, with a reason): the facts a panel hears a case on. Everything else a case holds
/// (applications, schools attended, exclusions, preferences, notes…) is left as it was, or
/// empty for a new case: those come with the next caseload file.
#[derive(Debug)]
pub struct CaseDraft {
    /// The case as it stood when the amendment was opened; `None` for a late referral.
    pub amending: Option<Box<Case>>,
    /// Why the case is amended (minuted; amendments only).
    pub reason: Input,
    pub reference: Input,
    /// The reference was filled in by fairpanel (the next free one for the kind), not typed:
    /// it follows the kind until someone edits it.
    pub reference_auto: bool,
    pub kind: CaseKind,
    pub referral_date: Input,
    pub referrer_organisation: Input,
    pub referrer_role: Input,
    pub status: Status,
    pub given_name: Input,
    pub family_name: Input,
    pub date_of_birth: Input,
    /// Not given until chosen: a late referral never guesses it.
    pub sex: Option<Sex>,
    pub sen: Sen,
    pub lac: bool,
    pub plac: bool,
    /// The categories claimed, one line: `b: refuge letter; l: out since Jan` (see
    /// [`parse_categories`]).
    pub categories: Input,
    /// The in-year applications, one line (see [`parse_applications`]): gate 2 of Fair Access.
    pub applications: Input,
    /// Filter for the proposed host school of a managed move; the best match is taken.
    pub school_input: Input,
    pub proposed_school: Option<u32>,
}

impl CaseDraft {
    /// An empty late referral of `kind` referred on `referred`, under `reference`.
    pub fn late(kind: CaseKind, reference: String, referred: Date) -> CaseDraft {
        CaseDraft {
            amending: None,
            reason: Input::default(),
            reference: Input::new(reference),
            reference_auto: true,
            kind,
            referral_date: Input::new(referred.to_string()),
            referrer_organisation: Input::default(),
            referrer_role: Input::default(),
            status: Status::Unplaced,
            given_name: Input::default(),
            family_name: Input::default(),
            date_of_birth: Input::default(),
            sex: None,
            sen: Sen::None,
            lac: false,
            plac: false,
            categories: Input::default(),
            applications: Input::default(),
            school_input: Input::default(),
            proposed_school: None,
        }
    }

    /// The form for amending `case`, every field as the case has it.
    pub fn amend(case: &Case) -> CaseDraft {
        let p = &case.pupil;
        CaseDraft {
            amending: Some(Box::new(case.clone())),
            reason: Input::default(),
            reference: Input::new(case.reference.clone()),
            reference_auto: false,
            kind: case.kind,
            referral_date: Input::new(case.referral_date.to_string()),
            referrer_organisation: Input::new(case.referrer.organisation.clone()),
            referrer_role: Input::new(case.referrer.role.clone()),
            status: case.status,
            given_name: Input::new(p.given_name.clone()),
            family_name: Input::new(p.family_name.clone()),
            date_of_birth: Input::new(p.date_of_birth.to_string()),
            sex: Some(p.sex),
            sen: p.sen,
            lac: p.lac,
            plac: p.plac,
            categories: Input::new(categories_text(&case.categories)),
            applications: Input::new(applications_text(&case.in_year_apps)),
            school_input: Input::new(
                case.proposed_school
                    .map(|u| u.to_string())
                    .unwrap_or_default(),
            ),
            proposed_school: case.proposed_school,
        }
    }

    /// The proposed school is asked for (managed moves).
    pub fn has_school(&self) -> bool {
        self.kind == CaseKind::ManagedMove
    }

    /// The case the form describes: the amended case with the form's fields replaced (every
    /// other field as it was), or a new one; else the row that cannot be read and why, in words
    /// that never repeat what was typed (pupil data).
    pub fn case(&self) -> Result<Case, (Row, String)> {
        let text = |i: &Input| i.value().trim().to_owned();
        let required = |row: Row, i: &Input, what: &str| {
            let v = text(i);
            if v.is_empty() {
                Err((row, format!("{what}: required")))
            } else {
                Ok(v)
            }
        };
        let date = |row: Row, i: &Input, what: &str| match date_field(i) {
            DateField::Valid(d) => Ok(d),
            DateField::Empty => Err((row, format!("{what}: required; write YYYY-MM-DD"))),
            DateField::Invalid => Err((row, format!("{what}: {}", crate::domain::dates::BAD_DATE))),
        };
        let reference = required(Row::CaseRef, &self.reference, "Case reference")?;
        let referral_date = date(Row::Referred, &self.referral_date, "Referral date")?;
        let organisation = required(
            Row::ReferrerOrganisation,
            &self.referrer_organisation,
            "Referrer",
        )?;
        let role = required(Row::ReferrerRole, &self.referrer_role, "Referrer's role")?;
        let given_name = required(Row::GivenName, &self.given_name, "Given name")?;
        let family_name = required(Row::FamilyName, &self.family_name, "Family name")?;
        let date_of_birth = date(Row::Birth, &self.date_of_birth, "Date of birth")?;
        let Some(sex) = self.sex else {
            return Err((Row::Sex, "Sex: not given; Space or ← → chooses".to_owned()));
        };
        let categories = match &self.amending {
            // Left as it was: the claims exactly as the case holds them.
            Some(old) if self.categories.value() == categories_text(&old.categories) => {
                old.categories.clone()
            }
            _ => parse_categories(self.categories.value()).map_err(|e| (Row::Categories, e))?,
        };
        let applications = match &self.amending {
            Some(old) if self.applications.value() == applications_text(&old.in_year_apps) => {
                old.in_year_apps.clone()
            }
            _ => {
                parse_applications(self.applications.value()).map_err(|e| (Row::Applications, e))?
            }
        };
        let proposed_school = if self.has_school() {
            if self.proposed_school.is_none() && !self.school_input.value().trim().is_empty() {
                return Err((
                    Row::ProposedSchool,
                    "Proposed school: no school in the caseload matches; type a name, URN or postcode, or clear it"
                        .to_owned(),
                ));
            }
            self.proposed_school
        } else {
            self.amending.as_ref().and_then(|c| c.proposed_school)
        };
        let mut case = match &self.amending {
            Some(old) => (**old).clone(),
            None => Case::new(
                String::new(),
                self.kind,
                referral_date,
                Referrer {
                    organisation: String::new(),
                    role: String::new(),
                    urn: None,
                },
                self.status,
                Pupil::new(String::new(), String::new(), date_of_birth, sex, self.sen),
            ),
        };
        // An amendment names the case it amends: its reference is not the form's to change.
        if self.amending.is_none() {
            case.reference = reference;
        }
        case.kind = self.kind;
        case.referral_date = referral_date;
        case.referrer.organisation = organisation;
        case.referrer.role = role;
        case.status = self.status;
        case.pupil.given_name = given_name;
        case.pupil.family_name = family_name;
        case.pupil.date_of_birth = date_of_birth;
        case.pupil.sex = sex;
        case.pupil.sen = self.sen;
        case.pupil.lac = self.lac;
        case.pupil.plac = self.plac;
        case.categories = categories;
        case.in_year_apps = applications;
        case.proposed_school = proposed_school;
        Ok(case)
    }
}

/// The facts an amendment changes, in words, for the confirm view: "date of birth",
/// "categories". Never the values: what they were or are is the pupil's.
pub fn case_changes(old: &Case, new: &Case) -> Vec<&'static str> {
    let (a, b) = (&old.pupil, &new.pupil);
    [
        (old.kind != new.kind, "kind"),
        (old.referral_date != new.referral_date, "referral date"),
        (old.referrer != new.referrer, "referrer"),
        (old.status != new.status, "status"),
        (a.given_name != b.given_name, "given name"),
        (a.family_name != b.family_name, "family name"),
        (a.date_of_birth != b.date_of_birth, "date of birth"),
        (a.sex != b.sex, "sex"),
        (a.sen != b.sen, "SEN"),
        (a.lac != b.lac, "looked after"),
        (a.plac != b.plac, "previously looked after"),
        (old.categories != new.categories, "categories"),
        (old.in_year_apps != new.in_year_apps, "in-year applications"),
        (
            old.proposed_school != new.proposed_school,
            "proposed school",
        ),
    ]
    .into_iter()
    .filter(|(changed, _)| *changed)
    .map(|(_, what)| what)
    .collect()
}

/// The categories claimed, as the one line the form edits: `b: refuge letter; l: out since
/// Jan` (the one-line lists are the caseload's own, `domain::caseload::lines`, which a
/// referral spreadsheet's cells share).
pub fn categories_text(claims: &[CategoryClaim]) -> String {
    lines::categories_text(claims)
}

/// Reads the categories line; an error names the claim and what it needs, never what was typed.
pub fn parse_categories(s: &str) -> Result<Vec<CategoryClaim>, String> {
    lines::parse_categories(s).map_err(|e| format!("Categories: {e}"))
}

/// The in-year applications as the one line the form edits: `142594 2026-02-10 refused;
/// 136777 2026-02-20 no place`.
pub fn applications_text(apps: &[InYearApp]) -> String {
    lines::applications_text(apps)
}

/// Reads the applications line (dates as YYYY-MM-DD); an error names the application and what
/// it needs.
pub fn parse_applications(s: &str) -> Result<Vec<InYearApp>, String> {
    lines::parse_applications(s, Date::parse, "YYYY-MM-DD")
        .map_err(|e| format!("In-year applications: {e}"))
}

#[derive(Debug)]
pub enum Body {
    Decision(Box<DecisionDraft>),
    Declaration(DeclarationDraft),
    Joined(Box<JoinDraft>),
    /// A late referral, or an amendment of a case.
    Case(Box<CaseDraft>),
}

/// A form on one case.
#[derive(Debug)]
pub struct Form {
    /// Index into the caseload's cases.
    pub case: usize,
    pub case_ref: String,
    pub body: Body,
    pub cursor: Row,
    /// Something was typed or changed since the form opened.
    pub dirty: bool,
    /// Letters were just typed on a choice row (typing meant for a text field): a Space among
    /// them is a word gap, not a toggle, until some other key is pressed.
    pub typing: bool,
    pub searcher: Searcher,
}

impl Form {
    pub fn new(case: usize, case_ref: String, body: Body, cursor: Row) -> Form {
        Form {
            case,
            case_ref,
            body,
            cursor,
            dirty: false,
            typing: false,
            searcher: Searcher::new(),
        }
    }

    /// What the form is, for titles and the quit question.
    pub fn noun(&self) -> &'static str {
        match &self.body {
            Body::Decision(d) if d.correcting.is_some() => "correction",
            Body::Decision(_) => "decision",
            Body::Declaration(_) => "declaration",
            Body::Joined(_) => "arrival",
            Body::Case(c) if c.amending.is_some() => "amendment",
            Body::Case(_) => "late referral",
        }
    }

    /// The rows, top to bottom, for the school list given.
    pub fn rows(&self, listed_schools: usize) -> Vec<Row> {
        match &self.body {
            Body::Decision(d) => {
                let mut r = Vec::new();
                if d.correcting.is_some() {
                    r.push(Row::CorrectionReason);
                }
                r.push(Row::Outcome);
                if d.has_school() {
                    r.push(Row::School);
                    r.extend((0..listed_schools).map(Row::SchoolHit));
                    r.push(Row::Start);
                }
                r.extend([Row::Review, Row::Package, Row::Reduced, Row::Reasons]);
                if !d.members.is_empty() {
                    r.push(Row::AllAgree);
                }
                r.extend((0..d.members.len()).map(Row::Vote));
                // Only needed when a check asks for a reason.
                if d.has_school() {
                    r.push(Row::Override);
                }
                // Optional, and typed after the vote: who does what by when.
                r.push(Row::Actions);
                r
            }
            Body::Declaration(x) => {
                let mut r: Vec<Row> = (0..x.members).map(Row::Member).collect();
                r.extend([Row::Interest, Row::Withdrew]);
                r
            }
            Body::Joined(_) => vec![
                Row::JoinName,
                Row::JoinOrganisation,
                Row::JoinRole,
                Row::JoinSchool,
                Row::JoinCanDecide,
                Row::JoinSubstituteFor,
            ],
            Body::Case(c) => {
                let mut r = Vec::new();
                // The kind first: a reference fairpanel fills in follows it.
                if c.amending.is_some() {
                    r.extend([Row::CaseReason, Row::CaseKind]);
                } else {
                    r.extend([Row::CaseKind, Row::CaseRef]);
                }
                r.extend([
                    Row::Referred,
                    Row::ReferrerOrganisation,
                    Row::ReferrerRole,
                    Row::CaseStatus,
                    Row::GivenName,
                    Row::FamilyName,
                    Row::Birth,
                    Row::Sex,
                    Row::Sen,
                    Row::Lac,
                    Row::Plac,
                    Row::Categories,
                    Row::Applications,
                ]);
                if c.has_school() {
                    r.push(Row::ProposedSchool);
                }
                r
            }
        }
    }

    /// The text input on `row`, if it has one.
    pub fn input(&self, row: Row) -> Option<&Input> {
        match (&self.body, row) {
            (Body::Decision(d), Row::CorrectionReason) => Some(&d.correction_reason),
            (Body::Decision(d), Row::School) => Some(&d.school_input),
            (Body::Decision(d), Row::Start) => Some(&d.start),
            (Body::Decision(d), Row::Review) => Some(&d.review),
            (Body::Decision(d), Row::Package) => Some(&d.package),
            (Body::Decision(d), Row::Actions) => Some(&d.actions),
            (Body::Decision(d), Row::Reasons) => Some(&d.reasons),
            (Body::Decision(d), Row::Override) => Some(&d.override_reason),
            (Body::Declaration(x), Row::Interest) => Some(&x.interest),
            (Body::Joined(j), Row::JoinName) => Some(&j.name),
            (Body::Joined(j), Row::JoinOrganisation) => Some(&j.organisation),
            (Body::Joined(j), Row::JoinRole) => Some(&j.role),
            (Body::Joined(j), Row::JoinSchool) => Some(&j.school_input),
            (Body::Case(c), Row::CaseReason) => Some(&c.reason),
            (Body::Case(c), Row::CaseRef) => Some(&c.reference),
            (Body::Case(c), Row::Referred) => Some(&c.referral_date),
            (Body::Case(c), Row::ReferrerOrganisation) => Some(&c.referrer_organisation),
            (Body::Case(c), Row::ReferrerRole) => Some(&c.referrer_role),
            (Body::Case(c), Row::GivenName) => Some(&c.given_name),
            (Body::Case(c), Row::FamilyName) => Some(&c.family_name),
            (Body::Case(c), Row::Birth) => Some(&c.date_of_birth),
            (Body::Case(c), Row::Categories) => Some(&c.categories),
            (Body::Case(c), Row::Applications) => Some(&c.applications),
            (Body::Case(c), Row::ProposedSchool) => Some(&c.school_input),
            _ => None,
        }
    }

    pub fn input_mut(&mut self, row: Row) -> Option<&mut Input> {
        match (&mut self.body, row) {
            (Body::Decision(d), Row::CorrectionReason) => Some(&mut d.correction_reason),
            (Body::Decision(d), Row::School) => Some(&mut d.school_input),
            (Body::Decision(d), Row::Start) => Some(&mut d.start),
            (Body::Decision(d), Row::Review) => Some(&mut d.review),
            (Body::Decision(d), Row::Package) => Some(&mut d.package),
            (Body::Decision(d), Row::Actions) => Some(&mut d.actions),
            (Body::Decision(d), Row::Reasons) => Some(&mut d.reasons),
            (Body::Decision(d), Row::Override) => Some(&mut d.override_reason),
            (Body::Declaration(x), Row::Interest) => Some(&mut x.interest),
            (Body::Joined(j), Row::JoinName) => Some(&mut j.name),
            (Body::Joined(j), Row::JoinOrganisation) => Some(&mut j.organisation),
            (Body::Joined(j), Row::JoinRole) => Some(&mut j.role),
            (Body::Joined(j), Row::JoinSchool) => Some(&mut j.school_input),
            (Body::Case(c), Row::CaseReason) => Some(&mut c.reason),
            (Body::Case(c), Row::CaseRef) => Some(&mut c.reference),
            (Body::Case(c), Row::Referred) => Some(&mut c.referral_date),
            (Body::Case(c), Row::ReferrerOrganisation) => Some(&mut c.referrer_organisation),
            (Body::Case(c), Row::ReferrerRole) => Some(&mut c.referrer_role),
            (Body::Case(c), Row::GivenName) => Some(&mut c.given_name),
            (Body::Case(c), Row::FamilyName) => Some(&mut c.family_name),
            (Body::Case(c), Row::Birth) => Some(&mut c.date_of_birth),
            (Body::Case(c), Row::Categories) => Some(&mut c.categories),
            (Body::Case(c), Row::Applications) => Some(&mut c.applications),
            (Body::Case(c), Row::ProposedSchool) => Some(&mut c.school_input),
            _ => None,
        }
    }

    /// The entry the form describes, or the row whose text cannot be read and why. Whether the
    /// entry may be written is the rules' to say, not the form's.
    pub fn proposal(&self, c: &Caseload, state: &LogState) -> Result<Proposal, (Row, String)> {
        let people = state.people(c);
        match &self.body {
            Body::Decision(d) => {
                let date = |row: Row, input: &Input, what: &str| match date_field(input) {
                    DateField::Empty => Ok(None),
                    DateField::Valid(x) => Ok(Some(x)),
                    DateField::Invalid => Err((
                        row,
                        format!("{what}: not a real date; write YYYY-MM-DD or leave it empty"),
                    )),
                };
                let start = if d.has_school() {
                    date(Row::Start, &d.start, "Start date")?
                } else {
                    None
                };
                let review = date(Row::Review, &d.review, "Review date")?;
                let correction = d.correcting.map(|entry| Correction {
                    entry,
                    reason: d.correction_reason.value().trim().to_owned(),
                });
                let package = d.package.value().trim();
                let actions = crate::domain::event::Action::parse_list(d.actions.value())
                    .map_err(|e| (Row::Actions, e))?;
                let decision = Decision {
                    case_ref: self.case_ref.clone(),
                    outcome: d.outcome,
                    urn: if d.has_school() { d.school } else { None },
                    year_group: None,
                    start_date: start,
                    package: (!package.is_empty()).then(|| package.to_owned()),
                    reduced_timetable: d.reduced,
                    review_date: review,
                    reasons: d.reasons.value().trim().to_owned(),
                    agreed_by: d.voters(Vote::Agrees, &people),
                    dissent: d.voters(Vote::Dissents, &people),
                    outside_meeting: false,
                    decided_on: None,
                    override_reason: {
                        let o = d.override_reason.value().trim();
                        (!o.is_empty() && d.has_school()).then(|| o.to_owned())
                    },
                    options_considered: Vec::new(),
                    review_of: None,
                    actions,
                };
                Ok(Proposal {
                    correction,
                    ..Proposal::at_meeting(Event::Decision(decision))
                })
            }
            Body::Declaration(x) => Ok(Proposal::at_meeting(Event::Declaration {
                member: x
                    .member
                    .and_then(|m| people.get(m))
                    .map(|m| m.name.clone())
                    .unwrap_or_default(),
                case_ref: self.case_ref.clone(),
                interest: x.interest.value().trim().to_owned(),
                withdrew: x.withdrew,
            })),
            Body::Joined(j) => Ok(Proposal::at_meeting(Event::Joined(Guest {
                name: j.name.value().trim().to_owned(),
                organisation: j.organisation.value().trim().to_owned(),
                role: j.role.value().trim().to_owned(),
                urn: j.school,
                can_decide: j.can_decide,
                substitute_for: j
                    .substitute_for
                    .and_then(|m| c.panel.members.get(m))
                    .map(|m| m.name.clone()),
                time: None,
            }))),
            Body::Case(d) => {
                let case = Box::new(d.case()?);
                Ok(Proposal::at_meeting(match &d.amending {
                    Some(_) => Event::CaseAmended {
                        case,
                        reason: d.reason.value().trim().to_owned(),
                    },
                    None => Event::CaseAdded { case },
                }))
            }
        }
    }
}

/// The confirm view: exactly what will be written, and the rules' verdict on it.
#[derive(Debug)]
pub struct Confirm {
    /// As `Meeting::prepare` fills it in: what `Enter` writes.
    pub proposal: Proposal,
    /// From `Meeting::check`, refusals first.
    pub hits: Vec<Hit>,
    /// Enter was pressed and the entry is being written: a second Enter does nothing.
    pub writing: bool,
    /// The form Esc returns to, everything kept; `None` for entries without a form.
    pub back: Option<Box<Form>>,
    pub scroll: u16,
}

impl Confirm {
    pub fn refused(&self) -> bool {
        self.hits
            .iter()
            .any(|h| h.rule.severity == Severity::Refuse)
    }
}

/// The attendance statuses, in the order offered.
pub const STATUSES: [Attendance; 5] = [
    Attendance::Present,
    Attendance::Apologies,
    Attendance::ArrivedLate,
    Attendance::Left,
    Attendance::InvitedAbsent,
];

/// The attendance picker: a member, substitute or guest (typing filters), then a status; or,
/// on the row after them, someone joining.
#[derive(Debug)]
pub struct AttendancePick {
    pub input: Input,
    index: Index,
    searcher: Searcher,
    /// People matching the filter (indices into `LogState::people`), best first.
    pub hits: Vec<usize>,
    /// Row under the cursor: a row of `hits`, or `hits.len()` for "someone joined".
    pub selected: usize,
    /// The person whose status is being chosen, and the status under the cursor.
    pub choosing: Option<(usize, usize)>,
    /// The person whose attendance is being written: keys wait until it is.
    pub writing: Option<usize>,
}

impl AttendancePick {
    pub fn new(c: &Caseload, state: &LogState) -> AttendancePick {
        let people = state.people(c);
        let index = Index::new(
            people
                .iter()
                .map(|m| {
                    let mut b = KeyBuilder::default();
                    b.field(&m.name).field(&m.role).field(&m.organisation);
                    b.finish().0
                })
                .collect(),
        );
        let mut p = AttendancePick {
            input: Input::default(),
            index,
            searcher: Searcher::new(),
            hits: (0..people.len()).collect(),
            selected: 0,
            choosing: None,
            writing: None,
        };
        p.selected = p.next_unrecorded(c, state, 0).unwrap_or(0);
        p
    }

    pub fn refilter(&mut self) {
        let q = self.input.value().to_owned();
        self.hits = self
            .searcher
            .search(&self.index, &q)
            .iter()
            .map(|&i| i as usize)
            .collect();
        self.selected = 0;
    }

    /// The "someone joined" row is under the cursor.
    pub fn on_join_row(&self) -> bool {
        self.selected == self.hits.len()
    }

    /// The first listed person from row `from` on with no attendance recorded yet.
    pub fn next_unrecorded(&self, c: &Caseload, state: &LogState, from: usize) -> Option<usize> {
        let people = state.people(c);
        (from..self.hits.len()).find(|row| {
            people
                .get(self.hits[*row])
                .is_some_and(|m| !state.attendance().contains_key(&m.name))
        })
    }
}

/// Every school that may be asked for a case (`o`): the ranked suggestions, then the
/// preferences that are not among them.
#[derive(Debug)]
pub struct RankedList {
    /// Index into the caseload's cases.
    pub case: usize,
    /// The row under the cursor.
    pub selected: usize,
}

/// The dates the next meeting may be on (`>`): school days on the meeting's weekday, one to
/// eight weeks on, as far as the calendar reaches.
#[derive(Debug)]
pub struct NextDates {
    pub dates: Vec<Date>,
    pub selected: usize,
}

/// The forms the minutes may be written in, as `m` lists them.
#[derive(Debug)]
pub struct MinutesForms {
    pub selected: usize,
}

/// Every open modal.
#[derive(Debug)]
pub enum Modal {
    Form(Box<Form>),
    Confirm(Box<Confirm>),
    Attendance(Box<AttendancePick>),
    Ranked(RankedList),
    Dates(NextDates),
    Minutes(MinutesForms),
}

impl Modal {
    /// Would quitting now lose something the chair typed or is about to record?
    pub fn holds_input(&self) -> bool {
        match self {
            Modal::Form(f) => f.dirty,
            Modal::Confirm(_) => true,
            Modal::Attendance(_) | Modal::Ranked(_) | Modal::Dates(_) | Modal::Minutes(_) => false,
        }
    }

    pub fn noun(&self) -> &'static str {
        match self {
            Modal::Form(f) => f.noun(),
            Modal::Confirm(c) => match (&c.proposal.event, &c.proposal.correction) {
                (Event::Decision(_), Some(_)) => "correction",
                (Event::Decision(_), None) => "decision",
                (Event::Declaration { .. }, _) => "declaration",
                (Event::AgreedToConsider { .. }, _) => "agreement to consider",
                (Event::Joined(_), _) => "arrival",
                (Event::CaseAdded { .. }, _) => "late referral",
                (Event::CaseAmended { .. }, _) => "amendment",
                _ => "entry",
            },
            Modal::Attendance(_) => "attendance",
            Modal::Ranked(_) => "list",
            Modal::Dates(_) => "list of dates",
            Modal::Minutes(_) => "list of forms",
        }
    }
}

/// People listed in a decision's votes (indices into `LogState::people`): those present now,
/// substitutes and guests included, and any the given names include (a corrected decision's),
/// in panel order.
pub fn vote_members(c: &Caseload, state: &LogState, named: &[String]) -> Vec<usize> {
    state
        .people(c)
        .into_iter()
        .enumerate()
        .filter(|(_, m)| state.is_present(&m.name) || named.contains(&m.name))
        .map(|(i, _)| i)
        .collect()
}

/// The outcomes offered for a case of `kind`: a short list in words (issue 12 §3), not all
/// of them. A case whose placement has a review to come is offered the review outcomes only
/// (anything else on it is a correction); a correction keeps the outcome it corrects.
pub fn offered_outcomes(
    kind: CaseKind,
    reviewable: bool,
    current: Option<Outcome>,
) -> Vec<Outcome> {
    use Outcome as O;
    let mut v = if reviewable {
        let mut r = vec![O::ReviewConfirmed, O::ReviewExtended, O::ReviewReintegrated];
        if kind == CaseKind::ManagedMove {
            r.push(O::ReviewMadePermanent);
        }
        r.extend([O::ReviewEnded, O::ReviewBreakdown]);
        r
    } else {
        match kind {
            CaseKind::FairAccess => vec![
                O::AllocateSchool,
                O::AllocateApInterim,
                O::DeferMoreInfo,
                O::RefusedEscalateDirection,
                O::NotEligibleInYear,
                O::RedirectEhcp,
                O::RedirectLac,
                O::Withdrawn,
            ],
            CaseKind::ManagedMove => vec![O::ManagedMoveAgreed, O::DeferMoreInfo, O::Withdrawn],
            CaseKind::PlaceRequest => vec![
                O::AllocateApInterim,
                O::DeferMoreInfo,
                O::RedirectEhcp,
                O::Withdrawn,
            ],
        }
    };
    if let Some(c) = current
        && !v.contains(&c)
    {
        v.push(c);
    }
    v
}

/// The outcome a new decision starts on, by what the case asks for.
pub fn default_outcome(case: &Case) -> Outcome {
    crate::domain::meeting::usual_outcome(case.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::caseload::AppOutcome;

    #[test]
    fn the_applications_line_reads_urn_date_and_outcome_and_round_trips() {
        let v =
            parse_applications(" 142594 2026-02-10 Refused ;136777 2026-02-20 no place; ").unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].urn, 142594);
        assert_eq!(v[0].outcome, AppOutcome::Refused);
        assert_eq!(v[1].outcome, AppOutcome::NoPlace);
        assert_eq!(
            applications_text(&v),
            "142594 2026-02-10 refused; 136777 2026-02-20 no place"
        );
        assert_eq!(parse_applications(&applications_text(&v)).unwrap(), v);
        assert!(parse_applications(" ").unwrap().is_empty());
        for (line, says) in [
            (
                "14259 2026-02-10 refused",
                "the application does not start with a school's six-digit URN",
            ),
            (
                "142594 10/02/2026 refused",
                "needs the date applied after the URN",
            ),
            (
                "142594 2026-02-10 refused; 136777 2026-02-20 maybe",
                "application 2 of 2 needs its outcome",
            ),
        ] {
            let e = parse_applications(line).unwrap_err();
            assert!(e.contains(says), "{e}");
            assert!(!e.contains("maybe") && !e.contains("10/02"), "{e}");
        }
    }

    #[test]
    fn the_categories_line_reads_letters_and_evidence_and_round_trips() {
        let v = parse_categories(" B: refuge letter ;l:out since Jan; e ;").unwrap();
        let read: Vec<(char, &str)> = v
            .iter()
            .map(|c| (c.code.letter(), c.evidence.as_str()))
            .collect();
        assert_eq!(
            read,
            [('b', "refuge letter"), ('l', "out since Jan"), ('e', "")]
        );
        assert_eq!(categories_text(&v), "b: refuge letter; l: out since Jan; e");
        assert_eq!(parse_categories(&categories_text(&v)).unwrap(), v);
        assert!(parse_categories("  ").unwrap().is_empty());
    }

    #[test]
    fn a_categories_line_that_cannot_be_read_says_which_claim_without_repeating_it() {
        for (line, want) in [
            (
                "z: secret aunt",
                "Categories: the claim does not start with a category letter a to m",
            ),
            (
                "b: ok; 7 secret aunt",
                "Categories: claim 2 of 2 does not start with a category letter",
            ),
            (
                "b secret aunt",
                "Categories: the claim needs a colon after its letter (b)",
            ),
        ] {
            let e = parse_categories(line).unwrap_err();
            assert!(e.starts_with(want), "{line}: {e}");
            assert!(!e.contains("secret") && !e.contains("aunt"), "{e}");
        }
    }
}
