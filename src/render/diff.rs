//! What changed hands between two treaties, for the change maps: the same overlay as the diff
//! layers (`crate::diff`), so a map's legend and `output/diffs/` give the same areas.

use crate::build::Built;
use geo::MultiPolygon;

/// Changes smaller than this (km² in all) are not drawn: at map scale they are invisible specks.
pub const MIN_KM2: f64 = 50.0;

/// Land whose status changed from `from` to `to`.
#[derive(Debug, Clone)]
pub struct Change {
    pub from: String,
    pub to: String,
    pub shape: MultiPolygon<f64>,
    pub area_km2: f64,
}

/// Every change of status from `a` to `b` of at least [`MIN_KM2`], in the order of `a`'s then
/// `b`'s territories.
pub fn changes(a: &Built, b: &Built) -> Vec<Change> {
    crate::diff::diff(&a.assembly, &b.assembly, &b.treaty.id)
        .changes
        .into_iter()
        .filter(|c| c.area_km2 >= MIN_KM2)
        .map(|c| Change {
            from: c.from_status,
            to: c.to_status,
            shape: c.shape,
            area_km2: c.area_km2,
        })
        .collect()
}
