//! ESRI Shapefile output, for the software that still wants it: each layer as
//! `<dir>/<stem>.shp/.shx/.dbf` beside its GeoJSON, with a `.prj` (the CRS as ESRI WKT, from
//! PROJ) and a `.cpg` saying the `.dbf` text is UTF-8.
//!
//! dBASE limits shape the attribute table: field names have at most 10 characters (see
//! [`crate::export::style::DBF_NAMES`] for the renamed ones), text at most 254 bytes (longer
//! clauses and notes are cut at a character boundary and end in "…"; the GeoPackage and the
//! GeoJSON carry them whole), dates are dBASE `D` fields, empty when null.

use crate::error::{Error, Result};
use crate::export::style::{cut_bytes, Attr, FieldType, Layer, Shape, Srs};
use shapefile::dbase::{self, FieldName, FieldValue, Record, TableWriterBuilder};
use shapefile::{Point, Polygon, PolygonRing, Polyline, ShapeWriter};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// The most bytes a dBASE character field holds.
pub const MAX_TEXT_BYTES: usize = 254;
const ELLIPSIS: &str = "…";
const HINT: &str = "check that the output folder is writable";

fn shp_err(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()), HINT)
}

/// Text cut to fit a dBASE character field: at most 254 bytes, ending in "…" when cut.
pub fn fit_text(s: &str) -> String {
    if s.len() <= MAX_TEXT_BYTES {
        s.to_string()
    } else {
        format!(
            "{}{ELLIPSIS}",
            cut_bytes(s, MAX_TEXT_BYTES - ELLIPSIS.len())
        )
    }
}

fn text_of(a: &Attr) -> Option<String> {
    match a {
        Attr::Text(s) => Some(fit_text(s)),
        _ => None,
    }
}

/// The `.dbf` column definitions: text as wide as the longest value (1–254 bytes), reals as
/// N(20,6) (areas are rounded to 0.01 km²), integers N(18,0).
fn table_builder(layer: &Layer) -> std::result::Result<TableWriterBuilder, String> {
    let mut b = TableWriterBuilder::new();
    for (i, f) in layer.fields.iter().enumerate() {
        let name = FieldName::try_from(f.dbf.as_str()).map_err(|e| format!("{}: {e}", f.dbf))?;
        b = match f.ty {
            FieldType::Text => {
                let width = layer
                    .features
                    .iter()
                    .filter_map(|ft| ft.attrs.get(i).and_then(|a| a.as_ref()).and_then(text_of))
                    .map(|s| s.len())
                    .max()
                    .unwrap_or(1)
                    .clamp(1, MAX_TEXT_BYTES);
                b.add_character_field(name, width as u8)
            }
            FieldType::Real => b.add_numeric_field(name, 20, 6),
            FieldType::Integer => b.add_numeric_field(name, 18, 0),
            FieldType::Bool => b.add_logical_field(name),
            FieldType::Date => b.add_date_field(name),
        };
    }
    Ok(b)
}

fn date(s: &str) -> Option<dbase::Date> {
    let (y, rest) = s.split_once('-')?;
    let (m, d) = rest.split_once('-')?;
    dbase::Date::new(d.parse().ok()?, m.parse().ok()?, y.parse().ok()?).ok()
}

fn record(layer: &Layer, attrs: &[Option<Attr>]) -> Record {
    let mut r = Record::default();
    for (f, a) in layer.fields.iter().zip(attrs) {
        let v = match (f.ty, a) {
            (FieldType::Text, a) => FieldValue::Character(a.as_ref().and_then(text_of)),
            (FieldType::Real, Some(Attr::Real(v))) => FieldValue::Numeric(Some(*v)),
            (FieldType::Real, Some(Attr::Integer(v))) => FieldValue::Numeric(Some(*v as f64)),
            (FieldType::Integer, Some(Attr::Integer(v))) => FieldValue::Numeric(Some(*v as f64)),
            (FieldType::Real | FieldType::Integer, _) => FieldValue::Numeric(None),
            (FieldType::Bool, Some(Attr::Bool(b))) => FieldValue::Logical(Some(*b)),
            (FieldType::Bool, _) => FieldValue::Logical(None),
            (FieldType::Date, Some(Attr::Date(s))) => FieldValue::Date(date(s)),
            (FieldType::Date, _) => FieldValue::Date(None),
        };
        r.insert(f.dbf.clone(), v);
    }
    r
}

fn pt(c: &geo::Coord<f64>) -> Point {
    Point::new(c.x, c.y)
}

/// Writes one shape; the shapefile crate orders the rings itself (outer clockwise).
fn write_shape(
    w: &mut ShapeWriter<BufWriter<File>>,
    s: &Shape,
) -> std::result::Result<(), shapefile::Error> {
    match s {
        Shape::Point(c) => w.write_shape(&pt(c)),
        Shape::Lines(ls) => {
            let parts: Vec<Vec<Point>> = ls
                .iter()
                .filter(|l| l.len() >= 2)
                .map(|l| l.iter().map(pt).collect())
                .collect();
            w.write_shape(&Polyline::with_parts(parts))
        }
        Shape::Polygons(ps) => {
            let mut rings = Vec::new();
            for p in ps {
                for (k, r) in p.iter().enumerate() {
                    let pts: Vec<Point> = r.iter().map(pt).collect();
                    rings.push(if k == 0 {
                        PolygonRing::Outer(pts)
                    } else {
                        PolygonRing::Inner(pts)
                    });
                }
            }
            w.write_shape(&Polygon::with_rings(rings))
        }
    }
}

/// Writes one layer at `dir/<layer dir>/<stem>.shp` (+ .shx, .dbf, .prj, .cpg).
pub fn write_layer(dir: &Path, layer: &Layer, srs: &Srs) -> Result<()> {
    let shp = dir.join(layer.file("shp"));
    if let Some(d) = shp.parent() {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e, HINT))?;
    }
    let dbf = shp.with_extension("dbf");
    let builder = table_builder(layer).map_err(|e| shp_err(&dbf, e))?;
    let create = |p: &Path| -> Result<BufWriter<File>> {
        File::create(p)
            .map(BufWriter::new)
            .map_err(|e| Error::io(p, e, HINT))
    };
    let mut shapes = ShapeWriter::with_shx(create(&shp)?, create(&shp.with_extension("shx"))?);
    let mut table = builder.build_with_dest(create(&dbf)?);
    for f in &layer.features {
        write_shape(&mut shapes, &f.shape).map_err(|e| shp_err(&shp, e))?;
        table
            .write_record(&record(layer, &f.attrs))
            .map_err(|e| shp_err(&dbf, e))?;
    }
    shapes.finalize().map_err(|e| shp_err(&shp, e))?;
    table.finalize().map_err(|e| shp_err(&dbf, e))?;
    stamp_dbf(&dbf)?;
    for (ext, text) in [("prj", srs.wkt_esri.as_str()), ("cpg", "UTF-8")] {
        let p = shp.with_extension(ext);
        std::fs::write(&p, text).map_err(|e| Error::io(&p, e, HINT))?;
    }
    Ok(())
}

/// Overwrites the `.dbf` header's date of last update (bytes 1–3: years since 1900, month, day),
/// which the dbase crate takes from the clock, with [`super::stamp`]: otherwise a build made the
/// next day differs.
fn stamp_dbf(dbf: &Path) -> Result<()> {
    use std::io::{Seek, SeekFrom, Write};
    let (y, m, d, _) = super::stamp();
    let yy = u8::try_from((y - 1900).clamp(0, 255)).unwrap_or(0);
    let bytes = [yy, m as u8, d as u8];
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(dbf)
        .map_err(|e| Error::io(dbf, e, HINT))?;
    f.seek(SeekFrom::Start(1))
        .and_then(|_| f.write_all(&bytes))
        .map_err(|e| Error::io(dbf, e, HINT))
}

/// Writes every layer that has features as a Shapefile beside its GeoJSON (a Shapefile cannot
/// say what geometry type an empty layer has, so empty layers are left out).
pub fn write_all(dir: &Path, layers: &[Layer], srs: &Srs) -> Result<()> {
    for l in layers.iter().filter(|l| !l.features.is_empty()) {
        write_layer(dir, l, srs)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_on_a_character() {
        let s = "я".repeat(200);
        let f = fit_text(&s);
        assert!(f.len() <= MAX_TEXT_BYTES);
        assert!(f.ends_with('…'));
        assert_eq!(fit_text("short"), "short");
    }

    #[test]
    fn dates() {
        let d = date("1689-09-07").unwrap();
        assert_eq!(d.to_string(), "16890907");
        assert!(date("1689").is_none());
    }
}
