//! The base layers (land, coastline, lakes, main rivers), compiled in from `geodata/basemap/`
//! (Natural Earth, public domain; see its README). Compiling them in keeps `render` independent
//! of the working folder and of any download.

use geo::Coord;
use serde_json::Value;

/// A ring or a line: lon/lat degrees.
pub type Path = Vec<Coord<f64>>;

/// The base layers, in lon/lat.
pub struct Basemap {
    /// Polygons as lists of rings (the first ring the outer one).
    pub land: Vec<Vec<Path>>,
    pub lakes: Vec<Vec<Path>>,
    pub coast: Vec<Path>,
    /// (Natural Earth scalerank, line): lower ranks are the bigger rivers.
    pub rivers: Vec<(f64, Path)>,
}

const LAND: &str = include_str!("../../geodata/basemap/land.geojson");
const LAKES: &str = include_str!("../../geodata/basemap/lakes.geojson");
const COAST: &str = include_str!("../../geodata/basemap/coastline.geojson");
const RIVERS: &str = include_str!("../../geodata/basemap/rivers.geojson");

fn coords(v: &Value) -> Path {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    let p = p.as_array()?;
                    Some(Coord {
                        x: p.first()?.as_f64()?,
                        y: p.get(1)?.as_f64()?,
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn rings(v: &Value) -> Vec<Path> {
    v.as_array()
        .map(|a| a.iter().map(coords).collect())
        .unwrap_or_default()
}

/// Each feature's geometry and properties.
fn features(text: &str) -> Result<Vec<(Value, Value)>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("basemap: {e}"))?;
    Ok(v.get("features")
        .and_then(|f| f.as_array())
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f.get("geometry").cloned().unwrap_or(Value::Null),
                        f.get("properties").cloned().unwrap_or(Value::Null),
                    )
                })
                .collect()
        })
        .unwrap_or_default())
}

fn polygons(text: &str) -> Result<Vec<Vec<Path>>, String> {
    let mut out = Vec::new();
    for (g, _) in features(text)? {
        let c = &g["coordinates"];
        match g["type"].as_str() {
            Some("Polygon") => out.push(rings(c)),
            Some("MultiPolygon") => {
                out.extend(c.as_array().into_iter().flatten().map(rings));
            }
            _ => {}
        }
    }
    Ok(out)
}

fn lines(g: &Value) -> Vec<Path> {
    let c = &g["coordinates"];
    match g["type"].as_str() {
        Some("LineString") => vec![coords(c)],
        Some("MultiLineString") => rings(c),
        _ => Vec::new(),
    }
}

impl Basemap {
    pub fn load() -> Result<Basemap, String> {
        let mut rivers = Vec::new();
        for (g, p) in features(RIVERS)? {
            let rank = p["scalerank"].as_f64().unwrap_or(9.0);
            rivers.extend(lines(&g).into_iter().map(|l| (rank, l)));
        }
        let mut coast = Vec::new();
        for (g, _) in features(COAST)? {
            coast.extend(lines(&g));
        }
        Ok(Basemap {
            land: polygons(LAND)?,
            lakes: polygons(LAKES)?,
            coast,
            rivers,
        })
    }
}
