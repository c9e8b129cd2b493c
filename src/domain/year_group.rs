//! Year groups (R, Y1–Y13) and key stages, and the 31 August rule that derives one from a date of
//! birth (domain.md §1 "Year group").

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use chrono::Datelike;

use crate::domain::dates::Date;

/// Reception is 0, Y1 is 1 … Y13 is 13.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearGroup(u8);

impl YearGroup {
    pub const RECEPTION: YearGroup = YearGroup(0);

    pub fn new(n: i32) -> Option<YearGroup> {
        u8::try_from(n).ok().filter(|n| *n <= 13).map(YearGroup)
    }

    pub fn number(self) -> u8 {
        self.0
    }

    /// Domain.md §1: cohort = birth year if born Sep–Dec, else birth year − 1; year = start year
    /// − cohort − 5, where the start year is that of the academic year containing `on`. Returns
    /// the raw number, which may lie outside R–Y13 for a child too young or too old.
    pub fn number_on(dob: Date, on: Date) -> i32 {
        let cohort = dob.academic_year_start();
        on.academic_year_start() - cohort - 5
    }

    /// The pupil's year group on `on`, if it is one of R–Y13.
    pub fn on(dob: Date, on: Date) -> Option<YearGroup> {
        YearGroup::new(Self::number_on(dob, on))
    }

    /// The key stage the year group belongs to; reception is in none (EYFS).
    pub fn key_stage(self) -> Option<KeyStage> {
        match self.0 {
            1..=2 => Some(KeyStage(1)),
            3..=6 => Some(KeyStage(2)),
            7..=9 => Some(KeyStage(3)),
            10..=11 => Some(KeyStage(4)),
            12..=13 => Some(KeyStage(5)),
            _ => None,
        }
    }

    /// Age at the start of the year group's academic year (31 August before): R is 4, Y7 is 11.
    pub fn age_at_start(self) -> u8 {
        self.0 + 4
    }

    /// `R`, `Y1` … `Y13`, and the school census's NC year spelling `1` … `13` (written back as
    /// `Y1` … `Y13`).
    fn parse(s: &str) -> Option<YearGroup> {
        if s == "R" {
            return Some(YearGroup::RECEPTION);
        }
        let n = s.strip_prefix('Y').unwrap_or(s);
        if n.is_empty() || n.starts_with('0') || n.len() > 2 {
            return None;
        }
        YearGroup::new(n.parse().ok()?).filter(|y| y.0 > 0)
    }
}

impl fmt::Display for YearGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            f.write_str("R")
        } else {
            write!(f, "Y{}", self.0)
        }
    }
}

/// The day a child born on `dob` reaches compulsory school age (domain.md §1): the first of
/// 31 December, 31 March and 31 August on or after the fifth birthday.
pub fn compulsory_school_age_from(dob: Date) -> Date {
    let fifth = dob.years_on(5);
    let y = fifth.0.year();
    [(3, 31), (8, 31), (12, 31)]
        .into_iter()
        .filter_map(|(m, d)| Date::from_ymd(y, m, d))
        .find(|d| *d >= fifth)
        .unwrap_or(fifth)
}

/// Key stage 1–5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyStage(u8);

impl KeyStage {
    pub fn number(self) -> u8 {
        self.0
    }
}

impl fmt::Display for KeyStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KS{}", self.0)
    }
}

/// How a provision counts its places: per year group or per key stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PoolGroup {
    Year(YearGroup),
    Stage(KeyStage),
}

impl PoolGroup {
    /// Does a place in this pool suit a pupil in year group `y`?
    pub fn covers(self, y: YearGroup) -> bool {
        match self {
            PoolGroup::Year(p) => p == y,
            PoolGroup::Stage(ks) => y.key_stage() == Some(ks),
        }
    }

    fn parse(s: &str) -> Option<PoolGroup> {
        if let Some(n) = s.strip_prefix("KS") {
            return match n {
                "1" | "2" | "3" | "4" | "5" => {
                    Some(PoolGroup::Stage(KeyStage(n.as_bytes()[0] - b'0')))
                }
                _ => None,
            };
        }
        YearGroup::parse(s).map(PoolGroup::Year)
    }
}

impl fmt::Display for PoolGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PoolGroup::Year(y) => y.fmt(f),
            PoolGroup::Stage(k) => k.fmt(f),
        }
    }
}

macro_rules! string_serde {
    ($ty:ty, $name:literal, $pattern:literal, $what:literal) => {
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$ty, E> {
                        <$ty>::parse(s).ok_or_else(|| E::custom(concat!("not a valid value; write ", $what)))
                    }
                }
                d.deserialize_str(V)
            }
        }
        impl JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "pattern": $pattern, "description": $what })
            }
        }
    };
}

string_serde!(
    YearGroup,
    "YearGroup",
    "^(R|Y([1-9]|1[0-3]))$",
    "a year group: R or Y1 to Y13"
);
string_serde!(
    PoolGroup,
    "PoolGroup",
    "^(R|Y([1-9]|1[0-3])|KS[1-5])$",
    "a year group (R, Y1 to Y13) or a key stage (KS1 to KS5)"
);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// domain.md §1: the 31 August rule, including the 1 September birthday that "age on 1 Sep"
    /// gets wrong.
    #[test]
    fn thirty_first_august_rule() {
        let on = d("2026-03-12");
        assert_eq!(
            YearGroup::on(d("2012-09-01"), on).unwrap().to_string(),
            "Y8"
        );
        assert_eq!(
            YearGroup::on(d("2012-08-31"), on).unwrap().to_string(),
            "Y9"
        );
        assert_eq!(
            YearGroup::on(d("2013-01-15"), on).unwrap().to_string(),
            "Y8"
        );
        assert_eq!(
            YearGroup::on(d("2021-08-31"), on),
            Some(YearGroup::RECEPTION)
        );
        assert_eq!(
            YearGroup::number_on(d("2021-09-01"), on),
            -1,
            "not yet in school"
        );
        // The same child moves up a year on 1 September.
        assert_eq!(
            YearGroup::on(d("2012-09-01"), d("2026-08-31"))
                .unwrap()
                .to_string(),
            "Y8"
        );
        assert_eq!(
            YearGroup::on(d("2012-09-01"), d("2026-09-01"))
                .unwrap()
                .to_string(),
            "Y9"
        );
    }

    /// domain.md §1: compulsory school age starts on the first prescribed day (31 Dec, 31 Mar,
    /// 31 Aug) on or after the fifth birthday.
    #[test]
    fn compulsory_school_age_starts_on_a_prescribed_day() {
        for (dob, from) in [
            ("2019-03-31", "2024-03-31"), // fifth birthday on a prescribed day
            ("2019-04-01", "2024-08-31"),
            ("2019-09-01", "2024-12-31"),
            ("2019-12-31", "2024-12-31"),
            ("2020-01-01", "2025-03-31"),
            ("2020-02-29", "2025-03-31"), // fifth birthday 1 March 2025
        ] {
            assert_eq!(compulsory_school_age_from(d(dob)), d(from), "{dob}");
        }
    }

    #[test]
    fn year_group_text_round_trips() {
        for n in 0..=13 {
            let y = YearGroup::new(n).unwrap();
            assert_eq!(YearGroup::parse(&y.to_string()), Some(y));
        }
        // The school census spells NC years as bare numbers.
        assert_eq!(YearGroup::parse("7"), YearGroup::new(7));
        assert_eq!(YearGroup::parse("13"), YearGroup::new(13));
        for bad in ["Y0", "Y14", "Y07", "0", "07", "14", "N1", "y7", "", "Y"] {
            assert_eq!(YearGroup::parse(bad), None, "{bad}");
        }
        assert_eq!(PoolGroup::parse("KS3"), Some(PoolGroup::Stage(KeyStage(3))));
        assert_eq!(PoolGroup::parse("KS6"), None);
    }

    #[test]
    fn pools_cover_year_groups() {
        let y9 = YearGroup::new(9).unwrap();
        assert!(PoolGroup::parse("KS3").unwrap().covers(y9));
        assert!(!PoolGroup::parse("KS4").unwrap().covers(y9));
        assert!(PoolGroup::parse("Y9").unwrap().covers(y9));
        assert!(!PoolGroup::parse("Y10").unwrap().covers(y9));
        assert_eq!(YearGroup::RECEPTION.key_stage(), None);
    }
}
