//! A QGIS project (`treatyline.qgs`, plain XML) and QGIS layer styles (`.qml`), written
//! directly in the XML QGIS 3.22 reads, so a reader opens the whole dataset styled in one step.
//!
//! Territories: one colour per status from `statuses.toml` (the Okabe–Ito palette), with a
//! line-pattern hatch over the statuses marked `hatch = true`. Borders: solid where demarcated,
//! dashed where described, dotted where approximate. Places: labelled with `name_en`. The
//! timeline layers carry temporal properties on `valid_from`/`valid_to`, so QGIS's Temporal
//! Controller steps through the treaties.
//!
//! The project refers to `treatyline.gpkg` by a relative path, so the output folder can be moved
//! or shared as a whole. The timeline layers read the GeoPackage on purpose: in QGIS 3.22 a
//! GeoJSON layer drops the features whose end field is null (the treaty still in force) from the
//! temporal filter, while a GeoPackage keeps them.

use crate::error::{Error, Result};
use crate::export::style::{
    qgis_color, Kind, Layer, Srs, Target, CERTAINTY_DASH, HATCH_ANGLE_DEG, HATCH_DISTANCE_MM,
};
use crate::geodata::Geodata;
use std::fmt::Write as _;
use std::path::Path;

/// The QGIS version the XML is modelled on (what QGIS 3.22 LTR writes).
const QGIS_VERSION: &str = "3.22.16-Białowieża";
/// The project file name, and the GeoPackage it refers to (both in the output folder).
pub const PROJECT_FILE: &str = "treatyline.qgs";
pub const GPKG_FILE: &str = "treatyline.gpkg";

const HINT: &str = "check that the output folder is writable";
const BORDER_COLOR: &str = "25,25,25,255";
const HATCH_COLOR: &str = "40,40,40,255";

/// The QGIS layer id of a layer: its table name, prefixed, since QGIS 3.22 replaces ids of ten
/// characters or fewer (`places`) with generated ones when it reads a project.
pub fn layer_id(l: &Layer) -> String {
    format!("treatyline_{}", l.table)
}

/// XML-escapes text and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' => o.push_str("&#10;"),
            c => o.push(c),
        }
    }
    o
}

/// `<Option type="Map">` with string values, as QGIS stores symbol layer properties.
fn options(props: &[(&str, String)]) -> String {
    let mut s = String::from("<Option type=\"Map\">");
    for (k, v) in props {
        let _ = write!(
            s,
            "<Option type=\"QString\" name=\"{}\" value=\"{}\"/>",
            esc(k),
            esc(v)
        );
    }
    s.push_str("</Option>");
    s
}

fn symbol_layer(class: &str, props: &[(&str, String)], sub: &str) -> String {
    format!(
        "<layer class=\"{class}\" enabled=\"1\" locked=\"0\" pass=\"0\">{}{sub}</layer>",
        options(props)
    )
}

fn symbol(ty: &str, name: &str, layers: &str) -> String {
    format!(
        "<symbol type=\"{ty}\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">{layers}</symbol>",
        esc(name)
    )
}

fn simple_line(color: &str, width: f64, style: &str) -> String {
    symbol_layer(
        "SimpleLine",
        &[
            ("line_color", color.into()),
            ("line_width", width.to_string()),
            ("line_width_unit", "MM".into()),
            ("line_style", style.into()),
            ("capstyle", "round".into()),
            ("joinstyle", "round".into()),
            ("use_custom_dash", "0".into()),
        ],
        "",
    )
}

/// The fill of one status: its colour, and a 45° line pattern when it is hatched.
fn status_symbol(name: &str, color: &str, hatch: bool) -> String {
    let mut layers = symbol_layer(
        "SimpleFill",
        &[
            ("color", qgis_color(color)),
            ("style", "solid".into()),
            ("outline_style", "solid".into()),
            ("outline_color", "255,255,255,160".into()),
            ("outline_width", "0.2".into()),
            ("outline_width_unit", "MM".into()),
        ],
        "",
    );
    if hatch {
        let line = symbol(
            "line",
            &format!("@{name}@1"),
            &simple_line(HATCH_COLOR, 0.25, "solid"),
        );
        layers.push_str(&symbol_layer(
            "LinePatternFill",
            &[
                ("angle", HATCH_ANGLE_DEG.to_string()),
                ("distance", HATCH_DISTANCE_MM.to_string()),
                ("distance_unit", "MM".into()),
                ("line_width", "0.25".into()),
                ("line_width_unit", "MM".into()),
                ("color", HATCH_COLOR.into()),
                ("offset", "0".into()),
                ("offset_unit", "MM".into()),
            ],
            &line,
        ));
    }
    symbol("fill", name, &layers)
}

fn categorized(attr: &str, cats: &[(String, String, String)]) -> String {
    // cats: (value, label, symbol xml with name = index)
    let mut s = format!(
        "<renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\"><categories>",
        esc(attr)
    );
    for (i, (v, l, _)) in cats.iter().enumerate() {
        let _ = write!(
            s,
            "<category render=\"true\" symbol=\"{i}\" value=\"{}\" label=\"{}\"/>",
            esc(v),
            esc(l)
        );
    }
    s.push_str("</categories><symbols>");
    for (_, _, sym) in cats {
        s.push_str(sym);
    }
    s.push_str("</symbols><rotation/><sizescale/></renderer-v2>");
    s
}

fn renderer(layer: &Layer, gd: &Geodata) -> String {
    match layer.kind {
        Kind::Territory => {
            let cats: Vec<(String, String, String)> = gd
                .statuses
                .iter()
                .enumerate()
                .map(|(i, st)| {
                    (
                        st.id.clone(),
                        st.label.en.clone(),
                        status_symbol(&i.to_string(), &st.color, st.hatch),
                    )
                })
                .collect();
            categorized("status", &cats)
        }
        Kind::Border => {
            let cats: Vec<(String, String, String)> = CERTAINTY_DASH
                .iter()
                .enumerate()
                .map(|(i, (value, pen, label))| {
                    (
                        value.to_string(),
                        label.to_string(),
                        symbol("line", &i.to_string(), &simple_line(BORDER_COLOR, 0.7, pen)),
                    )
                })
                .collect();
            categorized("certainty", &cats)
        }
        Kind::Places => {
            let marker = symbol_layer(
                "SimpleMarker",
                &[
                    ("name", "circle".into()),
                    ("color", "255,255,255,255".into()),
                    ("outline_color", "0,0,0,255".into()),
                    ("outline_width", "0.4".into()),
                    ("outline_width_unit", "MM".into()),
                    ("size", "2.2".into()),
                    ("size_unit", "MM".into()),
                    ("angle", "0".into()),
                ],
                "",
            );
            format!(
                "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\"><symbols>{}</symbols><rotation/><sizescale/></renderer-v2>",
                symbol("marker", "0", &marker)
            )
        }
    }
}

/// Labels with `name_en`, haloed so they read over any fill.
fn labeling(layer: &Layer) -> String {
    if layer.kind != Kind::Places || layer.field("name_en").is_none() {
        return String::new();
    }
    concat!(
        "<labeling type=\"simple\"><settings calloutType=\"simple\">",
        "<text-style fieldName=\"name_en\" isExpression=\"0\" fontFamily=\"Sans Serif\" namedStyle=\"Regular\" fontSize=\"9\" fontSizeUnit=\"Point\" fontWeight=\"50\" fontItalic=\"0\" textColor=\"20,20,20,255\" textOpacity=\"1\" multilineHeight=\"1\" blendMode=\"0\" allowHtml=\"0\" capitalization=\"0\" textOrientation=\"horizontal\" fontKerning=\"1\" fontLetterSpacing=\"0\" fontWordSpacing=\"0\" fontUnderline=\"0\" fontStrikeout=\"0\" useSubstitutions=\"0\" previewBkgrdColor=\"255,255,255,255\" legendString=\"Aa\">",
        "<families/>",
        "<text-buffer bufferDraw=\"1\" bufferSize=\"0.8\" bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,255\" bufferOpacity=\"0.85\" bufferNoFill=\"1\" bufferJoinStyle=\"128\" bufferBlendMode=\"0\" bufferSizeMapUnitScale=\"3x:0,0,0,0,0,0\"/>",
        "<text-mask maskEnabled=\"0\" maskSize=\"0\" maskSizeUnits=\"MM\" maskType=\"0\" maskJoinStyle=\"128\" maskOpacity=\"1\" maskedSymbolLayers=\"\" maskSizeMapUnitScale=\"3x:0,0,0,0,0,0\"/>",
        "<background shapeDraw=\"0\" shapeType=\"0\"/>",
        "<shadow shadowDraw=\"0\"/>",
        "<substitutions/>",
        "</text-style>",
        "<text-format wrapChar=\"\" autoWrapLength=\"0\" useMaxLineLengthForAutoWrap=\"1\" multilineAlign=\"3\" addDirectionSymbol=\"0\" formatNumbers=\"0\" decimals=\"3\" plussign=\"0\" reverseDirectionSymbol=\"0\" placeDirectionSymbol=\"0\" leftDirectionSymbol=\"&lt;\" rightDirectionSymbol=\"&gt;\"/>",
        "<placement placement=\"6\" predefinedPositionOrder=\"TR,TL,BR,BL,R,L,TSR,BSR\" dist=\"1\" distUnits=\"MM\" distMapUnitScale=\"3x:0,0,0,0,0,0\" offsetType=\"0\" quadOffset=\"4\" xOffset=\"0\" yOffset=\"0\" offsetUnits=\"MM\" rotationAngle=\"0\" priority=\"5\" placementFlags=\"10\" centroidWhole=\"0\" centroidInside=\"0\" fitInPolygonOnly=\"0\" repeatDistance=\"0\" repeatDistanceUnits=\"MM\" overrunDistance=\"0\" overrunDistanceUnit=\"MM\" maxCurvedCharAngleIn=\"25\" maxCurvedCharAngleOut=\"-25\" preserveRotation=\"1\" layerType=\"PointGeometry\" geometryGenerator=\"\" geometryGeneratorEnabled=\"0\" geometryGeneratorType=\"PointGeometry\" lineAnchorPercent=\"0.5\" lineAnchorType=\"0\" lineAnchorClipping=\"0\" polygonPlacementFlags=\"2\" rotationUnit=\"AngleDegrees\"/>",
        "<rendering drawLabels=\"1\" obstacle=\"1\" obstacleFactor=\"1\" obstacleType=\"1\" displayAll=\"0\" scaleVisibility=\"0\" scaleMin=\"0\" scaleMax=\"0\" fontLimitPixelSize=\"0\" fontMinPixelSize=\"0\" fontMaxPixelSize=\"10000\" limitNumLabels=\"0\" maxNumLabels=\"2000\" minFeatureSize=\"0\" upsidedownLabels=\"0\" labelPerPart=\"0\" mergeLines=\"0\" zIndex=\"0\" unplacedVisibility=\"0\"/>",
        "</settings></labeling>"
    )
    .to_string()
}

/// Temporal properties. `from_fields`: mode 2 (start and end from fields) as QGIS writes it
/// for a GeoPackage; otherwise mode 4 (expressions) with the end `coalesce`d to 9999-12-31, which
/// works for GeoJSON and Shapefile layers too. Half-open: limitMode 0 includes the start and
/// excludes the end, as the dates in the data mean.
fn temporal(layer: &Layer, from_fields: bool) -> String {
    let fixed = "<fixedRange><start></start><end></end></fixedRange>";
    if !layer.temporal || layer.field("valid_from").is_none() {
        return format!(
            "<temporal enabled=\"0\" mode=\"0\" startField=\"\" endField=\"\" startExpression=\"\" endExpression=\"\" durationField=\"\" durationUnit=\"min\" fixedDuration=\"0\" accumulate=\"0\" limitMode=\"0\">{fixed}</temporal>"
        );
    }
    if from_fields {
        format!(
            "<temporal enabled=\"1\" mode=\"2\" startField=\"valid_from\" endField=\"valid_to\" startExpression=\"\" endExpression=\"\" durationField=\"\" durationUnit=\"min\" fixedDuration=\"0\" accumulate=\"0\" limitMode=\"0\">{fixed}</temporal>"
        )
    } else {
        format!(
            "<temporal enabled=\"1\" mode=\"4\" startField=\"\" endField=\"\" startExpression=\"{}\" endExpression=\"{}\" durationField=\"\" durationUnit=\"min\" fixedDuration=\"0\" accumulate=\"0\" limitMode=\"0\">{fixed}</temporal>",
            esc("to_date(\"valid_from\")"),
            esc("coalesce(to_date(\"valid_to\"), to_date('9999-12-31'))")
        )
    }
}

fn has_labels(layer: &Layer) -> bool {
    !labeling(layer).is_empty()
}

/// The style of one layer as a QML document (QGIS "Save Style" format).
fn qml_with(layer: &Layer, gd: &Geodata, from_fields: bool) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"{QGIS_VERSION}\" styleCategories=\"Symbology|Labeling|Temporal\" labelsEnabled=\"{}\">\n  {}\n  {}\n  {}\n  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n  <layerOpacity>1</layerOpacity>\n</qgis>\n",
        u8::from(has_labels(layer)),
        temporal(layer, from_fields),
        renderer(layer, gd),
        labeling(layer)
    )
}

/// The style stored as the GeoPackage layer's default (temporal from fields).
pub fn qml(layer: &Layer, gd: &Geodata) -> String {
    qml_with(layer, gd, true)
}

/// Writes `<stem>.qml` beside each layer's GeoJSON and Shapefile, which QGIS loads by itself
/// when it opens a file with the same name. The temporal settings use expressions here so that
/// they work on GeoJSON as well as on Shapefiles.
pub fn write_qml_files(dir: &Path, layers: &[Layer], gd: &Geodata) -> Result<()> {
    for l in layers {
        let p = dir.join(l.file("qml"));
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).map_err(|e| Error::io(d, e, HINT))?;
        }
        std::fs::write(&p, qml_with(l, gd, false)).map_err(|e| Error::io(&p, e, HINT))?;
    }
    Ok(())
}

fn spatialrefsys(s: &Srs) -> String {
    let (srid, acronym) = match &s.auth_id {
        Some(a) if a.starts_with("EPSG:") => (s.srs_id, ""),
        _ => (0, ""),
    };
    format!(
        "<spatialrefsys><wkt>{}</wkt><proj4>{}</proj4><srsid>0</srsid><srid>{srid}</srid><authid>{}</authid><description>{}</description><projectionacronym>{acronym}</projectionacronym><ellipsoidacronym></ellipsoidacronym><geographicflag>{}</geographicflag></spatialrefsys>",
        esc(&s.wkt2),
        esc(&s.proj4),
        esc(s.auth_id.as_deref().unwrap_or("")),
        esc(&s.name),
        s.geographic
    )
}

fn extent_xml(tag: &str, b: [f64; 4]) -> String {
    format!(
        "<{tag}><xmin>{}</xmin><ymin>{}</ymin><xmax>{}</xmax><ymax>{}</ymax></{tag}>",
        b[0], b[1], b[2], b[3]
    )
}

fn union(a: Option<[f64; 4]>, b: Option<[f64; 4]>) -> Option<[f64; 4]> {
    match (a, b) {
        (Some(a), Some(b)) => Some([
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]),
        (x, None) | (None, x) => x,
    }
}

fn map_layer(l: &Layer, srs: &str, gd: &Geodata) -> String {
    let (geometry, wkb) = match l.kind {
        Kind::Territory => ("Polygon", "MultiPolygon"),
        Kind::Border => ("Line", "MultiLineString"),
        Kind::Places => ("Point", "Point"),
    };
    let extent = l
        .bbox()
        .map(|b| extent_xml("extent", b))
        .unwrap_or_default();
    format!(
        "    <maplayer type=\"vector\" geometry=\"{geometry}\" wkbType=\"{wkb}\" labelsEnabled=\"{}\" readOnly=\"0\" minScale=\"100000000\" maxScale=\"0\" hasScaleBasedVisibilityFlag=\"0\" styleCategories=\"AllStyleCategories\" simplifyDrawingHints=\"1\" simplifyDrawingTol=\"1\" simplifyLocal=\"1\" simplifyMaxScale=\"1\" simplifyAlgorithm=\"0\" symbologyReferenceScale=\"-1\" autoRefreshEnabled=\"0\" autoRefreshTime=\"0\" refreshOnNotifyEnabled=\"0\" refreshOnNotifyMessage=\"\" legendPlaceholderImage=\"\">\n      {extent}\n      <id>{}</id>\n      <datasource>./{GPKG_FILE}|layername={}</datasource>\n      <layername>{}</layername>\n      <abstract>{}</abstract>\n      <srs>{srs}</srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n      {}\n      {}\n      {}\n      <blendMode>0</blendMode>\n      <featureBlendMode>0</featureBlendMode>\n      <layerOpacity>1</layerOpacity>\n      <legend type=\"default-vector\" showLabelLegend=\"0\"/>\n    </maplayer>\n",
        u8::from(has_labels(l)),
        esc(&layer_id(l)),
        esc(&l.table),
        esc(&l.title),
        esc(&l.description),
        temporal(l, true),
        renderer(l, gd),
        labeling(l),
    )
}

fn tree_layer(l: &Layer, checked: bool) -> String {
    format!(
        "<layer-tree-layer id=\"{}\" name=\"{}\" source=\"./{GPKG_FILE}|layername={}\" providerKey=\"ogr\" checked=\"{}\" expanded=\"{}\" legend_exp=\"\" legend_split_behavior=\"0\" patch_size=\"-1,-1\"><customproperties><Option/></customproperties></layer-tree-layer>",
        esc(&layer_id(l)),
        esc(&l.title),
        esc(&l.table),
        if checked { "Qt::Checked" } else { "Qt::Unchecked" },
        u8::from(l.kind != Kind::Places)
    )
}

fn group(name: &str, checked: bool, expanded: bool, inner: &str) -> String {
    format!(
        "<layer-tree-group name=\"{}\" checked=\"{}\" expanded=\"{}\"><customproperties><Option/></customproperties>{inner}</layer-tree-group>",
        esc(name),
        if checked { "Qt::Checked" } else { "Qt::Unchecked" },
        u8::from(expanded)
    )
}

/// Layers in drawing order within a group: places over borders over territories.
fn draw_order(k: Kind) -> u8 {
    match k {
        Kind::Places => 0,
        Kind::Border => 1,
        Kind::Territory => 2,
    }
}

/// Tree entries for `ls` in drawing order; appends them to `order` (the project's layer order).
fn add<'a>(mut ls: Vec<&'a Layer>, checked: bool, order: &mut Vec<&'a Layer>) -> String {
    ls.sort_by_key(|l| draw_order(l.kind));
    let mut s = String::new();
    for l in ls {
        s.push_str(&tree_layer(l, checked));
        order.push(l);
    }
    s
}

/// The layer tree: places, the timeline (shown, for the Temporal Controller), then every treaty
/// and every other reading in its own group (hidden, one click away).
fn layer_tree(layers: &[Layer]) -> (String, Vec<&Layer>) {
    let mut order: Vec<&Layer> = Vec::new();
    let mut tree = String::new();
    let places: Vec<&Layer> = layers
        .iter()
        .filter(|l| l.treaty.is_none() && l.kind == Kind::Places)
        .collect();
    tree.push_str(&add(places, true, &mut order));
    let timeline: Vec<&Layer> = layers.iter().filter(|l| l.temporal).collect();
    let t = add(timeline, true, &mut order);
    tree.push_str(&group(
        "Timeline (use the Temporal Controller)",
        true,
        true,
        &t,
    ));
    for (title, defaults) in [("Treaties", true), ("Other readings", false)] {
        let mut groups = String::new();
        let mut keys: Vec<(String, Option<String>)> = Vec::new();
        for l in layers
            .iter()
            .filter(|l| l.treaty.is_some() && l.is_default == defaults)
        {
            let k = (l.treaty.clone().unwrap_or_default(), l.reading.clone());
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        for (treaty, reading) in &keys {
            let members: Vec<&Layer> = layers
                .iter()
                .filter(|l| {
                    l.treaty.as_ref() == Some(treaty)
                        && &l.reading == reading
                        && l.is_default == defaults
                })
                .collect();
            let name = members
                .first()
                .map(|l| l.title.split(": ").next().unwrap_or(&l.title).to_string())
                .unwrap_or_else(|| treaty.clone());
            let inner = add(members, true, &mut order);
            groups.push_str(&group(&name, false, false, &inner));
        }
        if !keys.is_empty() {
            tree.push_str(&group(title, false, defaults, &groups));
        }
    }
    (tree, order)
}

/// The QGIS project: every layer from the GeoPackage (relative path), styled, in the target
/// CRS; the project time range spans the treaties.
pub fn project(layers: &[Layer], target: &Target, gd: &Geodata) -> String {
    let srs = spatialrefsys(&target.srs);
    let (tree, order) = layer_tree(layers);
    let extent = layers.iter().fold(None, |acc, l| union(acc, l.bbox()));
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis projectname=\"treatyline\" version=\"{QGIS_VERSION}\">\n  <homePath path=\"\"/>\n  <title>treatyline: the Russia–Qing borders, treaty by treaty</title>\n  <autotransaction active=\"0\"/>\n  <evaluateDefaultValues active=\"0\"/>\n  <trust active=\"0\"/>\n  <projectCrs>{srs}</projectCrs>\n  <layer-tree-group><customproperties><Option/></customproperties>{tree}</layer-tree-group>\n  <projectlayers>"
    );
    for l in &order {
        s.push_str(&map_layer(l, &srs, gd));
    }
    s.push_str("  </projectlayers>\n  <layerorder>");
    for l in &order {
        let _ = write!(s, "<layer id=\"{}\"/>", esc(&layer_id(l)));
    }
    s.push_str("</layerorder>\n");
    s.push_str(
        "  <properties><Paths><Absolute type=\"bool\">false</Absolute></Paths></properties>\n",
    );
    if let Some(b) = extent {
        let (w, h) = (b[2] - b[0], b[3] - b[1]);
        let m = [
            b[0] - w * 0.03,
            b[1] - h * 0.03,
            b[2] + w * 0.03,
            b[3] + h * 0.03,
        ];
        let _ = writeln!(
            s,
            "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\"><units>{}</units>{}<rotation>0</rotation><destinationsrs>{srs}</destinationsrs><rendermaptile>0</rendermaptile></mapcanvas>",
            if target.srs.geographic { "degrees" } else { "meters" },
            extent_xml("extent", m)
        );
        let _ = writeln!(
            s,
            "  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\"><Scales/><DefaultViewExtent xmin=\"{}\" ymin=\"{}\" xmax=\"{}\" ymax=\"{}\">{srs}</DefaultViewExtent></ProjectViewSettings>",
            m[0], m[1], m[2], m[3]
        );
    }
    let dates: Vec<&str> = layers
        .iter()
        .filter(|l| l.temporal)
        .flat_map(|l| {
            l.features.iter().flat_map(move |f| {
                f.attrs.iter().filter_map(|a| match a {
                    Some(crate::export::style::Attr::Date(d)) => Some(d.as_str()),
                    _ => None,
                })
            })
        })
        .collect();
    let range = match (dates.iter().min(), dates.iter().max()) {
        (Some(a), Some(b)) => {
            let end_year = b
                .get(..4)
                .and_then(|y| y.parse::<i32>().ok())
                .unwrap_or(2000)
                + 10;
            format!(
                "<temporalRange><start>{a}T00:00:00</start><end>{end_year:04}-01-01T00:00:00</end></temporalRange>"
            )
        }
        _ => String::new(),
    };
    let _ = writeln!(
        s,
        "  <ProjectTimeSettings timeStep=\"1\" timeStepUnit=\"y\" frameRate=\"1\" cumulativeTemporalRange=\"0\">{range}</ProjectTimeSettings>\n</qgis>"
    );
    s
}

/// Writes `treatyline.qgs` into `dir` (beside `treatyline.gpkg`).
pub fn write_project(dir: &Path, layers: &[Layer], target: &Target, gd: &Geodata) -> Result<()> {
    let p = dir.join(PROJECT_FILE);
    std::fs::write(&p, project(layers, target, gd)).map_err(|e| Error::io(&p, e, HINT))
}
