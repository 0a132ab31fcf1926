//! Cutting a line between two nodes: the piece of a river or ridge a treaty segment follows.

// user-controlled coordinates: no indexing that could panic (see lib.rs)
#![deny(clippy::indexing_slicing)]

use crate::geodata::{Line, Node};
use geo::Coord;
use std::collections::BTreeMap;

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Within this many metres a point counts as lying on a line (the engine's grid is 1e-6°, ~0.1 m).
const ON_LINE_M: f64 = 0.1;
/// A node this close to its anchor on the line takes the anchor's place; the line is not moved.
const SNAP_M: f64 = 1.0;
/// A node farther from its anchor moves the line with it, within this many times that distance
/// of the anchor, tapering to nothing at the edge (see [`cut`]).
const TAPER: f64 = 4.0;

/// Metres east and north of an origin: local equirectangular approximation, ample for tolerances
/// of metres to kilometres.
#[derive(Clone, Copy)]
struct Local {
    origin: Coord<f64>,
    k: f64,
}

impl Local {
    fn at(origin: Coord<f64>) -> Self {
        Local {
            origin,
            k: origin.y.to_radians().cos(),
        }
    }

    fn m(&self, c: Coord<f64>) -> (f64, f64) {
        (
            (c.x - self.origin.x).to_radians() * self.k * EARTH_RADIUS_M,
            (c.y - self.origin.y).to_radians() * EARTH_RADIUS_M,
        )
    }

    fn dist(&self, c: Coord<f64>) -> f64 {
        let (x, y) = self.m(c);
        x.hypot(y)
    }
}

/// Consecutive pairs of vertices: the legs of a line.
fn legs(coords: &[Coord<f64>]) -> impl Iterator<Item = (Coord<f64>, Coord<f64>)> + '_ {
    coords.iter().copied().zip(coords.iter().skip(1).copied())
}

/// Where `p` projects onto the leg `a`-`b` (0..1) and its distance in metres.
fn on_leg(local: &Local, a: Coord<f64>, b: Coord<f64>) -> (f64, f64) {
    let (a, b) = (local.m(a), local.m(b));
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (a.0 + t * dx, a.1 + t * dy);
    (t, (x * x + y * y).sqrt())
}

/// Where a point projects onto a line: position along it (vertex index + fraction) and the
/// distance in metres.
pub fn locate_on_line(coords: &[Coord<f64>], p: Coord<f64>) -> (f64, f64) {
    let local = Local::at(p);
    let mut best = (0.0, f64::INFINITY);
    for (i, (a, b)) in legs(coords).enumerate() {
        let (t, d) = on_leg(&local, a, b);
        if d < best.1 {
            best = (i as f64 + t, d);
        }
    }
    best
}

/// The point at a position along a line (vertex index + fraction).
fn point_at(coords: &[Coord<f64>], pos: f64) -> Option<Coord<f64>> {
    let i = pos.floor().max(0.0) as usize;
    let t = pos - i as f64;
    let a = *coords.get(i)?;
    match coords.get(i + 1) {
        Some(b) if t > 0.0 => Some(a + (*b - a) * t),
        _ => Some(a),
    }
}

/// Where the lines within a node's tolerance meet: a vertex of one of them that lies on another
/// (within 0.1 m), the nearest to the node within its tolerance; `None` when fewer than two lines
/// pass near it or they do not meet near it. Every line through that point is cut there, so the
/// pieces meeting at a node that lies off its lines are moved together (see [`cut`]).
pub fn junction<'a>(lines: impl IntoIterator<Item = &'a Line>, node: &Node) -> Option<Coord<f64>> {
    let tol = node.tolerance_m;
    let local = Local::at(node.coord);
    // a box around the node, in degrees, that holds everything within the tolerance
    let dlat = (tol / EARTH_RADIUS_M).to_degrees() * 1.01 + 1e-9;
    let dlon = if local.k > 1e-6 {
        dlat / local.k
    } else {
        360.0
    };
    let (x0, x1) = (node.coord.x - dlon, node.coord.x + dlon);
    let (y0, y1) = (node.coord.y - dlat, node.coord.y + dlat);
    // the legs of each line that come within the tolerance, with the line's number
    let mut near: Vec<(usize, Coord<f64>, Coord<f64>)> = Vec::new();
    let mut n_lines = 0;
    for l in lines {
        let before = near.len();
        near.extend(
            legs(&l.coords)
                .filter(|(a, b)| {
                    a.x.max(b.x) >= x0
                        && a.x.min(b.x) <= x1
                        && a.y.max(b.y) >= y0
                        && a.y.min(b.y) <= y1
                })
                .filter(|(a, b)| on_leg(&local, *a, *b).1 <= tol)
                .map(|(a, b)| (n_lines, a, b)),
        );
        if near.len() > before {
            n_lines += 1;
        }
    }
    if n_lines < 2 {
        return None;
    }
    // their vertices within the tolerance, nearest first (then by position, for a fixed order)
    let mut candidates: Vec<(f64, usize, Coord<f64>)> = near
        .iter()
        .flat_map(|&(i, a, b)| [(i, a), (i, b)])
        .map(|(i, c)| (local.dist(c), i, c))
        .filter(|(d, _, _)| *d <= tol)
        .collect();
    candidates.sort_by(|p, q| {
        (p.0, p.2.x, p.2.y, p.1)
            .partial_cmp(&(q.0, q.2.x, q.2.y, q.1))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    candidates.dedup();
    let tree = rstar::RTree::bulk_load(
        near.iter()
            .map(|&(i, a, b)| {
                rstar::primitives::GeomWithData::new(
                    rstar::primitives::Rectangle::from_corners([a.x, a.y], [b.x, b.y]),
                    (i, a, b),
                )
            })
            .collect(),
    );
    // the first that lies on another line: 0.1 m is well under 1e-5 degrees
    let eps = 1e-5 / local.k.max(1e-6);
    candidates.into_iter().find_map(|(_, i, c)| {
        let at_c = Local::at(c);
        let around = rstar::AABB::from_corners([c.x - eps, c.y - eps], [c.x + eps, c.y + eps]);
        tree.locate_in_envelope_intersecting(&around)
            .any(|leg| {
                let (j, a, b) = leg.data;
                j != i && on_leg(&at_c, a, b).1 <= ON_LINE_M
            })
            .then_some(c)
    })
}

/// A line moved near a node that lies off it: points within `radius` metres of `center` are
/// moved by `delta` (degrees) times (1 - distance / radius), so `center` lands on the node.
struct Shift {
    center: Local,
    delta: Coord<f64>,
    radius: f64,
}

impl Shift {
    fn offset(&self, c: Coord<f64>) -> Coord<f64> {
        let r = self.center.dist(c);
        if r < self.radius {
            self.delta * (1.0 - r / self.radius)
        } else {
            Coord { x: 0.0, y: 0.0 }
        }
    }

    /// Where the line crosses the edge of the moved disc, as (position, point): with these as
    /// vertices, every leg leaving the anchor stays straight once moved.
    fn crossings(&self, coords: &[Coord<f64>]) -> Vec<(f64, Coord<f64>)> {
        let mut out = Vec::new();
        for (i, (a, b)) in legs(coords).enumerate() {
            let (p, q) = (self.center.m(a), self.center.m(b));
            let (dx, dy) = (q.0 - p.0, q.1 - p.1);
            let qa = dx * dx + dy * dy;
            let qb = 2.0 * (p.0 * dx + p.1 * dy);
            let qc = p.0 * p.0 + p.1 * p.1 - self.radius * self.radius;
            let disc = qb * qb - 4.0 * qa * qc;
            if qa <= 0.0 || disc <= 0.0 {
                continue;
            }
            for t in [
                (-qb - disc.sqrt()) / (2.0 * qa),
                (-qb + disc.sqrt()) / (2.0 * qa),
            ] {
                if t > 0.0 && t < 1.0 {
                    out.push((i as f64 + t, a + (b - a) * t));
                }
            }
        }
        out
    }
}

/// Where a piece of the line ends at a node: the position along the line, and how the line is
/// moved to meet the node.
struct End {
    pos: f64,
    shift: Option<Shift>,
}

fn end(line: &Line, n: &Node) -> Result<End, String> {
    let (pos, d) = locate_on_line(&line.coords, n.coord);
    if d > n.tolerance_m {
        return Err(format!(
            "node \"{}\" lies {:.2} km from line \"{}\", farther than its tolerance of {:.2} km",
            n.id,
            d / 1000.0,
            line.id,
            n.tolerance_m / 1000.0
        ));
    }
    // the anchor: where the lines meet, if this line goes through it; else the nearest point
    let junction = n
        .junction
        .map(|j| (j, locate_on_line(&line.coords, j)))
        .filter(|(_, (_, dj))| *dj <= ON_LINE_M);
    let (pos, anchor) = match junction {
        Some((j, (pj, _))) => (pj, j),
        None => (pos, point_at(&line.coords, pos).unwrap_or(n.coord)),
    };
    let center = Local::at(anchor);
    let off = center.dist(n.coord);
    let shift = (off >= SNAP_M).then(|| Shift {
        center,
        delta: n.coord - anchor,
        radius: TAPER * off,
    });
    Ok(End { pos, shift })
}

/// The piece of `line` between nodes `a` and `b`, in the line's drawing direction, ending exactly
/// on the nodes' own positions. Errors say which node is off the line and by how much.
///
/// A node off its line (within tolerance) is not simply joined to the line: its first leg could
/// then cross the line, or the other pieces leaving the same node, next to a sharp vertex. The
/// line is moved to the node instead: its anchor (where the lines near the node meet, or else the
/// point of the line nearest the node) goes to the node, and the line around it follows, less and
/// less up to four times that distance. Every line through the anchor is moved by the same
/// one-to-one map of the plane, so the pieces keep their order around the node and cannot cross.
/// A node within 1 m of its anchor leaves the line as drawn (every node of the real data is an
/// exact vertex of its lines).
pub fn cut(line: &Line, a: &Node, b: &Node) -> Result<Vec<Coord<f64>>, String> {
    let (ea, eb) = (end(line, a)?, end(line, b)?);
    if (ea.pos - eb.pos).abs() < 1e-9 {
        return Err(format!(
            "nodes \"{}\" and \"{}\" fall on the same point of line \"{}\"",
            a.id, b.id, line.id
        ));
    }
    let (lo, hi, first, last) = if ea.pos < eb.pos {
        (ea.pos, eb.pos, a.coord, b.coord)
    } else {
        (eb.pos, ea.pos, b.coord, a.coord)
    };
    let shifts: Vec<&Shift> = [&ea, &eb]
        .into_iter()
        .filter_map(|e| e.shift.as_ref())
        .collect();
    let coords = &line.coords;
    let from = (lo.floor().max(0.0) as usize + 1).min(coords.len());
    let to = (hi.ceil().max(0.0) as usize).clamp(from, coords.len());
    let inner = coords.get(from..to).unwrap_or_default();
    let mut out = vec![first];
    if shifts.is_empty() {
        out.extend_from_slice(inner);
    } else {
        let mut pts: Vec<(f64, Coord<f64>)> =
            (from..).zip(inner).map(|(k, c)| (k as f64, *c)).collect();
        for s in &shifts {
            pts.extend(
                s.crossings(coords)
                    .into_iter()
                    .filter(|(p, _)| *p > lo && *p < hi),
            );
        }
        pts.sort_by(|x, y| x.0.total_cmp(&y.0));
        out.extend(pts.into_iter().map(|(_, c)| {
            let moved = shifts
                .iter()
                .fold(Coord { x: 0.0, y: 0.0 }, |m, s| m + s.offset(c));
            c + moved
        }));
    }
    out.push(last);
    out.dedup();
    if out.len() < 2 {
        return Err(format!(
            "the piece of line \"{}\" between \"{}\" and \"{}\" has no length",
            line.id, a.id, b.id
        ));
    }
    Ok(out)
}

/// The junction of every node (see [`junction`]), by node id. A junction nearer another node
/// belongs to that one: a node at a confluence and another a little down the river stay apart.
pub fn junctions(
    lines: &BTreeMap<String, Line>,
    nodes: &BTreeMap<String, Node>,
) -> BTreeMap<String, Coord<f64>> {
    nodes
        .values()
        .filter_map(|n| {
            let j = junction(lines.values(), n)?;
            let at = Local::at(j);
            let own = at.dist(n.coord);
            nodes
                .values()
                .all(|o| o.id == n.id || at.dist(o.coord) >= own)
                .then(|| (n.id.clone(), j))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::line_intersection::{line_intersection, LineIntersection};

    fn line(id: &str, coords: &[(f64, f64)]) -> Line {
        Line {
            id: id.into(),
            file: format!("lines/{id}.geojson"),
            kind: "river".into(),
            coords: coords.iter().map(|&(x, y)| Coord { x, y }).collect(),
            props: Default::default(),
        }
    }

    fn node(id: &str, x: f64, y: f64) -> Node {
        Node {
            id: id.into(),
            coord: Coord { x, y },
            tolerance_m: 1000.0,
            junction: None,
            props: Default::default(),
        }
    }

    /// Whether two pieces meet anywhere but at the node they share.
    fn cross(p: &[Coord<f64>], q: &[Coord<f64>], shared: Coord<f64>) -> bool {
        legs(p).any(|(a, b)| {
            legs(q).any(|(c, d)| {
                match line_intersection(geo::Line::new(a, b), geo::Line::new(c, d)) {
                    Some(LineIntersection::SinglePoint { intersection, .. }) => {
                        intersection != shared
                    }
                    Some(LineIntersection::Collinear { .. }) => true,
                    None => false,
                }
            })
        })
    }

    #[test]
    fn a_node_off_a_sharp_confluence_moves_every_piece_with_it() {
        // a river peaking sharply at the confluence, a ridge leaving it to the north-west, and
        // the confluence node 110 m down the east leg, 5 m off it: inside the river's wedge
        let river = line("river", &[(104.0, 44.0), (105.0, 45.9), (106.0, 44.0)]);
        let ridge = line("ridge", &[(105.0, 45.9), (104.0, 46.5)]);
        let k = 45.9f64.to_radians().cos();
        let mut conf = node(
            "conf",
            105.0 + 33.6 / (111_195.0 * k),
            45.9 - 104.8 / 111_195.0,
        );
        conf.junction = junction([&river, &ridge], &conf);
        assert_eq!(conf.junction, Some(Coord { x: 105.0, y: 45.9 }));
        let (west, east, north) = (
            node("west", 104.0, 44.0),
            node("east", 106.0, 44.0),
            node("north", 104.0, 46.5),
        );
        let pieces = [
            cut(&river, &west, &conf).unwrap(),
            cut(&river, &conf, &east).unwrap(),
            cut(&ridge, &conf, &north).unwrap(),
        ];
        for p in &pieces {
            assert!(p.first() == Some(&conf.coord) || p.last() == Some(&conf.coord));
        }
        for (i, p) in pieces.iter().enumerate() {
            for q in pieces.iter().skip(i + 1) {
                assert!(!cross(p, q, conf.coord), "{p:?} crosses {q:?}");
            }
        }
        // each line moved to its own nearest point instead, the ridge crosses the river
        let plain = |l: &Line, a: &Node, b: &Node| {
            let (mut a, mut b) = (a.clone(), b.clone());
            a.junction = None;
            b.junction = None;
            cut(l, &a, &b).unwrap()
        };
        let river_west = plain(&river, &west, &conf);
        assert!(cross(
            &river_west,
            &plain(&ridge, &conf, &north),
            conf.coord
        ));
    }

    #[test]
    fn nodes_on_their_lines_keep_every_vertex() {
        let river = line("river", &[(0.0, 0.0), (1.0, 0.1), (2.0, 0.0), (3.0, 0.1)]);
        let piece = cut(&river, &node("a", 1.0, 0.1), &node("b", 2.5, 0.05)).unwrap();
        assert_eq!(
            piece,
            [(1.0, 0.1), (2.0, 0.0), (2.5, 0.05)].map(|(x, y)| Coord { x, y })
        );
    }

    #[test]
    fn a_junction_belongs_to_the_nearest_node() {
        // a confluence with a node on it, and another node on the river 800 m downstream
        let river = line("river", &[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)]);
        let tributary = line("tributary", &[(1.0, 1.0), (1.0, 0.0)]);
        let (conf, below) = (
            node("conf", 1.0, 0.0),
            node("below", 1.0 + 800.0 / 111_195.0, 0.0),
        );
        let lines: BTreeMap<String, Line> = [river.clone(), tributary]
            .into_iter()
            .map(|l| (l.id.clone(), l))
            .collect();
        let nodes: BTreeMap<String, Node> = [conf.clone(), below.clone()]
            .into_iter()
            .map(|n| (n.id.clone(), n))
            .collect();
        assert_eq!(junction(lines.values(), &below), Some(conf.coord));
        let js = junctions(&lines, &nodes);
        assert_eq!(js.get("conf"), Some(&conf.coord));
        assert_eq!(js.get("below"), None);
        assert_eq!(
            cut(&river, &conf, &below).unwrap(),
            vec![conf.coord, below.coord]
        );
    }
}
