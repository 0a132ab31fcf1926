//! Reading input files: size limits, UTF-8, JSON with line and column, property access.
//! Every failure becomes a [`Problem`] naming the file and saying how to fix it.

use crate::error::Problem;
use geo::Coord;
use geojson::{GeoJson, GeometryValue};
use serde_json::{Map, Value};
use std::path::Path;

/// Larger input files are refused before reading: a hand-digitised dataset never needs them, and
/// reading one would only exhaust memory.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a text file, refusing huge or non-UTF-8 files with a clear problem.
pub fn read_text(path: &Path, shown: &str) -> Result<String, Problem> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Problem::new(
            shown,
            format!("cannot read the file: {e}"),
            "check that the file exists and is readable",
        )
    })?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(Problem::new(
            shown,
            format!(
                "the file is {} MiB, over the {} MiB limit for one input file",
                meta.len() / (1024 * 1024),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            "simplify the geometry or split the file; hand-digitised lines need far less",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Problem::new(
            shown,
            format!("cannot read the file: {e}"),
            "check that the file is readable",
        )
    })?;
    String::from_utf8(bytes).map_err(|e| {
        Problem::new(
            shown,
            format!(
                "not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            "save the file as UTF-8",
        )
    })
}

/// Parses GeoJSON text, reporting syntax errors with line and column.
pub fn parse_geojson(text: &str, shown: &str) -> Result<GeoJson, Problem> {
    serde_json::from_str::<GeoJson>(text).map_err(|e| {
        let what = if e.is_syntax() || e.is_eof() {
            "malformed JSON"
        } else {
            "not valid GeoJSON"
        };
        Problem::new(
            shown,
            format!(
                "{what} at line {}, column {}: {}",
                e.line(),
                e.column(),
                strip_position(&e)
            ),
            "correct the file (a JSON validator or QGIS will show the spot)",
        )
    })
}

fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// A feature's geometry and properties, as read.
pub type RawFeature = (Option<GeometryValue>, Map<String, Value>);

/// The features of a Feature or FeatureCollection, as (geometry, properties).
pub fn features(gj: GeoJson, shown: &str) -> Result<Vec<RawFeature>, Problem> {
    match gj {
        GeoJson::Feature(f) => Ok(vec![(
            f.geometry.map(|g| g.value),
            f.properties.unwrap_or_default(),
        )]),
        GeoJson::FeatureCollection(fc) => Ok(fc
            .features
            .into_iter()
            .map(|f| {
                (
                    f.geometry.map(|g| g.value),
                    f.properties.unwrap_or_default(),
                )
            })
            .collect()),
        GeoJson::Geometry(_) => Err(Problem::new(
            shown,
            "the file holds a bare geometry, not a Feature or FeatureCollection",
            "wrap it in a Feature with the required properties (see geodata/README.md)",
        )),
    }
}

/// Property access that reports what is missing or mistyped.
pub struct Props<'a> {
    pub map: &'a Map<String, Value>,
    pub file: &'a str,
    pub item: String,
}

impl Props<'_> {
    fn problem(&self, msg: String, hint: &str) -> Problem {
        Problem::new(self.file, msg, hint).at(self.item.clone())
    }

    pub fn string(&self, key: &str, problems: &mut Vec<Problem>) -> String {
        match self.map.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                problems.push(self.problem(
                    format!("property `{key}` is missing or empty"),
                    "add it (see geodata/README.md for what it means)",
                ));
                String::new()
            }
            Some(other) => {
                problems.push(self.problem(
                    format!(
                        "property `{key}` must be a string, found {}",
                        type_name(other)
                    ),
                    "write it as a JSON string in quotes",
                ));
                String::new()
            }
        }
    }

    pub fn opt_string(&self, key: &str, problems: &mut Vec<Problem>) -> Option<String> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                problems.push(self.problem(
                    format!(
                        "property `{key}` must be a string, found {}",
                        type_name(other)
                    ),
                    "write it as a JSON string in quotes",
                ));
                None
            }
        }
    }

    pub fn opt_number(&self, key: &str, problems: &mut Vec<Problem>) -> Option<f64> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_f64(),
            Some(other) => {
                problems.push(self.problem(
                    format!(
                        "property `{key}` must be a number, found {}",
                        type_name(other)
                    ),
                    "write it as a plain number, e.g. 500",
                ));
                None
            }
        }
    }
}

pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Turns a GeoJSON position into a coordinate, rejecting NaN, infinities and out-of-range values.
pub fn coord(pos: &geojson::Position) -> Result<Coord<f64>, String> {
    let s = pos.as_slice();
    if s.len() < 2 {
        return Err(format!(
            "a position has {} number(s), needs longitude and latitude",
            s.len()
        ));
    }
    let (x, y) = (s[0], s[1]);
    if !x.is_finite() || !y.is_finite() {
        return Err("a coordinate is not a finite number".into());
    }
    if !(-180.0..=180.0).contains(&x) || !(-90.0..=90.0).contains(&y) {
        return Err(format!(
            "position [{x}, {y}] is out of range (longitude -180..180, latitude -90..90; WGS 84 degrees, longitude first)"
        ));
    }
    Ok(Coord {
        x: round6(x),
        y: round6(y),
    })
}

/// Rounds to 6 decimals (about 0.1 m), the precision of every output.
pub fn round6(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Ids are used in file names and rule files: keep them plain.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
