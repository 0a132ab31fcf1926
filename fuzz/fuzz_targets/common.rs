//! Shared by the fuzz targets: a copy of the fixture world (`tests/fixtures/world`, embedded at
//! compile time) in a temporary folder, one file of which each run replaces with the fuzz input,
//! then the whole build as `treatyline build` runs it, minus the writing: load and check, assemble
//! every treaty and reading, render every output file in memory. A `Problem` is the right answer
//! to any bad input; a panic (or an overflow, since cargo fuzz builds with overflow checks) is a
//! bug.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

macro_rules! fixture {
    ($($rel:literal),* $(,)?) => {
        &[$(($rel, include_str!(concat!("../../tests/fixtures/world/", $rel)))),*]
    };
}

/// Every file of the fixture world, (path relative to geodata/, contents).
pub const FIXTURE: &[(&str, &str)] = fixture!(
    "statuses.toml",
    "frame.geojson",
    "nodes.geojson",
    "places.geojson",
    "lines/river.geojson",
    "lines/ridge.geojson",
    "lines/ridge2.geojson",
    "treaties/alpha-1700.toml",
    "treaties/beta-1750.toml",
    "treaties/gamma-1800.toml",
);

fn world() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // kept for the life of the fuzzing process (libFuzzer exits without running destructors)
        let dir = tempfile::Builder::new()
            .prefix("treatyline-fuzz-")
            .tempdir()
            .expect("a temporary folder")
            .keep();
        for (rel, text) in FIXTURE {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    })
}

/// Runs the build with `rel` (relative to geodata/) holding `bytes` instead of its fixture
/// contents (or added, when the fixture has no such file), then restores the fixture.
pub fn build_with(rel: &str, bytes: &[u8]) {
    let dir = world();
    let path = dir.join(rel);
    std::fs::write(&path, bytes).unwrap();
    run(dir);
    match FIXTURE.iter().find(|(r, _)| *r == rel) {
        Some((_, text)) => std::fs::write(&path, text).unwrap(),
        None => std::fs::remove_file(&path).unwrap(),
    }
}

fn run(dir: &Path) {
    let Ok((gd, treaties)) = treatyline::build::load(dir) else {
        return;
    };
    let Ok(built) = treatyline::build::assemble_all(&gd, &treaties, &[], &BTreeMap::new()) else {
        return;
    };
    let files = treatyline::build::render_outputs(&gd, &treaties, &built);
    assert!(!files.is_empty());
}
