//! Noding: splits every edge where it meets another, so that the frame's boundary and the border
//! segments form one planar graph. Intersection points are rounded to the micro-degree grid.

use super::grid::{orient, P};
use geo::Coord;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};
use std::collections::HashMap;

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
    pub tags: Vec<(Tag, bool)>,
}

fn on_segment(p: P, a: P, b: P) -> bool {
    orient(a, b, p) == 0
        && p.0 >= a.0.min(b.0)
        && p.0 <= a.0.max(b.0)
        && p.1 >= a.1.min(b.1)
        && p.1 <= a.1.max(b.1)
}

/// The points where edges (a1,b1) and (a2,b2) meet: a crossing, or endpoints lying on the other.
/// Returns points to split the first edge at and points to split the second at.
fn meet(a1: P, b1: P, a2: P, b2: P) -> (Vec<P>, Vec<P>) {
    let (mut s1, mut s2) = (Vec::new(), Vec::new());
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

/// Splits every input edge at every point where it meets another and merges duplicates.
pub fn node(input: &[InEdge]) -> Vec<Edge> {
    let pairs: Vec<(P, P)> = input.iter().map(|e| (e.a, e.b)).collect();
    let tree = index(&pairs);
    let mut splits: Vec<Vec<P>> = vec![Vec::new(); input.len()];
    for (i, &(a, b)) in pairs.iter().enumerate() {
        let env = AABB::from_corners([a.0.min(b.0), a.1.min(b.1)], [a.0.max(b.0), a.1.max(b.1)]);
        for other in tree.locate_in_envelope_intersecting(&env) {
            let j = other.data;
            if j <= i {
                continue;
            }
            let (c, d) = pairs[j];
            let (si, sj) = meet(a, b, c, d);
            splits[i].extend(si);
            splits[j].extend(sj);
        }
    }
    let mut out: Vec<Edge> = Vec::new();
    let mut seen: HashMap<(P, P), usize> = HashMap::new();
    for (i, e) in input.iter().enumerate() {
        let (a, b) = (e.a, e.b);
        let (dx, dy) = ((b.0 - a.0) as i128, (b.1 - a.1) as i128);
        let mut pts = std::mem::take(&mut splits[i]);
        pts.push(a);
        pts.push(b);
        pts.sort_by_key(|p| (p.0 - a.0) as i128 * dx + (p.1 - a.1) as i128 * dy);
        pts.dedup();
        let mut k = 0u32;
        for w in pts.windows(2) {
            let (p, q) = (w[0], w[1]);
            if p == q {
                continue;
            }
            let tag = match e.tag {
                Tag::Seg { seg, order } => Tag::Seg {
                    seg,
                    order: (order.0, k),
                },
                t => t,
            };
            k += 1;
            let key = if p < q { (p, q) } else { (q, p) };
            let forward = p < q;
            match seen.get(&key) {
                Some(&idx) => {
                    if !out[idx].tags.contains(&(tag, forward)) {
                        out[idx].tags.push((tag, forward));
                    }
                }
                None => {
                    seen.insert(key, out.len());
                    out.push(Edge {
                        a: key.0,
                        b: key.1,
                        tags: vec![(tag, forward)],
                    });
                }
            }
        }
    }
    out
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
    for (i, &(a, b)) in pairs.iter().enumerate() {
        let env = AABB::from_corners([a.0.min(b.0), a.1.min(b.1)], [a.0.max(b.0), a.1.max(b.1)]);
        for other in tree.locate_in_envelope_intersecting(&env) {
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
        let edges = node(&input);
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
        let edges = node(&input);
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0].tags.len(), 2);
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
