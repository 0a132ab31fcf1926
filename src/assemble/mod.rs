//! Assembly: a treaty's segments → border lines → faces of the frame → territory by status.
//!
//! Each segment is its line cut between two nodes. The segments and the frame's boundary are
//! noded into one planar graph; its faces inside the frame each take the status that the
//! segments bounding them give on their side. Faces with one status are then dissolved along
//! the edges that separate equal statuses, so territories share exact edges and tile the frame.

pub mod area;
pub mod cut;
pub mod graph;
pub mod grid;
pub mod noding;

use crate::error::Problem;
use crate::geodata::{fmt_coord, Geodata, Line, Node, OUTSIDE};
use crate::treaty::{InForce, Treaty, Zone};
use area::AreaCache;
use geo::{Coord, GeodesicArea, InteriorPoint, LineString, MultiLineString, MultiPolygon, Polygon};
use graph::{Face, Graph};
use grid::{from_grid, locate, to_grid, Position, P};
use noding::{Noder, Tag};
use std::collections::HashMap;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};

/// The territory of one status under one treaty.
#[derive(Debug, Clone)]
pub struct Territory {
    pub status: String,
    pub shape: MultiPolygon<f64>,
    pub area_km2: f64,
    /// For each ring edge of `shape`, in order (polygon by polygon, exterior then holes), the
    /// index of the territory on its other side, or [`NO_TERRITORY`] outside the frame: a diff
    /// then takes each border edge once, with both its territories, not once from each.
    pub across: Vec<u16>,
}

/// No territory (the other side of a frame edge), in [`Territory::across`].
pub const NO_TERRITORY: u16 = u16::MAX;

/// A segment as built: the rule, and its geometry clipped to the frame.
#[derive(Debug, Clone)]
pub struct Border {
    pub seg: InForce,
    pub shape: MultiLineString<f64>,
}

#[derive(Debug, Clone)]
pub struct Assembly {
    pub territories: Vec<Territory>,
    pub borders: Vec<Border>,
    pub frame_area_km2: f64,
    /// The geodesic measures of the edges this assembly was measured with, shared with the
    /// other assemblies of its build: a diff's pieces are made of the same edges.
    pub areas: Arc<AreaCache>,
}

impl Assembly {
    /// The status of the territory containing a point, if the point lies in the frame.
    pub fn status_at(&self, lon: f64, lat: f64) -> Option<&str> {
        use geo::Contains;
        let p = geo::Point::new(lon, lat);
        self.territories
            .iter()
            .find(|t| t.shape.contains(&p))
            .map(|t| t.status.as_str())
    }

    /// The status of the territory nearest a point within `max_km` (for places that a 1:10m
    /// coastline leaves just offshore), with the distance in km.
    pub fn status_near(&self, lon: f64, lat: f64, max_km: f64) -> Option<(&str, f64)> {
        if let Some(s) = self.status_at(lon, lat) {
            return Some((s, 0.0));
        }
        let p = Coord { x: lon, y: lat };
        let mut best: Option<(&str, f64)> = None;
        for t in &self.territories {
            for poly in &t.shape.0 {
                for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                    let d = cut::locate_on_line(&ring.0, p).1 / 1000.0;
                    if d <= max_km && best.is_none_or(|(_, b)| d < b) {
                        best = Some((t.status.as_str(), d));
                    }
                }
            }
        }
        best
    }

    /// The distance in km from a point to the nearest border segment of this treaty.
    pub fn distance_to_border_km(&self, lon: f64, lat: f64) -> f64 {
        let p = Coord { x: lon, y: lat };
        self.borders
            .iter()
            .flat_map(|b| b.shape.0.iter())
            .map(|ls| cut::locate_on_line(&ls.0, p).1 / 1000.0)
            .fold(f64::INFINITY, f64::min)
    }
}

fn ring_coords(ring: &[P]) -> LineString<f64> {
    let mut cs: Vec<Coord<f64>> = ring.iter().map(|p| from_grid(*p)).collect();
    if let Some(f) = cs.first().copied() {
        cs.push(f);
    }
    LineString::from(cs)
}

fn face_polygon(f: &Face) -> Polygon<f64> {
    Polygon::new(
        ring_coords(&f.outer.ring),
        f.holes.iter().map(|h| ring_coords(&h.ring)).collect(),
    )
}

fn where_is(f: &Face) -> String {
    match face_polygon(f).interior_point() {
        Some(p) => fmt_coord(p.0),
        None => fmt_coord(from_grid(f.outer.ring[0])),
    }
}

/// Frame rings on the grid, each oriented so the frame's interior is on its left.
pub fn frame_rings(gd: &Geodata) -> Vec<Vec<P>> {
    let mut out = Vec::new();
    if let Some(frame) = &gd.frame {
        for poly in &frame.shape.0 {
            for (k, ls) in std::iter::once(poly.exterior())
                .chain(poly.interiors().iter())
                .enumerate()
            {
                let mut ring: Vec<P> = ls.0.iter().map(|c| to_grid(*c)).collect();
                ring.dedup();
                if ring.len() > 1 && ring.first() == ring.last() {
                    ring.pop();
                }
                let ccw = grid::ring_area2(&ring) > 0;
                // exterior counter-clockwise, holes clockwise: interior on the left of both
                if (k == 0) != ccw {
                    ring.reverse();
                }
                out.push(ring);
            }
        }
    }
    out
}

/// True when a point lies strictly inside the frame.
fn in_frame(p: P, gd: &Geodata, rings: &[Vec<P>]) -> bool {
    let Some(frame) = &gd.frame else { return false };
    let mut idx = 0;
    for poly in &frame.shape.0 {
        let n = 1 + poly.interiors().len();
        let ext = &rings[idx];
        let inside = locate(p, ext) == Position::Inside
            && rings[idx + 1..idx + n]
                .iter()
                .all(|h| locate(p, h) == Position::Outside);
        if inside {
            return true;
        }
        idx += n;
    }
    false
}

/// Edges longer than this (degrees) are densified before measuring: RFC 7946 edges are straight
/// in longitude/latitude, geodesic edges are not, and along a long parallel the two differ.
pub(crate) const AREA_DENSIFY_DEG: f64 = 0.02;

/// Geodesic area in km² (Karney's method on WGS 84, via `geo`) of the shape whose edges are
/// straight in longitude/latitude, as GeoJSON and GIS software draw them.
pub fn area_km2(shape: &MultiPolygon<f64>) -> f64 {
    use geo::{Densify, Euclidean};
    Euclidean
        .densify(shape, AREA_DENSIFY_DEG)
        .geodesic_area_unsigned()
        / 1e6
}

/// Builds one treaty (one reading) from the segments in force.
pub fn assemble(
    gd: &Geodata,
    treaty: &Treaty,
    segs: &[InForce],
    zones: &[Zone],
) -> Result<Assembly, Vec<Problem>> {
    assemble_with(gd, treaty, segs, zones, &Shared::default())
}

/// What the assemblies of one build (of one loaded geodata) share: they are mostly made of the
/// same edges (the frame, inherited segments), so the cutting of each segment, the noding of
/// each piece and pair of pieces ([`Noder`]) and the geodesic measuring of each edge
/// ([`AreaCache`]) are done once, not once per assembly.
#[derive(Default)]
pub struct Shared {
    pub areas: Arc<AreaCache>,
    pub noder: Noder,
    /// Each segment's line cut between its nodes, as a noding piece, by (line, from, to): the
    /// treaties inherit most of their segments.
    cuts: Mutex<HashMap<String, Result<Arc<noding::Piece>, String>>>,
    /// The frame's edges as a noding piece.
    frame: OnceLock<Arc<noding::Piece>>,
}

impl Shared {
    /// The piece of `line` between nodes `a` and `b` (see [`cut::cut`]), cut once per build.
    fn cut(&self, line: &Line, a: &Node, b: &Node) -> Result<Arc<noding::Piece>, String> {
        let key = format!("{}\u{0}{}\u{0}{}", line.id, a.id, b.id);
        let lock = || self.cuts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = lock().get(&key) {
            return r.clone();
        }
        let r = cut::cut(line, a, b).map(|coords| {
            let mut pts: Vec<P> = coords.iter().map(|c| to_grid(*c)).collect();
            pts.dedup();
            self.noder
                .piece(pts.windows(2).map(|w| (w[0], w[1])).collect())
        });
        lock().insert(key, r.clone());
        r
    }
}

/// [`assemble`], sharing work with the other assemblies of a build through `shared`. The result
/// is the same.
pub fn assemble_with(
    gd: &Geodata,
    treaty: &Treaty,
    segs: &[InForce],
    zones: &[Zone],
    shared: &Shared,
) -> Result<Assembly, Vec<Problem>> {
    let file = treaty.file.as_str();
    let mut problems = Vec::new();
    let Some(frame) = &gd.frame else {
        return Err(vec![Problem::new(
            "frame.geojson",
            "there is no usable study-area frame",
            "fix frame.geojson first",
        )]);
    };
    let rings = frame_rings(gd);
    let frame_piece = shared.frame.get_or_init(|| {
        let mut frame_edges: Vec<(P, P)> = Vec::new();
        for ring in &rings {
            for i in 0..ring.len() {
                frame_edges.push((ring[i], ring[(i + 1) % ring.len()]));
            }
        }
        shared.noder.piece(frame_edges)
    });
    // the noding input: the frame's edges, then each segment's (`None` tags them Frame)
    let mut input: Vec<(Arc<noding::Piece>, Option<usize>)> = vec![(frame_piece.clone(), None)];
    for (si, s) in segs.iter().enumerate() {
        let r = &s.rule;
        let item = format!("segment \"{}\"", r.id);
        let (Some(line), Some(a), Some(b)) = (
            gd.lines.get(&r.line),
            gd.nodes.get(&r.from),
            gd.nodes.get(&r.to),
        ) else {
            problems.push(
                Problem::new(
                    file,
                    format!(
                        "line \"{}\" or node \"{}\"/\"{}\" is missing",
                        r.line, r.from, r.to
                    ),
                    "see the problems above",
                )
                .at(item),
            );
            continue;
        };
        match shared.cut(line, a, b) {
            Ok(piece) => input.push((piece, Some(si))),
            Err(msg) => problems.push(Problem::new(file, msg, "move the node onto the line, raise its `tolerance_m`, or correct the rule's line").at(item)),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let edges = shared.noder.node(&input);
    let (g, pruned) = Graph::build(edges);

    // A segment end that touches nothing inside the frame leaves the border open.
    let mut loose: BTreeSet<usize> = BTreeSet::new();
    for &(e, free) in &pruned {
        let edge = &g.edges[e];
        for (tag, _) in &edge.tags {
            if let Tag::Seg { seg, .. } = tag {
                if loose.contains(seg) || !free {
                    continue;
                }
                let mid = ((edge.a.0 + edge.b.0) / 2, (edge.a.1 + edge.b.1) / 2);
                if in_frame(mid, gd, &rings) {
                    loose.insert(*seg);
                    let r = &segs[*seg].rule;
                    // the free end is the edge's end that touches nothing else
                    let end = if g.degree0_of_ends(e).0 == 1 {
                        edge.a
                    } else {
                        edge.b
                    };
                    let at = [&r.from, &r.to]
                        .into_iter()
                        .find(|n| gd.nodes.get(*n).is_some_and(|n| to_grid(n.coord) == end))
                        .map(|n| format!("at node \"{n}\" ({})", fmt_coord(from_grid(end))))
                        .unwrap_or_else(|| format!("near {}", fmt_coord(from_grid(end))));
                    problems.push(
                        Problem::new(
                            file,
                            format!("the segment ends in the open {at}: it neither reaches the frame's edge nor meets another segment of this treaty"),
                            "end it at a node shared with the next segment, or run its line out to the frame's edge",
                        )
                        .at(format!("segment \"{}\"", r.id)),
                    );
                }
            }
        }
    }

    // faces next to an open border would only repeat the same mistake
    if !problems.is_empty() {
        return Err(problems);
    }
    let cycles = g.cycles(|h| g.alive[h / 2]);
    let faces = graph::faces(cycles);
    let mut face_of: Vec<Option<usize>> = vec![None; g.edges.len() * 2];
    for (i, f) in faces.iter().enumerate() {
        for h in f.halves() {
            face_of[h] = Some(i);
        }
    }
    // Inside or outside the frame: decided on frame edges, carried across segment edges.
    let mut inside: Vec<Option<bool>> = vec![None; faces.len()];
    let mut queue = VecDeque::new();
    for (i, f) in faces.iter().enumerate() {
        for h in f.halves() {
            let e = &g.edges[h / 2];
            if let Some((_, fwd)) = e.tags.iter().find(|(t, _)| *t == Tag::Frame) {
                inside[i] = Some(*fwd == (h % 2 == 0));
                queue.push_back(i);
                break;
            }
        }
    }
    while let Some(i) = queue.pop_front() {
        let state = inside[i];
        for h in faces[i].halves() {
            if g.edges[h / 2].tags.iter().any(|(t, _)| *t == Tag::Frame) {
                continue;
            }
            if let Some(j) = face_of[h ^ 1] {
                if inside[j].is_none() {
                    inside[j] = state;
                    queue.push_back(j);
                }
            }
        }
    }

    // Label each face inside the frame.
    let mut status: Vec<Option<String>> = vec![None; faces.len()];
    for (i, f) in faces.iter().enumerate() {
        if inside[i] != Some(true) {
            continue;
        }
        // status → (segment, runs with the face's half-edge) of the segments giving it; the
        // words for the messages are made only when there is a problem
        let mut by_seg: BTreeMap<&str, BTreeSet<(usize, bool)>> = BTreeMap::new();
        for h in f.halves() {
            for (tag, fwd) in &g.edges[h / 2].tags {
                if let Tag::Seg { seg, .. } = tag {
                    let r = &segs[*seg].rule;
                    // the face lies left of h; h runs with the segment when its direction matches
                    let with_line = *fwd == (h % 2 == 0);
                    let st = if with_line { &r.left } else { &r.right };
                    by_seg.entry(st).or_default().insert((*seg, with_line));
                }
            }
        }
        let who = |seg: usize, with_line: bool| {
            let r = &segs[seg].rule;
            let side = if with_line { "left" } else { "right" };
            let origin = &segs[seg].origin;
            let from = if *origin != treaty.id {
                format!(", from {origin}")
            } else {
                String::new()
            };
            format!("\"{}\" ({side}{from})", r.id)
        };
        let mut given: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let simple = by_seg.len() == 1 && !by_seg.contains_key(OUTSIDE);
        if simple {
            // the usual case: one status, nothing to explain
            given.extend(by_seg.keys().map(|st| (st.to_string(), BTreeSet::new())));
        } else {
            for (st, list) in &by_seg {
                given
                    .entry(st.to_string())
                    .or_default()
                    .extend(list.iter().map(|&(seg, w)| who(seg, w)));
            }
        }
        if given.is_empty() {
            let poly = face_polygon(f);
            for z in zones {
                let p = to_grid(Coord {
                    x: z.at[0],
                    y: z.at[1],
                });
                if locate(p, &f.outer.ring) == Position::Inside
                    && f.holes
                        .iter()
                        .all(|h| locate(p, &h.ring) == Position::Outside)
                {
                    given
                        .entry(z.status.clone())
                        .or_default()
                        .insert("a [[zone]]".into());
                }
            }
            let _ = poly;
        }
        if given.contains_key(OUTSIDE) {
            problems.push(Problem::new(file, format!("segment {} says \"outside\", but the face near {} on that side lies inside the frame", given[OUTSIDE].iter().cloned().collect::<Vec<_>>().join(", "), where_is(f)), "give that side a real status, or check that the frame ends along this segment"));
            continue;
        }
        match given.len() {
            1 => status[i] = given.into_keys().next(),
            0 => problems.push(Problem::new(file, format!("the face near {} ({:.0} km²) gets no status: no segment of this treaty bounds it", where_is(f), area_km2(&MultiPolygon(vec![face_polygon(f)]))), "close the border around it with segments, or add a [[zone]] with a status and a point inside it")),
            _ => {
                let detail: Vec<String> = given.iter().map(|(s, who)| format!("{s} from {}", who.iter().cloned().collect::<Vec<_>>().join(", "))).collect();
                problems.push(Problem::new(file, format!("the face near {} gets two statuses: {}", where_is(f), detail.join("; ")), "make the segments around that face agree, or close the border between them"));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // Dissolve faces of one status into territories.
    let face_status = |h: usize| -> Option<&str> { face_of[h].and_then(|i| status[i].as_deref()) };
    let statuses: BTreeSet<&str> = status.iter().flatten().map(|s| s.as_str()).collect();
    let index: BTreeMap<&str, u16> = statuses.iter().zip(0..).map(|(s, i)| (*s, i)).collect();
    let mut territories = Vec::new();
    for st in &statuses {
        let (shape, across) = dissolve_across(
            &g,
            |h| face_status(h) == Some(st),
            |h| {
                face_status(h)
                    .and_then(|s| index.get(s).copied())
                    .unwrap_or(NO_TERRITORY)
            },
        );
        let area = shared.areas.km2(&shape);
        territories.push(Territory {
            status: st.to_string(),
            shape,
            area_km2: area,
            across,
        });
    }

    // Borders: each segment's edges inside the frame, in order along it.
    let mut pieces: Vec<Vec<Piece>> = vec![Vec::new(); segs.len()];
    for (i, e) in g.edges.iter().enumerate() {
        if !g.alive[i] {
            continue;
        }
        let in_a = face_of[2 * i].is_some_and(|f| inside[f] == Some(true));
        let in_b = face_of[2 * i + 1].is_some_and(|f| inside[f] == Some(true));
        if !(in_a || in_b) {
            continue;
        }
        for (tag, fwd) in &e.tags {
            if let Tag::Seg { seg, order } = tag {
                let (p, q) = if *fwd { (e.a, e.b) } else { (e.b, e.a) };
                pieces[*seg].push((*order, p, q));
            }
        }
    }
    let mut borders = Vec::new();
    for (si, mut ps) in pieces.into_iter().enumerate() {
        ps.sort();
        let mut lines: Vec<Vec<P>> = Vec::new();
        for (_, p, q) in ps {
            match lines.last_mut() {
                Some(l) if l.last() == Some(&p) => l.push(q),
                _ => lines.push(vec![p, q]),
            }
        }
        let shape = MultiLineString(
            lines
                .into_iter()
                .map(|l| LineString::from(l.into_iter().map(from_grid).collect::<Vec<_>>()))
                .collect(),
        );
        borders.push(Border {
            seg: segs[si].clone(),
            shape,
        });
    }
    let frame_area_km2 = frame.area_km2;
    Ok(Assembly {
        territories,
        borders,
        frame_area_km2,
        areas: shared.areas.clone(),
    })
}

/// The union of the faces whose half-edges `inside` accepts, as polygons with holes: traced along
/// the half-edges with such a face on their left and another (or none) on their right, so the
/// result shares its edges exactly with the faces around it. Rings start at their smallest vertex
/// and polygons come in the order of their smallest vertex, so the output does not depend on
/// the order of the graph.
pub(crate) fn dissolve(g: &Graph, inside: impl Fn(usize) -> bool) -> MultiPolygon<f64> {
    dissolve_across(g, inside, |_| NO_TERRITORY).0
}

/// [`dissolve`], with `across` of each ring edge's twin half-edge, edge by edge in the order of
/// the rings' coordinates.
pub(crate) fn dissolve_across(
    g: &Graph,
    inside: impl Fn(usize) -> bool,
    across: impl Fn(usize) -> u16,
) -> (MultiPolygon<f64>, Vec<u16>) {
    let boundary = |h: usize| g.alive[h / 2] && inside(h) && !inside(h ^ 1);
    let rings = g.cycles(boundary);
    let (shells, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|c| c.area2 > 0);
    type Ring = (Vec<P>, Vec<usize>);
    let mut polys: Vec<(Ring, Vec<Ring>)> = shells
        .into_iter()
        .map(|c| ((c.ring, c.halves), Vec::new()))
        .collect();
    for h in holes {
        let mut best: Option<(usize, i128)> = None;
        for (i, ((shell, _), _)) in polys.iter().enumerate() {
            let a = grid::ring_area2(shell);
            if best.is_some_and(|(_, b)| b <= a) {
                continue;
            }
            if graph::contains(shell, &h.ring) {
                best = Some((i, a));
            }
        }
        if let Some((i, _)) = best {
            polys[i].1.push((h.ring, h.halves));
        }
    }
    polys.sort_by(|a, b| a.0 .0.iter().min().cmp(&b.0 .0.iter().min()));
    let mut edges_across = Vec::new();
    let mut ring = |(pts, halves): Ring| {
        let (pts, halves) = canonical_start(pts, halves);
        edges_across.extend(halves.iter().map(|&h| across(h ^ 1)));
        ring_coords(&pts)
    };
    let shape = MultiPolygon(
        polys
            .into_iter()
            .map(|(shell, mut hs)| {
                hs.sort_by(|a, b| a.0.iter().min().cmp(&b.0.iter().min()));
                let exterior = ring(shell);
                Polygon::new(exterior, hs.into_iter().map(&mut ring).collect())
            })
            .collect(),
    );
    (shape, edges_across)
}

/// A piece of a segment: its order along the segment and its two ends.
type Piece = ((u32, u32), P, P);

/// Starts a ring (and its half-edges, the edge leaving each vertex) at its smallest vertex, so the
/// output does not depend on hash order.
fn canonical_start(mut ring: Vec<P>, mut halves: Vec<usize>) -> (Vec<P>, Vec<usize>) {
    if let Some((k, _)) = ring.iter().enumerate().min_by_key(|(_, p)| **p) {
        ring.rotate_left(k);
        halves.rotate_left(k);
    }
    (ring, halves)
}
