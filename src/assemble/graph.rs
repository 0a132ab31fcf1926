//! The planar graph of noded edges and its faces. Half-edge `2i` runs a→b along edge `i`, `2i+1`
//! runs b→a; every face is traced with the face on the left of its half-edges, so bounded faces
//! come out counter-clockwise and the outer boundaries of connected parts clockwise.

use super::grid::{angle_cmp, locate, ring_area2, Position, P};
use super::noding::Edge;
use std::collections::HashMap;

pub struct Graph {
    pub edges: Vec<Edge>,
    /// Each vertex's degree before dangles were removed.
    degree0: HashMap<P, usize>,
    /// False for edges removed as dangles.
    pub alive: Vec<bool>,
    /// For each vertex, its outgoing alive half-edges sorted counter-clockwise.
    out: HashMap<P, Vec<usize>>,
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

    /// A vertex's degree in the noded input, before dangles were removed.
    pub fn degree0(&self, v: P) -> usize {
        self.degree0.get(&v).copied().unwrap_or(0)
    }

    /// Builds the graph and removes dangling edges (those that bound no face), returning the
    /// removed edges, each with whether it touched a free end of the input (degree 1).
    pub fn build(edges: Vec<Edge>) -> (Graph, Vec<(usize, bool)>) {
        let mut degree: HashMap<P, usize> = HashMap::new();
        let mut incident: HashMap<P, Vec<usize>> = HashMap::new();
        for (i, e) in edges.iter().enumerate() {
            *degree.entry(e.a).or_default() += 1;
            *degree.entry(e.b).or_default() += 1;
            incident.entry(e.a).or_default().push(i);
            incident.entry(e.b).or_default().push(i);
        }
        let degree0 = degree.clone();
        let mut alive = vec![true; edges.len()];
        let mut pruned = Vec::new();
        let mut stack: Vec<P> = degree
            .iter()
            .filter(|(_, &d)| d == 1)
            .map(|(p, _)| *p)
            .collect();
        stack.sort();
        while let Some(v) = stack.pop() {
            if degree.get(&v).copied().unwrap_or(0) != 1 {
                continue;
            }
            let Some(&e) = incident.get(&v).and_then(|l| l.iter().find(|&&e| alive[e])) else {
                continue;
            };
            alive[e] = false;
            let leaf = |p: P| degree0.get(&p).copied() == Some(1);
            pruned.push((e, leaf(edges[e].a) || leaf(edges[e].b)));
            let other = if edges[e].a == v {
                edges[e].b
            } else {
                edges[e].a
            };
            for p in [v, other] {
                if let Some(d) = degree.get_mut(&p) {
                    *d -= 1;
                    if *d == 1 {
                        stack.push(p);
                    }
                }
            }
        }
        let mut out: HashMap<P, Vec<usize>> = HashMap::new();
        for (i, e) in edges.iter().enumerate() {
            if alive[i] {
                out.entry(e.a).or_default().push(2 * i);
                out.entry(e.b).or_default().push(2 * i + 1);
            }
        }
        let mut g = Graph {
            edges,
            degree0,
            alive,
            out,
            pos: Vec::new(),
        };
        let mut pos = vec![usize::MAX; g.edges.len() * 2];
        let keys: Vec<P> = g.out.keys().copied().collect();
        for v in keys {
            let mut list = g.out.remove(&v).unwrap_or_default();
            list.sort_by(|&h1, &h2| {
                let (t1, t2) = (g.target(h1), g.target(h2));
                angle_cmp((t1.0 - v.0, t1.1 - v.1), (t2.0 - v.0, t2.1 - v.1))
            });
            for (k, &h) in list.iter().enumerate() {
                pos[h] = k;
            }
            g.out.insert(v, list);
        }
        g.pos = pos;
        (g, pruned)
    }

    /// The outgoing half-edges at a vertex, counter-clockwise.
    pub fn outgoing(&self, v: P) -> &[usize] {
        self.out.get(&v).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Among the half-edges leaving the end of `h`, the first clockwise from `h`'s twin that
    /// `accept` allows: the next half-edge of the face (or region) on `h`'s left.
    pub fn next_where(&self, h: usize, accept: impl Fn(usize) -> bool) -> Option<usize> {
        let twin = h ^ 1;
        let v = self.origin(twin);
        let list = self.outgoing(v);
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
