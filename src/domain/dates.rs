//! Calendar dates as the caseload writes them (`YYYY-MM-DD`), with a message that never echoes the
//! value: a date of birth is personal data (cli.md Diagnostics).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What every bad date says: what is wrong and what to do, without the value.
pub const BAD_DATE: &str = "not a real date; write YYYY-MM-DD";

/// A calendar date with no time zone: meetings, referrals and school days are whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(y, m, d).map(Date)
    }

    /// Strict `YYYY-MM-DD`: four-digit year, two-digit month and day.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let y = digits(0..4)?;
        let m = digits(5..7)?;
        let d = digits(8..10)?;
        Date::from_ymd(i32::try_from(y).ok()?, m, d)
    }

    /// A date as an English form or spreadsheet writes it: day first, `DD/MM/YYYY`, `D/M/YYYY`
    /// or `D/M/YY` (also with `.` or `-` between), or `YYYY-MM-DD`. A two-digit year is 20YY:
    /// every child a panel hears, and every referral, is of this century.
    pub fn parse_day_first(s: &str) -> Option<Date> {
        let s = s.trim();
        if let Some(d) = Date::parse(s) {
            return Some(d);
        }
        let sep = s.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
        let mut parts = s.split(sep);
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let num = |p: &str, lens: &[usize]| -> Option<u32> {
            (lens.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let day = num(d, &[1, 2])?;
        let month = num(m, &[1, 2])?;
        let year = match y.len() {
            2 => 2000 + num(y, &[2])?,
            _ => num(y, &[4])?,
        };
        Date::from_ymd(i32::try_from(year).ok()?, month, day)
    }

    /// The calendar year in which the academic year containing this date began (1 Sep–31 Aug).
    pub fn academic_year_start(self) -> i32 {
        if self.0.month() >= 9 {
            self.0.year()
        } else {
            self.0.year() - 1
        }
    }

    /// Whole years of age on `on` for someone born on `self`.
    pub fn age_on(self, on: Date) -> i32 {
        let mut age = on.0.year() - self.0.year();
        if (on.0.month(), on.0.day()) < (self.0.month(), self.0.day()) {
            age -= 1;
        }
        age
    }

    /// The same day `n` years on; a 29 February falls on 1 March in a year without one (the day
    /// a person born on 29 February attains an age then).
    pub fn years_on(self, n: i32) -> Date {
        let y = self.0.year() + n;
        Date::from_ymd(y, self.0.month(), self.0.day())
            .or_else(|| Date::from_ymd(y, 3, 1))
            .unwrap_or(self)
    }

    /// The same day `n` calendar months earlier, or the month's last day if it has no such day
    /// (31 March less one month is 28 or 29 February).
    pub fn months_before(self, n: u32) -> Date {
        self.0
            .checked_sub_months(chrono::Months::new(n))
            .map_or(self, Date)
    }

    /// Calendar days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).num_days()
    }

    /// "Thu 12 Mar 2026": how the room reads a date.
    pub fn long(self) -> String {
        self.0.format("%a %-d %b %Y").to_string()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date written YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
                Date::parse(s).ok_or_else(|| E::custom(BAD_DATE))
            }
        }
        d.deserialize_str(V)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date, YYYY-MM-DD."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_first_reads_what_english_forms_write() {
        let d = Date::from_ymd(2012, 5, 4);
        for ok in [
            "04/05/2012",
            "4/5/2012",
            "4/5/12",
            "04.05.2012",
            "04-05-2012",
            "2012-05-04",
            " 4/5/12 ",
        ] {
            assert_eq!(Date::parse_day_first(ok), d, "{ok}");
        }
        for bad in [
            "31/02/2012",
            "05/2012",
            "2012/05/04",
            "4/5/2012/1",
            "1/13/2012",
            "4/5/012",
            "x/5/2012",
            "",
        ] {
            assert_eq!(Date::parse_day_first(bad), None, "{bad}");
        }
    }

    #[test]
    fn parse_is_strict() {
        assert_eq!(Date::parse("2026-03-12"), Date::from_ymd(2026, 3, 12));
        for bad in [
            "2026-02-30",
            "2026-3-12",
            "12/03/2026",
            "2026-03-12T00:00",
            "",
            "2026-13-01",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2024-02-29").is_some(), "leap day");
        assert!(Date::parse("2025-02-29").is_none(), "not a leap year");
    }

    #[test]
    fn bad_date_error_never_echoes_the_value() {
        let e = serde_json::from_str::<Date>("\"2011-02-31\"").unwrap_err();
        assert!(e.to_string().starts_with(BAD_DATE), "{e}");
        assert!(!e.to_string().contains("2011"), "{e}");
    }

    #[test]
    fn age_and_academic_year() {
        let dob = Date::from_ymd(2012, 9, 1).unwrap();
        assert_eq!(dob.age_on(Date::from_ymd(2025, 8, 31).unwrap()), 12);
        assert_eq!(dob.age_on(Date::from_ymd(2025, 9, 1).unwrap()), 13);
        assert_eq!(
            Date::from_ymd(2026, 8, 31).unwrap().academic_year_start(),
            2025
        );
        assert_eq!(
            Date::from_ymd(2026, 9, 1).unwrap().academic_year_start(),
            2026
        );
        assert_eq!(
            Date::from_ymd(2026, 3, 12).unwrap().long(),
            "Thu 12 Mar 2026"
        );
    }

    #[test]
    fn calendar_years_and_months() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(d("2024-02-29").years_on(2), d("2026-03-01"));
        assert_eq!(d("2024-02-29").years_on(4), d("2028-02-29"));
        assert_eq!(d("2024-03-10").years_on(2), d("2026-03-10"));
        assert_eq!(d("2026-03-12").months_before(12), d("2025-03-12"));
        assert_eq!(d("2025-02-28").months_before(12), d("2024-02-28"));
        assert_eq!(d("2024-02-29").months_before(12), d("2023-02-28"));
    }
}
