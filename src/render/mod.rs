//! Publication maps of the built treaties: one map per treaty, an "evolution" sheet of small
//! multiples (same extent and scale in every panel) and one map per consecutive pair showing what
//! changed hands, each as SVG and/or PNG.
//!
//! The SVG is written by hand (see [`svg`]) so that it is byte-identical from run to run; the PNG
//! is that SVG rasterised by resvg with fonts compiled into the binary ([`fonts`]), so a map
//! renders the same on a machine without any system font.

pub mod basemap;
pub mod diff;
mod draw;
pub mod fonts;
pub mod labels;
pub mod projection;
pub mod svg;
pub mod text;

use crate::build::Built;
use crate::error::Error;
use crate::geodata::Geodata;
use std::path::PathBuf;
pub use text::Lang;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Svg,
    Png,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "svg" => Some(Format::Svg),
            "png" => Some(Format::Png),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// What to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// The formats to write (both when empty).
    pub formats: Vec<Format>,
    /// The language of labels, titles and legends.
    pub lang: Lang,
    /// The width of PNG files in pixels (the SVG is 1200 units wide; the PNG is scaled from it).
    pub width_px: u32,
    /// Only these treaties' maps, and the change maps that involve them (all when empty). The
    /// evolution sheet always shows every default reading passed in.
    pub treaties: Vec<String>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            formats: vec![Format::Svg, Format::Png],
            lang: Lang::En,
            width_px: 2400,
            treaties: Vec::new(),
        }
    }
}

/// The width of every SVG, in user units (px at 96 dpi).
pub const SVG_WIDTH: f64 = 1200.0;

/// One map as SVG text, before rasterising: its file stem and document.
pub struct Sheet {
    pub stem: String,
    pub svg: String,
}

fn err(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

/// Renders every map as SVG text. Maps come in a fixed order: each treaty (date order), then
/// `evolution`, then each consecutive pair `<A>__<B>`.
pub fn sheets(gd: &Geodata, built: &[Built], opts: &RenderOptions) -> Result<Vec<Sheet>, Error> {
    let defaults: Vec<&Built> = built.iter().filter(|b| b.is_default).collect();
    if defaults.is_empty() {
        return Err(err(
            "nothing to render: no treaty was built (fix: check the --treaty ids with `treatyline list`)",
        ));
    }
    for id in &opts.treaties {
        if !defaults.iter().any(|b| &b.treaty.id == id) {
            return Err(err(format!(
                "no built treaty has the id \"{id}\" (fix: run `treatyline list` for the ids)"
            )));
        }
    }
    let ctx = draw::Ctx::new(gd, opts.lang)?;
    let wanted = |id: &str| opts.treaties.is_empty() || opts.treaties.iter().any(|t| t == id);
    let mut out = Vec::new();
    for b in &defaults {
        if wanted(&b.treaty.id) {
            out.push(Sheet {
                stem: b.treaty.id.clone(),
                svg: draw::treaty_map(&ctx, b)?,
            });
        }
    }
    out.push(Sheet {
        stem: "evolution".into(),
        svg: draw::evolution_map(&ctx, &defaults)?,
    });
    for pair in defaults.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if wanted(&a.treaty.id) || wanted(&b.treaty.id) {
            out.push(Sheet {
                stem: format!("{}__{}", a.treaty.id, b.treaty.id),
                svg: draw::change_map(&ctx, a, b)?,
            });
        }
    }
    Ok(out)
}

/// Rasterises an SVG written by [`sheets`] to a PNG `width_px` wide, with the embedded fonts.
pub fn rasterise(svg: &str, width_px: u32) -> Result<Vec<u8>, Error> {
    let opt = resvg::usvg::Options {
        fontdb: fonts::Fonts::database(),
        font_family: "Noto Sans".into(),
        ..resvg::usvg::Options::default()
    };
    let tree = resvg::usvg::Tree::from_str(svg, &opt)
        .map_err(|e| err(format!("the map's SVG did not parse: {e}")))?;
    let size = tree.size();
    let scale = width_px.max(1) as f32 / size.width();
    let height = (size.height() * scale).ceil().max(1.0) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width_px.max(1), height)
        .ok_or_else(|| err(format!("cannot make a {width_px}×{height} px image")))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| err(format!("PNG encoding failed: {e}")))
}

/// Renders the maps of `built` (default readings) as (file name, bytes): `<treaty>.svg|png`,
/// `evolution.svg|png` and `<A>__<B>.svg|png` for each consecutive pair of treaties.
pub fn render(
    gd: &Geodata,
    built: &[Built],
    opts: &RenderOptions,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Error> {
    let mut formats = if opts.formats.is_empty() {
        vec![Format::Svg, Format::Png]
    } else {
        opts.formats.clone()
    };
    formats.sort();
    formats.dedup();
    let mut out = Vec::new();
    for sheet in sheets(gd, built, opts)? {
        for f in &formats {
            let bytes = match f {
                Format::Svg => sheet.svg.clone().into_bytes(),
                Format::Png => rasterise(&sheet.svg, opts.width_px)?,
            };
            out.push((PathBuf::from(format!("{}.{}", sheet.stem, f.ext())), bytes));
        }
    }
    Ok(out)
}
