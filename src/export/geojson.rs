//! RFC 7946 GeoJSON output: WGS 84 longitude/latitude, no `crs` member, exterior rings
//! counter-clockwise and holes clockwise, 6 decimals.

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Point};
use serde_json::{json, Map, Value};

fn num(v: f64) -> Value {
    let r = crate::geodata::read::round6(v);
    serde_json::Number::from_f64(r)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn pos(c: &Coord<f64>) -> Value {
    Value::Array(vec![num(c.x), num(c.y)])
}

fn line(ls: &LineString<f64>) -> Value {
    Value::Array(ls.0.iter().map(pos).collect())
}

pub fn point(p: Point<f64>) -> Value {
    json!({"type": "Point", "coordinates": pos(&p.0)})
}

/// Always a MultiLineString, even of one part: one geometry type per layer, or GDAL and QGIS
/// see a layer of mixed type and ask which part to open.
pub fn lines(ml: &MultiLineString<f64>) -> Option<Value> {
    if ml.0.is_empty() {
        return None;
    }
    Some(
        json!({"type": "MultiLineString", "coordinates": Value::Array(ml.0.iter().map(line).collect())}),
    )
}

/// A MultiPolygon, oriented as RFC 7946 asks (exterior counter-clockwise, holes clockwise).
pub fn polygons(mp: &MultiPolygon<f64>) -> Value {
    use geo::orient::{Direction, Orient};
    let oriented = mp.orient(Direction::Default);
    let polys: Vec<Value> = oriented
        .0
        .iter()
        .map(|p| {
            Value::Array(
                std::iter::once(p.exterior())
                    .chain(p.interiors().iter())
                    .map(line)
                    .collect(),
            )
        })
        .collect();
    json!({"type": "MultiPolygon", "coordinates": polys})
}

/// One feature, properties in insertion order.
pub fn feature(props: Map<String, Value>, geometry: Value) -> Value {
    let mut f = Map::new();
    f.insert("type".into(), Value::String("Feature".into()));
    f.insert("properties".into(), Value::Object(props));
    f.insert("geometry".into(), geometry);
    Value::Object(f)
}

/// A FeatureCollection with one feature per line, for readable diffs in git.
pub fn collection(features: &[Value]) -> String {
    let mut s = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, f) in features.iter().enumerate() {
        s.push_str(&f.to_string());
        if i + 1 < features.len() {
            s.push(',');
        }
        s.push('\n');
    }
    s.push_str("]}\n");
    s
}
