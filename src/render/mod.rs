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
    /// Only these treaties' maps, and the change maps and readings sheets that involve them (all
    /// when empty). `ID@READING` draws that reading's map in place of the default's. The
    /// evolution sheet always shows every default reading passed in.
    pub treaties: Vec<String>,
    /// Extra sheets, each comparing the listed `ID` or `ID@READING` side by side (two or more).
    pub compare: Vec<Vec<String>>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            formats: vec![Format::Svg, Format::Png],
            lang: Lang::En,
            width_px: 2400,
            treaties: Vec::new(),
            compare: Vec::new(),
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

/// Finds the built layer set `ID` (its default reading) or `ID@READING`.
fn find<'b>(built: &'b [Built], spec: &str) -> Result<&'b Built, Error> {
    let (id, reading) = match spec.split_once('@') {
        Some((id, r)) => (id, Some(r)),
        None => (spec, None),
    };
    let of_treaty: Vec<&Built> = built.iter().filter(|b| b.treaty.id == id).collect();
    if of_treaty.is_empty() {
        return Err(err(format!(
            "no built treaty has the id \"{id}\" (fix: run `treatyline list` for the ids)"
        )));
    }
    let hit = match reading {
        None => of_treaty.iter().find(|b| b.is_default),
        Some(r) => of_treaty.iter().find(|b| b.reading.as_deref() == Some(r)),
    };
    hit.copied().ok_or_else(|| {
        let names: Vec<&str> = of_treaty
            .iter()
            .filter_map(|b| b.reading.as_deref())
            .collect();
        err(if names.is_empty() {
            format!("\"{spec}\": treaty \"{id}\" has no readings (fix: name it without @)")
        } else {
            format!(
                "\"{spec}\": treaty \"{id}\" has no reading \"{}\" (fix: use one of {})",
                reading.unwrap_or_default(),
                names.join(", ")
            )
        })
    })
}

/// Renders every map as SVG text. Maps come in a fixed order: each treaty (date order) or the
/// reading asked for, then `evolution`, then each consecutive pair `<A>__<B>`, then
/// `<treaty>__readings` for each treaty that declares readings of its own, then the
/// comparisons asked for (`compare__<spec>__<spec>…`).
pub fn sheets(gd: &Geodata, built: &[Built], opts: &RenderOptions) -> Result<Vec<Sheet>, Error> {
    let defaults: Vec<&Built> = built.iter().filter(|b| b.is_default).collect();
    if defaults.is_empty() {
        return Err(err(
            "nothing to render: no treaty was built (fix: check the --treaty ids with `treatyline list`)",
        ));
    }
    for spec in opts.treaties.iter().chain(opts.compare.iter().flatten()) {
        find(built, spec)?;
    }
    for group in &opts.compare {
        if group.len() < 2 {
            return Err(err(format!(
                "--compare \"{}\" names one layer set; a comparison needs two or more (fix: e.g. --compare nerchinsk-1689@malaya-gorbitsa,nerchinsk-1689@bolshaya-gorbitsa)",
                group.join(",")
            )));
        }
    }
    let ctx = draw::Ctx::new(gd, opts.lang)?;
    let base = |spec: &str| spec.split('@').next().unwrap_or(spec).to_string();
    let wanted = |id: &str| opts.treaties.is_empty() || opts.treaties.iter().any(|t| base(t) == id);
    let all: Vec<&Built> = built.iter().collect();
    let mut out = Vec::new();
    for b in &defaults {
        let asked: Vec<&String> = opts
            .treaties
            .iter()
            .filter(|t| base(t) == b.treaty.id)
            .collect();
        if opts.treaties.is_empty() || asked.iter().any(|t| !t.contains('@')) {
            out.push(Sheet {
                stem: b.treaty.id.clone(),
                svg: draw::treaty_map(&ctx, built, b)?,
            });
        }
        for spec in asked.iter().filter(|t| t.contains('@')) {
            out.push(Sheet {
                stem: spec.to_string(),
                svg: draw::treaty_map(&ctx, built, find(built, spec)?)?,
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
    for b in &defaults {
        if b.treaty.reading.len() > 1 && wanted(&b.treaty.id) {
            // The default first, then the others in the order the treaty file lists them.
            let mut panels: Vec<&Built> = vec![b];
            for r in &b.treaty.reading {
                if let Some(x) = built.iter().find(|x| {
                    x.treaty.id == b.treaty.id && !x.is_default && x.reading.as_ref() == Some(&r.id)
                }) {
                    panels.push(x);
                }
            }
            if panels.len() > 1 {
                out.push(Sheet {
                    stem: format!("{}__readings", b.treaty.id),
                    svg: draw::readings_map(&ctx, &all, &panels)?,
                });
            }
        }
    }
    for group in &opts.compare {
        let panels = group
            .iter()
            .map(|s| find(built, s))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Sheet {
            stem: format!("compare__{}", group.join("__")),
            svg: draw::readings_map(&ctx, &all, &panels)?,
        });
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
    // (sheet, format) pairs refer to the sheets by reference: no document is copied per format
    let drawn = sheets(gd, built, opts)?;
    let jobs: Vec<(&Sheet, Format)> = drawn
        .iter()
        .flat_map(|sheet| formats.iter().map(move |f| (sheet, *f)))
        .collect();
    // Rasterising is nearly all of the time and each sheet is independent: one worker per core,
    // results put back in the fixed order, so the files are the same whatever the core count.
    // A worker that panicked leaves its slots empty: reported below as a failed map.
    let results = crate::parallel::in_order(&jobs, |(sheet, f)| match f {
        Format::Svg => Ok(sheet.svg.clone().into_bytes()),
        Format::Png => rasterise(&sheet.svg, opts.width_px),
    });
    let mut out = Vec::with_capacity(jobs.len());
    for ((sheet, f), r) in jobs.iter().zip(results) {
        let bytes =
            r.ok_or_else(|| err(format!("drawing {}.{} failed", sheet.stem, f.ext())))??;
        out.push((PathBuf::from(format!("{}.{}", sheet.stem, f.ext())), bytes));
    }
    Ok(out)
}
