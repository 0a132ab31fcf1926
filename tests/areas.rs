//! Geodesic areas (Karney's method via `geo`) agree with planar areas in an equal-area projection
//! computed through PROJ, for every territory and diff polygon of the real build.

mod common;

use common::root;
use geo::{Densify, Euclidean, MultiPolygon};
use std::collections::BTreeMap;
use treatyline::assemble::area_km2;
use treatyline::build;

/// Albers equal-area conic fitted to the study area (88°E–144°E, 42°N–62.5°N).
const AEA: &str =
    "+proj=aea +lat_1=45 +lat_2=59 +lat_0=50 +lon_0=116 +datum=WGS84 +units=m +no_defs";

fn planar_km2(shape: &MultiPolygon<f64>, proj: &proj::Proj) -> f64 {
    let dense = Euclidean.densify(shape, 0.02);
    let ring_area = |ring: &geo::LineString<f64>| -> f64 {
        let pts: Vec<(f64, f64)> = ring
            .0
            .iter()
            .map(|c| proj.convert((c.x, c.y)).expect("projects"))
            .collect();
        let mut s = 0.0;
        for w in pts.windows(2) {
            s += w[0].0 * w[1].1 - w[1].0 * w[0].1;
        }
        s.abs() / 2.0
    };
    dense
        .0
        .iter()
        .map(|p| ring_area(p.exterior()) - p.interiors().iter().map(ring_area).sum::<f64>())
        .sum::<f64>()
        / 1e6
}

#[test]
fn geodesic_and_equal_area_agree() {
    let proj = proj::Proj::new_known_crs("EPSG:4326", AEA, None).expect("PROJ knows the CRS");
    let (gd, treaties) = build::load(&root().join("geodata")).unwrap();
    let built = build::assemble_all(&gd, &treaties, &[], &BTreeMap::new()).unwrap();
    let mut checked = 0;
    let mut check = |what: String, shape: &MultiPolygon<f64>| {
        let (g, p) = (area_km2(shape), planar_km2(shape, &proj));
        assert!(
            ((g - p) / g).abs() < 0.005,
            "{what}: geodesic {g:.1} km² vs equal-area {p:.1} km²"
        );
        checked += 1;
    };
    for b in &built {
        for t in &b.assembly.territories {
            check(
                format!("{} {:?} {}", b.treaty.id, b.reading, t.status),
                &t.shape,
            );
        }
    }
    let defaults: Vec<_> = built.iter().filter(|b| b.is_default).collect();
    for w in defaults.windows(2) {
        for c in treatyline::diff::diff(&w[0].assembly, &w[1].assembly, &w[1].treaty.id).changes {
            check(
                format!(
                    "{}→{} {}→{}",
                    w[0].treaty.id, w[1].treaty.id, c.from_status, c.to_status
                ),
                &c.shape,
            );
        }
    }
    assert!(checked > 40);
}
