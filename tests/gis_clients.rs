//! The GIS exports opened by real clients: GDAL's `ogrinfo` (every GeoJSON, Shapefile and
//! GeoPackage layer; GDAL's GeoPackage validator) and PyQGIS (the project, its styles and the
//! Temporal Controller). Built from the fixture world with the library API.
//!
//! When a client is missing the test says how to install it and is skipped, except under CI
//! (the `CI` environment variable set), where a missing client is a failure.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use treatyline::build;
use treatyline::export::style::{self, Target};

const INSTALL_OGR: &str = "apt-get install --no-install-recommends gdal-bin python3-gdal";
const INSTALL_QGIS: &str =
    "apt-get install --no-install-recommends qgis python3-qgis qgis-providers";

/// Skips (or, under CI, fails) when a client is missing.
fn missing(what: &str, install: &str) {
    let msg = format!("{what} is not installed; install it with: {install}");
    if std::env::var_os("CI").is_some() {
        panic!("{msg} (CI is set, so this is a failure)");
    }
    eprintln!("skipped: {msg}");
}

fn has_ogrinfo() -> bool {
    Command::new("ogrinfo")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn script(name: &str) -> PathBuf {
    root().join("tests/clients").join(name)
}

/// Builds the fixture world with every format into `<tmp>/output`.
fn build_fixture(tmp: &Path, target: &Target) -> PathBuf {
    let (gd, treaties) = build::load(&fixture()).expect("the fixture loads");
    let built =
        build::assemble_all(&gd, &treaties, &[], &BTreeMap::new()).expect("the fixture builds");
    let dir = tmp.join("output");
    build::write_files(&dir, &build::render_outputs(&gd, &treaties, &built))
        .expect("GeoJSON written");
    style::write_gis(&dir, &gd, &built, target).expect("GIS formats written");
    dir
}

fn run_script(python: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(python)
        .args(args)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn ogrinfo_opens_every_layer() {
    if !has_ogrinfo() {
        return missing("GDAL (ogrinfo)", INSTALL_OGR);
    }
    let tmp = temp();
    let dir = build_fixture(tmp.path(), &Target::wgs84().unwrap());
    let s = script("check_ogr.py");
    let (code, log) = run_script(
        "python3",
        &[
            s.to_str().unwrap(),
            dir.to_str().unwrap(),
            "--gpkg-validate",
        ],
    );
    assert_eq!(code, 0, "check_ogr.py failed:\n{log}");
}

#[test]
fn reprojected_layers_carry_the_target_crs() {
    if !has_ogrinfo() {
        return missing("GDAL (ogrinfo)", INSTALL_OGR);
    }
    let tmp = temp();
    let target = style::reproject("EPSG:3576").unwrap();
    let dir = build_fixture(tmp.path(), &target);
    let prj = std::fs::read_to_string(dir.join("timeline/territory.prj")).unwrap();
    assert!(prj.starts_with("PROJCS["), "{prj}");
    let s = script("check_ogr.py");
    let (code, log) = run_script(
        "python3",
        &[
            s.to_str().unwrap(),
            dir.to_str().unwrap(),
            "--epsg",
            "3576",
            "--gpkg-validate",
        ],
    );
    assert_eq!(code, 0, "check_ogr.py (EPSG:3576) failed:\n{log}");
}

#[test]
fn qgis_opens_the_styled_project() {
    let python = "/usr/bin/python3";
    if !Path::new(python).exists() {
        return missing("python3 with PyQGIS", INSTALL_QGIS);
    }
    let tmp = temp();
    let dir = build_fixture(tmp.path(), &Target::wgs84().unwrap());
    let s = script("check_qgis.py");
    let (code, log) = run_script(
        python,
        &[
            s.to_str().unwrap(),
            dir.to_str().unwrap(),
            fixture().to_str().unwrap(),
        ],
    );
    if code == 3 {
        return missing("PyQGIS (the qgis Python module)", INSTALL_QGIS);
    }
    assert_eq!(code, 0, "check_qgis.py failed:\n{log}");
}

#[test]
fn an_unknown_crs_is_refused_before_anything_is_written() {
    let e = style::reproject("EPSG:99999").unwrap_err().to_string();
    assert!(e.starts_with("unknown CRS \"EPSG:99999\": "), "{e}");
    assert!(
        e.ends_with("(fix: use an EPSG code such as EPSG:3576 or a PROJ string)"),
        "{e}"
    );
    assert!(style::reproject("+proj=nonsense").is_err());
}

/// Not a check: builds a geodata folder with every format, for a look by hand or the README
/// screenshot (`tools/qgis_screenshot.py`):
/// `TREATYLINE_GEODATA=geodata TREATYLINE_OUT=/tmp/out [TREATYLINE_CRS=EPSG:3576] cargo test --release --test gis_clients -- --ignored`
#[test]
#[ignore]
fn export_for_inspection() {
    let geodata = std::env::var("TREATYLINE_GEODATA").unwrap_or_else(|_| "geodata".into());
    let out = PathBuf::from(std::env::var("TREATYLINE_OUT").expect("set TREATYLINE_OUT"));
    let target = match std::env::var("TREATYLINE_CRS") {
        Ok(c) => style::reproject(&c).unwrap(),
        Err(_) => Target::wgs84().unwrap(),
    };
    let (gd, treaties) = build::load(Path::new(&geodata)).unwrap();
    let built = build::assemble_all(&gd, &treaties, &[], &BTreeMap::new()).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    build::write_files(&out, &build::render_outputs(&gd, &treaties, &built)).unwrap();
    style::write_gis(&out, &gd, &built, &target).unwrap();
}
