//! The planar graph of noded edges and its faces. Half-edge `2i` runs a→b along edge `i`, `2i+1`
//! runs b→a; every face is traced with the face on the left of its half-edges, so bounded faces
//! come out counter-clockwise and the outer boundaries of connected parts clockwise.

use super::grid::{angle_cmp, locate, ring_area2, Position, P};
use super::noding::{Edge, Noded};

pub struct Graph {
    pub edges: Vec<Edge>,
    /// The numbers of each edge's ends a and b.
    ends: Vec<(u32, u32)>,
    /// Each vertex's degree before dangles were removed.
    degree0: Vec<u32>,
    /// False for edges removed as dangles.
    pub alive: Vec<bool>,
    /// The outgoing alive half-edges of vertex `v`, sorted counter-clockwise, are
    /// `out[out_start[v]..out_start[v + 1]]`.
    out_start: Vec<usize>,
    out: Vec<usize>,
    /// Position of each half-edge in its origin's list.
    pos: Vec<usize>,
}

/// A cycle of half-edges.
#[derive(Debug, Clone)]
pub struct Cycle {
    pub halves: Vec<usize>,
    pub ring: Vec<P>,
    pub area2: i128,
}

/// A bounded face: its outer cycle and the cycles of the parts lying inside it.
#[derive(Debug, Clone)]
pub struct Face {
    pub outer: Cycle,
    pub holes: Vec<Cycle>,
}

impl Face {
    pub fn halves(&self) -> impl Iterator<Item = usize> + '_ {
        self.outer
            .halves
            .iter()
            .chain(self.holes.iter().flat_map(|h| h.halves.iter()))
            .copied()
    }
}

/// Lists per vertex, stored flat: the items of vertex `v` are `items[start[v]..start[v + 1]]`,
/// in the order they were given.
fn group(n: usize, pairs: impl Iterator<Item = (u32, usize)> + Clone) -> (Vec<usize>, Vec<usize>) {
    let mut start = vec![0usize; n + 1];
    for (v, _) in pairs.clone() {
        start[v as usize + 1] += 1;
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    let mut fill = start.clone();
    let mut items = vec![0usize; start[n]];
    for (v, x) in pairs {
        items[fill[v as usize]] = x;
        fill[v as usize] += 1;
    }
    (start, items)
}

impl Graph {
    pub fn origin(&self, h: usize) -> P {
        let e = &self.edges[h / 2];
        if h % 2 == 0 {
            e.a
        } else {
            e.b
        }
    }

    pub fn target(&self, h: usize) -> P {
        self.origin(h ^ 1)
    }

    /// The number of the vertex a half-edge leaves from.
    fn origin_id(&self, h: usize) -> usize {
        let (a, b) = self.ends[h / 2];
        (if h % 2 == 0 { a } else { b }) as usize
    }

    /// The degrees of an edge's ends a and b in the noded input, before dangles were removed.
    pub fn degree0_of_ends(&self, e: usize) -> (usize, usize) {
        let (a, b) = self.ends[e];
        (
            self.degree0[a as usize] as usize,
            self.degree0[b as usize] as usize,
        )
    }

    /// Builds the graph and removes dangling edges (those that bound no face), returning the
    /// removed edges, each with whether it touched a free end of the input (degree 1).
    pub fn build(noded: Noded) -> (Graph, Vec<(usize, bool)>) {
        let Noded { edges, ends, verts } = noded;
        let n = verts.len();
        let mut degree = vec![0u32; n];
        for &(a, b) in &ends {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let (inc_start, incident) = group(
            n,
            ends.iter()
                .enumerate()
                .flat_map(|(i, &(a, b))| [(a, i), (b, i)]),
        );
        let degree0 = degree.clone();
        let mut alive = vec![true; edges.len()];
        let mut pruned = Vec::new();
        // free ends in point order, the largest taken first
        let mut stack: Vec<u32> = (0..n as u32).filter(|&v| degree[v as usize] == 1).collect();
        stack.sort_by_key(|&v| verts[v as usize]);
        while let Some(v) = stack.pop() {
            let v = v as usize;
            if degree[v] != 1 {
                continue;
            }
            let Some(&e) = incident[inc_start[v]..inc_start[v + 1]]
                .iter()
                .find(|&&e| alive[e])
            else {
                continue;
            };
            alive[e] = false;
            let (a, b) = ends[e];
            let leaf = |p: u32| degree0[p as usize] == 1;
            pruned.push((e, leaf(a) || leaf(b)));
            let other = if a as usize == v { b } else { a };
            for p in [v, other as usize] {
                if degree[p] > 0 {
                    degree[p] -= 1;
                    if degree[p] == 1 {
                        stack.push(p as u32);
                    }
                }
            }
        }
        let (out_start, mut out) = group(
            n,
            ends.iter()
                .enumerate()
                .filter(|(i, _)| alive[*i])
                .flat_map(|(i, &(a, b))| [(a, 2 * i), (b, 2 * i + 1)]),
        );
        let mut pos = vec![usize::MAX; edges.len() * 2];
        let target = |h: usize| {
            let e = &edges[h / 2];
            if h % 2 == 0 {
                e.b
            } else {
                e.a
            }
        };
        for (v, &p) in verts.iter().enumerate() {
            let list = &mut out[out_start[v]..out_start[v + 1]];
            list.sort_by(|&h1, &h2| {
                let (t1, t2) = (target(h1), target(h2));
                angle_cmp((t1.0 - p.0, t1.1 - p.1), (t2.0 - p.0, t2.1 - p.1))
            });
            for (k, &h) in list.iter().enumerate() {
                pos[h] = k;
            }
        }
        let g = Graph {
            edges,
            ends,
            degree0,
            alive,
            out_start,
            out,
            pos,
        };
        (g, pruned)
    }

    fn outgoing_id(&self, v: usize) -> &[usize] {
        &self.out[self.out_start[v]..self.out_start[v + 1]]
    }

    /// Among the half-edges leaving the end of `h`, the first clockwise from `h`'s twin that
    /// `accept` allows: the next half-edge of the face (or region) on `h`'s left.
    pub fn next_where(&self, h: usize, accept: impl Fn(usize) -> bool) -> Option<usize> {
        let twin = h ^ 1;
        let list = self.outgoing_id(self.origin_id(twin));
        let n = list.len();
        let start = self.pos[twin];
        (1..=n)
            .map(|k| list[(start + n - k) % n])
            .find(|&c| accept(c))
    }

    /// Traces every cycle of alive half-edges accepted by `accept`, with `next_where`.
    pub fn cycles(&self, accept: impl Fn(usize) -> bool) -> Vec<Cycle> {
        let mut used = vec![false; self.edges.len() * 2];
        let mut out = Vec::new();
        for h0 in 0..self.edges.len() * 2 {
            if !self.alive[h0 / 2] || used[h0] || !accept(h0) {
                continue;
            }
            let mut halves = Vec::new();
            let mut h = h0;
            loop {
                used[h] = true;
                halves.push(h);
                match self.next_where(h, &accept) {
                    Some(n) if n == h0 => break,
                    Some(n) if used[n] => break,
                    Some(n) => h = n,
                    None => break,
                }
            }
            let ring: Vec<P> = halves.iter().map(|&h| self.origin(h)).collect();
            let area2 = ring_area2(&ring);
            out.push(Cycle {
                halves,
                ring,
                area2,
            });
        }
        out
    }
}

/// Groups cycles into faces: counter-clockwise cycles are faces; each clockwise cycle becomes a
/// hole of the smallest face that contains it (or is dropped when none does: the outside).
pub fn faces(cycles: Vec<Cycle>) -> Vec<Face> {
    let (pos, neg): (Vec<Cycle>, Vec<Cycle>) = cycles.into_iter().partition(|c| c.area2 > 0);
    let mut faces: Vec<Face> = pos
        .into_iter()
        .map(|outer| Face {
            outer,
            holes: Vec::new(),
        })
        .collect();
    let boxes: Vec<_> = faces.iter().map(|f| bbox(&f.outer.ring)).collect();
    for c in neg {
        let cb = bbox(&c.ring);
        let mut best: Option<(usize, i128)> = None;
        for (i, f) in faces.iter().enumerate() {
            if best.is_some_and(|(_, a)| a <= f.outer.area2) {
                continue;
            }
            // a face can hold the cycle only if its box holds the cycle's box: this skips the
            // full ring scans that made the search quadratic
            let fb = boxes[i];
            if cb.0 < fb.0 || cb.1 < fb.1 || cb.2 > fb.2 || cb.3 > fb.3 {
                continue;
            }
            if contains(&f.outer.ring, &c.ring) {
                best = Some((i, f.outer.area2));
            }
        }
        if let Some((i, _)) = best {
            faces[i].holes.push(c);
        }
    }
    faces
}

/// (min x, min y, max x, max y) of a ring.
fn bbox(ring: &[P]) -> (i64, i64, i64, i64) {
    ring.iter()
        .fold((i64::MAX, i64::MAX, i64::MIN, i64::MIN), |b, p| {
            (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1))
        })
}

/// True when `inner` lies inside `outer` (decided by the first vertex not on `outer`).
pub fn contains(outer: &[P], inner: &[P]) -> bool {
    for &p in inner {
        match locate(p, outer) {
            Position::Inside => return true,
            Position::Outside => return false,
            Position::Boundary => continue,
        }
    }
    false
}
