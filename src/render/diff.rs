//! What changed hands between two treaties: for every pair of different statuses, the land that
//! had the first under the earlier treaty and has the second under the later one (the
//! intersection of the two territories), with its geodesic area on WGS 84.

use crate::build::Built;
use geo::{BooleanOps, GeodesicArea, MultiPolygon};

/// Pieces smaller than this are slivers of digitising, not transfers of land.
pub const MIN_KM2: f64 = 50.0;

/// Land whose status changed from `from` to `to`.
#[derive(Debug, Clone)]
pub struct Change {
    pub from: String,
    pub to: String,
    pub shape: MultiPolygon<f64>,
    pub area_km2: f64,
}

fn km2(m: &MultiPolygon<f64>) -> f64 {
    m.geodesic_area_unsigned() / 1e6
}

/// Every change of status from `a` to `b`, in the order of `a`'s then `b`'s territories,
/// leaving out pieces under [`MIN_KM2`].
pub fn changes(a: &Built, b: &Built) -> Vec<Change> {
    let mut out = Vec::new();
    for ta in &a.assembly.territories {
        for tb in &b.assembly.territories {
            if ta.status == tb.status {
                continue;
            }
            let inter = ta.shape.intersection(&tb.shape);
            let kept: Vec<_> = inter
                .0
                .into_iter()
                .filter(|p| km2(&MultiPolygon(vec![p.clone()])) >= MIN_KM2)
                .collect();
            let shape = MultiPolygon(kept);
            let area_km2 = km2(&shape);
            if area_km2 >= MIN_KM2 {
                out.push(Change {
                    from: ta.status.clone(),
                    to: tb.status.clone(),
                    shape,
                    area_km2,
                });
            }
        }
    }
    out
}
