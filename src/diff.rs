//! Territory that changed status between two treaties (or two readings of one), with areas and
//! the articles behind the change.

use crate::assemble::graph::{self, Graph};
use crate::assemble::grid::{self, to_grid, PointMap, P};
use crate::assemble::noding::{self, InEdge, Tag};
use crate::assemble::{dissolve, Assembly, NO_TERRITORY};
use geo::{BoundingRect, Coord, MultiPolygon, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use std::collections::{BTreeSet, VecDeque};

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
///
/// The overlay is planar and exact on the micro-degree grid of the assemblies: the rings of
/// both treaties' territories are noded together, every face of the result takes the status it
/// has under A and under B, and the faces of each (A status, B status) pair are dissolved. The
/// changed land therefore shares its edges, bit for bit, with the territories on both sides (no
/// slivers where the two treaties' borders coincide) and is measured with the edges the
/// territories were measured with.
pub fn diff(a: &Assembly, b: &Assembly, b_treaty: &str) -> Diff {
    let overlay = Overlay::new(a, b);
    let mut out = Diff::default();
    for (ia, ta) in a.territories.iter().enumerate() {
        for (ib, tb) in b.territories.iter().enumerate() {
            if ta.status == tb.status || !overlay.pairs.contains(&(ia, ib)) {
                continue;
            }
            let whole = dissolve(&overlay.graph, |h| overlay.pair_of(h) == Some((ia, ib)));
            let mut keep: Vec<Polygon<f64>> = Vec::new();
            // each polygon is measured once: the kept ones' sum, in order, is the area of
            // their MultiPolygon exactly as `area_km2` adds it up
            let mut kept_m2 = 0.0;
            for p in whole.0 {
                let m2 = a.areas.polygon_m2(&p);
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

/// No face (the half-edge bounds only the outside).
const NO_FACE: u32 = u32::MAX;

/// The face on the left of half-edge `h`.
fn face_at(face_of: &[u32], h: usize) -> Option<usize> {
    face_of
        .get(h)
        .copied()
        .filter(|&f| f != NO_FACE)
        .map(|f| f as usize)
}

/// A ring edge's use, in 32 bits (there are millions at 100× the vertices): the side (bit 0),
/// whether the territory lies left of the edge as keyed (bit 1), the territory (the rest).
fn pack(side: usize, territory: usize, left_of_key: bool) -> u32 {
    ((territory as u32) << 2) | ((left_of_key as u32) << 1) | (side as u32 & 1)
}

fn unpack(u: u32) -> (u8, usize, bool) {
    ((u & 1) as u8, (u >> 2) as usize, u & 2 != 0)
}

/// The ring edges of both sides on the overlay's edges.
struct Sides<'a> {
    graph: &'a Graph,
    /// The uses of the input edges, grouped by edge: (side, territory, territory lies left of
    /// the edge as keyed), each packed by [`pack`].
    uses: &'a [u32],
    /// The uses of input edge i are `uses[start[i]..start[i + 1]]`.
    start: &'a [usize],
}

impl Sides<'_> {
    /// The uses on the edge of half-edge `h`, each with whether its territory lies left of `h`.
    fn each(&self, h: usize, side: u8, mut f: impl FnMut(usize, bool) -> bool) -> bool {
        let Some(e) = self.graph.edges.get(h / 2) else {
            return false;
        };
        for &(tag, fwd) in e.tags.iter() {
            let Tag::Seg { seg: id, .. } = tag else {
                continue;
            };
            let (Some(&from), Some(&to)) = (self.start.get(id), self.start.get(id + 1)) else {
                continue;
            };
            for &u in self.uses.get(from..to).unwrap_or(&[]) {
                let (s, t, left_of_key) = unpack(u);
                // the key runs a→b when fwd; h runs a→b when even
                if s == side && f(t, left_of_key == (fwd == (h % 2 == 0))) {
                    return true;
                }
            }
        }
        false
    }

    /// The territory of `side` that lies left of half-edge `h`, if its edge bounds one.
    fn inside(&self, h: usize, side: u8) -> Option<usize> {
        let mut found = None;
        self.each(h, side, |t, left| {
            if left {
                found = Some(t);
            }
            left
        });
        found
    }

    /// True when the edge of `h` is a ring edge of `side`.
    fn has(&self, h: usize, side: u8) -> bool {
        self.each(h, side, |_, _| true)
    }
}

/// The planar overlay of two assemblies' territories: its graph, and for each face the
/// territory (by index) it lies in under A and under B.
struct Overlay {
    graph: Graph,
    /// The face on the left of each half-edge.
    face_of: Vec<u32>,
    /// Each face's (territory of A, territory of B), where it lies in both.
    face_pair: Vec<Option<(usize, usize)>>,
    /// The pairs that occur.
    pairs: BTreeSet<(usize, usize)>,
}

impl Overlay {
    fn new(a: &Assembly, b: &Assembly) -> Overlay {
        // Every ring edge of both sides, once per undirected edge (a border edge is in two
        // territories of each side), with its uses: (side, territory) and whether that
        // territory lies left of the edge as keyed (smaller end first).
        let n_uses: usize = [a, b]
            .iter()
            .flat_map(|asm| asm.territories.iter())
            .flat_map(|t| t.shape.0.iter())
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.len())
            .sum();
        // a border edge is in two territories of each side: about a quarter as many edges
        // as uses
        let mut ids: PointMap<(P, P), u32> = PointMap::default();
        ids.reserve(n_uses / 3);
        let mut input: Vec<InEdge> = Vec::with_capacity(n_uses / 3);
        let mut uses: Vec<(u32, u32)> = Vec::with_capacity(n_uses);
        let mut pts: Vec<P> = Vec::new();
        for (side, asm) in [a, b].into_iter().enumerate() {
            for (t, terr) in asm.territories.iter().enumerate() {
                // each border edge is taken once, from the territory with the smaller index,
                // with the territory across it (when the assembly says which: it always does)
                let n_edges: usize = terr
                    .shape
                    .0
                    .iter()
                    .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                    .map(|r| r.0.len().saturating_sub(1))
                    .sum();
                let across = (terr.across.len() == n_edges).then_some(&terr.across);
                let mut at = 0;
                for poly in &terr.shape.0 {
                    let rings = std::iter::once(poly.exterior()).chain(poly.interiors());
                    for (k, ring) in rings.enumerate() {
                        pts.clear();
                        pts.extend(ring.0.iter().map(|c| to_grid(*c)));
                        // the territory lies left of an exterior ring drawn counter-clockwise
                        // and of a hole drawn clockwise
                        let ccw = grid::ring_area2(&pts) > 0;
                        let left_inside = (k == 0) == ccw;
                        for w in pts.windows(2) {
                            let other = across.map(|x| x[at]);
                            at += 1;
                            let (p, q) = (w[0], w[1]);
                            if p == q {
                                continue;
                            }
                            if other.is_some_and(|u| u != NO_TERRITORY && (u as usize) < t) {
                                continue;
                            }
                            let key = if p < q { (p, q) } else { (q, p) };
                            let id = *ids.entry(key).or_insert_with(|| {
                                input.push(InEdge {
                                    a: key.0,
                                    b: key.1,
                                    tag: Tag::Seg {
                                        seg: input.len(),
                                        order: (0, 0),
                                    },
                                });
                                (input.len() - 1) as u32
                            });
                            // left of p→q is left of the key when the key runs p→q
                            let left_of_key = left_inside == (key.0 == p);
                            uses.push((id, pack(side, t, left_of_key)));
                            if let Some(u) = other.filter(|&u| u != NO_TERRITORY) {
                                uses.push((id, pack(side, u as usize, !left_of_key)));
                            }
                        }
                    }
                }
            }
        }
        drop(ids);
        // the uses grouped by edge (a counting sort: each edge's in the order they came)
        let mut start = vec![0usize; input.len() + 1];
        for u in &uses {
            start[u.0 as usize + 1] += 1;
        }
        for i in 0..input.len() {
            start[i + 1] += start[i];
        }
        let mut set = vec![0u8; input.len()];
        let mut by_edge = vec![0u32; uses.len()];
        let mut fill = start.clone();
        for &(id, u) in &uses {
            set[id as usize] |= 1 << (u & 1);
            by_edge[fill[id as usize]] = u;
            fill[id as usize] += 1;
        }
        drop((uses, fill));
        let uses = by_edge;
        // an edge of one side only can meet only an edge of the other side only: each side's
        // territories are noded already, and an edge of both sides is an edge of each
        for s in &mut set {
            *s = match *s {
                1 => 0,
                2 => 1,
                _ => 2,
            };
        }
        let noded = noding::node_across(&input, &set);
        drop((input, set));
        let (graph, _) = Graph::build(noded);
        let faces = graph::faces(graph.cycles(|h| graph.alive[h / 2]));
        let mut face_of: Vec<u32> = vec![NO_FACE; graph.edges.len() * 2];
        for (i, f) in faces.iter().enumerate() {
            for h in f.halves() {
                face_of[h] = i as u32;
            }
        }
        let sides = Sides {
            graph: &graph,
            uses: &uses,
            start: &start,
        };
        // each face's territory on each side: from the edges of that side around it, carried
        // across the edges of the other side only (they do not change this side's status)
        let mut label: [Vec<Option<usize>>; 2] = [vec![None; faces.len()], vec![None; faces.len()]];
        for (side, lab) in label.iter_mut().enumerate() {
            let side = side as u8;
            let mut queue = VecDeque::new();
            for (i, f) in faces.iter().enumerate() {
                if let Some(t) = f.halves().find_map(|h| sides.inside(h, side)) {
                    lab[i] = Some(t);
                    queue.push_back(i);
                }
            }
            while let Some(i) = queue.pop_front() {
                let state = lab[i];
                for h in faces[i].halves() {
                    if sides.has(h, side) {
                        continue;
                    }
                    if let Some(j) = face_at(&face_of, h ^ 1) {
                        if lab[j].is_none() {
                            lab[j] = state;
                            queue.push_back(j);
                        }
                    }
                }
            }
        }
        let face_pair: Vec<Option<(usize, usize)>> = (0..faces.len())
            .map(|i| label[0][i].zip(label[1][i]))
            .collect();
        let pairs = face_pair.iter().flatten().copied().collect();
        Overlay {
            graph,
            face_of,
            face_pair,
            pairs,
        }
    }

    /// The (A, B) territories of the face on the left of half-edge `h`.
    fn pair_of(&self, h: usize) -> Option<(usize, usize)> {
        face_at(&self.face_of, h).and_then(|f| self.face_pair.get(f).copied().flatten())
    }
}

/// How close (m) a border runs to the changed land's edge to count as bounding it.
const TOUCH_M: f64 = 1000.0;

/// The exterior edges of the changed land in an R-tree, so that testing a border vertex looks at
/// the few edges near it instead of every edge (which made the diff quadratic in the vertices).
/// The tree holds runs of [`RUN`] consecutive edges, not single edges: a ring's consecutive edges
/// lie together, and building a tree over every edge was most of a diff's time.
struct ExteriorEdges {
    edges: Vec<(Coord<f64>, Coord<f64>)>,
    tree: RTree<Indexed>,
}

/// A run of edges in the R-tree: its box, and the number of its first edge.
type Indexed = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Edges per run in [`ExteriorEdges`].
const RUN: usize = 8;

impl ExteriorEdges {
    fn new(shape: &MultiPolygon<f64>) -> ExteriorEdges {
        let edges: Vec<(Coord<f64>, Coord<f64>)> = shape
            .0
            .iter()
            .flat_map(|p| p.exterior().0.windows(2))
            .map(|w| (w[0], w[1]))
            .collect();
        let runs = edges
            .chunks(RUN)
            .enumerate()
            .map(|(k, run)| {
                let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
                for (a, b) in run {
                    lo = [lo[0].min(a.x).min(b.x), lo[1].min(a.y).min(b.y)];
                    hi = [hi[0].max(a.x).max(b.x), hi[1].max(a.y).max(b.y)];
                }
                GeomWithData::new(Rectangle::from_corners(lo, hi), k * RUN)
            })
            .collect();
        ExteriorEdges {
            tree: RTree::bulk_load(runs),
            edges,
        }
    }

    /// True when `c` lies within [`TOUCH_M`] of an exterior edge, measured exactly as
    /// `cut::locate_on_line` measures it (each edge on its own, so the answer is the same as
    /// scanning the whole ring). The search box is the 1 km disc's box on a sphere of radius
    /// 6,300 km (smaller than any the distance uses), widened by 10%, so it misses no edge.
    fn near(&self, c: Coord<f64>) -> bool {
        let k = c.y.to_radians().cos();
        let dy = (1.1 * TOUCH_M / 6_300_000.0).to_degrees();
        let hit = |run: &Indexed| {
            let end = (run.data + RUN).min(self.edges.len());
            self.edges[run.data..end]
                .iter()
                .any(|&(a, b)| crate::assemble::cut::locate_on_line(&[a, b], c).1 < TOUCH_M)
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
