//! GeoPackage output: one `treatyline.gpkg` holding every layer, written with SQLite directly
//! per OGC GeoPackage 1.3 (12-128r18), so no GDAL is needed to build it.
//!
//! Geometries are StandardGeoPackageBinary (GP header with an XY envelope, then little-endian
//! WKB); dates are `DATE` columns holding `YYYY-MM-DD`, which GDAL and QGIS read as Date fields.
//! Each layer's QGIS style is stored in `layer_styles` (the GDAL/QGIS convention) as its default,
//! so the GeoPackage opened on its own in QGIS is styled too.

use crate::error::{Error, Result};
use crate::export::style::{Attr, FieldType, Layer, Shape, Srs, Target};
use crate::geodata::Geodata;
use geo::Coord;
use rusqlite::{params, Connection};
use std::path::Path;

/// `PRAGMA application_id`: ASCII "GPKG".
const APPLICATION_ID: i32 = 0x4750_4B47;
/// `PRAGMA user_version`: GeoPackage 1.3.0.
const USER_VERSION: i32 = 10300;

const HINT: &str = "check that the output folder is writable";

fn sql_err(path: &Path, e: rusqlite::Error) -> Error {
    Error::io(path, std::io::Error::other(e.to_string()), HINT)
}

/// A double-quoted SQL identifier.
fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

const SCHEMA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  f_table_catalog TEXT(256),
  f_table_schema TEXT(256),
  f_table_name TEXT(256),
  f_geometry_column TEXT(256),
  styleName TEXT(30),
  styleQML TEXT,
  styleSLD TEXT,
  useAsDefault BOOLEAN,
  description TEXT,
  owner TEXT(30),
  ui TEXT(30),
  update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
";

/// The time stamp written to `last_change`: [`super::stamp`], never the clock.
fn timestamp() -> String {
    let (y, m, d, rem) = super::stamp();
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn wkb_coords(out: &mut Vec<u8>, cs: &[Coord<f64>]) {
    out.extend_from_slice(&(cs.len() as u32).to_le_bytes());
    for c in cs {
        out.extend_from_slice(&c.x.to_le_bytes());
        out.extend_from_slice(&c.y.to_le_bytes());
    }
}

fn wkb_head(out: &mut Vec<u8>, ty: u32) {
    out.push(1); // little endian
    out.extend_from_slice(&ty.to_le_bytes());
}

/// The length of [`wkb`]'s bytes, so a blob is allocated once at its size (a territory's is tens
/// of MB at 100× the vertices, and growing it by doubling copied it several times).
fn wkb_len(shape: &Shape) -> usize {
    let ring = |r: &Vec<Coord<f64>>| 4 + 16 * r.len();
    match shape {
        Shape::Point(_) => 21,
        Shape::Lines(ls) => 9 + ls.iter().map(|l| 5 + ring(l)).sum::<usize>(),
        Shape::Polygons(ps) => {
            9 + ps
                .iter()
                .map(|p| 9 + p.iter().map(ring).sum::<usize>())
                .sum::<usize>()
        }
    }
}

/// Little-endian WKB; lines always as MultiLineString and polygons as MultiPolygon so every
/// row matches the column's declared type.
pub fn wkb(shape: &Shape) -> Vec<u8> {
    let mut out = Vec::with_capacity(wkb_len(shape));
    wkb_into(&mut out, shape);
    out
}

fn wkb_into(out: &mut Vec<u8>, shape: &Shape) {
    match shape {
        Shape::Point(c) => {
            wkb_head(out, 1);
            out.extend_from_slice(&c.x.to_le_bytes());
            out.extend_from_slice(&c.y.to_le_bytes());
        }
        Shape::Lines(ls) => {
            wkb_head(out, 5);
            out.extend_from_slice(&(ls.len() as u32).to_le_bytes());
            for l in ls {
                wkb_head(out, 2);
                wkb_coords(out, l);
            }
        }
        Shape::Polygons(ps) => {
            wkb_head(out, 6);
            out.extend_from_slice(&(ps.len() as u32).to_le_bytes());
            for p in ps {
                wkb_head(out, 3);
                out.extend_from_slice(&(p.len() as u32).to_le_bytes());
                for r in p {
                    wkb_coords(out, r);
                }
            }
        }
    }
}

/// StandardGeoPackageBinary: magic `GP`, version 0, flags (little endian; XY envelope except
/// for points, where it adds nothing; the empty bit for empty geometries), srs_id, envelope,
/// WKB.
pub fn geometry_blob(srs_id: i32, shape: &Shape) -> Vec<u8> {
    let bbox = shape.bbox();
    let envelope = match (shape, bbox) {
        (Shape::Point(_), _) | (_, None) => None,
        (_, Some(b)) => Some(b),
    };
    let mut flags: u8 = 0b0000_0001; // little endian
    if envelope.is_some() {
        flags |= 1 << 1; // envelope [minx, maxx, miny, maxy]
    }
    if bbox.is_none() {
        flags |= 1 << 4; // empty geometry
    }
    let mut out = Vec::with_capacity(8 + 32 * usize::from(envelope.is_some()) + wkb_len(shape));
    out.extend_from_slice(&[b'G', b'P', 0, flags]);
    out.extend_from_slice(&srs_id.to_le_bytes());
    if let Some([x0, y0, x1, y1]) = envelope {
        for v in [x0, x1, y0, y1] {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    wkb_into(&mut out, shape);
    out
}

fn sql_type(t: FieldType) -> &'static str {
    match t {
        FieldType::Text => "TEXT",
        FieldType::Real => "REAL",
        FieldType::Integer => "INTEGER",
        FieldType::Bool => "BOOLEAN",
        FieldType::Date => "DATE",
    }
}

fn to_sql(a: &Option<Attr>) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match a {
        None => V::Null,
        Some(Attr::Text(s)) | Some(Attr::Date(s)) => V::Text(s.clone()),
        Some(Attr::Real(v)) => V::Real(*v),
        Some(Attr::Integer(v)) => V::Integer(*v),
        Some(Attr::Bool(b)) => V::Integer(i64::from(*b)),
    }
}

fn insert_srs(conn: &Connection, s: &Srs) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO gpkg_spatial_ref_sys VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            s.name,
            s.srs_id,
            s.organization,
            s.organization_coordsys_id,
            s.wkt1,
            format!("{} (as given: {})", s.name, s.given)
        ],
    )?;
    Ok(())
}

fn write_layer(conn: &Connection, l: &Layer, srs_id: i32, now: &str) -> rusqlite::Result<()> {
    let mut cols = vec![
        "fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL".to_string(),
        format!("geom {}", l.kind.geometry_type()),
    ];
    cols.extend(
        l.fields
            .iter()
            .map(|f| format!("{} {}", ident(&f.name), sql_type(f.ty))),
    );
    conn.execute_batch(&format!(
        "CREATE TABLE {} ({});",
        ident(&l.table),
        cols.join(", ")
    ))?;
    let bbox = l.bbox();
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            l.table,
            l.title,
            l.description,
            now,
            bbox.map(|b| b[0]),
            bbox.map(|b| b[1]),
            bbox.map(|b| b[2]),
            bbox.map(|b| b[3]),
            srs_id
        ],
    )?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, 0, 0)",
        params![l.table, l.kind.geometry_type(), srs_id],
    )?;
    let names: Vec<String> = std::iter::once("geom".to_string())
        .chain(l.fields.iter().map(|f| ident(&f.name)))
        .collect();
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    let mut stmt = conn.prepare(&format!(
        "INSERT INTO {} ({}) VALUES ({})",
        ident(&l.table),
        names.join(", "),
        marks.join(", ")
    ))?;
    for f in &l.features {
        let mut vals = vec![rusqlite::types::Value::Blob(geometry_blob(
            srs_id, &f.shape,
        ))];
        vals.extend(f.attrs.iter().map(to_sql));
        stmt.execute(rusqlite::params_from_iter(vals))?;
    }
    Ok(())
}

/// Writes `path` (replacing it) with every layer, in the target CRS, and each layer's QGIS
/// style as its default style.
pub fn write(path: &Path, layers: &[Layer], target: &Target, gd: &Geodata) -> Result<()> {
    if path.exists() {
        std::fs::remove_file(path).map_err(|e| Error::io(path, e, HINT))?;
    }
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e, HINT))?;
    }
    let now = timestamp();
    let wgs84 = if target.is_wgs84() {
        target.srs.clone()
    } else {
        Target::wgs84()?.srs
    };
    let run = || -> rusqlite::Result<()> {
        let mut conn = Connection::open(path)?;
        // A fresh file, renamed into place only when the whole build has succeeded: a crash
        // mid-write leaves a temporary folder, never a half-written output, so SQLite's rollback
        // journal and its fsyncs protect nothing here. Without them the same bytes are written,
        // faster.
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {USER_VERSION};"
        ))?;
        let tx = conn.transaction()?;
        tx.execute_batch(SCHEMA)?;
        tx.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system')",
            [],
        )?;
        tx.execute(
            "INSERT INTO gpkg_spatial_ref_sys VALUES ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')",
            [],
        )?;
        insert_srs(&tx, &wgs84)?;
        insert_srs(&tx, &target.srs)?;
        tx.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles of the layers (default styles)', ?1)",
            params![now],
        )?;
        for l in layers {
            write_layer(&tx, l, target.srs.srs_id, &now)?;
            tx.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) VALUES ('', '', ?1, 'geom', ?1, ?2, '', 1, ?3, '', '', ?4)",
                params![
                    l.table,
                    crate::export::qgis::qml(l, gd),
                    format!("treatyline style: {}", l.title),
                    now
                ],
            )?;
        }
        tx.commit()?;
        conn.close().map_err(|(_, e)| e)?;
        Ok(())
    };
    run().map_err(|e| sql_err(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wkb_len_is_the_length_of_the_wkb() {
        let c = |x: f64| Coord { x, y: x / 2.0 };
        let ring = vec![c(0.0), c(1.0), c(2.0), c(0.0)];
        for shape in [
            Shape::Point(c(1.0)),
            Shape::Lines(vec![vec![c(0.0), c(1.0)], vec![c(2.0), c(3.0), c(4.0)]]),
            Shape::Polygons(vec![vec![ring.clone(), ring.clone()], vec![ring]]),
            Shape::Polygons(vec![]),
        ] {
            assert_eq!(wkb_len(&shape), wkb(&shape).len());
        }
    }

    #[test]
    fn blob_layout() {
        let p = geometry_blob(4326, &Shape::Point(Coord { x: 1.0, y: 2.0 }));
        assert_eq!(&p[..4], &[b'G', b'P', 0, 1]);
        assert_eq!(&p[4..8], &4326i32.to_le_bytes());
        assert_eq!(p.len(), 8 + 21);
        let l = geometry_blob(
            4326,
            &Shape::Lines(vec![vec![
                Coord { x: 0.0, y: 0.0 },
                Coord { x: 2.0, y: 1.0 },
            ]]),
        );
        assert_eq!(l[3], 0b11);
        assert_eq!(f64::from_le_bytes(l[16..24].try_into().unwrap()), 2.0);
    }

    #[test]
    fn timestamp_is_iso() {
        let t = timestamp();
        assert_eq!(t.len(), 24, "{t}");
        assert!(t.ends_with('Z'));
    }
}
