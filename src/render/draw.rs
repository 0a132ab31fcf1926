//! Drawing the three kinds of map into SVG: the base, the territories and borders, graticule,
//! labels, legend, scale bar, title and credits.

use super::basemap::Basemap;
use super::diff::{changes, Change};
use super::fonts::Fonts;
use super::labels::{place, Placed, Rect, Request};
use super::projection::Lcc;
use super::svg::{esc, n, path_data, Doc};
use super::text::Lang;
use super::SVG_WIDTH;
use crate::build::Built;
use crate::error::Error;
use crate::geodata::Geodata;
use crate::treaty::{readings_of, Reading, Treaty};
use geo::{Coord, MultiLineString, MultiPolygon};
use std::fmt::Write;

/// The map's extent as a lon/lat box; drawn as the curved (conic) quadrilateral it projects to.
/// It holds the study area (73–144°E, 42–62.5°N, and 40°N west of 88°E) with a margin, and Beijing.
const LON0: f64 = 71.0;
const LON1: f64 = 146.0;
const LAT0: f64 = 38.0;
const LAT1: f64 = 64.5;

const SEA: &str = "#dce8f0";
const LAND: &str = "#f2eee4";
const WATER_LINE: &str = "#2c5a82";
const INK: &str = "#1a1a1a";
const TERRITORY_OPACITY: f64 = 0.78;
const MARGIN_X: f64 = 46.0;

type PPath = Vec<Coord<f64>>;

/// An opacity with two decimals.
fn o(v: f64) -> String {
    format!("{v:.2}")
}

/// Everything the maps share: projection, fonts, base layers (projected once), extent.
pub struct Ctx<'a> {
    pub gd: &'a Geodata,
    pub lang: Lang,
    pub lcc: Lcc,
    pub fonts: Fonts,
    land: Vec<Vec<PPath>>,
    lakes: Vec<Vec<PPath>>,
    coast: Vec<PPath>,
    rivers: Vec<(f64, PPath)>,
    /// The extent's outline, metres.
    fan: PPath,
    /// Its bounding box, metres.
    bx0: f64,
    by0: f64,
    bx1: f64,
    by1: f64,
    /// The latitude at the centre of the map and the scale factor there; the least and greatest
    /// scale factor over the extent.
    centre_lat: f64,
    k_centre: f64,
    k_min: f64,
    k_max: f64,
}

fn e(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

/// Projects a line, first adding points every 0.2° along long edges: an edge such as the
/// frame's 42°N side is a parallel in the data, and stays a curve (not a chord) on the cone.
fn proj_path(lcc: &Lcc, p: &[Coord<f64>]) -> PPath {
    let mut out = Vec::with_capacity(p.len());
    for (i, c) in p.iter().enumerate() {
        if i > 0 {
            let a = p[i - 1];
            let steps = ((c.x - a.x).abs().max((c.y - a.y).abs()) / 0.2).ceil() as usize;
            for k in 1..steps {
                let t = k as f64 / steps as f64;
                out.extend(lcc.fwd(Coord {
                    x: a.x + (c.x - a.x) * t,
                    y: a.y + (c.y - a.y) * t,
                }));
            }
        }
        out.extend(lcc.fwd(*c));
    }
    out
}

fn proj_mp(lcc: &Lcc, mp: &MultiPolygon<f64>) -> Vec<Vec<PPath>> {
    mp.0.iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors().iter())
                .map(|r| proj_path(lcc, &r.0))
                .collect()
        })
        .collect()
}

fn proj_mls(lcc: &Lcc, m: &MultiLineString<f64>) -> Vec<PPath> {
    m.0.iter().map(|l| proj_path(lcc, &l.0)).collect()
}

/// Maps projected metres onto the page: a box of the page and a scale.
#[derive(Debug, Clone, Copy)]
struct View {
    left: f64,
    top: f64,
    w: f64,
    h: f64,
    mx0: f64,
    my1: f64,
    s: f64,
    /// An enlargement: clipped to its rectangle rather than to the whole map's conic outline.
    zoom: bool,
}

impl View {
    fn px(&self, c: Coord<f64>) -> Coord<f64> {
        Coord {
            x: self.left + (c.x - self.mx0) * self.s,
            y: self.top + (self.my1 - c.y) * self.s,
        }
    }

    fn rect(&self) -> Rect {
        Rect {
            x0: self.left,
            y0: self.top,
            x1: self.left + self.w,
            y1: self.top + self.h,
        }
    }
}

/// Path data of polygons (rings), for fill-rule evenodd.
fn polys_d(v: &View, polys: &[Vec<PPath>]) -> String {
    let mut d = String::new();
    for p in polys {
        for ring in p {
            let px: Vec<_> = ring.iter().map(|c| v.px(*c)).collect();
            path_data(&mut d, &px, true);
        }
    }
    d
}

fn lines_d(v: &View, lines: &[PPath]) -> String {
    let mut d = String::new();
    for l in lines {
        let px: Vec<_> = l.iter().map(|c| v.px(*c)).collect();
        path_data(&mut d, &px, false);
    }
    d
}

/// The short form of a name: what comes before a parenthesis ("Aigun (Aihui)" → "Aigun").
fn short(name: &str) -> String {
    let cut = name.find(" (").or_else(|| name.find('（'));
    cut.map(|i| name[..i].to_string())
        .unwrap_or_else(|| name.to_string())
        .trim()
        .to_string()
}

fn year(date: &str) -> &str {
    date.get(..4).unwrap_or(date)
}

/// A status's colour from statuses.toml (grey for an unknown status).
fn color(ctx: &Ctx, status: &str) -> String {
    ctx.gd
        .status(status)
        .map(|s| s.color.clone())
        .unwrap_or_else(|| "#DDDDDD".into())
}

fn hatched(ctx: &Ctx, status: &str) -> bool {
    ctx.gd.status(status).is_some_and(|s| s.hatch)
}

fn status_label(ctx: &Ctx, status: &str) -> String {
    ctx.gd
        .status(status)
        .map(|s| ctx.lang.name(&s.label).to_string())
        .unwrap_or_else(|| status.to_string())
}

/// The fill of a status: its colour, or its hatch pattern.
fn status_fill(ctx: &Ctx, status: &str) -> String {
    if hatched(ctx, status) {
        format!("url(#hatch-{status})")
    } else {
        color(ctx, status)
    }
}

/// Pattern definitions: one hatch per hatched status, one stripe per change.
fn defs(ctx: &Ctx, doc: &mut Doc, changes: &[Change]) {
    for s in &ctx.gd.statuses {
        if s.hatch {
            let _ = writeln!(
                doc.defs,
                "<pattern id=\"hatch-{id}\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"7\" height=\"7\" fill=\"{c}\"/><rect width=\"2.4\" height=\"7\" fill=\"#ffffff\" fill-opacity=\"0.7\"/></pattern>",
                id = esc(&s.id),
                c = esc(&s.color)
            );
        }
    }
    for c in changes {
        let _ = writeln!(
            doc.defs,
            "<pattern id=\"chg-{f}-{t}\" width=\"9\" height=\"9\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(-45)\"><rect width=\"9\" height=\"9\" fill=\"{tc}\"/><rect width=\"3\" height=\"9\" fill=\"{fc}\"/></pattern>",
            f = esc(&c.from),
            t = esc(&c.to),
            tc = esc(&color(ctx, &c.to)),
            fc = esc(&color(ctx, &c.from))
        );
    }
}

impl<'a> Ctx<'a> {
    pub fn new(gd: &'a Geodata, lang: Lang) -> Result<Ctx<'a>, Error> {
        let lcc = Lcc::new().map_err(e)?;
        let fonts = Fonts::load().map_err(e)?;
        let base = Basemap::load().map_err(e)?;
        let proj_polys = |ps: &[Vec<Vec<Coord<f64>>>]| -> Vec<Vec<PPath>> {
            ps.iter()
                .map(|p| p.iter().map(|r| proj_path(&lcc, r)).collect())
                .collect()
        };
        let land = proj_polys(&base.land);
        let lakes = proj_polys(&base.lakes);
        let coast = base.coast.iter().map(|l| proj_path(&lcc, l)).collect();
        let rivers = base
            .rivers
            .iter()
            .map(|(r, l)| (*r, proj_path(&lcc, l)))
            .collect();
        let mut fan = lcc.parallel(LAT0, LON0, LON1);
        fan.extend(lcc.meridian(LON1, LAT0, LAT1));
        fan.extend(lcc.parallel(LAT1, LON1, LON0));
        fan.extend(lcc.meridian(LON0, LAT1, LAT0));
        if fan.len() < 4 {
            return Err(e("the map extent did not project"));
        }
        let (mut bx0, mut by0, mut bx1, mut by1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for c in &fan {
            bx0 = bx0.min(c.x);
            by0 = by0.min(c.y);
            bx1 = bx1.max(c.x);
            by1 = by1.max(c.y);
        }
        let centre_lat = lcc
            .inv(Coord {
                x: (bx0 + bx1) / 2.0,
                y: (by0 + by1) / 2.0,
            })
            .map(|c| c.y)
            .unwrap_or((LAT0 + LAT1) / 2.0);
        let k_at = |lat: f64| lcc.scale_factor(108.0, lat);
        let k_centre = k_at(centre_lat).ok_or_else(|| e("no scale factor at the centre"))?;
        let (mut k_min, mut k_max) = (k_centre, k_centre);
        let mut lat = LAT0;
        while lat <= LAT1 + 1e-9 {
            if let Some(k) = k_at(lat) {
                k_min = k_min.min(k);
                k_max = k_max.max(k);
            }
            lat += 0.25;
        }
        Ok(Ctx {
            gd,
            lang,
            lcc,
            fonts,
            land,
            lakes,
            coast,
            rivers,
            fan,
            bx0,
            by0,
            bx1,
            by1,
            centre_lat,
            k_centre,
            k_min,
            k_max,
        })
    }

    fn view(&self, left: f64, top: f64, width: f64) -> View {
        let s = width / (self.bx1 - self.bx0);
        View {
            left,
            top,
            w: width,
            h: (self.by1 - self.by0) * s,
            mx0: self.bx0,
            my1: self.by1,
            s,
            zoom: false,
        }
    }

    /// A view of the box `(x0, y0, x1, y1)` (projected metres), grown about its centre to the
    /// page box's proportions so that nothing asked for is cut off.
    fn zoom_view(&self, left: f64, top: f64, w: f64, h: f64, b: [f64; 4]) -> View {
        let (cx, cy) = ((b[0] + b[2]) / 2.0, (b[1] + b[3]) / 2.0);
        let (mut bw, mut bh) = ((b[2] - b[0]).max(1.0), (b[3] - b[1]).max(1.0));
        if bw / bh < w / h {
            bw = bh * w / h;
        } else {
            bh = bw * h / w;
        }
        View {
            left,
            top,
            w,
            h,
            mx0: cx - bw / 2.0,
            my1: cy + bh / 2.0,
            s: w / bw,
            zoom: true,
        }
    }

    /// Checks that every character of `s` has a glyph in the embedded fonts.
    fn checked(&self, s: &str) -> Result<(), Error> {
        let miss = self.fonts.missing(s);
        if miss.is_empty() {
            Ok(())
        } else {
            Err(e(format!(
                "the label \"{s}\" has characters no embedded font can draw: {:?} (fix: run `python3 assets/fonts/make_fonts.py` to add them to the font subset)",
                miss
            )))
        }
    }

    fn width(&self, s: &str, size: f64, bold: bool) -> f64 {
        self.fonts.width(s, size, bold)
    }
}

/// What one map panel shows.
struct Layers<'b> {
    territories: Vec<(String, Vec<Vec<PPath>>)>,
    pale: bool,
    changes: &'b [Change],
    borders_before: Vec<PPath>,
    borders: Vec<(String, Vec<PPath>)>,
    border_width: f64,
}

fn territories_of(ctx: &Ctx, b: &Built) -> Vec<(String, Vec<Vec<PPath>>)> {
    b.assembly
        .territories
        .iter()
        .map(|t| (t.status.clone(), proj_mp(&ctx.lcc, &t.shape)))
        .collect()
}

fn borders_of(ctx: &Ctx, b: &Built) -> Vec<(String, Vec<PPath>)> {
    b.assembly
        .borders
        .iter()
        .map(|br| (br.seg.rule.certainty.clone(), proj_mls(&ctx.lcc, &br.shape)))
        .collect()
}

fn dash(certainty: &str, w: f64) -> String {
    match certainty {
        "demarcated" => String::new(),
        "described" => format!(" stroke-dasharray=\"{} {}\"", n(w * 3.6), n(w * 1.9)),
        _ => format!(
            " stroke-dasharray=\"0.1 {}\" stroke-linecap=\"round\"",
            n(w * 2.2)
        ),
    }
}

/// Draws one map panel: base, territories, water, graticule, borders, neatline.
fn panel(ctx: &Ctx, doc: &mut Doc, v: &View, clip: &str, layers: &Layers) {
    let fan_d = if v.zoom {
        format!(
            "M{} {}H{}V{}H{}Z",
            n(v.left),
            n(v.top),
            n(v.left + v.w),
            n(v.top + v.h),
            n(v.left)
        )
    } else {
        lines_d(v, std::slice::from_ref(&ctx.fan)) + "Z"
    };
    let _ = writeln!(
        doc.defs,
        "<clipPath id=\"{clip}\"><path d=\"{fan_d}\"/></clipPath>"
    );
    doc.raw(&format!("<g clip-path=\"url(#{clip})\">"));
    doc.raw(&format!("<path d=\"{fan_d}\" fill=\"{SEA}\"/>"));
    doc.raw(&format!(
        "<path d=\"{}\" fill=\"{LAND}\" fill-rule=\"evenodd\"/>",
        polys_d(v, &ctx.land)
    ));
    let op = if layers.pale { 0.3 } else { TERRITORY_OPACITY };
    for (status, polys) in &layers.territories {
        doc.raw(&format!(
            "<path d=\"{}\" fill=\"{}\" fill-opacity=\"{}\" fill-rule=\"evenodd\"/>",
            polys_d(v, polys),
            status_fill(ctx, status),
            o(op)
        ));
    }
    for c in layers.changes {
        doc.raw(&format!(
            "<path d=\"{}\" fill=\"url(#chg-{}-{})\" fill-rule=\"evenodd\" stroke=\"{INK}\" stroke-width=\"1.1\" stroke-linejoin=\"round\"/>",
            polys_d(v, &proj_mp(&ctx.lcc, &c.shape)),
            esc(&c.from),
            esc(&c.to)
        ));
    }
    doc.raw(&format!(
        "<path d=\"{}\" fill=\"{SEA}\" stroke=\"{WATER_LINE}\" stroke-width=\"0.4\" fill-rule=\"evenodd\"/>",
        polys_d(v, &ctx.lakes)
    ));
    let scale = v.w / (SVG_WIDTH - 2.0 * MARGIN_X);
    // Three widths by Natural Earth rank: the great rivers, the main ones, the rest.
    for (lo, hi, width) in [(6.0, 99.0, 0.45), (3.0, 6.0, 0.75), (-1.0, 3.0, 1.1)] {
        let ls: Vec<PPath> = ctx
            .rivers
            .iter()
            .filter(|(r, _)| *r > lo && *r <= hi)
            .map(|(_, l)| l.clone())
            .collect();
        doc.raw(&format!(
            "<path d=\"{}\" fill=\"none\" stroke=\"{WATER_LINE}\" stroke-width=\"{}\" stroke-linejoin=\"round\" stroke-linecap=\"round\" stroke-opacity=\"0.85\"/>",
            lines_d(v, &ls),
            n((width * scale.sqrt() * 10.0).round() / 10.0)
        ));
    }
    doc.raw(&format!(
        "<path d=\"{}\" fill=\"none\" stroke=\"#7d93a3\" stroke-width=\"0.5\"/>",
        lines_d(v, &ctx.coast)
    ));
    // Graticule every 10° (every 2° on an enlargement).
    let step = if v.zoom { 2.0 } else { 10.0 };
    let mut grat = Vec::new();
    let mut lon = 90.0;
    while lon < LON1 {
        grat.push(ctx.lcc.meridian(lon, LAT0, LAT1));
        lon += step;
    }
    let mut lat = 40.0;
    while lat < LAT1 {
        grat.push(ctx.lcc.parallel(lat, LON0, LON1));
        lat += step;
    }
    doc.raw(&format!(
        "<path d=\"{}\" fill=\"none\" stroke=\"#6b6b6b\" stroke-width=\"0.45\" stroke-opacity=\"0.55\"/>",
        lines_d(v, &grat)
    ));
    // The study area's limit: where the territories stop.
    if let Some(frame) = &ctx.gd.frame {
        let outline: Vec<PPath> = frame
            .shape
            .0
            .iter()
            .map(|p| proj_path(&ctx.lcc, &p.exterior().0))
            .collect();
        doc.raw(&format!(
            "<path d=\"{}\" fill=\"none\" stroke=\"#555555\" stroke-width=\"0.6\" stroke-dasharray=\"2 2\"/>",
            lines_d(v, &outline)
        ));
    }
    if !layers.borders_before.is_empty() {
        doc.raw(&format!(
            "<path d=\"{}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"{}\" stroke-opacity=\"0.8\" stroke-linejoin=\"round\"/>",
            lines_d(v, &layers.borders_before),
            n(layers.border_width * 2.2)
        ));
        doc.raw(&format!(
            "<path d=\"{}\" fill=\"none\" stroke=\"#6e6e6e\" stroke-width=\"{}\" stroke-linejoin=\"round\"/>",
            lines_d(v, &layers.borders_before),
            n(layers.border_width * 0.9)
        ));
    }
    let all: Vec<PPath> = layers
        .borders
        .iter()
        .flat_map(|(_, ls)| ls.iter().cloned())
        .collect();
    doc.raw(&format!(
        "<path d=\"{}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"{}\" stroke-opacity=\"0.75\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>",
        lines_d(v, &all),
        n(layers.border_width * 2.6)
    ));
    for cert in ["demarcated", "described", "approximate"] {
        let ls: Vec<PPath> = layers
            .borders
            .iter()
            .filter(|(c, _)| {
                c == cert || (cert == "approximate" && c != "demarcated" && c != "described")
            })
            .flat_map(|(_, ls)| ls.iter().cloned())
            .collect();
        if ls.is_empty() {
            continue;
        }
        let w = if cert == "approximate" {
            layers.border_width * 1.35
        } else {
            layers.border_width
        };
        doc.raw(&format!(
            "<path d=\"{}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"{}\" stroke-linejoin=\"round\"{}/>",
            lines_d(v, &ls),
            n(w),
            dash(cert, w)
        ));
    }
    doc.raw("</g>");
    doc.raw(&format!(
        "<path d=\"{fan_d}\" fill=\"none\" stroke=\"#444444\" stroke-width=\"0.8\"/>"
    ));
}

/// Labels every 10° along the extent's left (latitudes) and bottom (longitudes) edges; their
/// boxes are added to `taken`.
fn graticule_labels(ctx: &Ctx, doc: &mut Doc, v: &View, size: f64, taken: &mut Vec<Rect>) {
    let w = ctx.lang.words();
    let halo =
        "stroke=\"#ffffff\" stroke-width=\"2.5\" paint-order=\"stroke\" stroke-linejoin=\"round\"";
    for lat in [40.0, 50.0, 60.0] {
        if let Some(p) = ctx.lcc.fwd(Coord { x: LON0, y: lat }) {
            let p = v.px(p);
            let t = format!("{lat}°{}", sp(w.north));
            doc.text(
                p.x - 4.0,
                p.y + size * 0.35,
                size,
                &t,
                "end",
                false,
                "#555555",
                halo,
            );
            let tw = ctx.width(&t, size, false);
            taken.push(Rect {
                x0: p.x - 4.0 - tw,
                y0: p.y - size,
                x1: p.x,
                y1: p.y + size,
            });
        }
    }
    let mut lon = 90.0;
    while lon < LON1 {
        if let Some(p) = ctx.lcc.fwd(Coord { x: lon, y: LAT0 }) {
            let p = v.px(p);
            let t = format!("{lon}°{}", sp(w.east));
            doc.text(
                p.x,
                p.y + size + 3.0,
                size,
                &t,
                "middle",
                false,
                "#555555",
                halo,
            );
        }
        lon += 10.0;
    }
}

/// A unit word after a number: "N" sticks to the degree sign, "с. ш." takes a space.
fn sp(word: &str) -> String {
    if word.chars().count() > 1 {
        format!("\u{a0}{word}")
    } else {
        word.to_string()
    }
}

/// A place to mark: position and name, and whether the treaty names it.
struct PlaceMark {
    at: Coord<f64>,
    name: String,
    named: bool,
}

/// The places of a treaty's map: those its articles (or the place's `treaties` list) name, and
/// the other places founded by its date. Also returns the named places that fall off the map.
fn places_for(ctx: &Ctx, b: &Built) -> Result<(Vec<PlaceMark>, Vec<String>), Error> {
    let t = &b.treaty;
    let date = t
        .signed
        .gregorian
        .clone()
        .unwrap_or_else(|| b.valid_from.clone());
    let mut named_ids: Vec<&str> = t
        .article
        .iter()
        .flat_map(|a| a.places.iter().map(String::as_str))
        .collect();
    for (id, p) in &ctx.gd.places {
        let listed = p
            .props
            .get("treaties")
            .and_then(|v| v.as_array())
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(t.id.as_str())));
        if listed {
            named_ids.push(id);
        }
    }
    let mut marks = Vec::new();
    let mut beyond = Vec::new();
    for (id, p) in &ctx.gd.places {
        let named = named_ids.contains(&id.as_str());
        let founded = p.props.get("founded").and_then(|v| v.as_str());
        let existed = founded.is_some_and(|f| f <= date.as_str());
        if !named && !existed {
            continue;
        }
        let name = short(&ctx.lang.prop_name(&p.props));
        ctx.checked(&name)?;
        let inside =
            p.coord.x >= LON0 && p.coord.x <= LON1 && p.coord.y >= LAT0 && p.coord.y <= LAT1;
        match ctx.lcc.fwd(p.coord) {
            Some(at) if inside => marks.push(PlaceMark { at, name, named }),
            _ if named => beyond.push(name),
            _ => {}
        }
    }
    // Named places first: they win the label contest.
    marks.sort_by_key(|m| !m.named);
    Ok((marks, beyond))
}

/// Water labels: the treaty rivers (names from geodata/lines), two lakes and two seas.
fn water_labels(ctx: &Ctx) -> Result<Vec<(Coord<f64>, String)>, Error> {
    let mut out = Vec::new();
    for (id, frac) in [
        ("amur", 0.8),
        ("ussuri", 0.6),
        ("argun", 0.45),
        ("shilka", 0.35),
        ("zeya", 0.3),
        ("uda", 0.5),
    ] {
        if let Some(l) = ctx.gd.lines.get(id) {
            let i = ((l.coords.len() as f64 - 1.0) * frac) as usize;
            if let Some(c) = l.coords.get(i) {
                out.push((*c, short(&ctx.lang.prop_name(&l.props))));
            }
        }
    }
    let fixed: [(f64, f64, &str, &str, &str); 4] = [
        (108.3, 53.6, "L. Baikal", "оз. Байкал", "贝加尔湖"),
        (132.4, 45.1, "L. Khanka", "оз. Ханка", "兴凯湖"),
        (143.5, 56.6, "Sea of Okhotsk", "Охотское море", "鄂霍次克海"),
        (134.5, 41.3, "Sea of Japan", "Японское море", "日本海"),
    ];
    for (lon, lat, en, ru, zh) in fixed {
        let name = match ctx.lang {
            Lang::En => en,
            Lang::Ru => ru,
            Lang::Zh => zh,
        };
        out.push((Coord { x: lon, y: lat }, name.to_string()));
    }
    for (_, name) in &out {
        ctx.checked(name)?;
    }
    Ok(out)
}

const HALO: &str =
    "stroke=\"#ffffff\" stroke-width=\"3\" stroke-opacity=\"0.9\" paint-order=\"stroke\" stroke-linejoin=\"round\"";

/// Marks and labels the places and the water, without overlaps.
fn label_map(
    ctx: &Ctx,
    doc: &mut Doc,
    v: &View,
    marks: &[PlaceMark],
    taken: &mut Vec<Rect>,
) -> Result<(), Error> {
    let bounds = v.rect();
    let mut reqs = Vec::new();
    let mut texts = Vec::new();
    for m in marks {
        let p = v.px(m.at);
        let r = if m.named { 3.6 } else { 2.5 };
        taken.push(Rect::around(p.x, p.y, r + 0.5));
        let size = if m.named { 12.5 } else { 10.5 };
        reqs.push(Request {
            x: p.x,
            y: p.y,
            width: ctx.width(&m.name, size, m.named),
            size,
            gap: r + 2.5,
        });
        texts.push((m.name.clone(), size, m.named, INK));
    }
    let water = water_labels(ctx)?;
    let named_count = marks.iter().filter(|m| m.named).count();
    // Order: named places, then water, then the other places.
    let mut order: Vec<usize> = (0..named_count).collect();
    for (c, name) in &water {
        if let Some(p) = ctx.lcc.fwd(*c) {
            let p = v.px(p);
            reqs.push(Request {
                x: p.x,
                y: p.y,
                width: ctx.width(name, 11.0, false),
                size: 11.0,
                gap: 1.5,
            });
            texts.push((name.clone(), 11.0, false, "#24557f"));
            order.push(reqs.len() - 1);
        }
    }
    order.extend(named_count..marks.len());
    let ordered: Vec<Request> = order.iter().map(|i| reqs[*i].clone()).collect();
    let placed: Vec<Option<Placed>> = place(&ordered, &bounds, taken);
    for m in marks {
        let p = v.px(m.at);
        if m.named {
            doc.raw(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"3.6\" fill=\"{INK}\" stroke=\"#ffffff\" stroke-width=\"1.2\"/>",
                n(p.x),
                n(p.y)
            ));
        } else {
            doc.raw(&format!(
                "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"#ffffff\" stroke=\"{INK}\" stroke-width=\"1.1\"/>",
                n(p.x),
                n(p.y)
            ));
        }
    }
    for (k, pl) in placed.iter().enumerate() {
        let Some(pl) = pl else { continue };
        let (text, size, bold, fill) = &texts[order[k]];
        let italic = *fill != INK;
        let attrs = if italic {
            format!("{HALO} letter-spacing=\"0.4\"")
        } else {
            HALO.to_string()
        };
        doc.text(pl.x, pl.y, *size, text, pl.anchor, *bold, fill, &attrs);
    }
    Ok(())
}

/// A legend entry's symbol.
enum Swatch {
    Fill { fill: String, opacity: f64 },
    Line { certainty: &'static str },
    GreyLine,
    Marker { named: bool },
    Dashed,
}

struct Entry {
    swatch: Swatch,
    text: String,
}

struct Column {
    heading: String,
    entries: Vec<Entry>,
}

const LEG_SIZE: f64 = 11.5;
const LEG_ROW: f64 = 19.0;

fn column_width(ctx: &Ctx, c: &Column) -> f64 {
    let head = ctx.width(&c.heading, LEG_SIZE + 0.5, true);
    c.entries
        .iter()
        .map(|en| 34.0 + ctx.width(&en.text, LEG_SIZE, false))
        .fold(head, f64::max)
}

fn swatch(doc: &mut Doc, x: f64, y: f64, s: &Swatch) {
    match s {
        Swatch::Fill { fill, opacity } => {
            doc.raw(&format!(
                "<rect x=\"{}\" y=\"{}\" width=\"24\" height=\"13\" fill=\"{LAND}\"/><rect x=\"{}\" y=\"{}\" width=\"24\" height=\"13\" fill=\"{}\" fill-opacity=\"{}\" stroke=\"#666666\" stroke-width=\"0.5\"/>",
                n(x), n(y - 10.0), n(x), n(y - 10.0), fill, o(*opacity)
            ));
        }
        Swatch::Line { certainty } => {
            let w = if *certainty == "approximate" {
                2.4
            } else {
                1.8
            };
            doc.raw(&format!(
                "<path d=\"M{} {}H{}\" stroke=\"{INK}\" stroke-width=\"{}\" fill=\"none\"{}/>",
                n(x + 1.0),
                n(y - 3.5),
                n(x + 24.0),
                n(w),
                dash(certainty, w)
            ));
        }
        Swatch::GreyLine => {
            doc.raw(&format!(
                "<path d=\"M{} {}H{}\" stroke=\"#6e6e6e\" stroke-width=\"1.6\" fill=\"none\"/>",
                n(x),
                n(y - 3.5),
                n(x + 24.0)
            ));
        }
        Swatch::Dashed => {
            doc.raw(&format!(
                "<path d=\"M{} {}H{}\" stroke=\"#555555\" stroke-width=\"0.8\" stroke-dasharray=\"2 2\" fill=\"none\"/>",
                n(x),
                n(y - 3.5),
                n(x + 24.0)
            ));
        }
        Swatch::Marker { named } => {
            if *named {
                doc.raw(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3.6\" fill=\"{INK}\" stroke=\"#ffffff\" stroke-width=\"1.2\"/>",
                    n(x + 12.0),
                    n(y - 3.5)
                ));
            } else {
                doc.raw(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"#ffffff\" stroke=\"{INK}\" stroke-width=\"1.1\"/>",
                    n(x + 12.0),
                    n(y - 3.5)
                ));
            }
        }
    }
}

fn draw_column(doc: &mut Doc, x: f64, y: f64, c: &Column) -> f64 {
    doc.text(x, y, LEG_SIZE + 0.5, &c.heading, "start", true, INK, "");
    let mut yy = y + LEG_ROW + 2.0;
    for en in &c.entries {
        swatch(doc, x, yy, &en.swatch);
        doc.text(x + 32.0, yy, LEG_SIZE, &en.text, "start", false, INK, "");
        yy += LEG_ROW;
    }
    yy
}

/// Lays out columns left to right from `x`, wrapping to a new row at `max_x`; returns the y
/// below the last row.
fn draw_columns(
    ctx: &Ctx,
    doc: &mut Doc,
    x: f64,
    y: f64,
    max_x: f64,
    cols: &[Column],
) -> Result<f64, Error> {
    let mut cx = x;
    let mut row_top = y;
    let mut row_bottom = y;
    for c in cols {
        ctx.checked(&c.heading)?;
        for en in &c.entries {
            ctx.checked(&en.text)?;
        }
        let w = column_width(ctx, c);
        if cx > x && cx + w > max_x {
            cx = x;
            row_top = row_bottom + 8.0;
        }
        let bottom = draw_column(doc, cx, row_top, c);
        row_bottom = row_bottom.max(bottom);
        cx += w + 34.0;
    }
    Ok(row_bottom)
}

fn border_column(ctx: &Ctx) -> Column {
    let w = ctx.lang.words();
    Column {
        heading: w.border.to_string(),
        entries: vec![
            Entry {
                swatch: Swatch::Line {
                    certainty: "demarcated",
                },
                text: w.demarcated.into(),
            },
            Entry {
                swatch: Swatch::Line {
                    certainty: "described",
                },
                text: w.described.into(),
            },
            Entry {
                swatch: Swatch::Line {
                    certainty: "approximate",
                },
                text: w.approximate.into(),
            },
            Entry {
                swatch: Swatch::Dashed,
                text: study_area(ctx.lang).into(),
            },
        ],
    }
}

fn study_area(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "limit of the study area",
        Lang::Ru => "граница района исследования",
        Lang::Zh => "研究区范围",
    }
}

fn places_column(ctx: &Ctx) -> Column {
    let w = ctx.lang.words();
    Column {
        heading: places_heading(ctx.lang).into(),
        entries: vec![
            Entry {
                swatch: Swatch::Marker { named: true },
                text: w.named_place.into(),
            },
            Entry {
                swatch: Swatch::Marker { named: false },
                text: w.other_place.into(),
            },
        ],
    }
}

fn places_heading(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Places",
        Lang::Ru => "Пункты",
        Lang::Zh => "地点",
    }
}

/// A scale bar true at the map's centre latitude, with the range of error over the map.
/// Returns the y below it.
fn scale_bar(ctx: &Ctx, doc: &mut Doc, v: &View, x: f64, y: f64) -> Result<f64, Error> {
    let w = ctx.lang.words();
    // px per true km at the centre latitude: px per projected metre × k × 1000.
    let px_per_km = v.s * ctx.k_centre * 1000.0;
    let steps = [10.0, 20.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0];
    let total = steps
        .iter()
        .rev()
        .copied()
        .find(|km| km * px_per_km <= 230.0)
        .unwrap_or(10.0);
    let len = total * px_per_km;
    let thirds = if total == 250.0 || total == 1000.0 {
        4
    } else {
        5
    };
    for i in 0..thirds {
        let x0 = x + len * i as f64 / thirds as f64;
        let fill = if i % 2 == 0 { INK } else { "#ffffff" };
        doc.raw(&format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"5\" fill=\"{fill}\" stroke=\"{INK}\" stroke-width=\"0.6\"/>",
            n(x0),
            n(y),
            n(len / thirds as f64)
        ));
    }
    for (i, km) in [0.0, total / 2.0, total].iter().enumerate() {
        let label = if i == 2 {
            format!("{km} {}", w.km)
        } else {
            format!("{km}")
        };
        doc.text(
            x + len * (i as f64) / 2.0,
            y + 17.0,
            10.5,
            &label,
            if i == 2 { "start" } else { "middle" },
            false,
            INK,
            "",
        );
    }
    let lo = (ctx.k_min / ctx.k_centre - 1.0) * 100.0;
    let hi = (ctx.k_max / ctx.k_centre - 1.0) * 100.0;
    let worst = if hi.abs() >= lo.abs() { hi } else { lo };
    let lat = format!("{:.1}°{}", ctx.centre_lat, sp(w.north));
    let note = format!(
        "{} {lat} (k = {:.4}); {} k = {:.4}–{:.4} ({:+.1}%)",
        w.scale_true_at, ctx.k_centre, w.scale_range, ctx.k_min, ctx.k_max, worst
    )
    .replace("(-", "(−");
    ctx.checked(&note)?;
    doc.text(x, y + 33.0, 10.0, &note, "start", false, "#333333", "");
    Ok(y + 40.0)
}

/// The footer: projection, sources, and the places named beyond the map.
fn footer(ctx: &Ctx, doc: &mut Doc, y: f64, beyond: &[String]) -> Result<f64, Error> {
    let w = ctx.lang.words();
    let mut y = y;
    let mut lines = Vec::new();
    if !beyond.is_empty() {
        lines.push(format!("{}: {}.", w.beyond_map, beyond.join(w.list_sep)));
    }
    lines.push(w.projection.to_string());
    lines.push(w.source.to_string());
    for l in &lines {
        ctx.checked(l)?;
        y += 15.0;
        doc.text(MARGIN_X, y, 10.5, l, "start", false, "#444444", "");
    }
    Ok(y + 14.0)
}

fn title_of(ctx: &Ctx, treaties: &[Treaty], b: &Built) -> (String, String) {
    let t = &b.treaty;
    let w = ctx.lang.words();
    let lang = ctx.lang;
    let title = lang.name(&t.name).to_string();
    let g = t.signed.gregorian.as_deref().map(|d| lang.date(d));
    let j = t.signed.julian.as_deref().map(|d| lang.date(d));
    let mut sub = match (lang, g, j) {
        (Lang::Zh, Some(g), j) => {
            let mut extra = Vec::new();
            if let Some(j) = j {
                extra.push(format!("{}{j}", w.julian));
            }
            if let Some(q) = &t.signed.qing {
                extra.push(q.clone());
            }
            if extra.is_empty() {
                format!("{g}{}", w.signed)
            } else {
                format!("{g}{}（{}）", w.signed, extra.join("；"))
            }
        }
        (_, Some(g), Some(j)) => format!("{} {g} ({j} {})", w.signed, w.julian),
        (_, Some(g), None) => format!("{} {g}", w.signed),
        (_, None, _) => String::new(),
    };
    if let Some(r) = &b.reading {
        // declared by the treaty or by the one it inherits its readings from
        let name = reading_of(treaties, b)
            .map(|x| x.name.clone())
            .unwrap_or_else(|| r.clone());
        let sep = if lang == Lang::Zh { "；" } else { "; " };
        if !sub.is_empty() {
            sub.push_str(sep);
        }
        let quoted = match lang {
            Lang::En => format!("“{name}”"),
            Lang::Ru => format!("«{name}»"),
            Lang::Zh => format!("「{name}」"),
        };
        sub.push_str(&format!("{} {quoted}", w.reading));
    }
    (title, sub)
}

fn status_column(ctx: &Ctx, b: &Built, opacity: f64, heading: &str) -> Column {
    let mut entries = Vec::new();
    for s in &ctx.gd.statuses {
        if let Some(t) = b.assembly.territories.iter().find(|t| t.status == s.id) {
            entries.push(Entry {
                swatch: Swatch::Fill {
                    fill: status_fill(ctx, &s.id),
                    opacity,
                },
                text: format!(
                    "{} — {}",
                    status_label(ctx, &s.id),
                    ctx.lang.km2(t.area_km2)
                ),
            });
        }
    }
    Column {
        heading: heading.to_string(),
        entries,
    }
}

fn finish_doc(doc: &mut Doc, height: f64, title: &str) -> String {
    let mut d = Doc::new(doc.width(), height);
    d.defs = std::mem::take(&mut doc.defs);
    d.body = std::mem::take(&mut doc.body);
    d.finish(title)
}

/// The one full-width panel of a treaty map or a change map, below the title: the layers,
/// graticule labels and the labels of `b`'s places. Returns the view and the named places that
/// fall off the map (for the footer).
fn full_width_panel(
    ctx: &Ctx,
    doc: &mut Doc,
    b: &Built,
    layers: &Layers,
) -> Result<(View, Vec<String>), Error> {
    let v = ctx.view(MARGIN_X, 82.0, SVG_WIDTH - 2.0 * MARGIN_X);
    panel(ctx, doc, &v, "map", layers);
    let mut taken = Vec::new();
    graticule_labels(ctx, doc, &v, 10.0, &mut taken);
    let (marks, beyond) = places_for(ctx, b)?;
    label_map(ctx, doc, &v, &marks, &mut taken)?;
    Ok((v, beyond))
}

/// One treaty's map.
pub fn treaty_map(ctx: &Ctx, all: &[Built], b: &Built) -> Result<String, Error> {
    let mut doc = Doc::new(SVG_WIDTH, 0.0);
    defs(ctx, &mut doc, &[]);
    let mut treaties: Vec<Treaty> = Vec::new();
    for x in all {
        if !treaties.iter().any(|t| t.id == x.treaty.id) {
            treaties.push(x.treaty.clone());
        }
    }
    let (title, sub) = title_of(ctx, &treaties, b);
    ctx.checked(&title)?;
    ctx.checked(&sub)?;
    doc.text(MARGIN_X, 40.0, 25.0, &title, "start", true, INK, "");
    doc.text(MARGIN_X, 64.0, 14.0, &sub, "start", false, "#333333", "");
    let layers = Layers {
        territories: territories_of(ctx, b),
        pale: false,
        changes: &[],
        borders_before: Vec::new(),
        borders: borders_of(ctx, b),
        border_width: 1.8,
    };
    let (v, beyond) = full_width_panel(ctx, &mut doc, b, &layers)?;
    let w = ctx.lang.words();
    let y = v.top + v.h + 34.0;
    let cols = vec![
        status_column(ctx, b, TERRITORY_OPACITY, w.territory),
        border_column(ctx),
        places_column(ctx),
    ];
    let y = draw_columns(ctx, &mut doc, MARGIN_X, y, SVG_WIDTH - MARGIN_X, &cols)?;
    let y = scale_bar(ctx, &mut doc, &v, MARGIN_X, y + 6.0)?;
    let h = footer(ctx, &mut doc, y, &beyond)?;
    Ok(finish_doc(&mut doc, h, &format!("{title} — {sub}")))
}

/// The small multiples: one panel per treaty, same extent and scale, legend in the last cell.
pub fn evolution_map(ctx: &Ctx, built: &[&Built]) -> Result<String, Error> {
    let mut doc = Doc::new(SVG_WIDTH, 0.0);
    defs(ctx, &mut doc, &[]);
    let w = ctx.lang.words();
    let (first, last) = (
        built.first().map(|b| year(&b.valid_from)).unwrap_or(""),
        built.last().map(|b| year(&b.valid_from)).unwrap_or(""),
    );
    let title = format!("{}, {first}–{last}", w.evolution);
    ctx.checked(&title)?;
    doc.text(24.0, 40.0, 25.0, &title, "start", true, INK, "");
    let cols = 3usize;
    let gap = 16.0;
    let cell_w = (SVG_WIDTH - 2.0 * 24.0 - gap * (cols as f64 - 1.0)) / cols as f64;
    let probe = ctx.view(0.0, 0.0, cell_w);
    let cell_h = probe.h + 24.0;
    let top0 = 62.0;
    let mut bottom: f64 = top0;
    for (i, b) in built.iter().enumerate() {
        let (r, c) = (i / cols, i % cols);
        let left = 24.0 + c as f64 * (cell_w + gap);
        let top = top0 + r as f64 * (cell_h + gap);
        let name = short(ctx.lang.name(&b.treaty.name));
        let date = b
            .treaty
            .signed
            .gregorian
            .as_deref()
            .unwrap_or(&b.valid_from);
        let label = format!("{name}, {}", ctx.lang.date(year(date)));
        ctx.checked(&label)?;
        doc.text(left, top + 15.0, 13.5, &label, "start", true, INK, "");
        let v = ctx.view(left, top + 22.0, cell_w);
        let layers = Layers {
            territories: territories_of(ctx, b),
            pale: false,
            changes: &[],
            borders_before: Vec::new(),
            borders: borders_of(ctx, b),
            border_width: 1.1,
        };
        panel(ctx, &mut doc, &v, &format!("p{i}"), &layers);
        bottom = bottom.max(v.top + v.h);
    }
    let n_cells = built.len();
    let (lx, ly, max_x) = if n_cells % cols != 0 {
        let c = n_cells % cols;
        let r = n_cells / cols;
        (
            24.0 + c as f64 * (cell_w + gap) + 8.0,
            top0 + r as f64 * (cell_h + gap) + 14.0,
            SVG_WIDTH - 24.0,
        )
    } else {
        (MARGIN_X, bottom + 30.0, SVG_WIDTH - MARGIN_X)
    };
    let legend = [territory_legend(ctx, built), border_column(ctx)];
    let mut y = ly;
    for c in &legend {
        y = draw_columns(ctx, &mut doc, lx, y, max_x, std::slice::from_ref(c))? + 6.0;
    }
    let v = ctx.view(0.0, 0.0, cell_w);
    let y = scale_bar(ctx, &mut doc, &v, lx, y + 4.0)?;
    let h = footer(ctx, &mut doc, bottom.max(y) + 6.0, &[])?;
    Ok(finish_doc(&mut doc, h, &title))
}

/// What changed hands from treaty `a` to treaty `b`.
pub fn change_map(ctx: &Ctx, a: &Built, b: &Built) -> Result<String, Error> {
    let mut doc = Doc::new(SVG_WIDTH, 0.0);
    let ch = changes(a, b);
    defs(ctx, &mut doc, &ch);
    let w = ctx.lang.words();
    let na = short(ctx.lang.name(&a.treaty.name));
    let nb = short(ctx.lang.name(&b.treaty.name));
    let ya = ctx.lang.date(year(
        a.treaty
            .signed
            .gregorian
            .as_deref()
            .unwrap_or(&a.valid_from),
    ));
    let yb = ctx.lang.date(year(
        b.treaty
            .signed
            .gregorian
            .as_deref()
            .unwrap_or(&b.valid_from),
    ));
    let title = format!("{}: {na} ({ya}) → {nb} ({yb})", w.changed_title);
    ctx.checked(&title)?;
    doc.text(MARGIN_X, 40.0, 25.0, &title, "start", true, INK, "");
    let total: f64 = ch.iter().map(|c| c.area_km2).sum();
    let sub = if ch.is_empty() {
        w.no_change.to_string()
    } else {
        format!("{} {}", ctx.lang.km2(total), changed_total(ctx.lang))
    };
    ctx.checked(&sub)?;
    doc.text(MARGIN_X, 64.0, 14.0, &sub, "start", false, "#333333", "");
    let before: Vec<PPath> = borders_of(ctx, a)
        .into_iter()
        .flat_map(|(_, l)| l)
        .collect();
    let layers = Layers {
        territories: territories_of(ctx, b),
        pale: true,
        changes: &ch,
        borders_before: before,
        borders: borders_of(ctx, b),
        border_width: 1.8,
    };
    let (v, beyond) = full_width_panel(ctx, &mut doc, b, &layers)?;
    let y = v.top + v.h + 34.0;
    let mut cols = Vec::new();
    if !ch.is_empty() {
        cols.push(change_column(ctx, w.changed_hands, &ch, true));
    }
    cols.push(status_column(
        ctx,
        b,
        0.3,
        &format!("{} ({nb})", w.unchanged),
    ));
    let mut bc = border_column(ctx);
    bc.entries.insert(
        0,
        Entry {
            swatch: Swatch::GreyLine,
            text: format!("{} ({na})", w.border_before),
        },
    );
    bc.heading = format!("{} ({nb})", w.border_after);
    bc.entries[0].text = format!("{} ({na})", w.border_before);
    cols.push(bc);
    let y = draw_columns(ctx, &mut doc, MARGIN_X, y, SVG_WIDTH - MARGIN_X, &cols)?;
    let y = scale_bar(ctx, &mut doc, &v, MARGIN_X, y + 6.0)?;
    let h = footer(ctx, &mut doc, y, &beyond)?;
    Ok(finish_doc(&mut doc, h, &title))
}

fn changed_total(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "changed status in all (geodesic area, WGS 84)",
        Lang::Ru => "сменили статус в общей сложности (геодезическая площадь, WGS 84)",
        Lang::Zh => "改变归属（WGS 84 椭球面积）",
    }
}

/// The declaration of the reading `b` was built under, found as the build found it
/// ([`crate::treaty::readings_of`]: a treaty without readings of its own inherits its parent's).
fn reading_of<'t>(treaties: &'t [Treaty], b: &Built) -> Option<&'t Reading> {
    let r = b.reading.as_ref()?;
    let t = treaties.iter().find(|t| t.id == b.treaty.id)?;
    readings_of(treaties, t).into_iter().find(|x| &x.id == r)
}

/// Every status any of `built` has, as a legend column of swatches.
fn territory_legend(ctx: &Ctx, built: &[&Built]) -> Column {
    let entries = ctx
        .gd
        .statuses
        .iter()
        .filter(|s| {
            built
                .iter()
                .any(|b| b.assembly.territories.iter().any(|t| t.status == s.id))
        })
        .map(|s| Entry {
            swatch: Swatch::Fill {
                fill: status_fill(ctx, &s.id),
                opacity: TERRITORY_OPACITY,
            },
            text: status_label(ctx, &s.id),
        })
        .collect();
    Column {
        heading: ctx.lang.words().territory.into(),
        entries,
    }
}

/// Splits `text` into lines no wider than `max` px (words are never broken).
fn wrap(ctx: &Ctx, text: &str, size: f64, bold: bool, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let trial = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if !cur.is_empty() && ctx.width(&trial, size, bold) > max {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = trial;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// The box (projected metres) around every change, with a margin, at least `min_m` across; the
/// whole map's box when there is no change.
fn changes_box(ctx: &Ctx, diffs: &[Vec<Change>], min_m: f64) -> [f64; 4] {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for c in diffs.iter().flatten() {
        for poly in proj_mp(&ctx.lcc, &c.shape) {
            for p in poly.iter().flatten() {
                x0 = x0.min(p.x);
                y0 = y0.min(p.y);
                x1 = x1.max(p.x);
                y1 = y1.max(p.y);
            }
        }
    }
    if x0 > x1 {
        return [ctx.bx0, ctx.by0, ctx.bx1, ctx.by1];
    }
    let margin = ((x1 - x0).max(y1 - y0) * 0.25).max(min_m / 2.0);
    [x0 - margin, y0 - margin, x1 + margin, y1 + margin]
}

/// A small map of the whole extent with the enlarged box drawn on it, in a panel's corner.
fn locator(ctx: &Ctx, doc: &mut Doc, zoom: &View, width: f64, id: &str) {
    let v = ctx.view(zoom.left + zoom.w - width - 6.0, zoom.top + 6.0, width);
    let fan_d = lines_d(&v, std::slice::from_ref(&ctx.fan)) + "Z";
    let _ = writeln!(
        doc.defs,
        "<clipPath id=\"{id}\"><path d=\"{fan_d}\"/></clipPath>"
    );
    doc.raw(&format!(
        "<path d=\"{fan_d}\" fill=\"{SEA}\" stroke=\"#ffffff\" stroke-width=\"4\" stroke-linejoin=\"round\"/>"
    ));
    doc.raw(&format!(
        "<path d=\"{}\" fill=\"{LAND}\" fill-rule=\"evenodd\" clip-path=\"url(#{id})\"/>",
        polys_d(&v, &ctx.land)
    ));
    doc.raw(&format!(
        "<path d=\"{fan_d}\" fill=\"none\" stroke=\"#444444\" stroke-width=\"0.8\"/>"
    ));
    if let Some(frame) = &ctx.gd.frame {
        let outline: Vec<PPath> = frame
            .shape
            .0
            .iter()
            .map(|p| proj_path(&ctx.lcc, &p.exterior().0))
            .collect();
        doc.raw(&format!(
            "<path d=\"{}\" fill=\"none\" stroke=\"#555555\" stroke-width=\"0.5\"/>",
            lines_d(&v, &outline)
        ));
    }
    let a = v.px(Coord {
        x: zoom.mx0,
        y: zoom.my1,
    });
    let b = v.px(Coord {
        x: zoom.mx0 + zoom.w / zoom.s,
        y: zoom.my1 - zoom.h / zoom.s,
    });
    doc.raw(&format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.6\"/>",
        n(a.x),
        n(a.y),
        n((b.x - a.x).max(2.0)),
        n((b.y - a.y).max(2.0))
    ));
}

/// Readings side by side: one panel per built (treaty, reading), all enlarged to the same box
/// around where they differ from the first panel, which each later panel hatches and whose
/// border it shows in grey. Panels may also be different treaties. Where the later panels
/// differ in places far apart, each is shown beside the first, both enlarged to its own
/// differences.
pub fn readings_map(ctx: &Ctx, all: &[&Built], panels: &[&Built]) -> Result<String, Error> {
    let Some(first) = panels.first().copied() else {
        return Err(e("nothing to compare (fix: name at least two readings)"));
    };
    let w = ctx.lang.words();
    let lang = ctx.lang;
    let diffs: Vec<Vec<Change>> = panels
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if i == 0 {
                Vec::new()
            } else {
                changes(first, b)
            }
        })
        .collect();
    let mut kinds: Vec<Change> = Vec::new();
    for c in diffs.iter().flatten() {
        if !kinds.iter().any(|k| k.from == c.from && k.to == c.to) {
            kinds.push(c.clone());
        }
    }
    // one copy of each treaty, for the reading declarations (`all` holds one per reading)
    let mut treaties: Vec<Treaty> = Vec::new();
    for b in all {
        if !treaties.iter().any(|t| t.id == b.treaty.id) {
            treaties.push(b.treaty.clone());
        }
    }
    let mut doc = Doc::new(SVG_WIDTH, 0.0);
    defs(ctx, &mut doc, &kinds);
    let one_treaty = panels.iter().all(|b| b.treaty.id == first.treaty.id);
    let title = if one_treaty {
        let sep = if lang == Lang::Zh { "：" } else { ": " };
        format!("{}{sep}{}", lang.name(&first.treaty.name), w.readings_title)
    } else {
        panels
            .iter()
            .map(|b| {
                let d = b
                    .treaty
                    .signed
                    .gregorian
                    .as_deref()
                    .unwrap_or(&b.valid_from);
                format!("{} ({})", short(lang.name(&b.treaty.name)), year(d))
            })
            .collect::<Vec<_>>()
            .join(" / ")
    };
    ctx.checked(&title)?;
    doc.text(MARGIN_X, 40.0, 25.0, &title, "start", true, INK, "");
    ctx.checked(w.enlarged)?;
    doc.text(
        MARGIN_X, 64.0, 14.0, w.enlarged, "start", false, "#333333", "",
    );
    // One box around every difference, unless the readings differ in places far apart (the
    // union box would then show none of them): each later panel is then paired, row by row,
    // with the first, both enlarged to that panel's own differences.
    let zoom_box = changes_box(ctx, &diffs, 160_000.0);
    let own: Vec<[f64; 4]> = diffs
        .iter()
        .map(|d| changes_box(ctx, std::slice::from_ref(d), 160_000.0))
        .collect();
    let area = |b: &[f64; 4]| (b[2] - b[0]) * (b[3] - b[1]);
    let whole = area(&[ctx.bx0, ctx.by0, ctx.bx1, ctx.by1]);
    let paired = panels.len() > 2
        && area(&zoom_box) > 0.25 * whole
        && own.iter().skip(1).all(|b| area(b) < 0.25 * area(&zoom_box));
    // (panel, its zoom box), in reading order
    let cells: Vec<(usize, [f64; 4])> = if paired {
        own.iter()
            .enumerate()
            .skip(1)
            .flat_map(|(i, b)| [(0, *b), (i, *b)])
            .collect()
    } else {
        (0..panels.len()).map(|i| (i, zoom_box)).collect()
    };
    let cols = if paired {
        2
    } else if panels.len() == 3 || panels.len() > 4 {
        3
    } else {
        2
    };
    let gap = 18.0;
    let cell_w = (SVG_WIDTH - 2.0 * MARGIN_X - gap * (cols as f64 - 1.0)) / cols as f64;
    let cell_h = cell_w * if paired { 0.8 } else { 1.05 };
    let before: Vec<PPath> = borders_of(ctx, first)
        .into_iter()
        .flat_map(|(_, l)| l)
        .collect();
    let caption_size = 12.5;
    let mut y = 82.0;
    let mut inset_done = false;
    for (row, chunk) in cells.chunks(cols).enumerate() {
        // Captions first: the reading's name (wrapped), then how it differs.
        let mut captions: Vec<Vec<(String, bool)>> = Vec::new();
        for &(i, _) in chunk {
            let b = panels[i];
            let mut lines = Vec::new();
            let declared = reading_of(&treaties, b);
            let head = match (one_treaty, declared.map(|r| r.name.clone())) {
                (true, Some(r)) => r,
                (true, None) => lang.name(&b.treaty.name).to_string(),
                (false, r) => {
                    let t = short(lang.name(&b.treaty.name));
                    r.map(|r| format!("{t}: {r}")).unwrap_or(t)
                }
            };
            for l in wrap(ctx, &head, caption_size, true, cell_w) {
                lines.push((l, true));
            }
            let mut facts = Vec::new();
            if b.is_default && b.reading.is_some() {
                facts.push(w.default_reading.to_string());
            }
            let srcs = declared.map(|r| r.sources.clone()).unwrap_or_default();
            if !srcs.is_empty() {
                facts.push(format!("{} {}", w.sources, srcs.join(" ")));
            }
            if i > 0 {
                let ch = diffs.get(i).map(Vec::as_slice).unwrap_or(&[]);
                if ch.is_empty() {
                    facts.push(w.same_as_default.to_string());
                } else {
                    for c in ch {
                        facts.push(format!(
                            "{} → {}{}{}",
                            status_label(ctx, &c.from),
                            status_label(ctx, &c.to),
                            if lang == Lang::Zh { "：" } else { ": " },
                            lang.km2(c.area_km2)
                        ));
                    }
                }
            }
            for f in facts {
                for l in wrap(ctx, &f, 11.0, false, cell_w) {
                    lines.push((l, false));
                }
            }
            captions.push(lines);
        }
        let caption_h = captions
            .iter()
            .map(|c| {
                c.iter()
                    .map(|(_, bold)| if *bold { 16.0 } else { 14.0 })
                    .sum::<f64>()
            })
            .fold(0.0, f64::max);
        let mut row_view = None;
        for (k, &(i, cell_box)) in chunk.iter().enumerate() {
            let b = panels[i];
            let left = MARGIN_X + k as f64 * (cell_w + gap);
            let mut ty = y + 12.0;
            for (line, bold) in captions.get(k).map(Vec::as_slice).unwrap_or(&[]) {
                ctx.checked(line)?;
                let (size, colour) = if *bold {
                    (caption_size, INK)
                } else {
                    (11.0, "#333333")
                };
                doc.text(left, ty, size, line, "start", *bold, colour, "");
                ty += if *bold { 16.0 } else { 14.0 };
            }
            let v = ctx.zoom_view(left, y + caption_h + 6.0, cell_w, cell_h, cell_box);
            let ch = diffs.get(i).map(Vec::as_slice).unwrap_or(&[]);
            let layers = Layers {
                territories: territories_of(ctx, b),
                pale: false,
                changes: ch,
                borders_before: if i == 0 { Vec::new() } else { before.clone() },
                borders: borders_of(ctx, b),
                border_width: 1.6,
            };
            // ids unique per cell: a panel shown twice (paired rows) must not share its clips
            panel(ctx, &mut doc, &v, &format!("r{}", row * cols + k), &layers);
            let (marks, _) = places_for(ctx, b)?;
            let r = v.rect();
            let inside: Vec<PlaceMark> = marks
                .into_iter()
                .filter(|m| {
                    let p = v.px(m.at);
                    p.x > r.x0 + 4.0 && p.x < r.x1 - 4.0 && p.y > r.y0 + 4.0 && p.y < r.y1 - 4.0
                })
                .collect();
            let mut taken = Vec::new();
            if !inset_done && cell_box != [ctx.bx0, ctx.by0, ctx.bx1, ctx.by1] {
                let iw = cell_w * if paired { 0.28 } else { 0.34 };
                locator(ctx, &mut doc, &v, iw, &format!("locator{row}"));
                let probe = ctx.view(0.0, 0.0, iw);
                taken.push(Rect {
                    x0: r.x1 - iw - 8.0,
                    y0: r.y0,
                    x1: r.x1,
                    y1: r.y0 + probe.h + 8.0,
                });
                inset_done = true;
            }
            label_map(ctx, &mut doc, &v, &inside, &mut taken)?;
            row_view = Some(v);
        }
        y += caption_h + 6.0 + cell_h + gap + 8.0;
        if paired {
            // each row has its own scale, and its own inset
            if let Some(v) = row_view {
                y = scale_bar(ctx, &mut doc, &v, MARGIN_X, y - gap + 4.0)? + gap;
            }
            inset_done = false;
        }
    }
    let mut cols_legend = vec![territory_legend(ctx, panels)];
    let mut bc = border_column(ctx);
    bc.entries.insert(
        0,
        Entry {
            swatch: Swatch::GreyLine,
            text: w.border_default.to_string(),
        },
    );
    cols_legend.push(bc);
    if !kinds.is_empty() {
        cols_legend.push(change_column(ctx, w.differs, &kinds, false));
    }
    let y = draw_columns(
        ctx,
        &mut doc,
        MARGIN_X,
        y,
        SVG_WIDTH - MARGIN_X,
        &cols_legend,
    )?;
    let y = if paired {
        y
    } else {
        let v = ctx.zoom_view(0.0, 0.0, cell_w, cell_h, zoom_box);
        scale_bar(ctx, &mut doc, &v, MARGIN_X, y + 6.0)?
    };
    let h = footer(ctx, &mut doc, y, &[])?;
    Ok(finish_doc(&mut doc, h, &title))
}

/// A legend column with one striped swatch per change of status ("from → to"), with its area
/// when `areas`.
fn change_column(ctx: &Ctx, heading: &str, changes: &[Change], areas: bool) -> Column {
    Column {
        heading: heading.into(),
        entries: changes
            .iter()
            .map(|c| {
                let mut text = format!(
                    "{} → {}",
                    status_label(ctx, &c.from),
                    status_label(ctx, &c.to)
                );
                if areas {
                    text.push_str(&format!(" — {}", ctx.lang.km2(c.area_km2)));
                }
                Entry {
                    swatch: Swatch::Fill {
                        fill: format!("url(#chg-{}-{})", esc(&c.from), esc(&c.to)),
                        opacity: 1.0,
                    },
                    text,
                }
            })
            .collect(),
    }
}
