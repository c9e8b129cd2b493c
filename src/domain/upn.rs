//! Unique Pupil Numbers and Unique Learner Numbers: their shape and check characters
//! (dfe-formats.md §2), and the local authority codes a UPN's characters 2–4 may hold.
//!
//! Pure functions. A problem says what is wrong, never the number itself: a UPN is personal data.

/// The UPN check-letter table: A–Z without I, O and S, valued 0 to 22 in order.
const LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// Why a UPN is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpnProblem {
    /// Not 13 characters of the form: check letter, 11 digits, a digit or letter.
    Shape,
    /// The right shape, but the check letter is not the one the other 12 characters give.
    CheckLetter,
}

impl UpnProblem {
    /// What is wrong and what to do, without the value.
    pub fn message(self) -> &'static str {
        match self {
            UpnProblem::Shape => {
                "not a UPN: a UPN is 13 characters, a capital check letter, 11 digits, then a digit (or a letter for a temporary UPN), never I, O or S; check it"
            }
            UpnProblem::CheckLetter => {
                "the UPN's check letter does not match its other 12 characters, so a character is wrong; check it against the school's record"
            }
        }
    }
}

/// Why a ULN is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UlnProblem {
    /// Not 10 digits, or starts with 0.
    Shape,
    /// Ten digits whose weighted sum fails the check.
    Check,
}

impl UlnProblem {
    pub fn message(self) -> &'static str {
        match self {
            UlnProblem::Shape => {
                "not a ULN: a ULN is 10 digits and does not start with 0; check it"
            }
            UlnProblem::Check => {
                "the ULN fails its check (a digit is wrong or two are swapped); check it against the learner's record"
            }
        }
    }
}

fn letter_value(c: u8) -> Option<u32> {
    LETTERS.iter().position(|l| *l == c).map(|p| p as u32)
}

/// The check letter the 12 characters after it give (positions 2 to 13, each weighted by its
/// position; a temporary UPN's final letter counts at its table value). `None` if a character is
/// not a digit, or the last not a digit or table letter.
pub fn check_letter(rest: &[u8]) -> Option<u8> {
    if rest.len() != 12 {
        return None;
    }
    let mut sum = 0u32;
    for (i, c) in rest.iter().enumerate() {
        let value = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else if i == 11 {
            letter_value(*c)?
        } else {
            return None;
        };
        sum += value * (i as u32 + 2);
    }
    Some(LETTERS[(sum % 23) as usize])
}

/// Checks a UPN: 13 characters, a check letter from the table, 11 digits, then a digit or a
/// table letter (a temporary UPN), and the check letter right.
pub fn check_upn(upn: &str) -> Result<(), UpnProblem> {
    let b = upn.as_bytes();
    if b.len() != 13
        || letter_value(b[0]).is_none()
        || !b[1..12].iter().all(u8::is_ascii_digit)
        || !(b[12].is_ascii_digit() || letter_value(b[12]).is_some())
    {
        return Err(UpnProblem::Shape);
    }
    match check_letter(&b[1..]) {
        Some(l) if l == b[0] => Ok(()),
        Some(_) => Err(UpnProblem::CheckLetter),
        None => Err(UpnProblem::Shape),
    }
}

/// A temporary UPN ends in a letter (given until the permanent one is known).
pub fn is_temporary(upn: &str) -> bool {
    upn.as_bytes().last().is_some_and(u8::is_ascii_uppercase)
}

/// The LA code in characters 2–4 of a UPN of the right shape.
pub fn la_prefix(upn: &str) -> Option<u16> {
    upn.get(1..4).and_then(|s| s.parse().ok())
}

/// Checks a ULN: 10 digits, the first not 0, and Σ digit × (10, 9, … 1) mod 11 = 10.
pub fn check_uln(uln: &str) -> Result<(), UlnProblem> {
    let b = uln.as_bytes();
    if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) || b[0] == b'0' {
        return Err(UlnProblem::Shape);
    }
    let sum: u32 = b
        .iter()
        .enumerate()
        .map(|(i, c)| u32::from(c - b'0') * (10 - i as u32))
        .sum();
    if sum % 11 == 10 {
        Ok(())
    } else {
        Err(UlnProblem::Check)
    }
}

/// The local authority codes of England that GIAS lists: the 153 LAs with open state-funded
/// schools in the shared data (`england_gias_open_secondary_2026-03-07.csv`, `LA (code)`, and
/// the Ofsted list of 31 August 2025, first three digits of `LAESTAB`, which adds 201 City of
/// London).
pub const GIAS_LA_CODES: [u16; 153] = [
    201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 301, 302, 303, 304, 305, 306,
    307, 308, 309, 310, 311, 312, 313, 314, 315, 316, 317, 318, 319, 320, 330, 331, 332, 333, 334,
    335, 336, 340, 341, 342, 343, 344, 350, 351, 352, 353, 354, 355, 356, 357, 358, 359, 370, 371,
    372, 373, 380, 381, 382, 383, 384, 390, 391, 392, 393, 394, 420, 800, 801, 802, 803, 805, 806,
    807, 808, 810, 811, 812, 813, 815, 816, 821, 822, 823, 825, 826, 830, 831, 838, 839, 840, 841,
    845, 846, 850, 851, 852, 855, 856, 857, 860, 861, 865, 866, 867, 868, 869, 870, 871, 872, 873,
    874, 876, 877, 878, 879, 880, 881, 882, 883, 884, 885, 886, 887, 888, 889, 890, 891, 892, 893,
    894, 895, 896, 908, 916, 919, 921, 925, 926, 929, 931, 933, 935, 936, 937, 938, 940, 941, 942,
    943,
];

/// Codes of authorities replaced since UPNs began, which a UPN keeps for life (unverified, from
/// the reorganisations: Bedfordshire 820 and Cheshire 875 in 2009; Dorset 835, Poole 836 and
/// Bournemouth 837 in 2019; Northamptonshire 928 in 2021; Cumbria 909 in 2023).
pub const FORMER_LA_CODES: [u16; 7] = [820, 835, 836, 837, 875, 909, 928];

/// Is `code` an LA code fairpanel knows (current in GIAS, or a former one)? Pseudo-LA codes are
/// not known: a UPN issued under one is warned about, not refused.
pub fn known_la(code: u16) -> bool {
    GIAS_LA_CODES.binary_search(&code).is_ok() || FORMER_LA_CODES.contains(&code)
}

/// A valid UPN from its 12 characters after the check letter (for invented demo pupils and
/// tests). `None` if they are not 11 digits and a digit or table letter.
pub fn with_check_letter(rest: &str) -> Option<String> {
    let l = check_letter(rest.as_bytes())?;
    Some(format!("{}{rest}", l as char))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upn_vectors_from_dfe_formats() {
        for ok in [
            "B801200005001",
            "P207000016049",
            "A80120000501A",
            "H93812340250Z",
        ] {
            assert_eq!(check_upn(ok), Ok(()), "{ok}");
        }
        assert_eq!(check_upn("A801200005001"), Err(UpnProblem::CheckLetter));
        assert_eq!(check_upn("Q207000016049"), Err(UpnProblem::CheckLetter));
    }

    #[test]
    fn upn_sums_as_the_vectors_say() {
        // B801200005001: sum 93, 93 mod 23 = 1 = B; P207000016049: sum 266, remainder 13 = P.
        assert_eq!(check_letter(b"801200005001"), Some(b'B'));
        assert_eq!(check_letter(b"207000016049"), Some(b'P'));
    }

    #[test]
    fn upn_shapes() {
        for bad in [
            "",
            "B80120000500",   // 12 characters
            "B8012000050011", // 14
            "b801200005001",  // lower-case check letter
            "I801200005001",  // I is not in the table
            "O801200005001",  // nor O
            "S801200005001",  // nor S
            "B80120000500I",  // nor as a temporary UPN's letter
            "B8012000050a1",  // a letter among the digits
            "BB01200005001",  // a letter where a digit goes
            "B80120000500 ",  // a space
            "B80120000500é",  // not ASCII
        ] {
            assert_eq!(check_upn(bad), Err(UpnProblem::Shape), "{bad:?}");
        }
    }

    #[test]
    fn temporary_and_prefix() {
        assert!(is_temporary("A80120000501A"));
        assert!(!is_temporary("B801200005001"));
        assert_eq!(la_prefix("B801200005001"), Some(801));
        assert_eq!(la_prefix("H93812340250Z"), Some(938));
        assert!(known_la(801) && known_la(335) && known_la(938));
        assert!(
            known_la(909),
            "a former code (Cumbria) is kept by UPNs issued before 2023"
        );
        assert!(!known_la(999) && !known_la(100));
    }

    #[test]
    fn la_codes_are_sorted_for_binary_search() {
        assert!(GIAS_LA_CODES.windows(2).all(|w| w[0] < w[1]));
        assert!(FORMER_LA_CODES.iter().all(|c| !GIAS_LA_CODES.contains(c)));
    }

    #[test]
    fn uln_vectors() {
        assert_eq!(check_uln("9276308686"), Ok(()));
        assert_eq!(check_uln("9276308687"), Err(UlnProblem::Check));
        assert_eq!(
            check_uln("2976308686"),
            Err(UlnProblem::Check),
            "two digits swapped"
        );
        assert_eq!(
            check_uln("0276308686"),
            Err(UlnProblem::Shape),
            "first digit 0"
        );
        assert_eq!(check_uln("927630868"), Err(UlnProblem::Shape));
        assert_eq!(check_uln("92763086861"), Err(UlnProblem::Shape));
        assert_eq!(check_uln("92763O8686"), Err(UlnProblem::Shape));
    }

    #[test]
    fn making_a_upn_round_trips() {
        let u = with_check_letter("335410715107").unwrap();
        assert_eq!(check_upn(&u), Ok(()));
        assert_eq!(with_check_letter("33541071510"), None);
    }

    #[test]
    fn messages_never_hold_a_value() {
        for m in [
            UpnProblem::Shape.message(),
            UpnProblem::CheckLetter.message(),
            UlnProblem::Shape.message(),
            UlnProblem::Check.message(),
        ] {
            assert!(m.contains("; "), "what is wrong; what to do: {m}");
        }
    }
}
