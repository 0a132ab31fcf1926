//! RFC 7946 GeoJSON output: WGS 84 longitude/latitude, no `crs` member, exterior rings
//! counter-clockwise and holes clockwise, 6 decimals.
//!
//! Features are written straight from the build's geometries: no `serde_json::Value` tree is
//! built for the coordinates (at 100× the vertices those trees took gigabytes). The bytes are
//! those `serde_json` writes for the same values: compact, members in insertion order, numbers
//! in its shortest round-trip form.

use geo::{Coord, LineString, MultiLineString, MultiPolygon, Point};
use serde_json::{json, Map, Value};
use std::io::Write;

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

/// A feature's geometry, borrowed from the build.
#[derive(Debug, Clone, Copy)]
pub enum Geometry<'a> {
    Point(Coord<f64>),
    /// Written as a MultiLineString (see [`lines`]); a feature with no line is not written.
    Lines(&'a MultiLineString<f64>),
    /// Written as a MultiPolygon, oriented as [`polygons`] orients it.
    Polygons(&'a MultiPolygon<f64>),
}

impl Geometry<'_> {
    /// The geometry as [`point`], [`lines`] or [`polygons`] builds it (`Null` for no lines).
    pub fn to_value(&self) -> Value {
        match self {
            Geometry::Point(c) => point(Point(*c)),
            Geometry::Lines(ml) => lines(ml).unwrap_or(Value::Null),
            Geometry::Polygons(mp) => polygons(mp),
        }
    }
}

/// One feature: its properties, in order, and its geometry.
#[derive(Debug, Clone)]
pub struct Feature<'a> {
    pub properties: Map<String, Value>,
    pub geometry: Geometry<'a>,
}

/// One feature, properties in insertion order.
pub fn feature(properties: Map<String, Value>, geometry: Geometry<'_>) -> Feature<'_> {
    Feature {
        properties,
        geometry,
    }
}

/// `(v × 10⁶).round()` as an integer, when |v × 10⁶| < 2⁵²: the rounding `round6` does (half
/// away from zero), without a libm call.
fn micro(v: f64) -> Option<i64> {
    let x = v * 1e6;
    if x.is_nan() || x.abs() >= 4.5e15 {
        return None;
    }
    let i = x as i64; // toward zero
    let frac = x - i as f64; // exact
    Some(if frac >= 0.5 {
        i + 1
    } else if frac <= -0.5 {
        i - 1
    } else {
        i
    })
}

/// `round6(v)`, the same f64, computed without libm's `round` for the usual magnitudes.
pub(crate) fn round6(v: f64) -> f64 {
    match micro(v) {
        Some(n) => n as f64 / 1e6,
        None => crate::geodata::read::round6(v),
    }
}

/// Appends `round6(v)` to `buf` at `at` as serde_json writes that f64 (its shortest round-trip
/// decimal); returns the new end.
///
/// The usual case, a coordinate: |v| in [0.001, 10⁹). There round6(v) = n / 10⁶ is the double
/// nearest the decimal n / 10⁶ (one correctly rounded division), and no decimal with fewer digits
/// is that near (doubles there are far closer together than 10⁻⁶), so the shortest round-trip
/// form is n / 10⁶ written out with its trailing zeros dropped, which serde_json writes in
/// positional notation with at least one decimal. Other values go through serde_json itself.
/// Checked against serde_json in the tests below.
fn put_num(buf: &mut [u8; 64], mut at: usize, v: f64) -> usize {
    let n = match micro(v) {
        Some(n) if (1_000..1_000_000_000_000_000).contains(&n.unsigned_abs()) => n,
        _ => {
            let mut tmp = Vec::new();
            let _ = serde_json::to_writer(&mut tmp, &crate::geodata::read::round6(v));
            buf[at..at + tmp.len()].copy_from_slice(&tmp);
            return at + tmp.len();
        }
    };
    if n < 0 {
        buf[at] = b'-';
        at += 1;
    }
    let m = n.unsigned_abs();
    let (mut int, mut frac) = (m / 1_000_000, m % 1_000_000);
    // integer part, at most 9 digits
    let mut digits = [0u8; 10];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (int % 10) as u8;
        int /= 10;
        if int == 0 {
            break;
        }
    }
    let len = digits.len() - k;
    buf[at..at + len].copy_from_slice(&digits[k..]);
    at += len;
    buf[at] = b'.';
    at += 1;
    if frac == 0 {
        buf[at] = b'0';
        return at + 1;
    }
    let mut width = 6;
    while frac % 10 == 0 {
        frac /= 10;
        width -= 1;
    }
    for d in buf[at..at + width].iter_mut().rev() {
        *d = b'0' + (frac % 10) as u8;
        frac /= 10;
    }
    at + width
}

fn write_pos(out: &mut Out<'_>, c: &Coord<f64>) {
    let mut buf = [0u8; 64];
    buf[0] = b'[';
    let at = put_num(&mut buf, 1, c.x);
    buf[at] = b',';
    let at = put_num(&mut buf, at + 1, c.y);
    buf[at] = b']';
    out.extend_from_slice(&buf[..at + 1]);
}

fn write_line<'a>(out: &mut Out<'_>, cs: impl Iterator<Item = &'a Coord<f64>>) {
    out.push(b'[');
    for (i, c) in cs.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_pos(out, c);
    }
    out.push(b']');
}

/// A ring's coordinates in the winding order RFC 7946 asks (exterior counter-clockwise, holes
/// clockwise): reversed exactly when geo's `orient(Direction::Default)` would reverse it, without
/// copying the ring.
pub(crate) fn oriented(
    ring: &LineString<f64>,
    exterior: bool,
) -> impl Iterator<Item = &Coord<f64>> {
    use geo::winding_order::{Winding, WindingOrder};
    let wrong = if exterior {
        WindingOrder::Clockwise
    } else {
        WindingOrder::CounterClockwise
    };
    let rev = ring.winding_order() == Some(wrong);
    let n = ring.0.len();
    (0..n).map(move |i| &ring.0[if rev { n - 1 - i } else { i }])
}

fn write_geometry(out: &mut Out<'_>, g: &Geometry<'_>) {
    match g {
        Geometry::Point(c) => {
            out.extend_from_slice(b"{\"type\":\"Point\",\"coordinates\":");
            write_pos(out, c);
        }
        Geometry::Lines(ml) => {
            if ml.0.is_empty() {
                out.extend_from_slice(b"null");
                return;
            }
            out.extend_from_slice(b"{\"type\":\"MultiLineString\",\"coordinates\":[");
            for (i, l) in ml.0.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_line(out, l.0.iter());
            }
            out.push(b']');
        }
        Geometry::Polygons(mp) => {
            out.extend_from_slice(b"{\"type\":\"MultiPolygon\",\"coordinates\":[");
            for (i, p) in mp.0.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                // oriented as `polygons` orients it
                out.push(b'[');
                write_line(out, oriented(p.exterior(), true));
                for ring in p.interiors() {
                    out.push(b',');
                    write_line(out, oriented(ring, false));
                }
                out.push(b']');
            }
            out.push(b']');
        }
    }
    out.push(b'}');
}

/// Where a feature is written: a buffer handed on to the writer each time it passes
/// [`Out::SPILL`] bytes. A territory's feature is one line of tens of MB at 100× the vertices, and
/// growing a buffer to that size for every layer cost copies and page faults.
struct Out<'w> {
    buf: Vec<u8>,
    w: &'w mut dyn Write,
    err: Option<std::io::Error>,
}

impl<'w> Out<'w> {
    const SPILL: usize = 1 << 20;

    fn new(w: &'w mut dyn Write) -> Out<'w> {
        Out {
            buf: Vec::with_capacity(Self::SPILL + 4096),
            w,
            err: None,
        }
    }

    fn push(&mut self, b: u8) {
        self.buf.push(b);
    }

    fn extend_from_slice(&mut self, s: &[u8]) {
        self.buf.extend_from_slice(s);
        if self.buf.len() >= Self::SPILL {
            self.spill();
        }
    }

    fn spill(&mut self) {
        if self.err.is_none() {
            if let Err(e) = self.w.write_all(&self.buf) {
                self.err = Some(e);
            }
        }
        self.buf.clear();
    }

    /// Hands on the rest; the first error met, if any.
    fn finish(mut self) -> std::io::Result<()> {
        self.spill();
        self.err.map_or(Ok(()), Err)
    }
}

impl Write for Out<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Appends one feature as one line of compact JSON (no newline).
fn write_feature(out: &mut Out<'_>, f: &Feature<'_>) {
    out.extend_from_slice(b"{\"type\":\"Feature\",\"properties\":");
    let _ = serde_json::to_writer(&mut *out, &f.properties);
    out.extend_from_slice(b",\"geometry\":");
    write_geometry(out, &f.geometry);
    out.push(b'}');
}

/// Writes a FeatureCollection with one feature per line, for readable diffs in git.
pub fn write_collection(w: &mut dyn Write, features: &[Feature<'_>]) -> std::io::Result<()> {
    let mut out = Out::new(w);
    out.extend_from_slice(COLLECTION_HEAD.as_bytes());
    for (i, f) in features.iter().enumerate() {
        write_feature(&mut out, f);
        if i + 1 < features.len() {
            out.push(b',');
        }
        out.extend_from_slice(b"\n");
    }
    out.extend_from_slice(COLLECTION_TAIL.as_bytes());
    out.finish()
}

/// The opening and closing of a FeatureCollection as [`write_collection`] writes it.
pub const COLLECTION_HEAD: &str = "{\"type\":\"FeatureCollection\",\"features\":[\n";
pub const COLLECTION_TAIL: &str = "]}\n";

/// The features of FeatureCollections written by [`write_collection`], as one: their lines
/// joined as `write_collection` joins features (the same bytes as writing them all at once).
pub fn concat_collections<'t>(
    texts: impl IntoIterator<Item = &'t str>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(COLLECTION_HEAD.as_bytes())?;
    let mut any = false;
    for t in texts {
        let lines = t
            .strip_prefix(COLLECTION_HEAD)
            .and_then(|t| t.strip_suffix(COLLECTION_TAIL))
            .ok_or_else(|| {
                std::io::Error::other("not a FeatureCollection as the build writes it")
            })?;
        let lines = lines.strip_suffix('\n').unwrap_or(lines);
        if lines.is_empty() {
            continue;
        }
        if any {
            out.write_all(b",\n")?;
        }
        out.write_all(lines.as_bytes())?;
        any = true;
    }
    if any {
        out.write_all(b"\n")?;
    }
    out.write_all(COLLECTION_TAIL.as_bytes())
}

/// A FeatureCollection with one feature per line, as [`write_collection`] writes it.
#[allow(clippy::expect_used)] // writing to a Vec cannot fail, and every part written is UTF-8
pub fn collection(features: &[Feature<'_>]) -> String {
    let mut s = Vec::new();
    write_collection(&mut s, features).expect("writing to memory does not fail");
    String::from_utf8(s).expect("serde_json and the fixed parts write UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concatenated_collections_are_the_collection_of_all_their_features() {
        let point = |x: f64| {
            let mut p = Map::new();
            p.insert("x".into(), Value::from(x));
            feature(p, Geometry::Point(Coord { x, y: 50.0 }))
        };
        let parts: Vec<Vec<Feature>> = vec![
            vec![point(1.0), point(2.0)],
            vec![],
            vec![point(3.0)],
            vec![],
        ];
        let texts: Vec<String> = parts.iter().map(|fs| collection(fs)).collect();
        let mut out = Vec::new();
        concat_collections(texts.iter().map(|t| t.as_str()), &mut out).unwrap();
        let all: Vec<Feature> = parts.into_iter().flatten().collect();
        assert_eq!(String::from_utf8(out).unwrap(), collection(&all));
        let mut none = Vec::new();
        concat_collections([collection(&[]).as_str()], &mut none).unwrap();
        assert_eq!(String::from_utf8(none).unwrap(), collection(&[]));
        assert!(concat_collections(["{}"], &mut Vec::new()).is_err());
    }

    fn serde(v: f64) -> String {
        serde_json::to_string(&num(v)).unwrap()
    }

    fn ours(v: f64) -> String {
        let mut buf = [0u8; 64];
        let end = put_num(&mut buf, 0, v);
        String::from_utf8(buf[..end].to_vec()).unwrap()
    }

    #[test]
    fn numbers_as_serde_json_writes_them() {
        let mut vals = vec![
            0.0,
            -0.0,
            1e-7,
            4e-7,
            5e-7,
            1e-6,
            0.000123,
            0.001,
            -0.001,
            0.0009994,
            0.0009995,
            0.01,
            0.1,
            1.0,
            -1.0,
            42.0,
            130.47434,
            130.379669,
            -179.999999,
            180.0,
            1e9,
            1e12,
            123456789.123456,
            999999999.9999995,
            1e15,
            f64::NAN,
            f64::INFINITY,
        ];
        // a deterministic spread over the magnitudes coordinates (and anything else) take
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mant = (x >> 11) as f64 / (1u64 << 53) as f64;
            let exp = ((x & 0x3f) as i32) - 12;
            let sign = if x & 0x40 == 0 { 1.0 } else { -1.0 };
            vals.push(sign * mant * 10f64.powi(exp));
            vals.push(sign * (x % 360_000_000) as f64 / 1e6);
        }
        for v in vals {
            assert_eq!(ours(v), serde(v), "{v:e}");
        }
    }

    #[test]
    fn round6_as_the_reader_rounds() {
        let mut x: u64 = 0x1234_5678_9abc_def1;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v =
                ((x >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 10f64.powi((x % 24) as i32 - 8);
            for v in [v, (v * 1e6).floor() / 1e6 + 5e-7] {
                let want = crate::geodata::read::round6(v);
                assert_eq!(round6(v).to_bits(), want.to_bits(), "{v:e}");
            }
        }
    }

    #[test]
    fn collection_layout() {
        let mut p = Map::new();
        p.insert("a".into(), json!(1));
        let ml = MultiLineString(vec![LineString::from(vec![(1.5, 2.0), (3.25, 4.0)])]);
        let fs = [
            feature(p.clone(), Geometry::Point(Coord { x: 1.0, y: 2.5 })),
            feature(p, Geometry::Lines(&ml)),
        ];
        let want = format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[\n{},\n{}\n]}}\n",
            json!({"type": "Feature", "properties": {"a": 1}, "geometry": fs[0].geometry.to_value()}),
            json!({"type": "Feature", "properties": {"a": 1}, "geometry": fs[1].geometry.to_value()}),
        );
        assert_eq!(collection(&fs), want);
    }
}
