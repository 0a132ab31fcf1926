//! Writing layers. GeoJSON is written by hand for a stable byte layout: one feature per line,
//! properties in a fixed order, coordinates as the shortest decimal of the micro-degree value.

pub mod geojson;
pub mod gpkg;
pub mod qgis;
pub mod shapefile;
pub mod style;

/// A fixed date (2026-01-01T00:00:00Z) unless `SOURCE_DATE_EPOCH` says otherwise.
const FIXED_EPOCH: i64 = 1_767_225_600;

/// The date and time the formats that record one (the GeoPackage's `last_change`, the `.dbf`
/// header's date of last update) are given: (year, month, day, seconds into the day). The build
/// must be byte-identical from one run, and one day, to the next, so the clock is never read.
pub fn stamp() -> (i64, i64, i64, i64) {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(FIXED_EPOCH);
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem)
}
