//! Territory that changed status between two treaties (or two readings of one), with areas and
//! the articles behind the change.

use crate::assemble::{area, Assembly};
use geo::{BooleanOps, BoundingRect, Coord, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
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
            // each polygon is measured once: the kept ones' sum, in order, is the area of
            // their MultiPolygon exactly as `area_km2` adds it up
            let mut kept_m2 = 0.0;
            for p in inter.0 {
                let m2 = area::polygon_m2(&p);
                let area = (0.0 + m2) / 1e6;
                if area < SLIVER_KM2 {
                    out.slivers += 1;
                    out.sliver_km2 += area;
                } else {
                    kept_m2 += m2;
                    keep.push(p);
                }
            }
            if keep.is_empty() {
                continue;
            }
            let shape = MultiPolygon(keep);
            let area_km2 = kept_m2 / 1e6;
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

/// How close (m) a border runs to the changed land's edge to count as bounding it.
const TOUCH_M: f64 = 1000.0;

/// The exterior edges of the changed land in an R-tree, so that testing a border vertex looks at
/// the few edges near it instead of every edge (which made the diff quadratic in the vertices).
struct ExteriorEdges {
    tree: RTree<Indexed>,
}

/// An edge in the R-tree: its box, and its two ends.
type Indexed = GeomWithData<Rectangle<[f64; 2]>, (Coord<f64>, Coord<f64>)>;

impl ExteriorEdges {
    fn new(shape: &MultiPolygon<f64>) -> ExteriorEdges {
        let edges = shape
            .0
            .iter()
            .flat_map(|p| p.exterior().0.windows(2))
            .map(|w| {
                let (a, b) = (w[0], w[1]);
                let rect = Rectangle::from_corners(
                    [a.x.min(b.x), a.y.min(b.y)],
                    [a.x.max(b.x), a.y.max(b.y)],
                );
                GeomWithData::new(rect, (a, b))
            })
            .collect();
        ExteriorEdges {
            tree: RTree::bulk_load(edges),
        }
    }

    /// True when `c` lies within [`TOUCH_M`] of an exterior edge, measured exactly as
    /// `cut::locate_on_line` measures it (each edge on its own, so the answer is the same as
    /// scanning the whole ring). The search box is the 1 km disc's box on a sphere of radius
    /// 6,300 km (smaller than any the distance uses), widened by 10%, so it misses no edge.
    fn near(&self, c: Coord<f64>) -> bool {
        let k = c.y.to_radians().cos();
        let dy = (1.1 * TOUCH_M / 6_300_000.0).to_degrees();
        let hit = |e: &Indexed| {
            let (a, b) = e.data;
            crate::assemble::cut::locate_on_line(&[a, b], c).1 < TOUCH_M
        };
        if k.is_nan() || k <= 0.01 || !c.x.is_finite() || !c.y.is_finite() {
            // near a pole (or on no valid point) the box degenerates: test every edge
            return self.tree.iter().any(hit);
        }
        let dx = dy / k;
        let env = AABB::from_corners([c.x - dx, c.y - dy], [c.x + dx, c.y + dy]);
        self.tree.locate_in_envelope_intersecting(&env).any(hit)
    }
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
    let edges = ExteriorEdges::new(shape);
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
        let touches = br
            .shape
            .0
            .iter()
            .flat_map(|l| l.0.iter())
            .step_by(4)
            .any(|c| edges.near(*c));
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
