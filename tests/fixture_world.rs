//! Golden and invariant tests on the synthetic fixture world (a river, two ridges, three
//! treaties): left and right bank, an undetermined zone, a joint zone, a treaty that changes
//! nothing. Set UPDATE_GOLDEN=1 to rewrite the golden files after a deliberate change.

mod common;

use common::*;
use std::collections::BTreeMap;
use treatyline::build;

/// Builds the fixture world into `<dir>/output` with the command line; the output folder.
fn built_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let dest = dir.join("output");
    let (code, _, err) = run(
        &[
            "build",
            "--geodata",
            fixture().to_str().unwrap(),
            "--out",
            dest.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    dest
}

#[test]
fn golden_outputs_match() {
    let out = temp();
    let dest = built_fixture(out.path());
    let golden = root().join("tests/golden/world");
    if std::env::var("UPDATE_GOLDEN").is_ok() {
        let _ = std::fs::remove_dir_all(&golden);
        for f in files(&dest) {
            let to = golden.join(&f);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(dest.join(&f), to).unwrap();
        }
    }
    assert_eq!(
        files(&dest),
        files(&golden),
        "the set of output files changed"
    );
    // every file byte for byte: text layers and binary ones (Shapefile, GeoPackage) alike
    for f in files(&golden) {
        let want = std::fs::read(golden.join(&f)).unwrap();
        let got = std::fs::read(dest.join(&f)).unwrap();
        assert!(
            want == got,
            "{} differs from its golden copy (UPDATE_GOLDEN=1 to accept)",
            f.display()
        );
    }
}

/// Formats that record a date get a fixed one, never the clock's: the `.dbf` header's date of
/// last update is 2026-01-01 (bytes 1–3: years since 1900, month, day), so a build made on
/// another day is byte-identical too (the golden comparison alone would miss this on the day the
/// golden files were written).
#[test]
fn dbf_headers_carry_the_fixed_date_not_the_clock() {
    let out = temp();
    let dest = built_fixture(out.path());
    let dbfs: Vec<_> = files(&dest)
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "dbf"))
        .collect();
    assert!(!dbfs.is_empty(), "the fixture writes Shapefiles");
    for f in dbfs {
        let bytes = std::fs::read(dest.join(&f)).unwrap();
        assert_eq!(&bytes[1..4], &[126, 1, 1], "{}: header date", f.display());
    }
}

fn built() -> Vec<build::Built> {
    let (gd, treaties) = build::load(&fixture()).expect("the fixture loads");
    build::assemble_all(&gd, &treaties, &[], &BTreeMap::new()).expect("the fixture builds")
}

fn statuses(b: &build::Built) -> BTreeMap<String, f64> {
    b.assembly
        .territories
        .iter()
        .map(|t| (t.status.clone(), t.area_km2))
        .collect()
}

#[test]
fn banks_and_zones_get_their_statuses() {
    let b = built();
    let alpha = statuses(&b[0]);
    assert_eq!(
        alpha.keys().cloned().collect::<Vec<_>>(),
        ["qing", "russia", "undetermined"]
    );
    let gamma = statuses(&b[2]);
    assert_eq!(
        gamma.keys().cloned().collect::<Vec<_>>(),
        ["joint", "qing", "russia"]
    );
    // the river's right bank (south) is Qing in every treaty, the same land
    assert!((alpha["qing"] - gamma["qing"]).abs() < 1e-6);
    // a point north of the river west of the ridge is Russian
    let russia = &b[0]
        .assembly
        .territories
        .iter()
        .find(|t| t.status == "russia")
        .unwrap()
        .shape;
    use geo::Contains;
    assert!(russia.contains(&geo::Point::new(102.0, 47.0)));
    assert!(!russia.contains(&geo::Point::new(106.0, 47.0)));
}

#[test]
fn a_treaty_that_changes_nothing_has_the_same_territory() {
    let b = built();
    assert_eq!(
        b[0].assembly.territories.len(),
        b[1].assembly.territories.len()
    );
    for (x, y) in b[0]
        .assembly
        .territories
        .iter()
        .zip(&b[1].assembly.territories)
    {
        assert_eq!(x.status, y.status);
        assert_eq!(x.shape, y.shape);
    }
}

#[test]
fn territories_tile_the_frame() {
    for b in built() {
        assert_tiles(&b, 1e-3);
    }
}

#[test]
fn inherited_segments_name_their_origin() {
    let b = built();
    let gamma = &b[2];
    let river_west = gamma
        .assembly
        .borders
        .iter()
        .find(|br| br.seg.rule.id == "river-west")
        .unwrap();
    assert_eq!(river_west.seg.origin, "alpha-1700");
    assert!(
        gamma
            .assembly
            .borders
            .iter()
            .all(|br| br.seg.rule.id != "ridge"),
        "dropped segment still in force"
    );
}

#[test]
fn builds_are_byte_identical() {
    let (a, b) = (temp(), temp());
    for d in [&a, &b] {
        let (code, _, err) = run(
            &[
                "build",
                "--geodata",
                fixture().to_str().unwrap(),
                "--out",
                d.path().join("o").to_str().unwrap(),
            ],
            None,
        );
        assert_eq!(code, 0, "{err}");
    }
    for f in files(&a.path().join("o")) {
        assert_eq!(
            std::fs::read(a.path().join("o").join(&f)).unwrap(),
            std::fs::read(b.path().join("o").join(&f)).unwrap(),
            "{}",
            f.display()
        );
    }
}
