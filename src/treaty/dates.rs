//! Calendar checks: ISO dates, and Julian dates that must name the same day as the Gregorian one.
//! Russian texts before 1918 are dated Old Style; a slip of a day between the two is the most
//! common error in the literature, so the build refuses it.

use super::{Dates, Treaty};
use crate::error::Problem;

/// A calendar date as (year, month, day).
pub type Ymd = (i64, u32, u32);

/// Parses `YYYY-MM-DD` into (year, month, day), checking the day exists in the proleptic
/// Gregorian calendar (the Julian check uses its own month lengths).
pub fn parse_iso(s: &str) -> Option<(i64, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y: i64 = s.get(0..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > 31 {
        return None;
    }
    Some((y, m, d))
}

fn days_in_month(y: i64, m: u32, julian: bool) -> u32 {
    let leap = if julian {
        y % 4 == 0
    } else {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    };
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Julian day number of a Gregorian date.
pub fn jdn_gregorian(y: i64, m: u32, d: u32) -> i64 {
    let a = (14 - m as i64) / 12;
    let yy = y + 4800 - a;
    let mm = m as i64 + 12 * a - 3;
    d as i64 + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - yy / 100 + yy / 400 - 32045
}

/// Julian day number of a Julian-calendar date.
pub fn jdn_julian(y: i64, m: u32, d: u32) -> i64 {
    let a = (14 - m as i64) / 12;
    let yy = y + 4800 - a;
    let mm = m as i64 + 12 * a - 3;
    d as i64 + (153 * mm + 2) / 5 + 365 * yy + yy / 4 - 32083
}

/// Checks a date block: ISO format, real days, and Julian = Gregorian.
pub fn check_block(
    file: &str,
    what: &str,
    d: &Dates,
    gregorian_required: bool,
    problems: &mut Vec<Problem>,
) {
    let g = d.gregorian.as_deref().map(|s| (s, parse_iso(s)));
    let j = d.julian.as_deref().map(|s| (s, parse_iso(s)));
    if gregorian_required && g.is_none() {
        problems.push(Problem::new(
            file,
            format!("`{what}.gregorian` is missing"),
            "give the Gregorian (New Style) date as YYYY-MM-DD",
        ));
    }
    let mut ok = |label: &str, v: Option<(&str, Option<Ymd>)>, julian: bool| -> Option<Ymd> {
        let (s, parsed) = v?;
        match parsed {
            Some((y, m, dd)) if dd <= days_in_month(y, m, julian) => Some((y, m, dd)),
            _ => {
                problems.push(Problem::new(
                    file,
                    format!("`{what}.{label}` is \"{s}\", not a real date in YYYY-MM-DD form"),
                    "write the date as YYYY-MM-DD, e.g. 1858-05-28",
                ));
                None
            }
        }
    };
    let gp = ok("gregorian", g, false);
    let jp = ok("julian", j, true);
    if let (Some((gy, gm, gd)), Some((jy, jm, jd))) = (gp, jp) {
        let jg = jdn_gregorian(gy, gm, gd);
        let jj = jdn_julian(jy, jm, jd);
        if jg != jj {
            let (y, m, dd) = gregorian_from_jdn(jj);
            let (ay, am, ad) = julian_from_jdn(jg);
            problems.push(Problem::new(
                file,
                format!(
                    "`{what}.julian` {} is {y:04}-{m:02}-{dd:02} in the Gregorian calendar, not `{what}.gregorian` {} (that day is {ay:04}-{am:02}-{ad:02} in the Julian calendar)",
                    d.julian.as_deref().unwrap_or(""),
                    d.gregorian.as_deref().unwrap_or(""),
                ),
                "correct one of them, or drop the Julian date if the document does not give it",
            ));
        }
    }
}

/// The Julian-calendar date of a Julian day number.
pub fn julian_from_jdn(j: i64) -> Ymd {
    let c = j + 32082;
    let d = (4 * c + 3) / 1461;
    let e = c - 1461 * d / 4;
    let m = (5 * e + 2) / 153;
    let day = e - (153 * m + 2) / 5 + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = d - 4800 + m / 10;
    (year, month as u32, day as u32)
}

/// The Gregorian date of a Julian day number.
pub fn gregorian_from_jdn(j: i64) -> (i64, u32, u32) {
    let a = j + 32044;
    let b = (4 * a + 3) / 146097;
    let c = a - 146097 * b / 4;
    let d = (4 * c + 3) / 1461;
    let e = c - 1461 * d / 4;
    let m = (5 * e + 2) / 153;
    let day = e - (153 * m + 2) / 5 + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = 100 * b + d - 4800 + m / 10;
    (year, month as u32, day as u32)
}

pub fn check_dates(t: &Treaty, problems: &mut Vec<Problem>) {
    check_block(&t.file, "signed", &t.signed, true, problems);
    if let Some(r) = &t.ratified {
        check_block(&t.file, "ratified", r, false, problems);
    }
    if let Some(f) = &t.in_force {
        if let (Some(_), Some(g)) = (parse_iso(f), t.signed.gregorian.as_deref()) {
            if f.as_str() < g && parse_iso(g).is_some() {
                problems.push(Problem::new(
                    &t.file,
                    format!("`in_force` {f} is before the signing date {g}: a treaty takes effect on or after it is signed"),
                    "correct `in_force`, or drop it to use the signing date",
                ));
            }
        }
        if parse_iso(f).is_none() {
            problems.push(Problem::new(
                &t.file,
                format!("`in_force` is \"{f}\", not a date in YYYY-MM-DD form"),
                "write it as YYYY-MM-DD",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn julian_offsets_by_century() {
        // Aigun: 16 May 1858 O.S. = 28 May 1858 N.S. (12 days in the 19th century)
        assert_eq!(jdn_julian(1858, 5, 16), jdn_gregorian(1858, 5, 28));
        // Nerchinsk: 27 Aug 1689 O.S. = 6 Sep 1689 N.S. (10 days in the 17th century)
        assert_eq!(jdn_julian(1689, 8, 27), jdn_gregorian(1689, 9, 6));
        // Bura: 20 Aug 1727 O.S. = 31 Aug 1727 N.S. (11 days in the 18th century)
        assert_eq!(jdn_julian(1727, 8, 20), jdn_gregorian(1727, 8, 31));
        assert_eq!(gregorian_from_jdn(jdn_julian(1858, 5, 16)), (1858, 5, 28));
        assert_eq!(julian_from_jdn(jdn_gregorian(1800, 3, 1)), (1800, 2, 18));
    }

    #[test]
    fn rejects_impossible_days() {
        assert!(parse_iso("1858-13-01").is_none());
        assert!(parse_iso("1858-5-1").is_none());
        assert_eq!(days_in_month(1700, 2, true), 29);
        assert_eq!(days_in_month(1700, 2, false), 28);
    }
}
