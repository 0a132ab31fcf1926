//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_treatyline"))
}

pub fn fixture() -> PathBuf {
    root().join("tests/fixtures/world")
}

/// Runs the binary; returns (exit code, stdout, stderr).
pub fn run(args: &[&str], cwd: Option<&Path>) -> (i32, String, String) {
    let mut c = bin();
    c.args(args);
    if let Some(d) = cwd {
        c.current_dir(d);
    }
    let out = c.output().expect("the treatyline binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(base: &Path, d: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary folder")
}

/// The tiling invariants of one built treaty: territory areas sum to the frame's within 0.01%,
/// every territory is valid (OGC), and no two overlap by more than `max_overlap_km2`.
pub fn assert_tiles(b: &treatyline::build::Built, max_overlap_km2: f64) {
    use geo::{BooleanOps, GeodesicArea, MultiPolygon, Validation};
    let total: f64 = b.assembly.territories.iter().map(|t| t.area_km2).sum();
    let frame = b.assembly.frame_area_km2;
    assert!(
        ((total - frame) / frame).abs() < 1e-4,
        "{}: territories {total:.1} km² vs frame {frame:.1} km²",
        b.treaty.id
    );
    let ts = &b.assembly.territories;
    for t in ts {
        assert!(
            t.shape.is_valid(),
            "{} {}: {:?}",
            b.treaty.id,
            t.status,
            t.shape.validation_errors()
        );
    }
    for i in 0..ts.len() {
        for j in i + 1..ts.len() {
            let o: MultiPolygon<f64> = ts[i].shape.intersection(&ts[j].shape);
            let a = o.geodesic_area_unsigned() / 1e6;
            assert!(
                a < max_overlap_km2,
                "{}: {} and {} overlap by {a} km²",
                b.treaty.id,
                ts[i].status,
                ts[j].status
            );
        }
    }
}
