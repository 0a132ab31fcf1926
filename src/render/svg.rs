//! A small SVG writer. Every number goes through [`n`], which rounds to a fixed 0.1 px and never
//! prints "-0", and every text through [`esc`], so the same input gives byte-identical, valid XML.

use geo::Coord;
use std::fmt::Write;

/// A number with one decimal, without a trailing ".0" and without a negative zero.
pub fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 { 0.0 } else { r };
    let s = format!("{r:.1}");
    match s.strip_suffix(".0") {
        Some(t) => t.to_string(),
        None => s,
    }
}

/// XML escaping is shared with the QGIS project writer.
pub use crate::export::qgis::esc;

/// Appends one ring or line as path data ("M x y L x y ..."), dropping points that round onto
/// the previous one. `close` adds "Z".
pub fn path_data(out: &mut String, pts: &[Coord<f64>], close: bool) {
    let mut last = String::new();
    let mut count = 0;
    for p in pts {
        let xy = format!("{} {}", n(p.x), n(p.y));
        if xy == last {
            continue;
        }
        out.push(if count == 0 { 'M' } else { 'L' });
        out.push_str(&xy);
        last = xy;
        count += 1;
    }
    if close && count > 0 {
        out.push('Z');
    }
}

/// An SVG document under construction.
pub struct Doc {
    pub body: String,
    pub defs: String,
    width: f64,
    height: f64,
}

impl Doc {
    pub fn new(width: f64, height: f64) -> Doc {
        Doc {
            body: String::new(),
            defs: String::new(),
            width,
            height,
        }
    }

    pub fn width(&self) -> f64 {
        self.width
    }

    pub fn height(&self) -> f64 {
        self.height
    }

    /// Appends a raw element line.
    pub fn raw(&mut self, s: &str) {
        self.body.push_str(s);
        self.body.push('\n');
    }

    /// A text element; `attrs` are extra attributes (already escaped).
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        s: &str,
        anchor: &str,
        bold: bool,
        fill: &str,
        attrs: &str,
    ) {
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{}{} fill=\"{}\"{}>{}</text>",
            n(x),
            n(y),
            n(size),
            if anchor == "start" {
                String::new()
            } else {
                format!(" text-anchor=\"{anchor}\"")
            },
            if bold { " font-weight=\"bold\"" } else { "" },
            fill,
            if attrs.is_empty() {
                String::new()
            } else {
                format!(" {attrs}")
            },
            esc(s)
        );
    }

    /// The finished document.
    pub fn finish(&self, title: &str) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{fam}\">\n<title>{t}</title>\n<defs>\n{defs}</defs>\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n{body}</svg>\n",
            w = n(self.width),
            h = n(self.height),
            fam = esc(super::fonts::FAMILY),
            t = esc(title),
            defs = self.defs,
            body = self.body
        );
        s
    }
}
