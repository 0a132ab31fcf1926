//! Criterion micro-benchmarks of the engine's hot paths (those `make bench` found by profiling;
//! see BENCHMARKS.md). Needs, in Cargo.toml:
//!
//! ```toml
//! [dev-dependencies]
//! criterion = { version = "0.8", default-features = false, features = ["cargo_bench_support"] }
//!
//! [[bench]]
//! name = "engine"
//! path = "benches/criterion/engine.rs"
//! harness = false
//! ```
//!
//! Run with `cargo bench --bench engine`. It benchmarks the real `geodata/`; point
//! `TREATYLINE_BENCH_GEODATA` at a densified copy to see how the hot paths grow:
//!
//! ```sh
//! python3 benches/densify.py geodata /tmp/geodata-10x --factor 10
//! TREATYLINE_BENCH_GEODATA=/tmp/geodata-10x cargo bench --bench engine
//! ```

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;
use treatyline::assemble::area::AreaCache;
use treatyline::assemble::grid::{to_grid, P};
use treatyline::assemble::noding::{self, node, InEdge, Tag};
use treatyline::assemble::{area_km2, assemble, cut, graph};
use treatyline::build::{assemble_all, load, territory_features, write_outputs};
use treatyline::export::geojson::collection;
use treatyline::export::style;
use treatyline::geodata::Geodata;
use treatyline::treaty::{self, Treaty};

/// The treaty whose assembly is benchmarked on its own: the one with the most segments.
const TREATY: &str = "kyakhta-1727";
/// The consecutive pair whose diff is benchmarked (the one with the most changes).
const DIFF: (&str, &str) = ("kyakhta-1727", "aigun-1858");

fn geodata_dir() -> PathBuf {
    std::env::var_os("TREATYLINE_BENCH_GEODATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("geodata"))
}

fn loaded() -> (Geodata, Vec<Treaty>) {
    let dir = geodata_dir();
    load(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// The noding input of one treaty (default reading), built as `assemble` builds it: the frame's
/// rings (interior on the left) and each segment's line cut between its nodes, on the grid.
fn noding_input(gd: &Geodata, treaties: &[Treaty], id: &str) -> Vec<InEdge> {
    let mut input = Vec::new();
    for ring in treatyline::assemble::frame_rings(gd) {
        for i in 0..ring.len() {
            input.push(InEdge {
                a: ring[i],
                b: ring[(i + 1) % ring.len()],
                tag: Tag::Frame,
            });
        }
    }
    let (segs, _) = treaty::resolve(treaties, id, None).expect("the treaty resolves");
    for (si, s) in segs.iter().enumerate() {
        let r = &s.rule;
        let coords = cut::cut(&gd.lines[&r.line], &gd.nodes[&r.from], &gd.nodes[&r.to])
            .expect("the segment cuts");
        let mut pts: Vec<P> = coords.iter().map(|c| to_grid(*c)).collect();
        pts.dedup();
        for (k, w) in pts.windows(2).enumerate() {
            input.push(InEdge {
                a: w[0],
                b: w[1],
                tag: Tag::Seg {
                    seg: si,
                    order: (k as u32, 0),
                },
            });
        }
    }
    input
}

/// A piece's edges, and its segment (`None` for the frame).
type PieceEdges = (Vec<(P, P)>, Option<usize>);

/// The same input as pieces for [`noding::Noder`]: the frame, then each segment.
fn noding_pieces(input: &[InEdge]) -> Vec<PieceEdges> {
    let mut out: Vec<PieceEdges> = Vec::new();
    for e in input {
        let seg = match e.tag {
            Tag::Frame => None,
            Tag::Seg { seg, .. } => Some(seg),
        };
        match out.last_mut() {
            Some((edges, s)) if *s == seg => edges.push((e.a, e.b)),
            _ => out.push((vec![(e.a, e.b)], seg)),
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let dir = geodata_dir();
    let (gd, treaties) = loaded();
    let t = treaties
        .iter()
        .find(|t| t.id == TREATY)
        .expect("the benchmarked treaty exists");
    let input = noding_input(&gd, &treaties, TREATY);
    let edges = node(&input);
    let (g, _) = graph::Graph::build(edges.clone());
    let (segs, zones) = treaty::resolve(&treaties, TREATY, None).expect("resolves");
    let built = assemble_all(&gd, &treaties, &[], &BTreeMap::new()).expect("builds");
    let pick = |id: &str| {
        built
            .iter()
            .find(|b| b.is_default && b.treaty.id == id)
            .expect("built")
    };
    let (da, db) = (pick(DIFF.0), pick(DIFF.1));
    let frame = gd.frame.as_ref().expect("frame").shape.clone();

    let mut grp = c.benchmark_group("engine");
    grp.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    // Loading and checking geodata/ (the frame's validity check is one of the hot spots).
    grp.bench_function("build::load", |b| b.iter(|| black_box(load(&dir).is_ok())));
    grp.bench_function("noding::node", |b| {
        b.iter(|| black_box(node(black_box(&input)).len()))
    });
    // Noding with the work shared by the assemblies of a build: what an assembly pays once the
    // frame and its segments have been indexed and met by an earlier one.
    let noder = noding::Noder::new();
    let pieces: Vec<_> = noding_pieces(&input)
        .into_iter()
        .map(|(edges, seg)| (noder.piece(edges), seg))
        .collect();
    assert_eq!(noder.node(&pieces).len(), edges.len());
    grp.bench_function("noding::Noder::node (warm)", |b| {
        b.iter(|| black_box(noder.node(black_box(&pieces)).len()))
    });
    grp.bench_function("graph::Graph::build", |b| {
        b.iter_batched(
            || edges.clone(),
            |e| black_box(graph::Graph::build(e).1.len()),
            BatchSize::LargeInput,
        )
    });
    grp.bench_function("graph::Graph::cycles", |b| {
        b.iter(|| black_box(g.cycles(|h| g.alive[h / 2]).len()))
    });
    // Grouping cycles into faces: the hole-in-face containment test.
    grp.bench_function("graph::faces", |b| {
        b.iter_batched(
            || g.cycles(|h| g.alive[h / 2]),
            |cy| black_box(graph::faces(cy).len()),
            BatchSize::LargeInput,
        )
    });
    grp.bench_function("assemble::area_km2 (frame)", |b| {
        b.iter(|| black_box(area_km2(black_box(&frame))))
    });
    // A territory measured by geo (densify, then Karney per edge), and by the build's shared
    // cache once another assembly has measured its edges: the same number, bit for bit.
    let land = &pick(TREATY).assembly.territories[0].shape;
    let areas = AreaCache::new();
    assert_eq!(areas.km2(land).to_bits(), area_km2(land).to_bits());
    grp.bench_function(
        format!("assemble::area_km2 ({TREATY}, one territory)"),
        |b| b.iter(|| black_box(area_km2(black_box(land)))),
    );
    grp.bench_function(
        format!("area::AreaCache::km2 ({TREATY}, one territory, warm)"),
        |b| b.iter(|| black_box(areas.km2(black_box(land)))),
    );
    grp.bench_function(format!("assemble::assemble ({TREATY})"), |b| {
        b.iter(|| black_box(assemble(&gd, t, &segs, &zones).is_ok()))
    });
    grp.bench_function(format!("diff::diff ({} → {})", DIFF.0, DIFF.1), |b| {
        b.iter(|| {
            black_box(
                treatyline::diff::diff(&da.assembly, &db.assembly, DIFF.1)
                    .changes
                    .len(),
            )
        })
    });
    // Writing: one territory layer as GeoJSON text, and every GIS format of the whole build.
    let tf = territory_features(pick(TREATY), &gd);
    grp.bench_function(
        format!("export::geojson::collection ({TREATY} territory)"),
        |b| b.iter(|| black_box(collection(black_box(&tf)).len())),
    );
    let wgs84 = style::Target::wgs84().expect("PROJ knows WGS 84");
    let scratch = tempfile::tempdir().expect("a temporary folder");
    grp.bench_function(
        "export::style::write_gis (Shapefiles, GeoPackage, QGIS)",
        |b| b.iter(|| black_box(style::write_gis(scratch.path(), &gd, &built, &wgs84).is_ok())),
    );
    grp.bench_function("build::write_outputs (GeoJSON, diffs, tables)", |b| {
        b.iter(|| black_box(write_outputs(scratch.path(), &gd, &treaties, &built).is_ok()))
    });
    grp.bench_function("build::assemble_all", |b| {
        b.iter(|| {
            black_box(
                assemble_all(&gd, &treaties, &[], &BTreeMap::new())
                    .map(|v| v.len())
                    .unwrap_or(0),
            )
        })
    });
    grp.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
