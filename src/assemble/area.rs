//! Geodesic areas with the per-edge work shared between the assemblies of one build.
//!
//! [`super::area_km2`] densifies a shape's edges to 0.02° (`geo`'s `Euclidean.densify`) and hands
//! the rings to `geo`'s `geodesic_area_unsigned`, which solves Karney's inverse problem for every
//! densified edge (geographiclib's `PolygonArea`). That is most of an assembly's time on the
//! real data, and the twelve (treaty, reading) assemblies of a build measure the same edges again
//! and again: every territory runs along the frame and along borders that most treaties share.
//!
//! [`AreaCache`] computes exactly the same numbers, bit for bit: it runs the same densification
//! and the same geodesic solver per edge, and adds the per-edge area terms into each ring's sum
//! in the same order as `PolygonArea` does, then reduces the sum the same way. Only the solving
//! is remembered, per directed edge (its two ends' exact bits), so an edge measured by one
//! assembly costs the next one a hash lookup. Shapes outside the domain where the shortcut is
//! exact (see [`fast_path`]) go through `geo` unchanged.

use geo::{Coord, Densify, Euclidean, GeodesicArea, Line, MultiPolygon, Polygon};
use geographiclib_rs::{geodesic_capability as caps, Geodesic};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;

use super::grid::PointMap;
use super::AREA_DENSIFY_DEG;

/// What `PolygonArea::add_point` asks of the inverse solver.
const MASK: u64 =
    caps::LATITUDE | caps::LONGITUDE | caps::DISTANCE | caps::AREA | caps::LONG_UNROLL;

type Key = (u64, u64, u64, u64);

fn key(a: Coord<f64>, b: Coord<f64>) -> Key {
    (a.x.to_bits(), a.y.to_bits(), b.x.to_bits(), b.y.to_bits())
}

/// No entry: the edge is yet to be measured.
const MISS: u32 = u32::MAX;

/// One measured directed edge: its densified pieces' area terms are `terms[start..start + len]`.
struct Entry {
    key: Key,
    start: u32,
    len: u32,
}

#[derive(Default)]
struct Table {
    /// Entries in the order they were measured: a ring's edges are measured in a row, so the
    /// next assembly walking the same border finds each edge's entry right after the previous
    /// one's, without hashing (a hash lookup in a table of millions is a cache miss).
    entries: Vec<Entry>,
    index: PointMap<Key, u32>,
    terms: Vec<f64>,
}

/// Marks a found entry as the edge's reverse (see [`reversible`]).
const REV: u32 = 1 << 31;

/// True when the edge a→b gives, bit for bit, the negated area term of b→a, so that an edge
/// measured in one direction serves the other (the two territories on either side of a border
/// walk it in opposite directions). Karney's inverse puts its two points in a canonical order
/// (the one farther from the equator first, then latitudes made negative) before solving and
/// applies the signs it took afterwards: the solving is the same for both directions and only
/// the final sign differs, as long as the canonical order is unambiguous (|lat a| ≠ |lat b|),
/// the longitudes differ, and no angle is tiny enough to be rounded (|lat| ≥ 0.1°; longitudes
/// are within [1°, 179°] on the fast path). Only edges measured as one piece qualify: a
/// densified edge's inner points depend on the direction. Checked against the solver in the
/// tests below.
fn reversible(a: Coord<f64>, b: Coord<f64>) -> bool {
    a.x != b.x && a.y.abs() != b.y.abs() && a.y.abs() >= 0.1 && b.y.abs() >= 0.1
}

impl Table {
    /// The entry of `k` (or, with [`REV`], of its reverse `rk`), trying first the one after
    /// (before) the previous edge's.
    fn find(&self, k: &Key, rk: Option<&Key>, prev: u32) -> u32 {
        if prev != MISS {
            if prev & REV == 0 {
                let next = prev as usize + 1;
                if self.entries.get(next).is_some_and(|e| e.key == *k) {
                    return next as u32;
                }
            } else if let (Some(rk), Some(back)) = (rk, (prev & !REV).checked_sub(1)) {
                let e = &self.entries[back as usize];
                if e.key == *rk && e.len == 1 {
                    return back | REV;
                }
            }
        }
        if let Some(&e) = self.index.get(k) {
            return e;
        }
        if let Some(&e) = rk.and_then(|rk| self.index.get(rk)) {
            if self.entries[e as usize].len == 1 {
                return e | REV;
            }
        }
        MISS
    }

    /// Adds the terms of a found entry to `sum`, in order (one negated term for a reverse).
    fn add(&self, found: u32, sum: &mut f64) {
        if found & REV != 0 {
            *sum += -self.terms_of(found & !REV)[0];
        } else {
            for x in self.terms_of(found) {
                *sum += *x;
            }
        }
    }

    fn terms_of(&self, entry: u32) -> &[f64] {
        let e = &self.entries[entry as usize];
        &self.terms[e.start as usize..(e.start + e.len) as usize]
    }
}

/// Per-edge geodesic area terms, shared by the assemblies (and threads) of one build.
pub struct AreaCache {
    geod: Geodesic,
    table: RwLock<Table>,
    /// Edges found measured, for the `TREATYLINE_TIMINGS` report.
    hits: AtomicU64,
}

impl Drop for AreaCache {
    fn drop(&mut self) {
        if crate::timing::enabled() {
            let edges = self.read().entries.len();
            let hits = self.hits.load(Ordering::Relaxed);
            if edges as u64 + hits > 0 {
                eprintln!("timing: area cache: {edges} edges measured, {hits} reused");
            }
        }
    }
}

impl std::fmt::Debug for AreaCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AreaCache({} edges)", self.read().entries.len())
    }
}

impl Default for AreaCache {
    fn default() -> Self {
        Self::new()
    }
}

/// True when `shape` lies where the shortcut is exact: every vertex finite, with longitude in
/// [1°, 179°] and latitude in [−89°, 89°]. Every densified point then has a longitude strictly
/// between 0° and 180°, so no edge crosses the meridians `PolygonArea` counts (its `transit` is
/// 0 for every edge) and the ring's sum needs no crossing correction.
fn fast_path(p: &Polygon<f64>) -> bool {
    std::iter::once(p.exterior()).chain(p.interiors()).all(|r| {
        r.0.len() >= 4
            && r.0.first() == r.0.last()
            && r.0
                .iter()
                .all(|c| (1.0..=179.0).contains(&c.x) && (-89.0..=89.0).contains(&c.y))
    })
}

/// The unsigned geodesic area in m² of one polygon densified to [`AREA_DENSIFY_DEG`], without a
/// cache: what [`AreaCache::polygon_m2`] returns, for shapes measured once (the diffs' pieces,
/// whose edges the overlay has recomputed). [`super::area_km2`] of a MultiPolygon is the sum of
/// these over its polygons, from 0.0 in order, / 10⁶.
pub fn polygon_m2(p: &Polygon<f64>) -> f64 {
    Euclidean
        .densify(p, AREA_DENSIFY_DEG)
        .geodesic_area_unsigned()
}

impl AreaCache {
    pub fn new() -> AreaCache {
        AreaCache {
            geod: Geodesic::wgs84(),
            table: RwLock::new(Table::default()),
            hits: AtomicU64::new(0),
        }
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Table> {
        self.table.read().unwrap_or_else(|e| e.into_inner())
    }

    /// S12 of the geodesic from `a` to `b`, as `PolygonArea::add_point` gets it.
    fn term(&self, a: Coord<f64>, b: Coord<f64>) -> f64 {
        self.geod._gen_inverse(a.y, a.x, b.y, b.x, MASK).9
    }

    /// The area terms of the edge a→b densified as `geo` densifies a ring: one per piece.
    fn measure(&self, a: Coord<f64>, b: Coord<f64>, out: &mut Vec<f64>) {
        let pts = Euclidean.densify(&Line::new(a, b), AREA_DENSIFY_DEG).0;
        out.extend(pts.windows(2).map(|w| self.term(w[0], w[1])));
    }

    /// `PolygonArea::compute(false)` of one closed ring, counter-clockwise (`ccw`) or not: the
    /// area terms of its edges added up in order, then reduced as `PolygonArea` reduces them.
    fn ring(&self, ring: &[Coord<f64>], ccw: bool) -> f64 {
        let edges = ring.len().saturating_sub(1);
        let mut sum = 0.0;
        // edges found measured, in order; the sum runs as long as no edge is missing
        let mut found: Vec<u32> = Vec::with_capacity(edges);
        let mut summed = 0;
        {
            let t = self.read();
            let mut prev = MISS;
            for w in ring.windows(2) {
                let rk = reversible(w[0], w[1]).then(|| key(w[1], w[0]));
                prev = t.find(&key(w[0], w[1]), rk.as_ref(), prev);
                found.push(prev);
                if prev != MISS && summed == found.len() - 1 {
                    t.add(prev, &mut sum);
                    summed += 1;
                }
            }
        }
        let hits = found.iter().filter(|&&e| e != MISS).count();
        self.hits.fetch_add(hits as u64, Ordering::Relaxed);
        if summed < edges {
            // measure the missing edges (unlocked), store them in ring order, then add up the rest
            let mut fresh: Vec<f64> = Vec::new();
            let mut spans: Vec<(u32, u32)> = Vec::new();
            for (k, w) in ring.windows(2).enumerate() {
                if found[k] == MISS {
                    let start = fresh.len();
                    self.measure(w[0], w[1], &mut fresh);
                    spans.push((start as u32, (fresh.len() - start) as u32));
                }
            }
            {
                let mut t = self.table.write().unwrap_or_else(|e| e.into_inner());
                let mut s = spans.iter();
                for (k, w) in ring.windows(2).enumerate() {
                    if found[k] != MISS {
                        continue;
                    }
                    // one span was pushed per missing edge, in this order, just above
                    #[allow(clippy::expect_used)]
                    let &(start, len) = s.next().expect("one span per missing edge");
                    let k = key(w[0], w[1]);
                    if t.index.contains_key(&k) {
                        continue;
                    }
                    let entry = t.entries.len() as u32;
                    let at = t.terms.len() as u32;
                    t.terms
                        .extend_from_slice(&fresh[start as usize..(start + len) as usize]);
                    t.entries.push(Entry {
                        key: k,
                        start: at,
                        len,
                    });
                    t.index.insert(k, entry);
                }
            }
            let t = self.read();
            let mut s = spans.iter();
            for (k, &e) in found.iter().enumerate() {
                if e == MISS {
                    // one span was pushed per missing edge, in this order, just above
                    #[allow(clippy::expect_used)]
                    let &(start, len) = s.next().expect("one span per missing edge");
                    if k >= summed {
                        for x in &fresh[start as usize..(start + len) as usize] {
                            sum += *x;
                        }
                    }
                } else if k >= summed {
                    t.add(e, &mut sum);
                }
            }
        }
        // PolygonArea closes the ring from its last point back to its first
        if let (Some(first), Some(last)) = (ring.first(), ring.last()) {
            sum += self.term(*last, *first);
        }
        let whole = self.geod.area();
        let mut area = sum % whole;
        if ccw {
            area = -area;
        }
        if area < 0.0 {
            area += whole;
        }
        area
    }

    /// The unsigned geodesic area in m² of one polygon, as `geo` computes it for the polygon
    /// densified to [`AREA_DENSIFY_DEG`].
    pub fn polygon_m2(&self, p: &Polygon<f64>) -> f64 {
        if !fast_path(p) {
            return polygon_m2(p);
        }
        let outer = self.ring(&p.exterior().0, true);
        let mut inner = 0.0;
        for r in p.interiors() {
            inner += self.ring(&r.0, false).abs();
        }
        if outer < 0.0 && inner > 0.0 {
            inner = -inner;
        }
        outer - inner
    }

    /// The geodesic area in km², equal to [`super::area_km2`]`(shape)`.
    pub fn km2(&self, shape: &MultiPolygon<f64>) -> f64 {
        shape
            .0
            .iter()
            .fold(0.0, |total, p| total + self.polygon_m2(p))
            / 1e6
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, GeodesicArea};

    fn reference(shape: &MultiPolygon<f64>) -> f64 {
        Euclidean
            .densify(shape, AREA_DENSIFY_DEG)
            .geodesic_area_unsigned()
            / 1e6
    }

    #[test]
    fn same_bits_as_geo() {
        let cache = AreaCache::new();
        let a = polygon![
            exterior: [(x: 120.0, y: 50.0), (x: 121.5, y: 50.0), (x: 121.5, y: 51.25), (x: 120.0, y: 51.0), (x: 120.0, y: 50.0)],
            interiors: [[(x: 120.5, y: 50.5), (x: 120.5, y: 50.7), (x: 120.8, y: 50.7), (x: 120.5, y: 50.5)]],
        ];
        let b = polygon![(x: 121.5, y: 50.0), (x: 123.0, y: 50.0), (x: 121.5, y: 51.25), (x: 121.5, y: 50.0)];
        // two small neighbours: the edges they share are walked in opposite directions
        let c = polygon![(x: 130.0, y: 45.0), (x: 130.01, y: 45.0), (x: 130.013, y: 45.004), (x: 130.01, y: 45.011), (x: 130.0, y: 45.0)];
        let d = polygon![(x: 130.01, y: 45.0), (x: 130.02, y: 45.002), (x: 130.01, y: 45.011), (x: 130.013, y: 45.004), (x: 130.01, y: 45.0)];
        for shape in [
            MultiPolygon(vec![a.clone()]),
            MultiPolygon(vec![a, b.clone()]),
            MultiPolygon(vec![b]),
            MultiPolygon(vec![c]),
            MultiPolygon(vec![d]),
        ] {
            // twice: the second time from the cache
            for _ in 0..2 {
                assert_eq!(cache.km2(&shape).to_bits(), reference(&shape).to_bits());
            }
        }
    }

    #[test]
    fn reversed_edges_negate_exactly() {
        let cache = AreaCache::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let (mut tried, mut skipped) = (0, 0);
        while tried < 200_000 {
            // points on the micro-degree grid, as the territories' are, up to ~0.03° apart
            let grid = |v: f64| (v * 1e6).round() / 1e6;
            let a = Coord {
                x: grid(1.0 + 178.0 * next()),
                y: grid(-89.0 + 178.0 * next()),
            };
            let b = Coord {
                x: grid(a.x + 0.03 * (next() - 0.5)),
                y: grid(a.y + 0.03 * (next() - 0.5)),
            };
            if !reversible(a, b) {
                skipped += 1;
                continue;
            }
            tried += 1;
            let (f, r) = (cache.term(a, b), cache.term(b, a));
            assert_eq!(f.to_bits(), (-r).to_bits(), "{a:?} {b:?}");
        }
        assert!(skipped < tried / 10);
    }

    #[test]
    fn outside_the_shortcut_geo_decides() {
        let cache = AreaCache::new();
        let across = MultiPolygon(vec![
            polygon![(x: -1.0, y: 10.0), (x: 2.0, y: 10.0), (x: 2.0, y: 12.0), (x: -1.0, y: 10.0)],
        ]);
        assert_eq!(cache.km2(&across).to_bits(), reference(&across).to_bits());
        assert_eq!(cache.km2(&MultiPolygon(vec![])), 0.0);
    }
}
