//! Cutting a line between two nodes: the piece of a river or ridge a treaty segment follows.

use crate::geodata::{Line, Node};
use geo::Coord;

const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Where a point projects onto a line: position along it (vertex index + fraction) and the
/// distance in metres (local equirectangular approximation, ample for tolerances of metres to
/// kilometres).
pub fn locate_on_line(coords: &[Coord<f64>], p: Coord<f64>) -> (f64, f64) {
    let k = p.y.to_radians().cos();
    let proj = |c: Coord<f64>| {
        (
            (c.x - p.x).to_radians() * k * EARTH_RADIUS_M,
            (c.y - p.y).to_radians() * EARTH_RADIUS_M,
        )
    };
    let mut best = (0.0, f64::INFINITY);
    for (i, w) in coords.windows(2).enumerate() {
        let (a, b) = (proj(w[0]), proj(w[1]));
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (x, y) = (a.0 + t * dx, a.1 + t * dy);
        let d = (x * x + y * y).sqrt();
        if d < best.1 {
            best = (i as f64 + t, d);
        }
    }
    best
}

/// The piece of `line` between nodes `a` and `b`, in the line's drawing direction, ending exactly
/// on the nodes' own positions. Errors say which node is off the line and by how much.
pub fn cut(line: &Line, a: &Node, b: &Node) -> Result<Vec<Coord<f64>>, String> {
    let (pa, da) = locate_on_line(&line.coords, a.coord);
    let (pb, db) = locate_on_line(&line.coords, b.coord);
    for (n, d) in [(a, da), (b, db)] {
        if d > n.tolerance_m {
            return Err(format!(
                "node \"{}\" lies {:.2} km from line \"{}\", farther than its tolerance of {:.2} km",
                n.id,
                d / 1000.0,
                line.id,
                n.tolerance_m / 1000.0
            ));
        }
    }
    if (pa - pb).abs() < 1e-9 {
        return Err(format!(
            "nodes \"{}\" and \"{}\" fall on the same point of line \"{}\"",
            a.id, b.id, line.id
        ));
    }
    let (lo, hi, first, last, d_first, d_last) = if pa < pb {
        (pa, pb, a.coord, b.coord, da, db)
    } else {
        (pb, pa, b.coord, a.coord, db, da)
    };
    // A node off its line (within tolerance) would otherwise join the line at a vertex that may
    // lie behind it, making a kink that other segments leaving the same node can cross: vertices
    // closer to an end node than four times its distance from the line are dropped, so every
    // piece leaves the node in one straight leg (nodes on their lines, within 1 m, keep all).
    let near =
        |c: Coord<f64>, n: Coord<f64>, d: f64| d > 1.0 && locate_on_line(&[c, c], n).1 < 4.0 * d;
    let mut out = vec![first];
    for (k, c) in line.coords.iter().enumerate() {
        let kf = k as f64;
        if kf > lo && kf < hi && !near(*c, first, d_first) && !near(*c, last, d_last) {
            out.push(*c);
        }
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
