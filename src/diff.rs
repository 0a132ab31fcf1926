//! Territory that changed status between two treaties (or two readings of one), with areas and
//! the articles behind the change.

use crate::assemble::{area_km2, Assembly};
use geo::{BooleanOps, BoundingRect, MultiPolygon, Polygon};
use std::collections::BTreeSet;

/// Polygons smaller than this (km²) are numerical noise of the overlay, not history.
pub const SLIVER_KM2: f64 = 0.01;

/// One kind of change: land that was `from_status` under A and is `to_status` under B.
#[derive(Debug, Clone)]
pub struct Change {
    pub from_status: String,
    pub to_status: String,
    pub shape: MultiPolygon<f64>,
    pub area_km2: f64,
    /// Articles of B whose segments bound the changed land (`none` for proxies).
    pub articles: Vec<String>,
}

/// The result of a diff: the changes, and how many slivers were dropped.
#[derive(Debug, Clone, Default)]
pub struct Diff {
    pub changes: Vec<Change>,
    pub slivers: usize,
    pub sliver_km2: f64,
}

/// Overlays the territories of A and B; unchanged land is left out.
pub fn diff(a: &Assembly, b: &Assembly, b_treaty: &str) -> Diff {
    let mut out = Diff::default();
    for ta in &a.territories {
        for tb in &b.territories {
            if ta.status == tb.status {
                continue;
            }
            let (Some(ra), Some(rb)) = (ta.shape.bounding_rect(), tb.shape.bounding_rect()) else {
                continue;
            };
            if ra.max().x < rb.min().x
                || rb.max().x < ra.min().x
                || ra.max().y < rb.min().y
                || rb.max().y < ra.min().y
            {
                continue;
            }
            let inter: MultiPolygon<f64> = ta.shape.intersection(&tb.shape);
            let mut keep: Vec<Polygon<f64>> = Vec::new();
            for p in inter.0 {
                let area = area_km2(&MultiPolygon(vec![p.clone()]));
                if area < SLIVER_KM2 {
                    out.slivers += 1;
                    out.sliver_km2 += area;
                } else {
                    keep.push(p);
                }
            }
            if keep.is_empty() {
                continue;
            }
            let shape = MultiPolygon(keep);
            let area_km2 = area_km2(&shape);
            let articles = articles_bounding(b, b_treaty, &shape);
            out.changes.push(Change {
                from_status: ta.status.clone(),
                to_status: tb.status.clone(),
                shape,
                area_km2,
                articles,
            });
        }
    }
    out
}

/// The articles of the segments of `b` that run along the changed land's edge (within 1 km);
/// those B itself states, where there are any, else the inherited ones.
fn articles_bounding(b: &Assembly, b_treaty: &str, shape: &MultiPolygon<f64>) -> Vec<String> {
    let mut arts = BTreeSet::new();
    let mut own = BTreeSet::new();
    let Some(rect) = shape.bounding_rect() else {
        return Vec::new();
    };
    let pad = 0.05;
    for br in &b.borders {
        let near_rect = br.shape.0.iter().flat_map(|l| l.0.iter()).any(|c| {
            c.x >= rect.min().x - pad
                && c.x <= rect.max().x + pad
                && c.y >= rect.min().y - pad
                && c.y <= rect.max().y + pad
        });
        if !near_rect {
            continue;
        }
        let touches =
            br.shape
                .0
                .iter()
                .flat_map(|l| l.0.iter())
                .step_by(4)
                .any(|c| {
                    shape.0.iter().any(|p| {
                        crate::assemble::cut::locate_on_line(&p.exterior().0, *c).1 < 1000.0
                    })
                });
        if touches {
            let label = if br.seg.rule.article == "none" {
                format!("{}: no article (proxy)", br.seg.origin)
            } else {
                format!("{} art. {}", br.seg.origin, br.seg.rule.article)
            };
            if br.seg.origin == b_treaty {
                own.insert(label.clone());
            }
            arts.insert(label);
        }
    }
    if arts.is_empty() {
        arts.insert(format!(
            "{b_treaty}: no segment of it bounds this land (it lies inside one of its territories)"
        ));
    }
    if own.is_empty() {
        arts.into_iter().collect()
    } else {
        own.into_iter().collect()
    }
}
