//! Property tests of the geometry invariants on generated worlds: territories tile the frame,
//! and statuses and areas do not depend on collinear vertices, ring orientation or a node moved
//! off its lines within its tolerance.

mod common;

use geo::Validation;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;
use treatyline::build;

#[derive(Debug, Clone)]
struct World {
    river: Vec<f64>,     // latitude of the river at lon 99, 100, ..., 111
    ridge: Vec<f64>,     // longitude of the ridge at lat 46, 47, ..., 51
    extra_frame: usize,  // collinear vertices added to each frame edge
    reverse_frame: bool, // frame ring drawn clockwise
    nudge_m: (f64, f64), // the confluence node moved off the line (metres east, north)
}

fn world() -> impl Strategy<Value = World> {
    (
        prop::collection::vec(44.0f64..46.0, 13),
        prop::collection::vec(104.0f64..106.0, 6),
        0usize..4,
        any::<bool>(),
        // up to 990 m, within the default tolerance of 1000 m (the river often peaks sharply at
        // the confluence, where a node off its lines once made the pieces cut at it cross)
        (-700.0f64..700.0, -700.0f64..700.0),
    )
        .prop_map(
            |(river, ridge, extra_frame, reverse_frame, nudge_m)| World {
                river,
                ridge,
                extra_frame,
                reverse_frame,
                nudge_m,
            },
        )
}

/// Adds 19 collinear vertices to every leg (about 5 km apart, like the real rivers), so a node
/// moved off its line changes only the short legs next to it.
fn densify(cs: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out = vec![cs[0]];
    for w in cs.windows(2) {
        for k in 1..=20 {
            let t = k as f64 / 20.0;
            out.push(if k == 20 {
                w[1]
            } else {
                [
                    r6(w[0][0] + t * (w[1][0] - w[0][0])),
                    r6(w[0][1] + t * (w[1][1] - w[0][1])),
                ]
            });
        }
    }
    out
}

fn r6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn write(dir: &Path, w: &World) {
    std::fs::create_dir_all(dir.join("lines")).unwrap();
    std::fs::create_dir_all(dir.join("treaties")).unwrap();
    let fixture = common::fixture();
    std::fs::copy(fixture.join("statuses.toml"), dir.join("statuses.toml")).unwrap();
    std::fs::copy(fixture.join("places.geojson"), dir.join("places.geojson")).unwrap();
    let line = |id: &str, coords: Vec<[f64; 2]>, kind: &str| {
        let mut p =
            json!({"id": id, "name_en": id, "kind": kind, "source": "generated", "scale": "1:1"});
        if kind == "river" {
            p["direction"] = json!("downstream");
        }
        let f = json!({"type": "Feature", "properties": p, "geometry": {"type": "LineString", "coordinates": coords}});
        std::fs::write(dir.join(format!("lines/{id}.geojson")), f.to_string()).unwrap();
    };
    let river: Vec<[f64; 2]> = w
        .river
        .iter()
        .enumerate()
        .map(|(i, y)| [99.0 + i as f64, r6(*y)])
        .collect();
    let conf = river[6];
    line("river", densify(&river), "river");
    let mut ridge = vec![conf];
    ridge.extend(
        w.ridge
            .iter()
            .enumerate()
            .map(|(i, x)| [r6(*x), 46.5 + 0.9 * i as f64]),
    );
    line("ridge", densify(&ridge), "ridge");
    let k = conf[1].to_radians().cos();
    let moved = [
        r6(conf[0] + w.nudge_m.0 / (111_195.0 * k)),
        r6(conf[1] + w.nudge_m.1 / 111_195.0),
    ];
    let node = |id: &str, c: [f64; 2]| json!({"type": "Feature", "properties": {"id": id, "name_en": id, "kind": "point", "source": "generated"}, "geometry": {"type": "Point", "coordinates": c}});
    let nodes = json!({"type": "FeatureCollection", "features": [node("west", river[0]), node("confluence", moved), node("east", river[12]), node("north", [w.ridge[5], 51.0])]});
    std::fs::write(dir.join("nodes.geojson"), nodes.to_string()).unwrap();
    let corners = [[100.0, 40.0], [110.0, 40.0], [110.0, 50.0], [100.0, 50.0]];
    let mut ring = Vec::new();
    for i in 0..4 {
        let (a, b) = (corners[i], corners[(i + 1) % 4]);
        for j in 0..=w.extra_frame {
            let t = j as f64 / (w.extra_frame + 1) as f64;
            ring.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
        }
    }
    ring.push(ring[0]);
    if w.reverse_frame {
        ring.reverse();
    }
    let frame = json!({"type": "Feature", "properties": {"source": "generated", "scale": "1:1"}, "geometry": {"type": "Polygon", "coordinates": [ring]}});
    std::fs::write(dir.join("frame.geojson"), frame.to_string()).unwrap();
    let seg = |id: &str, l: &str, f: &str, t: &str, left: &str, right: &str| {
        format!("[[segment]]\nid = \"{id}\"\narticle = \"1\"\nline = \"{l}\"\nfrom = \"{f}\"\nto = \"{t}\"\nleft = \"{left}\"\nright = \"{right}\"\nclause = \"generated\"\ncertainty = \"described\"\n\n")
    };
    let toml = format!(
        "id = \"t-1700\"\nname = {{ en = \"T\" }}\nsigned = {{ gregorian = \"1700-06-01\" }}\n\n{}{}{}",
        seg("w", "river", "west", "confluence", "russia", "qing"),
        seg("r", "ridge", "confluence", "north", "russia", "undetermined"),
        seg("e", "river", "confluence", "east", "undetermined", "qing"),
    );
    std::fs::write(dir.join("treaties/t-1700.toml"), toml).unwrap();
}

fn assembly(w: &World) -> treatyline::assemble::Assembly {
    let tmp = common::temp();
    write(tmp.path(), w);
    let (gd, ts) = build::load(tmp.path()).expect("generated world loads");
    let mut built =
        build::assemble_all(&gd, &ts, &[], &BTreeMap::new()).expect("generated world builds");
    built.remove(0).assembly
}

fn areas(w: &World) -> BTreeMap<String, f64> {
    let a = &assembly(w);
    let total: f64 = a.territories.iter().map(|t| t.area_km2).sum();
    assert!(
        ((total - a.frame_area_km2) / a.frame_area_km2).abs() < 1e-4,
        "territories do not tile the frame"
    );
    for t in &a.territories {
        assert!(t.shape.is_valid(), "{} is not valid", t.status);
    }
    assert_eq!(a.status_at(101.5, 49.5), Some("russia"));
    assert_eq!(a.status_at(108.5, 49.5), Some("undetermined"));
    assert_eq!(a.status_at(105.0, 41.0), Some("qing"));
    a.territories
        .iter()
        .map(|t| (t.status.clone(), t.area_km2))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn statuses_and_areas_are_robust(w in world()) {
        let base = World { extra_frame: 0, reverse_frame: false, nudge_m: (0.0, 0.0), ..w.clone() };
        let (a, b) = (areas(&base), areas(&w));
        prop_assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
        for (s, x) in &a {
            let y = b[s];
            prop_assert!(((x - y) / x).abs() < 1e-4, "{}: {} vs {} km²", s, x, y);
        }
    }
}

/// The area (km²) where a territory of A and one of B overlap, by geo's boolean overlay (an
/// independent implementation, which the diff used before its exact overlay).
fn overlap_km2(a: &geo::MultiPolygon<f64>, b: &geo::MultiPolygon<f64>) -> f64 {
    use geo::BooleanOps;
    treatyline::assemble::area_km2(&a.intersection(b))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Two unrelated worlds on the same frame (drawn with different vertices and orientation):
    /// every change is valid and is exactly where A's territory and B's meet, by an independent
    /// overlay, and the changes account for every territory's change in area.
    #[test]
    fn diffs_are_the_overlay_of_the_territories(w in world(), v in world()) {
        let (a, b) = (assembly(&w), assembly(&v));
        let d = treatyline::diff::diff(&a, &b, "t-1700");
        let mut net: BTreeMap<String, f64> = BTreeMap::new();
        for c in &d.changes {
            prop_assert!(c.shape.is_valid(), "{} → {} is not valid", c.from_status, c.to_status);
            let ta = a.territories.iter().find(|t| t.status == c.from_status).unwrap();
            let tb = b.territories.iter().find(|t| t.status == c.to_status).unwrap();
            let expected = overlap_km2(&ta.shape, &tb.shape);
            prop_assert!(
                (c.area_km2 - expected).abs() <= 1e-4 * expected + 0.05,
                "{} → {}: {} km² against {} km² by geo's overlay", c.from_status, c.to_status, c.area_km2, expected
            );
            *net.entry(c.from_status.clone()).or_default() -= c.area_km2;
            *net.entry(c.to_status.clone()).or_default() += c.area_km2;
        }
        for (s, change) in &net {
            let area = |x: &treatyline::assemble::Assembly| x.territories.iter().filter(|t| &t.status == s).map(|t| t.area_km2).sum::<f64>();
            let want = area(&b) - area(&a);
            prop_assert!(
                (change - want).abs() <= 1e-6 * a.frame_area_km2 + d.sliver_km2 + 0.05,
                "{}: the changes add up to {} km², the territories changed by {} km²", s, change, want
            );
        }
    }
}
