//! What the GIS exports (Shapefile, GeoPackage, QGIS project) share: the list of layers with
//! their fields and features, the target coordinate reference system, and the look of each
//! layer (colour per status, dash per certainty).
//!
//! The layers are built from the very GeoJSON features `build` writes (same properties, same
//! 6-decimal coordinates), so every format says the same thing; only the encoding differs.

use crate::build::{self, Built};
use crate::error::{Error, Result};
use crate::export::geojson::{self, Geometry};
use crate::geodata::Geodata;
use geo::Coord;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// What a layer holds; decides its geometry type, file stem and style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Territory,
    Border,
    Places,
}

impl Kind {
    /// The file stem beside the GeoJSON (`territory.geojson` → `territory.shp`, `territory.qml`).
    pub fn stem(self) -> &'static str {
        match self {
            Kind::Territory => "territory",
            Kind::Border => "border",
            Kind::Places => "places",
        }
    }

    /// The OGC geometry type name (GeoPackage `gpkg_geometry_columns`, QGIS `wkbType`).
    pub fn geometry_type(self) -> &'static str {
        match self {
            Kind::Territory => "MULTIPOLYGON",
            Kind::Border => "MULTILINESTRING",
            Kind::Places => "POINT",
        }
    }
}

/// The type of an attribute column, chosen so GDAL and QGIS see dates as Date fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Real,
    Integer,
    Bool,
    /// ISO `YYYY-MM-DD`; dBASE `D`, GeoPackage `DATE`.
    Date,
}

/// One attribute column: its GeoJSON name, its dBASE name (at most 10 characters) and type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub dbf: String,
    pub ty: FieldType,
}

/// One attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Attr {
    Text(String),
    Real(f64),
    Integer(i64),
    Bool(bool),
    /// `YYYY-MM-DD`, checked.
    Date(String),
}

/// A geometry in layer coordinates: WGS 84 longitude/latitude, or the target CRS after
/// [`Target::apply`]. Polygons: exterior ring first, rings closed.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Point(Coord<f64>),
    Lines(Vec<Vec<Coord<f64>>>),
    Polygons(Vec<Vec<Vec<Coord<f64>>>>),
}

impl Shape {
    fn coords_mut(&mut self) -> Vec<&mut Coord<f64>> {
        match self {
            Shape::Point(c) => vec![c],
            Shape::Lines(ls) => ls.iter_mut().flatten().collect(),
            Shape::Polygons(ps) => ps.iter_mut().flatten().flatten().collect(),
        }
    }

    /// Folds `f` over the coordinates in order (without collecting them: layers are large).
    fn fold_coords<A>(&self, init: A, f: impl FnMut(A, Coord<f64>) -> A) -> A {
        match self {
            Shape::Point(c) => std::iter::once(*c).fold(init, f),
            Shape::Lines(ls) => ls.iter().flatten().copied().fold(init, f),
            Shape::Polygons(ps) => ps.iter().flatten().flatten().copied().fold(init, f),
        }
    }

    /// `[min_x, min_y, max_x, max_y]`, or `None` when empty.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        self.fold_coords(None, bbox_add)
    }
}

fn bbox_add(acc: Option<[f64; 4]>, c: Coord<f64>) -> Option<[f64; 4]> {
    Some(match acc {
        None => [c.x, c.y, c.x, c.y],
        Some([a, b, x, y]) => [a.min(c.x), b.min(c.y), x.max(c.x), y.max(c.y)],
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// Shared between a treaty's layer and the timeline layer that repeats it (at 100× the
    /// vertices the timeline's copies were a tenth of the build's peak memory).
    pub shape: std::sync::Arc<Shape>,
    /// One value per field of the layer, `None` for null.
    pub attrs: Vec<Option<Attr>>,
}

/// One layer as the GIS formats write it.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    /// GeoPackage table name and QGIS layer id: `nerchinsk_1689_territory`, `timeline_border`.
    pub table: String,
    /// The folder of the matching GeoJSON, relative to the output folder (`""` for places).
    pub dir: PathBuf,
    pub kind: Kind,
    /// Human title (GeoPackage identifier, QGIS layer name); unique.
    pub title: String,
    pub description: String,
    /// The timeline layers: valid_from/valid_to drive QGIS's Temporal Controller.
    pub temporal: bool,
    /// The treaty and reading a per-treaty layer belongs to; the QGIS project groups by them.
    pub treaty: Option<String>,
    pub reading: Option<String>,
    pub is_default: bool,
    pub fields: Vec<Field>,
    pub features: Vec<Feature>,
}

impl Layer {
    /// The Shapefile (and `.qml`) path of this layer, relative to the output folder.
    pub fn file(&self, ext: &str) -> PathBuf {
        self.dir.join(format!("{}.{ext}", self.kind.stem()))
    }

    pub fn bbox(&self) -> Option<[f64; 4]> {
        self.features
            .iter()
            .fold(None, |acc, f| f.shape.fold_coords(acc, bbox_add))
    }

    pub fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// GeoJSON property names longer than dBASE's 10 characters, and the names the Shapefiles use.
/// Any other name longer than 10 characters is cut to 10 (and numbered if that collides).
pub const DBF_NAMES: &[(&str, &str)] = &[
    ("status_label", "status_lbl"),
    ("established_by", "estab_by"),
    ("founded_note", "found_note"),
];

/// Fields whose values are ISO dates: written as Date columns.
const DATE_FIELDS: &[&str] = &["valid_from", "valid_to"];

/// A plain lowercase identifier for table names: `nerchinsk-1689` → `nerchinsk_1689`.
pub fn table_id(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.chars().next().is_none_or(|c| c.is_ascii_digit()) {
        out.insert_str(0, "t_");
    }
    out
}

fn dbf_names(names: &[String]) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    for n in names {
        let base = DBF_NAMES
            .iter()
            .find(|(g, _)| g == n)
            .map(|(_, d)| d.to_string())
            .unwrap_or_else(|| cut_bytes(n, 10).to_string());
        let mut name = base.clone();
        let mut k = 1;
        while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
            let suffix = k.to_string();
            name = format!("{}{suffix}", cut_bytes(&base, 10 - suffix.len()));
            k += 1;
        }
        used.push(name);
    }
    used
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub fn cut_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// True for a valid proleptic Gregorian `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = &s[r];
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())
            .flatten()
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// A coordinate as the GeoJSON carries it (6 decimals), or `None` when it is not finite (the
/// GeoJSON then holds `null`).
fn written(c: &Coord<f64>) -> Option<Coord<f64>> {
    let r = Coord {
        x: geojson::round6(c.x),
        y: geojson::round6(c.y),
    };
    (r.x.is_finite() && r.y.is_finite()).then_some(r)
}

fn written_line<'a>(cs: impl Iterator<Item = &'a Coord<f64>>) -> Option<Vec<Coord<f64>>> {
    cs.map(written).collect()
}

/// The shape of a feature exactly as its GeoJSON holds it: coordinates rounded to 6 decimals,
/// polygons oriented as [`crate::export::geojson::polygons`] orients them.
fn shape_of(g: &Geometry<'_>) -> Option<Shape> {
    match g {
        Geometry::Point(c) => written(c).map(Shape::Point),
        Geometry::Lines(ml) if ml.0.is_empty() => None,
        Geometry::Lines(ml) => {
            ml.0.iter()
                .map(|l| written_line(l.0.iter()))
                .collect::<Option<Vec<_>>>()
                .map(Shape::Lines)
        }
        Geometry::Polygons(mp) => {
            mp.0.iter()
                .map(|p| {
                    std::iter::once(written_line(geojson::oriented(p.exterior(), true)))
                        .chain(
                            p.interiors()
                                .iter()
                                .map(|r| written_line(geojson::oriented(r, false))),
                        )
                        .collect::<Option<Vec<_>>>()
                })
                .collect::<Option<Vec<_>>>()
                .map(Shape::Polygons)
        }
    }
}

fn infer_type(name: &str, values: &[&Value]) -> FieldType {
    let present: Vec<&&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if DATE_FIELDS.contains(&name) && present.iter().all(|v| v.as_str().is_some_and(is_iso_date)) {
        return FieldType::Date;
    }
    if present.is_empty() {
        return FieldType::Text;
    }
    if present.iter().all(|v| v.is_boolean()) {
        FieldType::Bool
    } else if present.iter().all(|v| v.is_i64()) {
        FieldType::Integer
    } else if present.iter().all(|v| v.is_number()) {
        FieldType::Real
    } else {
        FieldType::Text
    }
}

fn to_attr(v: &Value, ty: FieldType) -> Option<Attr> {
    match (v, ty) {
        (Value::Null, _) => None,
        (Value::String(s), FieldType::Date) => Some(Attr::Date(s.clone())),
        (Value::Bool(b), FieldType::Bool) => Some(Attr::Bool(*b)),
        (Value::Number(n), FieldType::Integer) => n.as_i64().map(Attr::Integer),
        (Value::Number(n), FieldType::Real) => n.as_f64().map(Attr::Real),
        (Value::String(s), _) => Some(Attr::Text(s.clone())),
        // arrays and objects (a place's `treaties` list): their JSON text
        (other, _) => Some(Attr::Text(other.to_string())),
    }
}

/// Metadata of one layer before its features are known.
struct Head {
    table: String,
    dir: PathBuf,
    kind: Kind,
    title: String,
    description: String,
    temporal: bool,
    treaty: Option<String>,
    reading: Option<String>,
    is_default: bool,
}

/// Turns GeoJSON features (as `build` renders them) into a layer; fields in order of first
/// appearance, typed from their values.
fn from_features(h: Head, feats: &[geojson::Feature<'_>]) -> Result<Layer> {
    from_features_with(h, feats, &[])
}

/// [`from_features`], taking the shapes of the first features from `shapes` (the same features
/// converted before) instead of converting them again.
fn from_features_with(
    h: Head,
    feats: &[geojson::Feature<'_>],
    shapes: &[std::sync::Arc<Shape>],
) -> Result<Layer> {
    let mut names: Vec<String> = Vec::new();
    for f in feats {
        for k in f.properties.keys() {
            if !names.contains(k) {
                names.push(k.clone());
            }
        }
    }
    let props = |f: &geojson::Feature<'_>, k: &str| -> Value {
        f.properties.get(k).cloned().unwrap_or(Value::Null)
    };
    let dbf = dbf_names(&names);
    let fields: Vec<Field> = names
        .iter()
        .zip(dbf)
        .map(|(n, d)| {
            let vals: Vec<Value> = feats.iter().map(|f| props(f, n)).collect();
            let refs: Vec<&Value> = vals.iter().collect();
            Field {
                name: n.clone(),
                dbf: d,
                ty: infer_type(n, &refs),
            }
        })
        .collect();
    let mut features = Vec::with_capacity(feats.len());
    for (i, f) in feats.iter().enumerate() {
        let shape = match shapes.get(i) {
            Some(s) => s.clone(),
            None => std::sync::Arc::new(shape_of(&f.geometry).ok_or_else(|| {
            Error::Usage(format!(
                "layer {}: feature {} has no geometry the GIS exports can write (this is a bug in treatyline; please report it)",
                h.table, i + 1
            ))
        })?),
        };
        let attrs = fields
            .iter()
            .map(|fd| to_attr(&props(f, &fd.name), fd.ty))
            .collect();
        features.push(Feature { shape, attrs });
    }
    Ok(Layer {
        table: h.table,
        dir: h.dir,
        kind: h.kind,
        title: h.title,
        description: h.description,
        temporal: h.temporal,
        treaty: h.treaty,
        reading: h.reading,
        is_default: h.is_default,
        fields,
        features,
    })
}

fn place_json(
    pl: &crate::geodata::Place,
    extra: Option<(&str, &str)>,
) -> geojson::Feature<'static> {
    let mut p: Map<String, Value> = pl.props.clone();
    if let Some((treaty, article)) = extra {
        p.insert("treaty".into(), json!(treaty));
        p.insert("article".into(), json!(article));
    }
    geojson::feature(p, Geometry::Point(pl.coord))
}

/// Every layer the build writes as GeoJSON, in the same order: per treaty (and reading) its
/// territory and border (and, for the default reading, the places its articles name), then the
/// timeline layers and all places.
pub fn layers(gd: &Geodata, built: &[Built]) -> Result<Vec<Layer>> {
    let mut out = Vec::new();
    let mut timeline_t = Vec::new();
    let mut timeline_b = Vec::new();
    let (mut timeline_t_shapes, mut timeline_b_shapes) = (Vec::new(), Vec::new());
    for b in built {
        let year = b.valid_from.get(..4).unwrap_or("");
        let (table, suffix) = match (&b.reading, b.is_default) {
            (Some(r), false) => (
                format!("{}_reading_{}", table_id(&b.treaty.id), table_id(r)),
                format!(" (reading {r})"),
            ),
            _ => (table_id(&b.treaty.id), String::new()),
        };
        let head = |kind: Kind, what: &str| Head {
            table: format!("{table}_{}", kind.stem()),
            dir: build::layer_dir(b),
            kind,
            title: format!("{} ({year}){suffix}: {what}", b.treaty.name.en),
            description: format!(
                "{what} of {} ({}), valid from {}{}",
                b.treaty.name.en,
                b.treaty.id,
                b.valid_from,
                b.valid_to
                    .as_ref()
                    .map(|t| format!(" until {t} (exclusive)"))
                    .unwrap_or_default()
            ) + &b
                .reading
                .as_ref()
                .map(|r| format!("; reading \"{r}\""))
                .unwrap_or_default(),
            temporal: false,
            treaty: Some(b.treaty.id.clone()),
            reading: b.reading.clone(),
            is_default: b.is_default,
        };
        let tf = build::territory_features(b, gd);
        let bf = build::border_features(b);
        let tl = from_features(head(Kind::Territory, "territory"), &tf)?;
        let bl = from_features(head(Kind::Border, "border"), &bf)?;
        if b.is_default {
            timeline_t_shapes.extend(tl.features.iter().map(|f| f.shape.clone()));
            timeline_b_shapes.extend(bl.features.iter().map(|f| f.shape.clone()));
            timeline_t.extend(tf);
            timeline_b.extend(bf);
        }
        out.push(tl);
        out.push(bl);
        if b.is_default {
            let mut pf = Vec::new();
            for a in &b.treaty.article {
                for pid in &a.places {
                    if let Some(pl) = gd.places.get(pid) {
                        pf.push(place_json(pl, Some((&b.treaty.id, &a.number))));
                    }
                }
            }
            if !pf.is_empty() {
                out.push(from_features(
                    head(Kind::Places, "places named in its articles"),
                    &pf,
                )?);
            }
        }
    }
    let timeline = |kind: Kind, what: &str| {
        Head {
        table: format!("timeline_{}", kind.stem()),
        dir: PathBuf::from("timeline"),
        kind,
        title: format!("Timeline: {what}"),
        description: format!(
            "the {what} of every treaty (default readings), each valid over [valid_from, valid_to); valid_to is empty for the treaty still in force"
        ),
        temporal: true,
        treaty: None,
        reading: None,
        is_default: true,
    }
    };
    out.push(from_features_with(
        timeline(Kind::Territory, "territory"),
        &timeline_t,
        &timeline_t_shapes,
    )?);
    out.push(from_features_with(
        timeline(Kind::Border, "border"),
        &timeline_b,
        &timeline_b_shapes,
    )?);
    let all: Vec<geojson::Feature> = gd.places.values().map(|p| place_json(p, None)).collect();
    out.push(from_features(
        Head {
            table: "places".into(),
            dir: PathBuf::new(),
            kind: Kind::Places,
            title: "Places".into(),
            description: "forts, towns, posts and ports the treaties and their history name".into(),
            temporal: false,
            treaty: None,
            reading: None,
            is_default: true,
        },
        &all,
    )?);
    Ok(out)
}

/// Writes every GIS format into the output folder `dir` (next to the GeoJSON `build` wrote):
/// a `.qml` style beside each layer, the Shapefiles, `treatyline.gpkg` and `treatyline.qgs`,
/// with coordinates in `target`'s CRS. `built` must be the whole build (every treaty), since the
/// GeoPackage and the project are rewritten as a whole.
pub fn write_gis(dir: &Path, gd: &Geodata, built: &[Built], target: &Target) -> Result<()> {
    use crate::export::{gpkg, qgis, shapefile};
    use crate::timing::phase;
    let mut ls = phase("gis: layers", || layers(gd, built))?;
    phase("gis: qml", || qgis::write_qml_files(dir, &ls, gd))?;
    phase("gis: reproject", || target.apply(&mut ls))?;
    // the Shapefiles and the GeoPackage are independent files: written side by side
    let (ls, srs) = (&ls, &target.srs);
    let (shp, gpkg) = std::thread::scope(|s| {
        let shp = s.spawn(move || phase("gis: shapefiles", || shapefile::write_all(dir, ls, srs)));
        let gpkg = phase("gis: geopackage", || {
            gpkg::write(&dir.join(qgis::GPKG_FILE), ls, target, gd)
        });
        let shp = shp.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
        (shp, gpkg)
    });
    shp.and(gpkg)?;
    phase("gis: project", || qgis::write_project(dir, ls, target, gd))
}

// ---------------------------------------------------------------------------------------------
// The target CRS

/// A coordinate reference system as the GeoPackage, the `.prj` and QGIS describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srs {
    /// The CRS as the user gave it (`EPSG:3576`, `+proj=laea ...`), or `EPSG:4326`.
    pub given: String,
    /// GeoPackage `srs_id`: the EPSG code, or 100000 for other definitions.
    pub srs_id: i32,
    /// `EPSG`, another authority, or `NONE` for a PROJ string.
    pub organization: String,
    pub organization_coordsys_id: i32,
    /// `AUTHORITY:CODE` when the CRS has one (QGIS `authid`).
    pub auth_id: Option<String>,
    pub name: String,
    /// OGC WKT 1 (GDAL flavour), one line: `gpkg_spatial_ref_sys.definition`.
    pub wkt1: String,
    /// ESRI WKT 1, one line: the Shapefile `.prj`.
    pub wkt_esri: String,
    /// WKT 2 (2019), one line: QGIS `<spatialrefsys><wkt>`.
    pub wkt2: String,
    /// The PROJ string when the user gave one.
    pub proj4: String,
    pub geographic: bool,
}

/// Where the GIS exports put their coordinates: WGS 84 (no transformation) or a CRS checked by
/// PROJ. GeoJSON is always WGS 84 (RFC 7946) and never goes through this.
pub struct Target {
    pub srs: Srs,
    op: Option<proj::Proj>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("srs", &self.srs)
            .field("transforms", &self.op.is_some())
            .finish()
    }
}

const WGS84: &str = "EPSG:4326";

/// WKT with the whitespace PROJ indents it with removed (none is significant outside quotes).
fn one_line(wkt: &str) -> String {
    let mut out = String::with_capacity(wkt.len());
    let mut quoted = false;
    for c in wkt.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if quoted || !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

fn unknown(crs: &str, why: impl std::fmt::Display) -> Error {
    Error::Usage(format!(
        "unknown CRS \"{crs}\": {why} (fix: use an EPSG code such as EPSG:3576 or a PROJ string)"
    ))
}

/// PROJ reports why it rejects a definition ("crs not found: EPSG:99999") only through its log;
/// the error code the `proj` crate returns reads "Unknown error". This routes PROJ's log into a
/// per-thread buffer (instead of stderr) so the message can go into our error.
mod proj_log {
    use std::cell::RefCell;
    use std::ffi::{c_char, c_int, c_void, CStr};

    thread_local! {
        static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    type LogFn = extern "C" fn(*mut c_void, c_int, *const c_char);

    extern "C" {
        // PROJ's C API (linked by proj-sys). A null context sets the default context, which
        // every context created afterwards copies.
        fn proj_log_func(ctx: *mut c_void, app_data: *mut c_void, logf: Option<LogFn>);
    }

    extern "C" fn collect(_app: *mut c_void, _level: c_int, msg: *const c_char) {
        if msg.is_null() {
            return;
        }
        // SAFETY: PROJ passes a NUL-terminated string valid for the duration of the call.
        let text = unsafe { CStr::from_ptr(msg) }
            .to_string_lossy()
            .into_owned();
        let _ = LOG.try_with(|l| {
            if let Ok(mut l) = l.try_borrow_mut() {
                l.push(text);
            }
        });
    }

    /// Installs the collector once; returns and clears what this thread has collected so far.
    pub fn take() -> Vec<String> {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: proj_log_func only stores the pointers; `collect` lives for the program.
        ONCE.call_once(|| unsafe {
            proj_log_func(std::ptr::null_mut(), std::ptr::null_mut(), Some(collect))
        });
        LOG.with(|l| {
            l.try_borrow_mut()
                .map(|mut l| std::mem::take(&mut *l))
                .unwrap_or_default()
        })
    }
}

fn proj_message(e: proj::ProjCreateError) -> String {
    let logged: Vec<String> = proj_log::take()
        .into_iter()
        .map(|m| {
            m.split_once(": ")
                .filter(|(f, _)| f.starts_with("proj_"))
                .map(|(_, rest)| rest.to_string())
                .unwrap_or(m)
        })
        .collect();
    if !logged.is_empty() {
        return logged.join("; ");
    }
    match e {
        proj::ProjCreateError::ProjError(m) => m,
        other => other.to_string(),
    }
}

/// The CRS object (not a transformation) for a user string; PROJ strings need `+type=crs`.
fn crs_object(crs: &str) -> Result<proj::Proj> {
    proj_log::take();
    let def = if crs.trim_start().starts_with('+') && !crs.contains("type=crs") {
        format!("{crs} +type=crs")
    } else {
        crs.to_string()
    };
    proj::Proj::new(&def).map_err(|e| unknown(crs, proj_message(e)))
}

fn describe(crs: &str) -> Result<Srs> {
    use proj::wkt::WktVersion;
    let obj = crs_object(crs)?;
    let wkt = |v: WktVersion| -> Result<String> {
        obj.as_wkt(Some(v), None)
            .map(|w| one_line(&w))
            .map_err(|e| unknown(crs, e))
    };
    let wkt1 = wkt(WktVersion::Wkt1_Gdal)?;
    let geographic = wkt1.starts_with("GEOGCS[");
    if !(geographic || wkt1.starts_with("PROJCS[")) {
        return Err(unknown(
            crs,
            "it is not a two-dimensional geographic or projected coordinate reference system",
        ));
    }
    let wkt_esri = wkt(WktVersion::Wkt1_Esri)?;
    let wkt2 = wkt(WktVersion::Wkt2_2019)?;
    let name = wkt1
        .split('"')
        .nth(1)
        .map(str::to_string)
        .unwrap_or_else(|| crs.to_string());
    let (organization, code) = match crs.split_once(':') {
        Some((auth, code)) if !crs.trim_start().starts_with('+') => (
            auth.trim().to_ascii_uppercase(),
            code.trim().parse::<i32>().ok(),
        ),
        _ => ("NONE".to_string(), None),
    };
    let (srs_id, org_id, auth_id) = match code {
        Some(c) if organization == "EPSG" && c > 0 => (c, c, Some(format!("EPSG:{c}"))),
        Some(c) => (100000, c, Some(format!("{organization}:{c}"))),
        None => (100000, 100000, None),
    };
    Ok(Srs {
        given: crs.to_string(),
        srs_id,
        organization,
        organization_coordsys_id: org_id,
        auth_id,
        name,
        wkt1,
        wkt_esri,
        wkt2,
        proj4: if crs.trim_start().starts_with('+') {
            crs.to_string()
        } else {
            String::new()
        },
        geographic,
    })
}

/// Checks a CRS (`EPSG:XXXX`, another `AUTHORITY:CODE`, or a PROJ string) and prepares the
/// transformation from WGS 84 longitude/latitude to it. Call it before writing anything, so an
/// unknown CRS fails the build with nothing written.
pub fn reproject(crs: &str) -> Result<Target> {
    let crs = crs.trim();
    if crs.is_empty() {
        return Err(unknown(crs, "the CRS is empty"));
    }
    let srs = describe(crs)?;
    if srs.auth_id.as_deref() == Some(WGS84) {
        return Ok(Target { srs, op: None });
    }
    let op =
        proj::Proj::new_known_crs(WGS84, crs, None).map_err(|e| unknown(crs, proj_message(e)))?;
    // one known point proves the pipeline works (a PROJ string can parse and still not transform)
    let probe = op
        .convert((120.0_f64, 50.0_f64))
        .map_err(|e| unknown(crs, e))?;
    if !(probe.0.is_finite() && probe.1.is_finite()) {
        return Err(unknown(
            crs,
            "PROJ cannot transform the study area (120°E 50°N) into it",
        ));
    }
    Ok(Target { srs, op: Some(op) })
}

/// Edges longer than this (degrees) are split before projecting: GeoJSON edges are straight in
/// longitude/latitude, and a long straight edge would otherwise turn into a different line.
const PROJECT_DENSIFY_DEG: f64 = 0.1;

fn densify(line: &[Coord<f64>]) -> Vec<Coord<f64>> {
    let mut out = Vec::with_capacity(line.len());
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push(a);
        let len = ((b.x - a.x).powi(2) + (b.y - a.y).powi(2)).sqrt();
        let n = (len / PROJECT_DENSIFY_DEG).ceil() as usize;
        for k in 1..n {
            let t = k as f64 / n as f64;
            out.push(Coord {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            });
        }
    }
    if let Some(l) = line.last() {
        out.push(*l);
    }
    out
}

impl Target {
    /// WGS 84 longitude/latitude: what the exports write when no `--crs` is given.
    pub fn wgs84() -> Result<Target> {
        Ok(Target {
            srs: describe(WGS84)?,
            op: None,
        })
    }

    pub fn is_wgs84(&self) -> bool {
        self.op.is_none()
    }

    /// Transforms every layer's coordinates (densified first) into the target CRS.
    pub fn apply(&self, layers: &mut [Layer]) -> Result<()> {
        let Some(op) = &self.op else { return Ok(()) };
        for layer in layers.iter_mut() {
            let table = layer.table.clone();
            for f in &mut layer.features {
                let shape = std::sync::Arc::make_mut(&mut f.shape);
                match shape {
                    Shape::Point(_) => {}
                    Shape::Lines(ls) => ls.iter_mut().for_each(|l| *l = densify(l)),
                    Shape::Polygons(ps) => ps.iter_mut().flatten().for_each(|r| *r = densify(r)),
                }
                for c in shape.coords_mut() {
                    let (x, y) = op
                        .convert((c.x, c.y))
                        .map_err(|e| self.cannot(&table, *c, e))?;
                    if !(x.is_finite() && y.is_finite()) {
                        return Err(self.cannot(&table, *c, "the result is not finite"));
                    }
                    *c = Coord { x, y };
                }
            }
        }
        Ok(())
    }

    fn cannot(&self, table: &str, c: Coord<f64>, why: impl std::fmt::Display) -> Error {
        Error::Usage(format!(
            "CRS \"{}\" cannot represent the point {:.6},{:.6} of layer {}: {why} (fix: choose a CRS whose area of use covers the study area, e.g. EPSG:3576)",
            self.srs.given, c.x, c.y, table
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Look

/// Line pattern over the fill of hatched statuses: so joint and open land reads as "not simply
/// one state's" in greyscale and for colour-blind readers too.
pub const HATCH_ANGLE_DEG: f64 = 45.0;
pub const HATCH_DISTANCE_MM: f64 = 2.0;

/// How a border segment of each certainty is drawn: (certainty, QGIS pen style, label).
pub const CERTAINTY_DASH: &[(&str, &str, &str)] = &[
    ("demarcated", "solid", "demarcated on the ground"),
    ("described", "dash", "described in the treaty text"),
    ("approximate", "dot", "approximate"),
];

/// `#D55E00` → `213,94,0,255` (QGIS colour syntax); grey when the colour cannot be read.
pub fn qgis_color(hex: &str) -> String {
    let h = hex.trim().trim_start_matches('#');
    let byte = |i: usize| h.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok());
    match (h.len(), byte(0), byte(2), byte(4)) {
        (6, Some(r), Some(g), Some(b)) => format!("{r},{g},{b},255"),
        _ => "187,187,187,255".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dbf_names_fit_and_are_unique() {
        let names: Vec<String> = [
            "status_label",
            "established_by",
            "founded_note",
            "valid_from",
            "a_very_long_name_1",
            "a_very_long_name_2",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let d = dbf_names(&names);
        assert_eq!(
            d,
            [
                "status_lbl",
                "estab_by",
                "found_note",
                "valid_from",
                "a_very_lon",
                "a_very_lo1"
            ]
        );
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_iso_date("1689-09-07"));
        assert!(is_iso_date("1700-02-28"));
        assert!(!is_iso_date("1700-02-29"));
        assert!(is_iso_date("2000-02-29"));
        assert!(!is_iso_date("1689"));
    }

    #[test]
    fn cut_respects_characters() {
        assert_eq!(cut_bytes("аб", 3), "а");
        assert_eq!(qgis_color("#D55E00"), "213,94,0,255");
    }

    #[test]
    fn unknown_crs_is_a_clear_error() {
        let e = reproject("EPSG:99999").map(|_| ()).unwrap_err().to_string();
        assert!(e.starts_with("unknown CRS \"EPSG:99999\": "), "{e}");
        assert!(e.contains("not found"), "{e}");
        assert!(e.ends_with("(fix: use an EPSG code such as EPSG:3576 or a PROJ string)"));
    }

    #[test]
    fn known_crs_transform() {
        let t = reproject("EPSG:3576").unwrap();
        assert_eq!(t.srs.srs_id, 3576);
        assert!(t.srs.wkt1.starts_with("PROJCS["), "{}", t.srs.wkt1);
        assert!(!t.srs.wkt_esri.is_empty());
        let p = reproject("+proj=laea +lat_0=90 +lon_0=100 +datum=WGS84 +units=m").unwrap();
        assert_eq!(p.srs.srs_id, 100000);
        assert_eq!(p.srs.organization, "NONE");
        let w = Target::wgs84().unwrap();
        assert!(w.is_wgs84());
        assert!(w.srs.geographic);
        assert_eq!(w.srs.srs_id, 4326);
    }
}
