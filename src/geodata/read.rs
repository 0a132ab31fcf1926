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
    if meta.is_dir() {
        return Err(Problem::new(
            shown,
            "is a folder, not a file",
            "replace the folder with the file (see geodata/README.md)",
        ));
    }
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

/// Parses GeoJSON text, reporting syntax errors with line and column, and naming the feature
/// (by number and id) whose structure is not GeoJSON.
pub fn parse_geojson(text: &str, shown: &str) -> Result<GeoJson, Problem> {
    // the usual case, straight from the text: a JSON tree first (and its copy) cost more than
    // the parsing itself on large lines; only a file that fails is read again, for the message
    if let Ok(g) = serde_json::from_str::<GeoJson>(text) {
        return Ok(g);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Problem::new(
            shown,
            format!(
                "malformed JSON at line {}, column {}: {}",
                e.line(),
                e.column(),
                explain_syntax(text, &e)
            ),
            "correct the file (a JSON validator or QGIS will show the spot)",
        )
    })?;
    match serde_json::from_value::<GeoJson>(value.clone()) {
        Ok(g) => Ok(g),
        Err(e) => {
            let whole = e.to_string();
            if let Some(feats) = value.get("features").and_then(|f| f.as_array()) {
                for (i, f) in feats.iter().enumerate() {
                    if let Err(fe) = serde_json::from_value::<geojson::Feature>(f.clone()) {
                        let id = f
                            .get("properties")
                            .and_then(|p| p.get("id"))
                            .and_then(|v| v.as_str())
                            .map(|s| format!(" (\"{s}\")"))
                            .unwrap_or_default();
                        return Err(Problem::new(
                            shown,
                            format!("feature {}{id} is not valid GeoJSON: {fe}", i + 1),
                            "correct that feature (see geodata/README.md for the expected form)",
                        ));
                    }
                }
            }
            Err(Problem::new(
                shown,
                format!("not valid GeoJSON: {whole}"),
                "correct the file (see geodata/README.md for the expected form)",
            ))
        }
    }
}

/// serde_json's message, with a word on the usual causes: JSON has no NaN or Infinity.
fn explain_syntax(text: &str, e: &serde_json::Error) -> String {
    let msg = strip_position(e);
    let line = text.lines().nth(e.line().saturating_sub(1)).unwrap_or("");
    let rest: String = line
        .chars()
        .skip(e.column().saturating_sub(1))
        .take(12)
        .collect();
    let rest = rest.trim_start();
    if ["NaN", "nan", "Infinity", "-Infinity", "inf"]
        .iter()
        .any(|w| rest.starts_with(w))
    {
        format!("{msg}: JSON has no NaN or Infinity; every coordinate must be a real number")
    } else if msg.contains("number out of range") {
        format!("{msg}: a number too large to be a coordinate")
    } else {
        msg
    }
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
    let (x, y) = match s {
        [x, y, ..] => (*x, *y),
        _ => {
            return Err(format!(
                "a position has {} number(s), needs longitude and latitude",
                s.len()
            ))
        }
    };
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
