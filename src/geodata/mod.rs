//! Loading and validating `geodata/`: lines, nodes, frame, places and the status vocabulary.
//! The treaty rules are loaded by [`crate::treaty`].

// user-controlled data: no indexing that could panic (see lib.rs)
#![deny(clippy::indexing_slicing)]

pub mod read;

use crate::error::Problem;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::GeometryValue;
use read::{coord, features, parse_geojson, read_text, valid_id, Props};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A digitised line. Its coordinates run in the drawing direction (rivers downstream).
#[derive(Debug, Clone)]
pub struct Line {
    pub id: String,
    pub file: String,
    pub kind: String,
    pub coords: Vec<Coord<f64>>,
    pub props: Map<String, Value>,
}

/// A named point where segments start and end.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub coord: Coord<f64>,
    pub tolerance_m: f64,
    /// Where the lines within its tolerance meet, if they do: the point the node stands for,
    /// where the cut anchors the lines through it ([`crate::assemble::cut::junction`]).
    pub junction: Option<Coord<f64>>,
    pub props: Map<String, Value>,
}

/// A point of interest (fort, town, port).
#[derive(Debug, Clone)]
pub struct Place {
    pub id: String,
    pub coord: Coord<f64>,
    pub props: Map<String, Value>,
}

/// The study area all territories tile.
#[derive(Debug, Clone)]
pub struct Frame {
    pub shape: MultiPolygon<f64>,
    /// Its geodesic area, measured once.
    pub area_km2: f64,
    pub props: Map<String, Value>,
}

/// One word of the status vocabulary, from `statuses.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub id: String,
    pub label: crate::treaty::Names,
    pub description: String,
    pub color: String,
    #[serde(default)]
    pub hatch: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusFile {
    status: Vec<Status>,
}

/// The status word for the side of a segment that faces out of the frame (Korea beyond the Tumen).
pub const OUTSIDE: &str = "outside";

pub const LINE_KINDS: &[&str] = &[
    "river",
    "ridge",
    "survey-line",
    "lake-crossing",
    "coast",
    "proxy",
];
pub const DEFAULT_TOLERANCE_M: f64 = 1000.0;

/// Everything in `geodata/` but the treaties.
#[derive(Debug, Clone)]
pub struct Geodata {
    pub lines: BTreeMap<String, Line>,
    pub nodes: BTreeMap<String, Node>,
    pub places: BTreeMap<String, Place>,
    pub frame: Option<Frame>,
    pub statuses: Vec<Status>,
    /// What failed to load, so that rules using it are not blamed a second time.
    pub broken: Broken,
}

/// Inputs that failed to load (their problems are already reported). A rule naming them gets no
/// further "does not exist" error: one mistake, one line.
#[derive(Debug, Clone, Default)]
pub struct Broken {
    pub lines: BTreeSet<String>,
    pub nodes: Subset,
    pub places: Subset,
    pub statuses: bool,
    pub treaties: BTreeSet<String>,
}

/// The features of one file that failed: all of them, or those with these ids.
#[derive(Debug, Clone, Default)]
pub struct Subset {
    pub all: bool,
    pub ids: BTreeSet<String>,
}

impl Subset {
    pub fn contains(&self, id: &str) -> bool {
        self.all || self.ids.contains(id)
    }
}

impl Geodata {
    pub fn status(&self, id: &str) -> Option<&Status> {
        self.statuses.iter().find(|s| s.id == id)
    }
}

/// Loads every geodata file but the treaties, collecting all problems.
pub fn load(dir: &Path, problems: &mut Vec<Problem>) -> Geodata {
    let mut gd = Geodata {
        lines: BTreeMap::new(),
        nodes: BTreeMap::new(),
        places: BTreeMap::new(),
        frame: None,
        statuses: Vec::new(),
        broken: Broken::default(),
    };
    load_statuses(dir, &mut gd, problems);
    // the frame (dense, and checked for crossings) loads beside the lines, nodes and places; its
    // problems are reported after theirs, as before
    let mut frame_problems = Vec::new();
    let frame = std::thread::scope(|scope| {
        let frame = scope.spawn(|| load_frame(dir, &mut frame_problems));
        load_rest(dir, &mut gd, problems);
        frame.join().ok().flatten()
    });
    problems.extend(frame_problems);
    gd.frame = frame;
    check_river_directions(&gd, problems);
    for (id, j) in crate::assemble::cut::junctions(&gd.lines, &gd.nodes) {
        if let Some(n) = gd.nodes.get_mut(&id) {
            n.junction = Some(j);
        }
    }
    gd
}

/// Lines, nodes and places.
fn load_rest(dir: &Path, gd: &mut Geodata, problems: &mut Vec<Problem>) {
    load_lines(dir, gd, problems);
    gd.broken.nodes = load_points(dir, "nodes.geojson", problems, |id, coord, props, p| {
        let item = format!("node \"{id}\"");
        let pr = Props {
            map: &props,
            file: "nodes.geojson",
            item,
        };
        pr.string("name_en", p);
        pr.string("kind", p);
        pr.string("source", p);
        let tolerance_m = match pr.opt_number("tolerance_m", p) {
            Some(t) if t.is_finite() && t >= 0.0 => t,
            Some(t) => {
                p.push(
                    Problem::new(
                        "nodes.geojson",
                        format!(
                            "`tolerance_m` is {t}; it must be zero or a positive number of metres"
                        ),
                        "e.g. 500",
                    )
                    .at(format!("node \"{id}\"")),
                );
                DEFAULT_TOLERANCE_M
            }
            None => DEFAULT_TOLERANCE_M,
        };
        if gd.nodes.contains_key(&id) {
            p.push(dup("nodes.geojson", "node", &id));
        }
        gd.nodes.insert(
            id.clone(),
            Node {
                id,
                coord,
                tolerance_m,
                junction: None,
                props,
            },
        );
    });
    gd.broken.places = load_points(dir, "places.geojson", problems, |id, coord, props, p| {
        let pr = Props {
            map: &props,
            file: "places.geojson",
            item: format!("place \"{id}\""),
        };
        pr.string("name_en", p);
        pr.string("kind", p);
        pr.string("source", p);
        if gd.places.contains_key(&id) {
            p.push(dup("places.geojson", "place", &id));
        }
        gd.places.insert(id.clone(), Place { id, coord, props });
    });
}

/// A river that starts at a node of kind `mouth`, or ends at one of kind `source`, is drawn
/// upstream: its left and right banks would be swapped in every rule that follows it.
fn check_river_directions(gd: &Geodata, problems: &mut Vec<Problem>) {
    for line in gd.lines.values().filter(|l| l.kind == "river") {
        let (Some(first), Some(last)) = (line.coords.first(), line.coords.last()) else {
            continue;
        };
        for node in gd.nodes.values() {
            let kind = node
                .props
                .get("kind")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let near = |c: &Coord<f64>| {
                crate::assemble::cut::locate_on_line(&[*c, *c], node.coord).1 <= node.tolerance_m
            };
            let wrong_end = match kind {
                "mouth" if near(first) => Some("starts at"),
                "source" if near(last) => Some("ends at"),
                _ => None,
            };
            if let Some(end) = wrong_end {
                problems.push(
                    Problem::new(
                        &line.file,
                        format!(
                            "the river {end} the {kind} node \"{}\": it is drawn upstream",
                            node.id
                        ),
                        "reverse its coordinates so it runs from source to mouth",
                    )
                    .at(format!("line \"{}\"", line.id)),
                );
            }
        }
    }
}

fn dup(file: &str, what: &str, id: &str) -> Problem {
    Problem::new(
        file,
        format!("two {what}s have the id \"{id}\""),
        "give each a unique id",
    )
    .at(format!("{what} \"{id}\""))
}

fn load_statuses(dir: &Path, gd: &mut Geodata, problems: &mut Vec<Problem>) {
    let shown = "statuses.toml";
    let text = match read_text(&dir.join(shown), shown) {
        Ok(t) => t,
        Err(p) => {
            gd.broken.statuses = true;
            return problems.push(p);
        }
    };
    match toml::from_str::<StatusFile>(&text) {
        Ok(f) => {
            for s in &f.status {
                if !valid_id(&s.id) {
                    problems.push(Problem::new(
                        shown,
                        format!("status id \"{}\" is not a plain id", s.id),
                        "use lowercase letters, digits, - and _",
                    ));
                }
                if s.id == OUTSIDE {
                    problems.push(Problem::new(
                        shown,
                        "\"outside\" is reserved for the side of a segment facing out of the frame",
                        "rename the status",
                    ));
                }
            }
            gd.statuses = f.status;
        }
        Err(e) => {
            gd.broken.statuses = true;
            problems.push(crate::treaty::toml_problem(shown, &text, &e))
        }
    }
}

fn load_lines(dir: &Path, gd: &mut Geodata, problems: &mut Vec<Problem>) {
    let ldir = dir.join("lines");
    let mut files: Vec<_> = match std::fs::read_dir(&ldir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(e) => {
            return problems.push(Problem::new(
                "lines/",
                format!("cannot read the folder: {e}"),
                "create geodata/lines/ with one .geojson file per line",
            ));
        }
    };
    files.retain(|p| p.extension().is_some_and(|x| x == "geojson"));
    files.sort();
    // a line whose file has any problem is not loaded: remember it, so rules are not blamed too
    for path in &files {
        if let Some(stem) = path.file_stem() {
            gd.broken.lines.insert(stem.to_string_lossy().to_string());
        }
    }
    // the files are read, parsed and checked on every core (parsing dominates loading dense
    // lines); their lines and problems are then taken in file order, as one thread would
    for loaded in crate::parallel::in_order(&files, |p| load_line(p)) {
        let Some((line, found)) = loaded else {
            problems.push(Problem::new(
                "lines/",
                "a loading thread stopped unexpectedly",
                "run the build again; report it if it repeats",
            ));
            continue;
        };
        problems.extend(found);
        if let Some(line) = line {
            gd.broken.lines.remove(&line.id);
            gd.lines.insert(line.id.clone(), line);
        }
    }
}

/// One line file: the line, if the file has no problem, and the file's problems.
fn load_line(path: &Path) -> (Option<Line>, Vec<Problem>) {
    let mut found = Vec::new();
    let problems = &mut found;
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let shown = format!("lines/{stem}.geojson");
    let text = match read_text(path, &shown) {
        Ok(t) => t,
        Err(p) => return (None, vec![p]),
    };
    let feats = match parse_geojson(&text, &shown).and_then(|g| features(g, &shown)) {
        Ok(f) => f,
        Err(p) => return (None, vec![p]),
    };
    if feats.len() != 1 {
        return (
            None,
            vec![Problem::new(
                &shown,
                format!(
                    "holds {} features; a line file holds exactly one",
                    feats.len()
                ),
                "put each line in its own file named after its id",
            )],
        );
    }
    let Some((geom, props)) = feats.into_iter().next() else {
        return (None, found);
    };
    {
        let item = format!("line \"{stem}\"");
        let n_before = problems.len();
        let pr = Props {
            map: &props,
            file: &shown,
            item: item.clone(),
        };
        let id = pr.string("id", problems);
        if !id.is_empty() && id != stem {
            problems.push(
                Problem::new(
                    &shown,
                    format!("its `id` is \"{id}\" but the file is named \"{stem}.geojson\""),
                    "make the file name and the id the same",
                )
                .at(&item),
            );
        }
        if !valid_id(&stem) {
            problems.push(
                Problem::new(
                    &shown,
                    "the line id is not a plain id",
                    "use lowercase letters, digits, - and _ in the file name and id",
                )
                .at(&item),
            );
        }
        pr.string("name_en", problems);
        pr.string("source", problems);
        pr.string("scale", problems);
        let kind = pr.string("kind", problems);
        if !kind.is_empty() && !LINE_KINDS.contains(&kind.as_str()) {
            problems.push(
                Problem::new(
                    &shown,
                    format!("unknown kind \"{kind}\""),
                    format!("use one of: {}", LINE_KINDS.join(", ")),
                )
                .at(&item),
            );
        }
        if kind == "river" {
            match pr.opt_string("direction", problems).as_deref() {
                Some("downstream") => {}
                Some(other) => problems.push(Problem::new(&shown, format!("river direction is \"{other}\"; rivers must be drawn downstream"), "reverse the coordinates so the first vertex is upstream, and set \"direction\": \"downstream\"").at(&item)),
                None => problems.push(Problem::new(&shown, "a river must say `\"direction\": \"downstream\"`", "draw it from source to mouth and add the property").at(&item)),
            }
        }
        let coords = match geom {
            Some(GeometryValue::LineString { coordinates }) => {
                let mut out = Vec::with_capacity(coordinates.len());
                let mut bad = false;
                for p in &coordinates {
                    match coord(p) {
                        Ok(c) => out.push(c),
                        Err(msg) => {
                            bad = true;
                            problems
                                .push(Problem::new(&shown, msg, "fix the coordinate").at(&item));
                            break;
                        }
                    }
                }
                out.dedup();
                if out.len() < 2 && !bad {
                    problems.push(
                        Problem::new(
                            &shown,
                            format!(
                                "the line has {} distinct position(s); a line needs at least two",
                                out.len()
                            ),
                            "digitise the whole line",
                        )
                        .at(&item),
                    );
                }
                out
            }
            Some(other) => {
                problems.push(
                    Problem::new(
                        &shown,
                        format!("geometry is a {}, not a LineString", other.type_name()),
                        "store the line as one LineString (merge multi-part lines in order)",
                    )
                    .at(&item),
                );
                Vec::new()
            }
            None => {
                problems.push(
                    Problem::new(&shown, "the feature has no geometry", "add the LineString")
                        .at(&item),
                );
                Vec::new()
            }
        };
        if problems.len() == n_before {
            if let Some(p) = self_crossing(&coords) {
                problems.push(
                    Problem::new(
                        &shown,
                        format!("the line crosses itself near {}", fmt_coord(p)),
                        "redraw that stretch so the line does not loop over itself",
                    )
                    .at(&item),
                );
            }
        }
        if problems.len() == n_before {
            let line = Line {
                id: stem,
                file: shown,
                kind,
                coords,
                props,
            };
            return (Some(line), found);
        }
    }
    (None, found)
}

/// Finds a crossing of two non-adjacent segments of one line (a digitising slip).
fn self_crossing(coords: &[Coord<f64>]) -> Option<Coord<f64>> {
    let segs: Vec<_> = coords
        .iter()
        .copied()
        .zip(coords.iter().skip(1).copied())
        .collect();
    crate::assemble::noding::first_crossing(&segs)
}

pub fn fmt_coord(c: Coord<f64>) -> String {
    format!(
        "{:.4}°{}, {:.4}°{}",
        c.y.abs(),
        if c.y >= 0.0 { "N" } else { "S" },
        c.x.abs(),
        if c.x >= 0.0 { "E" } else { "W" }
    )
}

fn load_points(
    dir: &Path,
    file: &str,
    problems: &mut Vec<Problem>,
    mut add: impl FnMut(String, Coord<f64>, Map<String, Value>, &mut Vec<Problem>),
) -> Subset {
    let mut failed = Subset::default();
    let text = match read_text(&dir.join(file), file) {
        Ok(t) => t,
        Err(p) => {
            problems.push(p);
            failed.all = true;
            return failed;
        }
    };
    let feats = match parse_geojson(&text, file).and_then(|g| features(g, file)) {
        Ok(f) => f,
        Err(p) => {
            problems.push(p);
            failed.all = true;
            return failed;
        }
    };
    for (i, (geom, props)) in feats.into_iter().enumerate() {
        let id = match props.get("id") {
            Some(Value::String(s)) if valid_id(s) => s.clone(),
            Some(Value::String(s)) => {
                problems.push(Problem::new(
                    file,
                    format!("feature {} has id \"{s}\", not a plain id", i + 1),
                    "use lowercase letters, digits, - and _",
                ));
                failed.ids.insert(s.clone());
                failed.ids.insert(s.to_lowercase().replace(' ', "-"));
                continue;
            }
            _ => {
                problems.push(Problem::new(
                    file,
                    format!("feature {} has no string `id` property", i + 1),
                    "give every feature a unique id",
                ));
                failed.all = true;
                continue;
            }
        };
        let c = match geom {
            Some(GeometryValue::Point { coordinates }) => match coord(&coordinates) {
                Ok(c) => c,
                Err(msg) => {
                    problems.push(
                        Problem::new(file, msg, "fix the coordinate").at(format!("\"{id}\"")),
                    );
                    failed.ids.insert(id);
                    continue;
                }
            },
            Some(other) => {
                problems.push(
                    Problem::new(
                        file,
                        format!("geometry is a {}, not a Point", other.type_name()),
                        "store it as a Point",
                    )
                    .at(format!("\"{id}\"")),
                );
                failed.ids.insert(id);
                continue;
            }
            None => {
                problems.push(
                    Problem::new(file, "the feature has no geometry", "add its Point")
                        .at(format!("\"{id}\"")),
                );
                failed.ids.insert(id);
                continue;
            }
        };
        add(id, c, props, problems);
    }
    failed
}

fn load_frame(dir: &Path, problems: &mut Vec<Problem>) -> Option<Frame> {
    let file = "frame.geojson";
    let text = read_text(&dir.join(file), file)
        .map_err(|p| problems.push(p))
        .ok()?;
    let feats = parse_geojson(&text, file)
        .and_then(|g| features(g, file))
        .map_err(|p| problems.push(p))
        .ok()?;
    if feats.len() != 1 {
        problems.push(Problem::new(
            file,
            format!("holds {} features; the frame is exactly one", feats.len()),
            "merge the study area into one Polygon or MultiPolygon feature",
        ));
        return None;
    }
    let (geom, props) = feats.into_iter().next()?;
    let polys: Vec<Vec<Vec<geojson::Position>>> = match geom {
        Some(GeometryValue::Polygon { coordinates }) => vec![coordinates],
        Some(GeometryValue::MultiPolygon { coordinates }) => coordinates,
        Some(other) => {
            problems.push(Problem::new(
                file,
                format!(
                    "geometry is a {}, not a Polygon or MultiPolygon",
                    other.type_name()
                ),
                "store the study area as a polygon",
            ));
            return None;
        }
        None => {
            problems.push(Problem::new(
                file,
                "the feature has no geometry",
                "add the study-area polygon",
            ));
            return None;
        }
    };
    let mut out = Vec::new();
    for rings in polys {
        let mut lr = Vec::new();
        for ring in rings {
            let mut cs = Vec::new();
            for p in &ring {
                match coord(p) {
                    Ok(c) => cs.push(c),
                    Err(msg) => {
                        problems.push(Problem::new(file, msg, "fix the coordinate"));
                        return None;
                    }
                }
            }
            cs.dedup();
            if cs.first() != cs.last() {
                problems.push(Problem::new(
                    file,
                    "a ring is not closed: its last position differs from its first",
                    "close every ring: its last position repeats the first",
                ));
                return None;
            }
            if cs.len() < 4 {
                problems.push(Problem::new(
                    file,
                    format!(
                        "a ring has {} distinct position(s); a ring needs at least 3",
                        cs.len().saturating_sub(1)
                    ),
                    "draw the whole study area",
                ));
                return None;
            }
            lr.push(LineString::from(cs));
        }
        if lr.is_empty() {
            continue;
        }
        let ext = lr.remove(0);
        out.push(Polygon::new(ext, lr));
    }
    // exterior counter-clockwise, holes clockwise: geodesic areas read a clockwise ring as the
    // rest of the globe
    use geo::orient::{Direction, Orient};
    let shape = MultiPolygon(out).orient(Direction::Default);
    // each ring with the engine's indexed crossing test (geo's validation compares every pair of
    // edges, which dominates a build with dense coastlines); several rings also get geo's check
    for poly in &shape.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let segs: Vec<_> = ring
                .0
                .iter()
                .copied()
                .zip(ring.0.iter().skip(1).copied())
                .collect();
            if let Some(c) = crate::assemble::noding::first_crossing(&segs) {
                problems.push(Problem::new(
                    file,
                    format!(
                        "the frame polygon is not valid: a ring crosses itself near {}",
                        fmt_coord(c)
                    ),
                    "repair it (e.g. QGIS Fix geometries) so rings do not cross",
                ));
                return None;
            }
        }
    }
    let rings: usize = shape.0.iter().map(|p| 1 + p.interiors().len()).sum();
    if rings > 1 {
        use geo::Validation;
        if let Err(e) = shape.check_validation() {
            problems.push(Problem::new(
                file,
                format!("the frame polygon is not valid: {e}"),
                "repair it (e.g. QGIS Fix geometries) so rings do not cross",
            ));
            return None;
        }
    }
    let area_km2 = crate::assemble::area_km2(&shape);
    Some(Frame {
        shape,
        props,
        area_km2,
    })
}
