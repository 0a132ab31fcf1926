//! The whole build: load and check `geodata/`, assemble every treaty and reading, write the
//! layers into a temporary folder beside the output, then swap it in. A failure at any point
//! leaves the previous output as it was.

use crate::assemble::{assemble, assemble_with, Assembly, Shared};
use crate::error::{Error, Problem, Result};
use crate::export::geojson::{collection, concat_collections, feature, Feature, Geometry};
use crate::geodata::{self, Geodata};
use crate::treaty::{self, Treaty};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Loads `geodata/` and checks it; every problem found is returned at once.
pub fn load(dir: &Path) -> Result<(Geodata, Vec<Treaty>)> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!("{}: no such geodata folder (fix: pass --geodata DIR pointing at the folder with lines/, treaties/ and frame.geojson)", dir.display())));
    }
    let mut problems = Vec::new();
    let mut gd = geodata::load(dir, &mut problems);
    let treaties = treaty::load(dir, &mut problems, &mut gd.broken.treaties);
    treaty::check(&treaties, &gd, &mut problems);
    if problems.is_empty() && treaties.is_empty() {
        problems.push(Problem::new(
            "treaties/",
            "there are no treaty files",
            "add geodata/treaties/<id>.toml",
        ));
    }
    if problems.is_empty() {
        Ok((gd, treaties))
    } else {
        problems.sort();
        problems.dedup();
        Err(Error::Problems(problems))
    }
}

/// One treaty built under one reading.
pub struct Built {
    pub treaty: Treaty,
    pub reading: Option<String>,
    pub is_default: bool,
    pub assembly: Assembly,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

/// Builds every treaty under every reading (the default first). `chosen` maps a treaty id to the
/// reading to use in place of its default.
pub fn assemble_all(
    gd: &Geodata,
    treaties: &[Treaty],
    only: &[String],
    chosen: &BTreeMap<String, String>,
) -> Result<Vec<Built>> {
    for id in only {
        if !treaties.iter().any(|t| &t.id == id) {
            return Err(Error::Usage(format!(
                "no treaty has the id \"{id}\" (fix: run `treatyline list` for the ids)"
            )));
        }
    }
    // every (treaty, reading) to build, in output order
    let mut jobs: Vec<(usize, Option<String>, bool)> = Vec::new();
    for (i, t) in treaties.iter().enumerate() {
        if !only.is_empty() && !only.contains(&t.id) {
            continue;
        }
        let main = chosen
            .get(&t.id)
            .cloned()
            .or_else(|| treaty::default_reading_of(treaties, t));
        jobs.push((i, main.clone(), true));
        for r in treaty::readings_of(treaties, t) {
            if Some(&r.id) != main.as_ref() {
                jobs.push((i, Some(r.id.clone()), false));
            }
        }
    }
    // the assemblies are mostly made of the same edges: their noding and measuring is shared
    let shared = Shared::default();
    let run = |(i, reading, is_default): &(usize, Option<String>, bool)| -> std::result::Result<Built, Vec<Problem>> {
        let t = &treaties[*i];
        let (segs, zones) = treaty::resolve(treaties, &t.id, reading.as_deref()).map_err(|p| vec![p])?;
        let assembly = assemble_with(gd, t, &segs, &zones, &shared).map_err(|ps| {
            ps.into_iter()
                .map(|mut p| {
                    if let Some(r) = reading {
                        p.message = format!("(reading \"{r}\") {}", p.message);
                    }
                    p
                })
                .collect::<Vec<_>>()
        })?;
        Ok(Built {
            treaty: t.clone(),
            reading: reading.clone(),
            is_default: *is_default,
            assembly,
            valid_from: t.valid_from().to_string(),
            valid_to: treaties.get(i + 1).map(|n| n.valid_from().to_string()),
        })
    };
    // the assemblies are independent: spread them over the cores, keeping their order (the
    // first assemblies, which find the shared work not yet done, take longer than the later ones)
    let results = crate::parallel::in_order(&jobs, run);
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for r in results {
        match r {
            Some(Ok(b)) => out.push(b),
            Some(Err(ps)) => problems.extend(ps),
            None => problems.push(Problem::new(
                "treaties/",
                "an assembly thread stopped unexpectedly",
                "run the build again; report it if it repeats",
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        problems.sort();
        problems.dedup();
        Err(Error::Problems(problems))
    }
}

/// Builds one treaty, named `ID` or `ID@READING`.
pub fn one(gd: &Geodata, treaties: &[Treaty], spec: &str) -> Result<Built> {
    let (id, reading) = match spec.split_once('@') {
        Some((i, r)) => (i, Some(r.to_string())),
        None => (spec, None),
    };
    let Some(pos) = treaties.iter().position(|t| t.id == id) else {
        return Err(Error::Usage(format!(
            "no treaty has the id \"{id}\" (fix: run `treatyline list` for the ids)"
        )));
    };
    let t = &treaties[pos];
    let default = treaty::default_reading_of(treaties, t);
    let reading = reading.or(default.clone());
    let (segs, zones) =
        treaty::resolve(treaties, id, reading.as_deref()).map_err(|p| Error::Problems(vec![p]))?;
    let assembly = assemble(gd, t, &segs, &zones).map_err(Error::Problems)?;
    Ok(Built {
        treaty: t.clone(),
        is_default: reading == default,
        reading,
        assembly,
        valid_from: t.valid_from().to_string(),
        valid_to: treaties.get(pos + 1).map(|n| n.valid_from().to_string()),
    })
}

fn opt(v: &Option<String>) -> Value {
    v.as_ref()
        .map(|s| Value::String(s.clone()))
        .unwrap_or(Value::Null)
}

fn round_km2(a: f64) -> Value {
    json!((a * 100.0).round() / 100.0)
}

/// The territory layer of one built treaty.
pub fn territory_features<'a>(b: &'a Built, gd: &Geodata) -> Vec<Feature<'a>> {
    b.assembly
        .territories
        .iter()
        .map(|t| {
            let mut p = Map::new();
            p.insert("treaty".into(), json!(b.treaty.id));
            p.insert("reading".into(), opt(&b.reading));
            p.insert("status".into(), json!(t.status));
            p.insert(
                "status_label".into(),
                json!(gd
                    .status(&t.status)
                    .map(|s| s.label.en.clone())
                    .unwrap_or_default()),
            );
            p.insert("area_km2".into(), round_km2(t.area_km2));
            p.insert("valid_from".into(), json!(b.valid_from));
            p.insert("valid_to".into(), opt(&b.valid_to));
            p.insert("name_en".into(), json!(b.treaty.name.en));
            p.insert("name_ru".into(), opt(&b.treaty.name.ru));
            p.insert("name_zh".into(), opt(&b.treaty.name.zh));
            feature(p, Geometry::Polygons(&t.shape))
        })
        .collect()
}

/// The border layer of one built treaty: one feature per segment.
pub fn border_features(b: &Built) -> Vec<Feature<'_>> {
    b.assembly
        .borders
        .iter()
        .filter_map(|br| {
            let r = &br.seg.rule;
            // a segment wholly outside the frame has no line to write
            if br.shape.0.is_empty() {
                return None;
            }
            let geom = Geometry::Lines(&br.shape);
            let mut p = Map::new();
            p.insert("treaty".into(), json!(b.treaty.id));
            p.insert("reading".into(), opt(&b.reading));
            p.insert("segment".into(), json!(r.id));
            p.insert("article".into(), json!(r.article));
            p.insert("established_by".into(), json!(br.seg.origin));
            p.insert("clause".into(), json!(r.clause));
            p.insert("follows".into(), json!(r.line));
            p.insert("from_node".into(), json!(r.from));
            p.insert("to_node".into(), json!(r.to));
            p.insert("left".into(), json!(r.left));
            p.insert("right".into(), json!(r.right));
            p.insert("certainty".into(), json!(r.certainty));
            p.insert("course".into(), opt(&r.course));
            p.insert("note".into(), opt(&r.note));
            p.insert("valid_from".into(), json!(b.valid_from));
            p.insert("valid_to".into(), opt(&b.valid_to));
            Some(feature(p, geom))
        })
        .collect()
}

fn place_feature(pl: &geodata::Place, extra: Option<(&str, &str)>) -> Feature<'static> {
    let mut p = pl.props.clone();
    if let Some((treaty, article)) = extra {
        p.insert("treaty".into(), json!(treaty));
        p.insert("article".into(), json!(article));
    }
    feature(p, Geometry::Point(pl.coord))
}

/// Where one reading's layers go, relative to the output folder.
pub fn layer_dir(b: &Built) -> PathBuf {
    match (&b.reading, b.is_default) {
        (Some(r), false) => PathBuf::from("readings").join(&b.treaty.id).join(r),
        _ => PathBuf::from(&b.treaty.id),
    }
}

/// Everything the build writes, as (relative path, contents), in a fixed order.
pub fn render_outputs(
    gd: &Geodata,
    treaties: &[Treaty],
    built: &[Built],
) -> Vec<(PathBuf, String)> {
    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let mut sink = |rel: PathBuf, body: Body| {
        let text = match body {
            Body::Text(t) => t,
            Body::Layer(fs) => collection(&fs),
            Body::Concat(parts) => {
                let texts = parts
                    .iter()
                    .filter_map(|p| files.iter().find(|(q, _)| q == p).map(|(_, t)| t.as_str()));
                let mut out = Vec::new();
                concat_collections(texts, &mut out)
                    .map_err(|e| Error::io(&rel, e, "this is a bug in treatyline"))?;
                String::from_utf8(out).unwrap_or_default()
            }
        };
        files.push((rel, text));
        Ok(())
    };
    let jobs = DiffJobs::new(built);
    jobs.work();
    let diffs = jobs.finish();
    let _ = emit_layers(gd, built, &mut sink)
        .and_then(|()| emit_diffs(gd, &diffs, &mut sink))
        .and_then(|()| emit_tables(gd, treaties, built, &mut sink));
    files
}

/// Writes what [`render_outputs`] renders into `dir`: each file as soon as it is rendered (the
/// layers streamed feature by feature), the diffs on a thread of their own beside the rest.
pub fn write_outputs(dir: &Path, gd: &Geodata, treaties: &[Treaty], built: &[Built]) -> Result<()> {
    write_outputs_and(dir, gd, treaties, built, || Ok(()))
}

/// [`write_outputs`], then `also` (the GIS formats) on this thread while the diffs, the longest
/// single task, keep the other: two threads of about equal work, not three sharing two cores.
pub fn write_outputs_and(
    dir: &Path,
    gd: &Geodata,
    treaties: &[Treaty],
    built: &[Built],
    also: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let write = |rel: PathBuf, body: Body| -> Result<()> {
        let hint = "check that the output folder is writable";
        let path = dir.join(rel);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e, hint))?;
        }
        match body {
            Body::Text(t) => std::fs::write(&path, t),
            Body::Layer(fs) => std::fs::File::create(&path).and_then(|f| {
                let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
                crate::export::geojson::write_collection(&mut w, &fs)?;
                std::io::Write::flush(&mut w)
            }),
            Body::Concat(parts) => parts
                .iter()
                .map(|p| std::fs::read_to_string(dir.join(p)))
                .collect::<std::io::Result<Vec<String>>>()
                .and_then(|texts| {
                    let f = std::fs::File::create(&path)?;
                    let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
                    concat_collections(texts.iter().map(|t| t.as_str()), &mut w)?;
                    std::io::Write::flush(&mut w)
                }),
        }
        .map_err(|e| Error::io(&path, e, hint))
    };
    let jobs = DiffJobs::new(built);
    let also = std::thread::scope(|s| {
        let shared = &jobs;
        let helper = s.spawn(move || shared.work());
        let rest = crate::timing::phase("write layers", || {
            emit_layers(gd, built, &mut |r, b| write(r, b))
                .and_then(|()| emit_tables(gd, treaties, built, &mut |r, b| write(r, b)))
        });
        let also = rest.and_then(|()| also());
        // this thread's writing done, it takes the diffs the other thread has not started
        crate::timing::phase("help with the diffs", || shared.work());
        helper
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        also
    });
    let diffs = jobs.finish();
    let written = emit_diffs(gd, &diffs, &mut |r, b| write(r, b));
    also.and(written)
}

/// The diffs between consecutive treaties (default readings), each computed by whichever
/// thread of the build is free: the diffs are the longest task after the assemblies, and the
/// writing of the layers the other, so neither thread waits for the other.
struct DiffJobs<'a> {
    pairs: Vec<(&'a Built, &'a Built)>,
    next: std::sync::atomic::AtomicUsize,
    done: std::sync::Mutex<Vec<Option<crate::diff::Diff>>>,
}

impl<'a> DiffJobs<'a> {
    fn new(built: &'a [Built]) -> DiffJobs<'a> {
        let defaults: Vec<&Built> = built.iter().filter(|b| b.is_default).collect();
        let pairs: Vec<(&Built, &Built)> = defaults.windows(2).map(|w| (w[0], w[1])).collect();
        let done = std::sync::Mutex::new(pairs.iter().map(|_| None).collect());
        DiffJobs {
            pairs,
            next: std::sync::atomic::AtomicUsize::new(0),
            done,
        }
    }

    /// Computes diffs not yet taken, until none is left.
    fn work(&self) {
        loop {
            let k = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((a, b)) = self.pairs.get(k) else {
                return;
            };
            let d = crate::timing::phase("diff", || {
                crate::diff::diff(&a.assembly, &b.assembly, &b.treaty.id)
            });
            if let Some(slot) = self
                .done
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_mut(k)
            {
                *slot = Some(d);
            }
        }
    }

    /// The diffs, in treaty order, once every one is computed.
    fn finish(self) -> Vec<(&'a Built, &'a Built, crate::diff::Diff)> {
        let done = self.done.into_inner().unwrap_or_else(|e| e.into_inner());
        self.pairs
            .into_iter()
            .zip(done)
            .filter_map(|((a, b), d)| d.map(|d| (a, b, d)))
            .collect()
    }
}

/// The contents of one output file: text, or a GeoJSON layer to write feature by feature.
enum Body<'a> {
    Text(String),
    Layer(Vec<Feature<'a>>),
    /// A layer whose features are those of earlier layers (given by path), in order: the
    /// timeline repeats the treaties' layers, and copying their lines is much quicker than
    /// writing the same coordinates again.
    Concat(Vec<PathBuf>),
}

type Sink<'s, 'a> = dyn FnMut(PathBuf, Body<'a>) -> Result<()> + 's;

/// The layers of every treaty and reading, the timeline and the places, in order.
fn emit_layers<'a>(gd: &Geodata, built: &'a [Built], sink: &mut Sink<'_, 'a>) -> Result<()> {
    let mut timeline_t = Vec::new();
    let mut timeline_b = Vec::new();
    for b in built {
        let dir = layer_dir(b);
        let tf = territory_features(b, gd);
        let bf = border_features(b);
        if b.is_default {
            timeline_t.push(dir.join("territory.geojson"));
            timeline_b.push(dir.join("border.geojson"));
        }
        sink(dir.join("territory.geojson"), Body::Layer(tf))?;
        sink(dir.join("border.geojson"), Body::Layer(bf))?;
        if b.is_default {
            let mut pf = Vec::new();
            for a in &b.treaty.article {
                for pid in &a.places {
                    if let Some(pl) = gd.places.get(pid) {
                        pf.push(place_feature(pl, Some((&b.treaty.id, &a.number))));
                    }
                }
            }
            if !pf.is_empty() {
                sink(dir.join("places.geojson"), Body::Layer(pf))?;
            }
            let meta = serde_json::to_string_pretty(&b.treaty).unwrap_or_default();
            sink(dir.join("treaty.json"), Body::Text(meta + "\n"))?;
        }
    }
    // the timeline: the default readings' features, as written above
    sink(
        PathBuf::from("timeline/territory.geojson"),
        Body::Concat(timeline_t),
    )?;
    sink(
        PathBuf::from("timeline/border.geojson"),
        Body::Concat(timeline_b),
    )?;
    let all_places = gd.places.values().map(|p| place_feature(p, None)).collect();
    sink(PathBuf::from("places.geojson"), Body::Layer(all_places))
}

/// The diffs between consecutive treaties (default readings), `diffs.csv` and `CHANGES.md`.
fn emit_diffs(
    gd: &Geodata,
    diffs: &[(&Built, &Built, crate::diff::Diff)],
    sink: &mut Sink<'_, '_>,
) -> Result<()> {
    for (a, b, d) in diffs {
        let text = collection(&diff_features(a, b, d));
        sink(
            PathBuf::from("diffs").join(format!("{}__{}.geojson", a.treaty.id, b.treaty.id)),
            Body::Text(text),
        )?;
    }
    sink(PathBuf::from("diffs.csv"), Body::Text(diffs_csv(diffs)))?;
    sink(
        PathBuf::from("CHANGES.md"),
        Body::Text(changes_md(gd, diffs)),
    )
}

/// `areas.csv` and `SUMMARY.md`.
fn emit_tables(
    gd: &Geodata,
    treaties: &[Treaty],
    built: &[Built],
    sink: &mut Sink<'_, '_>,
) -> Result<()> {
    sink(PathBuf::from("areas.csv"), Body::Text(areas_csv(built)))?;
    sink(
        PathBuf::from("SUMMARY.md"),
        Body::Text(summary_md(gd, treaties, built)),
    )
}

/// The diff layer between two builds: one feature per (from, to) status pair.
pub fn diff_features<'a>(a: &Built, b: &Built, d: &'a crate::diff::Diff) -> Vec<Feature<'a>> {
    d.changes
        .iter()
        .map(|c| {
            let mut p = Map::new();
            p.insert("from_treaty".into(), json!(a.treaty.id));
            p.insert("from_reading".into(), opt(&a.reading));
            p.insert("to_treaty".into(), json!(b.treaty.id));
            p.insert("to_reading".into(), opt(&b.reading));
            p.insert("from_status".into(), json!(c.from_status));
            p.insert("to_status".into(), json!(c.to_status));
            p.insert("area_km2".into(), round_km2(c.area_km2));
            p.insert("articles".into(), json!(c.articles.join("; ")));
            p.insert("valid_from".into(), json!(b.valid_from));
            feature(p, Geometry::Polygons(&c.shape))
        })
        .collect()
}

fn diffs_csv(diffs: &[(&Built, &Built, crate::diff::Diff)]) -> String {
    let mut s = String::from("from_treaty,to_treaty,from_status,to_status,area_km2,articles\n");
    for (a, b, d) in diffs {
        for c in &d.changes {
            s.push_str(&format!(
                "{},{},{},{},{:.2},\"{}\"\n",
                a.treaty.id,
                b.treaty.id,
                c.from_status,
                c.to_status,
                c.area_km2,
                c.articles.join("; ")
            ));
        }
    }
    s
}

fn changes_md(gd: &Geodata, diffs: &[(&Built, &Built, crate::diff::Diff)]) -> String {
    let label = |s: &str| {
        gd.status(s)
            .map(|x| x.label.en.clone())
            .unwrap_or_else(|| s.to_string())
    };
    let frame = gd
        .frame
        .as_ref()
        .and_then(|f| f.props.get("description"))
        .and_then(|v| v.as_str())
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    let mut s = format!("# What changed hands, treaty by treaty\n\nGenerated by `treatyline build` from the default readings; areas are geodesic (WGS 84) km² within the study frame{frame}.\n");
    for (a, b, d) in diffs {
        s.push_str(&format!(
            "\n## {} → {} ({})\n\n",
            a.treaty.name.en, b.treaty.name.en, b.valid_from
        ));
        if d.changes.is_empty() {
            s.push_str("No territory changed status.\n");
            continue;
        }
        s.push_str("| from | to | area (km²) | articles |\n|---|---|---:|---|\n");
        let mut cs: Vec<_> = d.changes.iter().collect();
        cs.sort_by(|x, y| y.area_km2.total_cmp(&x.area_km2));
        for c in cs {
            s.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                label(&c.from_status),
                label(&c.to_status),
                thousands(c.area_km2),
                c.articles.join("; ")
            ));
        }
    }
    s
}

fn areas_csv(built: &[Built]) -> String {
    let mut s = String::from(
        "treaty,reading,default,status,area_km2,minus_default_km2,valid_from,valid_to\n",
    );
    for b in built {
        let default = built
            .iter()
            .find(|x| x.is_default && x.treaty.id == b.treaty.id);
        for t in &b.assembly.territories {
            let base = default
                .and_then(|d| d.assembly.territories.iter().find(|x| x.status == t.status))
                .map(|x| x.area_km2)
                .unwrap_or(0.0);
            s.push_str(&format!(
                "{},{},{},{},{:.2},{:.2},{},{}\n",
                b.treaty.id,
                b.reading.as_deref().unwrap_or(""),
                b.is_default,
                t.status,
                t.area_km2,
                t.area_km2 - base,
                b.valid_from,
                b.valid_to.as_deref().unwrap_or("")
            ));
        }
    }
    s
}

fn thousands(v: f64) -> String {
    let n = v.round() as i64;
    let s = n.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn summary_md(gd: &Geodata, treaties: &[Treaty], built: &[Built]) -> String {
    let mut s = String::from("| treaty | signed (Gregorian) | signed (Julian) | Qing date | in force |\n|---|---|---|---|---|\n");
    for (i, t) in treaties.iter().enumerate() {
        let to = treaties
            .get(i + 1)
            .map(|n| n.valid_from().to_string())
            .unwrap_or_else(|| "—".into());
        s.push_str(&format!(
            "| {} (`{}`) | {} | {} | {} | {} → {} |\n",
            t.name.en,
            t.id,
            t.signed.gregorian.as_deref().unwrap_or("—"),
            t.signed.julian.as_deref().unwrap_or("—"),
            t.signed.qing.as_deref().unwrap_or("—"),
            t.valid_from(),
            to
        ));
    }
    let statuses: Vec<&str> = gd.statuses.iter().map(|s| s.id.as_str()).collect();
    s.push_str("\nArea of each status, km² (geodesic, WGS 84; default readings):\n\n| treaty |");
    for st in &statuses {
        s.push_str(&format!(" {st} |"));
    }
    s.push_str("\n|---|");
    for _ in &statuses {
        s.push_str("---:|");
    }
    s.push('\n');
    for b in built.iter().filter(|b| b.is_default) {
        s.push_str(&format!("| `{}` |", b.treaty.id));
        for st in &statuses {
            let a = b
                .assembly
                .territories
                .iter()
                .find(|t| t.status == *st)
                .map(|t| thousands(t.area_km2))
                .unwrap_or_else(|| "—".into());
            s.push_str(&format!(" {a} |"));
        }
        s.push('\n');
    }
    s
}

/// Writes `files` into `dir`, creating folders as needed.
pub fn write_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<()> {
    let hint = "check that the output folder is writable";
    for (rel, contents) in files {
        let path = dir.join(rel);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e, hint))?;
        }
        std::fs::write(&path, contents).map_err(|e| Error::io(&path, e, hint))?;
    }
    Ok(())
}

/// Subfolders of the output that other commands own (`render` writes `maps/`): a build carries
/// them over unchanged.
pub const CARRIED: &[&str] = &["maps"];

/// Runs `write` on a fresh folder beside `out`, then swaps it in for `out`. When `write` fails,
/// `out` is left as it was. With `keep_existing`, the fresh folder starts as a copy of `out`;
/// otherwise only the [`CARRIED`] subfolders are copied over.
///
/// Crash-safe: on Linux the two folders are exchanged in one step (`renameat2(RENAME_EXCHANGE)`),
/// so that `out` is at every instant the complete previous output or the complete new one, even
/// if the process is killed. Where that is not available, the old output is renamed aside first
/// and, if the process dies before the new one is in place, the next run puts it back
/// ([`recover`]). Folders left beside `out` by a killed run are removed by the next one.
pub fn write_atomically(
    out: &Path,
    keep_existing: bool,
    write: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let (parent, name) = siblings_of(out);
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let hint = "check that the output folder's parent exists and is writable";
    // the nearest existing ancestor must be a folder
    let mut anc = out.parent();
    while let Some(a) = anc {
        if a.as_os_str().is_empty() || a.exists() {
            break;
        }
        anc = a.parent();
    }
    if let Some(a) = anc {
        if !a.as_os_str().is_empty() && !a.is_dir() {
            return Err(Error::Usage(format!(
                "cannot write {}: \"{}\" is a file, not a folder (fix: choose another --out, or move that file)",
                out.display(),
                a.display()
            )));
        }
    }
    recover(out)?;
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)
        .map_err(|e| Error::Usage(format!("cannot write {}: {e} (fix: {hint})", out.display())))?;
    let result = (|| -> Result<()> {
        if keep_existing && out.is_dir() {
            copy_dir(out, &tmp)?;
        } else {
            for sub in CARRIED {
                let from = out.join(sub);
                if from.is_dir() {
                    let to = tmp.join(sub);
                    std::fs::create_dir_all(&to).map_err(|e| Error::io(&to, e, hint))?;
                    copy_dir(&from, &to)?;
                }
            }
        }
        write(&tmp)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(match e {
            Error::Io { path, source, hint } => Error::Io {
                path: path
                    .strip_prefix(&tmp)
                    .map(|rel| out.join(rel))
                    .unwrap_or(path),
                source,
                hint,
            },
            other => other,
        });
    }
    pause_for_tests("written");
    if out.exists() {
        if std::env::var_os("TREATYLINE_TEST_NO_EXCHANGE").is_none() && exchange(&tmp, out).is_ok()
        {
            // `tmp` now holds the previous output
            pause_for_tests("swapped");
            remove(&tmp);
            return Ok(());
        }
        std::fs::rename(out, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&tmp);
            Error::io(
                out,
                e,
                "the output folder could not be moved aside; check its permissions",
            )
        })?;
        pause_for_tests("moved-aside");
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(Error::io(out, e, hint));
    }
    pause_for_tests("swapped");
    // under the temporary name, which a later run removes and never puts back
    if std::fs::rename(&old, &tmp).is_ok() {
        remove(&tmp);
    }
    Ok(())
}

/// The folder `out` is in, and its name: the temporary folders live beside it, as
/// `.NAME.tmp-PID` (being written, or being deleted) and `.NAME.old-PID` (the previous output,
/// moved aside for the moment of the swap).
fn siblings_of(out: &Path) -> (PathBuf, String) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    (parent, name)
}

/// Cleans up after runs that were killed while writing `out` (every [`write_atomically`] starts
/// with it): the previous output moved aside by a run that died before its new output was in
/// place is put back, and the temporary folders of runs that are no longer running are removed.
/// Folders of a run still in progress are left alone.
pub fn recover(out: &Path) -> Result<()> {
    let (parent, name) = siblings_of(out);
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return Ok(());
    };
    let mut stale: Vec<(bool, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(&format!(".{name}.")) else {
            continue;
        };
        let (is_old, pid) = match (rest.strip_prefix("old-"), rest.strip_prefix("tmp-")) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        match pid.parse::<u32>() {
            Ok(pid) if pid == std::process::id() || !alive(pid) => {
                stale.push((is_old, entry.path()))
            }
            _ => {}
        }
    }
    // the newest moved-aside output first; an older one is from an earlier crash
    stale.sort_by_key(|(is_old, p)| {
        let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok();
        (!is_old, std::cmp::Reverse(modified))
    });
    for (is_old, path) in stale {
        if is_old && !out.exists() {
            std::fs::rename(&path, out).map_err(|e| {
                Error::io(
                    out,
                    e,
                    "an interrupted build left the previous output beside this folder and it could not be put back; rename it to the output folder's name",
                )
            })?;
        } else {
            remove(&path);
        }
    }
    Ok(())
}

/// Removes a folder, or a file that stood where the output goes.
fn remove(path: &Path) {
    if std::fs::remove_dir_all(path).is_err() {
        let _ = std::fs::remove_file(path);
    }
}

/// Swaps two folders in one step, so that there is no moment when either is missing (Linux
/// `renameat2(RENAME_EXCHANGE)`). Fails where the system or the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are NUL-terminated and outlive the call, which only reads them.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether the process `pid` is running (signal 0 checks without sending anything).
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 is not delivered; kill only checks that the process exists.
    pid > 0
        && (unsafe { libc::kill(pid, 0) } == 0
            || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM))
}

/// Cannot tell here: another run's folders are left alone (they are never swapped in).
#[cfg(not(unix))]
fn alive(_: u32) -> bool {
    true
}

/// **Test only.** With `TREATYLINE_TEST_PAUSE=STAGE` in the environment, a run stops for a minute
/// at that stage of [`write_atomically`] (`written`: the new output is complete beside `out`;
/// `moved-aside`: the old output is renamed aside, on the path without an atomic exchange, which
/// `TREATYLINE_TEST_NO_EXCHANGE=1` forces; `swapped`: the new output is in place and the old one
/// not yet removed), after printing `paused at STAGE` on stderr, so that `tests/interrupted.rs`
/// can kill it exactly there. Neither variable has any other use.
fn pause_for_tests(stage: &str) {
    if std::env::var_os("TREATYLINE_TEST_PAUSE").is_some_and(|s| s == stage) {
        eprintln!("paused at {stage} (TREATYLINE_TEST_PAUSE, for tests only)");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    let hint = "check the output folder's permissions";
    for entry in std::fs::read_dir(from).map_err(|e| Error::io(from, e, hint))? {
        let entry = entry.map_err(|e| Error::io(from, e, hint))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            std::fs::create_dir_all(&dst).map_err(|e| Error::io(&dst, e, hint))?;
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| Error::io(&src, e, hint))?;
        }
    }
    Ok(())
}
