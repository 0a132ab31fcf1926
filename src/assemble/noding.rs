//! Noding: splits every edge where it meets another, so that the frame's boundary and the border
//! segments form one planar graph. Intersection points are rounded to the micro-degree grid.

use super::grid::{orient, PointMap, P};
use geo::Coord;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{Envelope, RTree, AABB};
use std::sync::{Arc, Mutex};

/// Where an edge came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tag {
    /// A piece of the frame's boundary, drawn with the frame's interior on its left.
    Frame,
    /// A piece of border segment `seg`; `order` sorts the pieces along the segment.
    Seg { seg: usize, order: (u32, u32) },
}

/// An input edge, before noding.
#[derive(Debug, Clone, Copy)]
pub struct InEdge {
    pub a: P,
    pub b: P,
    pub tag: Tag,
}

/// A noded edge: unique, with every input that lies on it. `forward` is true where the input ran
/// a→b, false where it ran b→a.
#[derive(Debug, Clone)]
pub struct Edge {
    pub a: P,
    pub b: P,
    pub tags: Tags,
}

/// The inputs lying on a noded edge, with their directions: almost always one, kept inline (a
/// heap allocation per edge was half the time of noding).
#[derive(Debug, Clone, PartialEq)]
pub enum Tags {
    One((Tag, bool)),
    Many(Vec<(Tag, bool)>),
}

impl Tags {
    pub fn push(&mut self, t: (Tag, bool)) {
        match self {
            Tags::One(first) => *self = Tags::Many(vec![*first, t]),
            Tags::Many(v) => v.push(t),
        }
    }
}

impl std::ops::Deref for Tags {
    type Target = [(Tag, bool)];

    fn deref(&self) -> &[(Tag, bool)] {
        match self {
            Tags::One(t) => std::slice::from_ref(t),
            Tags::Many(v) => v,
        }
    }
}

impl<'a> IntoIterator for &'a Tags {
    type Item = &'a (Tag, bool);
    type IntoIter = std::slice::Iter<'a, (Tag, bool)>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

fn on_segment(p: P, a: P, b: P) -> bool {
    orient(a, b, p) == 0
        && p.0 >= a.0.min(b.0)
        && p.0 <= a.0.max(b.0)
        && p.1 >= a.1.min(b.1)
        && p.1 <= a.1.max(b.1)
}

/// Up to two points, without allocating (`meet` runs for every pair of nearby edges).
#[derive(Debug, Default, Clone, Copy)]
struct Pts {
    p: [P; 2],
    n: usize,
}

impl Pts {
    fn push(&mut self, q: P) {
        self.p[self.n] = q;
        self.n += 1;
    }

    fn iter(&self) -> std::slice::Iter<'_, P> {
        self.p[..self.n].iter()
    }
}

/// The points where edges (a1,b1) and (a2,b2) meet: a crossing, or endpoints lying on the other.
/// Returns points to split the first edge at and points to split the second at.
fn meet(a1: P, b1: P, a2: P, b2: P) -> (Pts, Pts) {
    let (mut s1, mut s2) = (Pts::default(), Pts::default());
    let o1 = orient(a1, b1, a2);
    let o2 = orient(a1, b1, b2);
    let o3 = orient(a2, b2, a1);
    let o4 = orient(a2, b2, b1);
    if o1 != 0 && o2 != 0 && o3 != 0 && o4 != 0 {
        if (o1 > 0) != (o2 > 0) && (o3 > 0) != (o4 > 0) {
            let t = o3 as f64 / (o3 - o4) as f64;
            let x = a1.0 as f64 + t * (b1.0 - a1.0) as f64;
            let y = a1.1 as f64 + t * (b1.1 - a1.1) as f64;
            let p = (x.round() as i64, y.round() as i64);
            s1.push(p);
            s2.push(p);
        }
        return (s1, s2);
    }
    if on_segment(a2, a1, b1) {
        s1.push(a2);
    }
    if on_segment(b2, a1, b1) {
        s1.push(b2);
    }
    if on_segment(a1, a2, b2) {
        s2.push(a1);
    }
    if on_segment(b1, a2, b2) {
        s2.push(b1);
    }
    (s1, s2)
}

type Boxed = GeomWithData<Rectangle<[i64; 2]>, usize>;

fn index(edges: &[(P, P)]) -> RTree<Boxed> {
    RTree::bulk_load(
        edges
            .iter()
            .enumerate()
            .map(|(i, (a, b))| {
                GeomWithData::new(
                    Rectangle::from_corners(
                        [a.0.min(b.0), a.1.min(b.1)],
                        [a.0.max(b.0), a.1.max(b.1)],
                    ),
                    i,
                )
            })
            .collect(),
    )
}

fn envelope((a, b): (P, P)) -> AABB<[i64; 2]> {
    AABB::from_corners([a.0.min(b.0), a.1.min(b.1)], [a.0.max(b.0), a.1.max(b.1)])
}

/// Where edges meet edges of the same list: (edge, point) for each point an edge is to be split
/// at, leaving out the edge's own ends (splitting there changes nothing); and, in `touch`, every
/// point where two edges meet (own ends included) other than the vertex two consecutive edges
/// share: the vertices the list shares with itself.
fn meets_within(edges: &[(P, P)], tree: &RTree<Boxed>, touch: &mut Vec<P>) -> Vec<(u32, P)> {
    let mut out = Vec::new();
    for (i, &(a, b)) in edges.iter().enumerate() {
        for other in tree.locate_in_envelope_intersecting(&envelope((a, b))) {
            let j = other.data;
            if j <= i {
                continue;
            }
            let (c, d) = edges[j];
            let m = meet(a, b, c, d);
            let chained = j == i + 1 && b == c;
            touch.extend(
                m.0.iter()
                    .chain(m.1.iter())
                    .filter(|&&p| !(chained && p == b)),
            );
            push_splits(&mut out, (i, (a, b)), (j, (c, d)), &m);
        }
    }
    touch.sort_unstable();
    touch.dedup();
    out
}

/// Where edge `i` (a→b) and edge `j` (c→d) meet, as split points of each, leaving out each
/// edge's own ends (splitting there changes nothing).
fn split_both(out: &mut Vec<(u32, P)>, (i, (a, b)): (usize, (P, P)), (j, (c, d)): (usize, (P, P))) {
    push_splits(out, (i, (a, b)), (j, (c, d)), &meet(a, b, c, d));
}

/// The points where edges `i` (a→b) and `j` (c→d) meet (from [`meet`]) as split points of each,
/// leaving out each edge's own ends.
fn push_splits(
    out: &mut Vec<(u32, P)>,
    (i, (a, b)): (usize, (P, P)),
    (j, (c, d)): (usize, (P, P)),
    (si, sj): &(Pts, Pts),
) {
    out.extend(
        si.iter()
            .filter(|&&p| p != a && p != b)
            .map(|&p| (i as u32, p)),
    );
    out.extend(
        sj.iter()
            .filter(|&&p| p != c && p != d)
            .map(|&p| (j as u32, p)),
    );
}

/// The noded edges, with their ends numbered: the graph is built on the numbers, so each vertex
/// is hashed once, here, and not again per edge end.
#[derive(Debug, Clone, Default)]
pub struct Noded {
    pub edges: Vec<Edge>,
    /// The numbers of each edge's ends a and b.
    pub ends: Vec<(u32, u32)>,
    /// Each vertex's point, by number.
    pub verts: Vec<P>,
}

impl Noded {
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

/// No entry in an incidence list.
const NIL: u32 = u32::MAX;

/// Numbers points in the order they are first met.
///
/// `shared`, when given, holds every point that more than one input edge may reach other than
/// through a chain of consecutive edges (split points and points where edges touch, see
/// [`Noder::node`]): only those are looked up, in a table small enough to stay in cache; any
/// other point is the previous edge's end or a vertex no other edge has, numbered without a
/// lookup. Without it every point is hashed; consecutive edges share a vertex, found among the
/// last few without hashing (the table is large: a lookup is a cache miss).
struct Numbering {
    vid: PointMap<P, u32>,
    shared: Option<PointMap<P, u32>>,
    verts: Vec<P>,
    recent: [(P, u32); 4],
    slot: usize,
}

impl Numbering {
    fn new(n: usize, shared: Option<PointMap<P, u32>>) -> Numbering {
        let mut vid = PointMap::default();
        if shared.is_none() {
            vid.reserve(n + 1);
        }
        Numbering {
            vid,
            shared,
            verts: Vec::with_capacity(n + 1),
            recent: [((i64::MIN, i64::MIN), 0); 4],
            slot: 0,
        }
    }

    fn fresh(&mut self, p: P) -> (u32, bool) {
        self.verts.push(p);
        ((self.verts.len() - 1) as u32, true)
    }

    /// The point's number, and whether it is new; `prev` is the end of the previous edge.
    fn id(&mut self, p: P, prev: Option<(P, u32)>) -> (u32, bool) {
        if let Some(shared) = &mut self.shared {
            return match shared.get_mut(&p) {
                Some(slot) if *slot != NIL => (*slot, false),
                Some(slot) => {
                    *slot = self.verts.len() as u32;
                    self.verts.push(p);
                    (*slot, true)
                }
                None => match prev {
                    Some((q, i)) if q == p => (i, false),
                    _ => self.fresh(p),
                },
            };
        }
        if let Some(&(_, i)) = self.recent.iter().find(|(q, _)| *q == p) {
            return (i, false);
        }
        let next = self.verts.len() as u32;
        let i = *self.vid.entry(p).or_insert(next);
        let new = i == next;
        if new {
            self.verts.push(p);
        }
        self.recent[self.slot] = (p, i);
        self.slot = (self.slot + 1) % self.recent.len();
        (i, new)
    }
}

/// Splits each edge at its points (sorted by edge) and merges duplicate edges: the noded edges,
/// in input order. A duplicate joins two vertices met before, so it is looked for only then,
/// among the edges at one of its ends (kept as linked lists: no hashing of edges).
fn split_and_merge(
    input: impl Iterator<Item = (P, P, Tag)>,
    n: usize,
    splits: &[(u32, P)],
    shared: Option<PointMap<P, u32>>,
) -> Noded {
    let mut out: Vec<Edge> = Vec::with_capacity(n);
    let mut ends: Vec<(u32, u32)> = Vec::with_capacity(n);
    let mut numbers = Numbering::new(n, shared);
    // the end of the previous edge, and its number
    let mut last: Option<(P, u32)> = None;
    // the edges at each vertex: `head[v]` is the first end (2e for a, 2e + 1 for b),
    // `next[end]` the following one
    let mut head: Vec<u32> = Vec::with_capacity(n + 1);
    let mut next: Vec<u32> = Vec::with_capacity(2 * n);
    let mut pts: Vec<P> = Vec::new();
    let mut at = 0;
    for (i, (a, b, tag0)) in input.enumerate() {
        pts.clear();
        while at < splits.len() && splits[at].0 as usize == i {
            pts.push(splits[at].1);
            at += 1;
        }
        pts.push(a);
        pts.push(b);
        if pts.len() > 2 {
            // along a→b; points level with each other (a rounded crossing beside the edge)
            // in point order, so the result depends only on which points there are
            let (dx, dy) = ((b.0 - a.0) as i128, (b.1 - a.1) as i128);
            pts.sort_by_key(|p| ((p.0 - a.0) as i128 * dx + (p.1 - a.1) as i128 * dy, *p));
        }
        pts.dedup();
        let mut k = 0u32;
        for w in pts.windows(2) {
            let (p, q) = (w[0], w[1]);
            if p == q {
                continue;
            }
            let tag = match tag0 {
                Tag::Seg { seg, order } => Tag::Seg {
                    seg,
                    order: (order.0, k),
                },
                t => t,
            };
            k += 1;
            let forward = p < q;
            let (ip, np) = numbers.id(p, last);
            let (iq, nq) = numbers.id(q, None);
            last = Some((q, iq));
            let (key, (ia, na), (ib, nb)) = if forward {
                ((p, q), (ip, np), (iq, nq))
            } else {
                ((q, p), (iq, nq), (ip, np))
            };
            head.resize(numbers.verts.len(), NIL);
            let mut found = None;
            if !na && !nb {
                let mut end = head[ia as usize];
                while end != NIL {
                    let (e, side) = ((end / 2) as usize, end % 2);
                    let other = if side == 0 { ends[e].1 } else { ends[e].0 };
                    if other == ib {
                        found = Some(e);
                        break;
                    }
                    end = next[end as usize];
                }
            }
            match found {
                Some(idx) => {
                    if !out[idx].tags.contains(&(tag, forward)) {
                        out[idx].tags.push((tag, forward));
                    }
                }
                None => {
                    let e = out.len() as u32;
                    next.push(head[ia as usize]);
                    head[ia as usize] = 2 * e;
                    next.push(head[ib as usize]);
                    head[ib as usize] = 2 * e + 1;
                    ends.push((ia, ib));
                    out.push(Edge {
                        a: key.0,
                        b: key.1,
                        tags: Tags::One((tag, forward)),
                    });
                }
            }
        }
    }
    Noded {
        edges: out,
        ends,
        verts: numbers.verts,
    }
}

/// Splits every input edge at every point where it meets another and merges duplicates.
pub fn node(input: &[InEdge]) -> Noded {
    let pairs: Vec<(P, P)> = input.iter().map(|e| (e.a, e.b)).collect();
    let tree = index(&pairs);
    let mut splits = meets_within(&pairs, &tree, &mut Vec::new());
    splits.sort_unstable();
    split_and_merge(
        input.iter().map(|e| (e.a, e.b, e.tag)),
        input.len(),
        &splits,
        None,
    )
}

/// [`node`] of two edge sets that are each noded already (no two edges of one set cross, and no
/// edge of a set passes through a vertex of that set), as two treaties' territories are, plus
/// the edges the two have in common: only an edge of the first set and one of the second can
/// meet, so only such pairs are tested. `set[i]` is 0 or 1 for the sets, anything else for a
/// common edge. The same edges as [`node`] finds.
pub fn node_across(input: &[InEdge], set: &[u8]) -> Noded {
    let of_set = |k: u8| -> Vec<usize> {
        (0..input.len())
            .filter(|&i| set.get(i) == Some(&k))
            .collect()
    };
    let (first, second) = (of_set(0), of_set(1));
    let edges =
        |ids: &[usize]| -> Vec<(P, P)> { ids.iter().map(|&i| (input[i].a, input[i].b)).collect() };
    let (ea, eb) = (edges(&first), edges(&second));
    let (ta, tb) = (index_runs(&ea), index_runs(&eb));
    let mut splits: Vec<(u32, P)> = Vec::new();
    for (x, y) in ta.intersection_candidates_with_other_tree(&tb) {
        for i in run(x.data, ea.len()) {
            let env = envelope(ea[i]);
            for j in run(y.data, eb.len()) {
                if env.intersects(&envelope(eb[j])) {
                    split_both(&mut splits, (first[i], ea[i]), (second[j], eb[j]));
                }
            }
        }
    }
    splits.sort_unstable();
    split_and_merge(
        input.iter().map(|e| (e.a, e.b, e.tag)),
        input.len(),
        &splits,
        None,
    )
}

/// Edges per run in [`index_runs`].
const RUN: usize = 8;

/// An R-tree over runs of [`RUN`] consecutive edges (the data is the run's number): consecutive
/// edges of a ring or line lie together, so the runs' boxes are small, and the tree, an eighth
/// the size of one over single edges, is much quicker to build (building it was most of a
/// diff's noding).
fn index_runs(edges: &[(P, P)]) -> RTree<Boxed> {
    RTree::bulk_load(
        edges
            .chunks(RUN)
            .enumerate()
            .map(|(k, run)| {
                let env = run
                    .iter()
                    .map(|&e| envelope(e))
                    .reduce(|a, b| a.merged(&b))
                    .unwrap_or_else(AABB::new_empty);
                GeomWithData::new(Rectangle::from_aabb(env), k)
            })
            .collect(),
    )
}

/// The edges of run `k` of `n` edges.
fn run(k: usize, n: usize) -> std::ops::Range<usize> {
    k * RUN..((k + 1) * RUN).min(n)
}

/// One input polyline or ring set (the frame's rings, or a segment's line between its nodes)
/// with its edges indexed and the points where its own edges meet one another.
pub struct Piece {
    id: usize,
    edges: Vec<(P, P)>,
    tree: RTree<Boxed>,
    env: AABB<[i64; 2]>,
    within: Vec<(u32, P)>,
    /// The points where its edges meet other than consecutive edges at their common vertex.
    touch: Vec<P>,
}

impl Piece {
    pub fn edges(&self) -> &[(P, P)] {
        &self.edges
    }
}

/// Where the edges of two pieces meet: (edge of the first, point) and (edge of the second,
/// point) to split at, and every point where they meet (the vertices they share).
type Between = (Vec<(u32, P)>, Vec<(u32, P)>, Vec<P>);

/// The pieces met so far, by their edges, and the number the next one gets.
type Pieces = (PointMap<Vec<(P, P)>, Arc<Piece>>, usize);

/// Noding work shared by the assemblies of one build. Their inputs are mostly the same pieces
/// (the frame; the segments a treaty inherits), so each piece is indexed once, and where two
/// pieces meet is worked out once per (earlier, later) pair: the rounding of a crossing depends
/// on which edge comes first, as in [`node`].
#[derive(Default)]
pub struct Noder {
    pieces: Mutex<Pieces>,
    pairs: Mutex<PointMap<(usize, usize), Arc<Between>>>,
}

impl Noder {
    pub fn new() -> Noder {
        Noder::default()
    }

    /// The piece with these edges (the same one for the same edges).
    pub fn piece(&self, edges: Vec<(P, P)>) -> Arc<Piece> {
        if let Some(p) = self.lock_pieces().0.get(edges.as_slice()) {
            return p.clone();
        }
        let tree = index(&edges);
        let env = tree.root().envelope();
        let mut touch = Vec::new();
        let within = meets_within(&edges, &tree, &mut touch);
        let mut map = self.lock_pieces();
        if let Some(p) = map.0.get(edges.as_slice()) {
            return p.clone();
        }
        let piece = Arc::new(Piece {
            id: map.1,
            edges: edges.clone(),
            tree,
            env,
            within,
            touch,
        });
        map.1 += 1;
        map.0.insert(edges, piece.clone());
        piece
    }

    fn lock_pieces(&self) -> std::sync::MutexGuard<'_, Pieces> {
        self.pieces.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn between(&self, p: &Piece, q: &Piece) -> Arc<Between> {
        let key = (p.id, q.id);
        if let Some(b) = self
            .pairs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            return b.clone();
        }
        let (mut sp, mut sq, mut touch) = (Vec::new(), Vec::new(), Vec::new());
        for (x, y) in p.tree.intersection_candidates_with_other_tree(&q.tree) {
            let ((a, b), (c, d)) = (p.edges[x.data], q.edges[y.data]);
            let (si, sj) = meet(a, b, c, d);
            touch.extend(si.iter().chain(sj.iter()));
            sp.extend(
                si.iter()
                    .filter(|&&s| s != a && s != b)
                    .map(|&s| (x.data as u32, s)),
            );
            sq.extend(
                sj.iter()
                    .filter(|&&s| s != c && s != d)
                    .map(|&s| (y.data as u32, s)),
            );
        }
        touch.sort_unstable();
        touch.dedup();
        let b = Arc::new((sp, sq, touch));
        self.pairs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, b.clone());
        b
    }

    /// [`node`] of the pieces' edges in order, each edge tagged `Frame` (for `None`) or as
    /// edge k of segment `seg` (`Seg { seg, order: (k, 0) }`): the same edges, found with the
    /// pieces' and the pairs' work done once per build.
    pub fn node(&self, pieces: &[(Arc<Piece>, Option<usize>)]) -> Noded {
        let mut offset = Vec::with_capacity(pieces.len());
        let mut n = 0usize;
        for (p, _) in pieces {
            offset.push(n as u32);
            n += p.edges.len();
        }
        let mut splits: Vec<(u32, P)> = Vec::new();
        // the points more than one edge reaches, other than consecutive edges of a piece at
        // their common vertex: every split point, and every point where two edges touch
        let mut shared: PointMap<P, u32> = PointMap::default();
        for (x, (p, _)) in pieces.iter().enumerate() {
            splits.extend(p.within.iter().map(|&(i, s)| (offset[x] + i, s)));
            shared.extend(p.touch.iter().map(|&t| (t, NIL)));
            for (y, (q, _)) in pieces.iter().enumerate().skip(x + 1) {
                if p.edges.is_empty() || q.edges.is_empty() || !p.env.intersects(&q.env) {
                    continue;
                }
                let b = self.between(p, q);
                splits.extend(b.0.iter().map(|&(i, s)| (offset[x] + i, s)));
                splits.extend(b.1.iter().map(|&(j, s)| (offset[y] + j, s)));
                shared.extend(b.2.iter().map(|&t| (t, NIL)));
            }
        }
        splits.sort_unstable();
        let input = pieces.iter().flat_map(|(p, seg)| {
            p.edges.iter().enumerate().map(move |(k, &(a, b))| {
                let tag = match seg {
                    None => Tag::Frame,
                    Some(s) => Tag::Seg {
                        seg: *s,
                        order: (k as u32, 0),
                    },
                };
                (a, b, tag)
            })
        });
        split_and_merge(input, n, &splits, Some(shared))
    }
}

/// The first place where a polyline crosses or touches itself away from its shared vertices,
/// for the digitising check.
pub fn first_crossing(segs: &[(Coord<f64>, Coord<f64>)]) -> Option<Coord<f64>> {
    let pairs: Vec<(P, P)> = segs
        .iter()
        .map(|(a, b)| (super::grid::to_grid(*a), super::grid::to_grid(*b)))
        .collect();
    let tree = index(&pairs);
    let n = pairs.len();
    let closed = n > 1 && pairs[0].0 == pairs[n - 1].1;
    // the first crossing from edge `i` on, for i in `range`, in the order of a single scan
    let scan = |range: std::ops::Range<usize>| {
        for i in range {
            let (a, b) = pairs[i];
            for other in tree.locate_in_envelope_intersecting(&envelope((a, b))) {
                let j = other.data;
                if j <= i {
                    continue;
                }
                let (c, d) = pairs[j];
                let (si, sj) = meet(a, b, c, d);
                let adjacent = j == i + 1 || (closed && i == 0 && j == n - 1);
                let shared = |p: &P| {
                    adjacent
                        && (*p == b && *p == c
                            || (closed && i == 0 && j == n - 1 && *p == a && *p == d))
                };
                if let Some(p) = si.iter().chain(sj.iter()).find(|p| !shared(p)) {
                    return Some(super::grid::from_grid(*p));
                }
            }
        }
        None
    };
    // a long line (a densified frame or river) is scanned in two halves side by side; the first
    // half's answer, when it has one, is the one a single scan would give
    if n < 4_000 {
        return scan(0..n);
    }
    std::thread::scope(|s| {
        let second = s.spawn(|| scan(n / 2..n));
        scan(0..n / 2).or_else(|| {
            second
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_splits_both() {
        let input = [
            InEdge {
                a: (0, 0),
                b: (10, 10),
                tag: Tag::Frame,
            },
            InEdge {
                a: (0, 10),
                b: (10, 0),
                tag: Tag::Seg {
                    seg: 0,
                    order: (0, 0),
                },
            },
        ];
        let edges = node(&input).edges;
        assert_eq!(edges.len(), 4);
        assert!(edges.iter().all(|e| e.a == (5, 5) || e.b == (5, 5)));
    }

    #[test]
    fn coincident_edges_merge() {
        let input = [
            InEdge {
                a: (0, 0),
                b: (10, 0),
                tag: Tag::Frame,
            },
            InEdge {
                a: (10, 0),
                b: (0, 0),
                tag: Tag::Seg {
                    seg: 1,
                    order: (0, 0),
                },
            },
        ];
        let edges = node(&input).edges;
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].tags.len(), 2);
    }

    /// The inputs `Noder::node` is given in `shared_numbering_matches_plain_noding`: a ring and
    /// a few polylines on a small grid, so that they cross, touch at vertices, run along each
    /// other and repeat vertices, with the same piece sometimes twice.
    fn pieces() -> impl proptest::strategy::Strategy<Value = Vec<(Vec<P>, bool)>> {
        use proptest::prelude::*;
        let pt = (0i64..12, 0i64..12).prop_map(|(x, y)| (x * 1000, y * 1000));
        let line = proptest::collection::vec(pt, 2..12);
        (
            line.clone(),
            proptest::collection::vec((line, any::<bool>()), 1..6),
        )
            .prop_map(|(ring, lines)| {
                let mut out = vec![(ring, true)];
                for (l, twice) in lines {
                    out.push((l.clone(), false));
                    if twice {
                        out.push((l, false));
                    }
                }
                out
            })
    }

    proptest::proptest! {
        /// Numbering only the shared points (split points and touches) gives the same noded
        /// edges as hashing every point, and one number per point.
        #[test]
        fn shared_numbering_matches_plain_noding(input in pieces()) {
            let noder = Noder::new();
            let mut ps = Vec::new();
            let mut plain = Vec::new();
            for (k, (pts, ring)) in input.iter().enumerate() {
                let mut pts = pts.clone();
                pts.dedup();
                if *ring && pts.len() > 2 {
                    pts.push(pts[0]);
                }
                let edges: Vec<(P, P)> = pts.windows(2).map(|w| (w[0], w[1])).collect();
                let seg = if *ring { None } else { Some(k) };
                for (i, &(a, b)) in edges.iter().enumerate() {
                    let tag = match seg {
                        None => Tag::Frame,
                        Some(s) => Tag::Seg { seg: s, order: (i as u32, 0) },
                    };
                    plain.push(InEdge { a, b, tag });
                }
                ps.push((noder.piece(edges), seg));
            }
            let shared = noder.node(&ps);
            let reference = node(&plain);
            proptest::prop_assert_eq!(shared.edges.len(), reference.edges.len());
            for (x, y) in shared.edges.iter().zip(&reference.edges) {
                proptest::prop_assert_eq!((x.a, x.b), (y.a, y.b));
                proptest::prop_assert_eq!(&x.tags, &y.tags);
            }
            let mut seen = std::collections::BTreeSet::new();
            for v in &shared.verts {
                proptest::prop_assert!(seen.insert(*v), "two numbers for {:?}", v);
            }
            for (e, &(a, b)) in shared.edges.iter().zip(&shared.ends) {
                proptest::prop_assert_eq!((shared.verts[a as usize], shared.verts[b as usize]), (e.a, e.b));
            }
        }
    }

    #[test]
    fn self_crossing_found() {
        let c = |x, y| Coord { x, y };
        let zig = [
            (c(0.0, 0.0), c(1.0, 1.0)),
            (c(1.0, 1.0), c(1.0, 0.0)),
            (c(1.0, 0.0), c(0.0, 1.0)),
        ];
        assert!(first_crossing(&zig).is_some());
        let ok = [(c(0.0, 0.0), c(1.0, 1.0)), (c(1.0, 1.0), c(2.0, 0.0))];
        assert!(first_crossing(&ok).is_none());
    }
}
