//! The planar graph works on a grid of micro-degrees (the 6 decimals of every output), in
//! integers: orientation tests are then exact, and a coordinate written out is the one computed.

use geo::Coord;

/// A point on the micro-degree grid: (longitude, latitude) × 10⁶.
pub type P = (i64, i64);

pub fn to_grid(c: Coord<f64>) -> P {
    ((c.x * 1e6).round() as i64, (c.y * 1e6).round() as i64)
}

pub fn from_grid(p: P) -> Coord<f64> {
    Coord {
        x: p.0 as f64 / 1e6,
        y: p.1 as f64 / 1e6,
    }
}

/// Twice the signed area of the triangle abc: > 0 when c lies left of a→b.
pub fn orient(a: P, b: P, c: P) -> i128 {
    let (abx, aby) = ((b.0 - a.0) as i128, (b.1 - a.1) as i128);
    let (acx, acy) = ((c.0 - a.0) as i128, (c.1 - a.1) as i128);
    abx * acy - aby * acx
}

/// Twice the signed area of a closed ring (first point not repeated): > 0 counter-clockwise.
pub fn ring_area2(ring: &[P]) -> i128 {
    let n = ring.len();
    let mut s: i128 = 0;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        s += a.0 as i128 * b.1 as i128 - b.0 as i128 * a.1 as i128;
    }
    s
}

/// Where a point lies relative to a ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Inside,
    Outside,
    Boundary,
}

/// Exact point-in-ring test (ring not closed: first point not repeated).
pub fn locate(p: P, ring: &[P]) -> Position {
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if orient(a, b, p) == 0
            && p.0 >= a.0.min(b.0)
            && p.0 <= a.0.max(b.0)
            && p.1 >= a.1.min(b.1)
            && p.1 <= a.1.max(b.1)
        {
            return Position::Boundary;
        }
        if (a.1 > p.1) != (b.1 > p.1) {
            // x of the crossing compared with p.x, exactly: sign of orient adjusted by direction
            let o = orient(a, b, p);
            if (b.1 > a.1 && o > 0) || (b.1 < a.1 && o < 0) {
                inside = !inside;
            }
        }
    }
    if inside {
        Position::Inside
    } else {
        Position::Outside
    }
}

/// A fast hasher for maps keyed by grid points (a multiply-rotate step per integer, as in
/// FxHash, then MurmurHash3's finaliser so every bit of the key reaches the bits the table
/// uses). The point-keyed maps of noding and of the graph are hot; SipHash's resistance to
/// crafted keys buys nothing for coordinates, and no output depends on a map's order.
#[derive(Debug, Default, Clone, Copy)]
pub struct PointHasher(u64);

impl std::hash::Hasher for PointHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(b));
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_i64(&mut self, x: i64) {
        self.write_u64(x as u64);
    }

    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// A hash map keyed by grid points (or pairs of them), with [`PointHasher`].
pub type PointMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<PointHasher>>;

/// Compares the directions of two vectors by angle, counter-clockwise from the positive x axis.
pub fn angle_cmp(d1: P, d2: P) -> std::cmp::Ordering {
    let half = |d: P| {
        if d.1 > 0 || (d.1 == 0 && d.0 > 0) {
            0
        } else {
            1
        }
    };
    half(d1).cmp(&half(d2)).then_with(|| {
        let cross = d1.0 as i128 * d2.1 as i128 - d1.1 as i128 * d2.0 as i128;
        0.cmp(&cross)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_square() {
        let sq = [(0, 0), (10, 0), (10, 10), (0, 10)];
        assert_eq!(locate((5, 5), &sq), Position::Inside);
        assert_eq!(locate((15, 5), &sq), Position::Outside);
        assert_eq!(locate((10, 5), &sq), Position::Boundary);
        assert_eq!(locate((0, 0), &sq), Position::Boundary);
        assert!(ring_area2(&sq) > 0);
    }

    #[test]
    fn angles_sort_counter_clockwise() {
        let mut v = vec![(0, -1), (-1, 0), (1, 0), (0, 1), (1, 1)];
        v.sort_by(|a, b| angle_cmp(*a, *b));
        assert_eq!(v, vec![(1, 0), (1, 1), (0, 1), (-1, 0), (0, -1)]);
    }
}
