//! The fonts the maps are drawn with, compiled into the binary so that a fresh machine with no
//! system fonts renders every label: Noto Sans (Latin, Cyrillic) and a subset of Noto Sans CJK SC
//! (the Han characters the data and the map text use), both SIL Open Font License 1.1.
//!
//! Besides loading them into usvg's font database, this module reads each face's `cmap` and
//! `hmtx` tables itself: the cmap to refuse a label whose characters no font can draw (usvg would
//! silently drop them), and the advances to size the collision boxes of the label placer.

use std::sync::Arc;

/// (file name, bytes, bold) of every embedded face, in fallback order: the Latin/Cyrillic face
/// first so Latin text never falls back to the CJK face's wider Latin glyphs.
const FACES: &[(&str, &[u8], bool)] = &[
    (
        "NotoSans-Regular.ttf",
        include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
        false,
    ),
    (
        "NotoSans-Bold.ttf",
        include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"),
        true,
    ),
    (
        "NotoSansCJKsc-Regular-subset.otf",
        include_bytes!("../../assets/fonts/NotoSansCJKsc-Regular-subset.otf"),
        false,
    ),
    (
        "NotoSansCJKsc-Bold-subset.otf",
        include_bytes!("../../assets/fonts/NotoSansCJKsc-Bold-subset.otf"),
        true,
    ),
];

/// The `font-family` list every text element of the maps uses.
pub const FAMILY: &str = "'Noto Sans', 'Noto Sans CJK SC'";

/// One embedded face: which characters it has and how wide each glyph is.
struct Face {
    name: &'static str,
    bold: bool,
    units_per_em: f64,
    /// (first char, last char, glyph id of the first char), sorted.
    ranges: Vec<(u32, u32, u32)>,
    advances: Vec<u16>,
}

impl Face {
    fn glyph(&self, c: char) -> Option<u32> {
        let c = c as u32;
        let i = self.ranges.partition_point(|r| r.1 < c);
        let r = self.ranges.get(i)?;
        if r.0 <= c && c <= r.1 {
            let g = r.2 + (c - r.0);
            (g != 0).then_some(g)
        } else {
            None
        }
    }

    fn advance(&self, g: u32) -> f64 {
        let a = self
            .advances
            .get(g as usize)
            .or(self.advances.last())
            .copied()
            .unwrap_or(0);
        f64::from(a) / self.units_per_em
    }
}

/// The embedded fonts, parsed once per render.
pub struct Fonts {
    faces: Vec<Face>,
}

/// Characters that are layout, not glyphs: they need no face.
fn is_layout_char(c: char) -> bool {
    c == ' ' || c == '\u{a0}' || c.is_control()
}

impl Fonts {
    /// Parses the embedded faces. A face that does not parse is a build defect (the files are
    /// committed), reported as a message rather than a panic.
    pub fn load() -> Result<Fonts, String> {
        let mut faces = Vec::new();
        for (name, data, bold) in FACES {
            faces.push(parse_face(name, data, *bold).map_err(|e| format!("font {name}: {e}"))?);
        }
        Ok(Fonts { faces })
    }

    /// A font database holding only the embedded faces: no system font is ever consulted, so a
    /// map looks the same on every machine.
    pub fn database() -> Arc<resvg::usvg::fontdb::Database> {
        let mut db = resvg::usvg::fontdb::Database::new();
        for (_, data, _) in FACES {
            db.load_font_data(data.to_vec());
        }
        db.set_sans_serif_family("Noto Sans");
        Arc::new(db)
    }

    /// The file names of the embedded faces (for the tests' messages).
    pub fn names(&self) -> Vec<&'static str> {
        self.faces.iter().map(|f| f.name).collect()
    }

    /// The characters of `text` that no embedded face can draw.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = text
            .chars()
            .filter(|c| !is_layout_char(*c) && self.faces.iter().all(|f| f.glyph(*c).is_none()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The advance width of `text` at `size` px, taking each character from the first face (of
    /// the wanted weight, then any) that has it, as usvg's fallback does.
    pub fn width(&self, text: &str, size: f64, bold: bool) -> f64 {
        let mut w = 0.0;
        for c in text.chars() {
            let hit = self
                .faces
                .iter()
                .filter(|f| f.bold == bold)
                .chain(self.faces.iter())
                .find_map(|f| f.glyph(c).map(|g| f.advance(g)));
            w += match hit {
                Some(a) => a,
                None if c == ' ' => 0.26,
                None => 0.6,
            };
        }
        w * size
    }
}

fn u16_at(d: &[u8], o: usize) -> Result<u16, String> {
    d.get(o..o + 2)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or_else(|| format!("truncated at byte {o}"))
}

fn u32_at(d: &[u8], o: usize) -> Result<u32, String> {
    d.get(o..o + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("truncated at byte {o}"))
}

/// The byte slice of table `tag` of an sfnt (TrueType or CFF OpenType) file.
fn table<'a>(d: &'a [u8], tag: &[u8; 4]) -> Result<&'a [u8], String> {
    let n = usize::from(u16_at(d, 4)?);
    for i in 0..n {
        let rec = 12 + 16 * i;
        if d.get(rec..rec + 4) == Some(&tag[..]) {
            let off = u32_at(d, rec + 8)? as usize;
            let len = u32_at(d, rec + 12)? as usize;
            return d
                .get(off..off + len)
                .ok_or_else(|| format!("table {} out of bounds", String::from_utf8_lossy(tag)));
        }
    }
    Err(format!("no {} table", String::from_utf8_lossy(tag)))
}

fn parse_face(name: &'static str, d: &[u8], bold: bool) -> Result<Face, String> {
    let head = table(d, b"head")?;
    let units_per_em = f64::from(u16_at(head, 18)?.max(1));
    let hhea = table(d, b"hhea")?;
    let n_metrics = usize::from(u16_at(hhea, 34)?);
    let hmtx = table(d, b"hmtx")?;
    let advances = (0..n_metrics)
        .map(|i| u16_at(hmtx, 4 * i))
        .collect::<Result<Vec<_>, _>>()?;
    let ranges = cmap_ranges(table(d, b"cmap")?)?;
    Ok(Face {
        name,
        bold,
        units_per_em,
        ranges,
        advances,
    })
}

/// The Unicode cmap as ranges of consecutive glyph ids, from a format 12 subtable if the face
/// has one, else format 4.
fn cmap_ranges(cmap: &[u8]) -> Result<Vec<(u32, u32, u32)>, String> {
    let n = usize::from(u16_at(cmap, 2)?);
    let mut f4 = None;
    let mut f12 = None;
    for i in 0..n {
        let rec = 4 + 8 * i;
        let (platform, encoding) = (u16_at(cmap, rec)?, u16_at(cmap, rec + 2)?);
        let off = u32_at(cmap, rec + 4)? as usize;
        let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
        if !unicode {
            continue;
        }
        match u16_at(cmap, off)? {
            12 => f12 = f12.or(Some(off)),
            4 => f4 = f4.or(Some(off)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(off) = f12 {
        let groups = u32_at(cmap, off + 12)? as usize;
        for g in 0..groups {
            let p = off + 16 + 12 * g;
            out.push((u32_at(cmap, p)?, u32_at(cmap, p + 4)?, u32_at(cmap, p + 8)?));
        }
    } else if let Some(off) = f4 {
        let seg = usize::from(u16_at(cmap, off + 6)? / 2);
        let ends = off + 14;
        let starts = ends + 2 * seg + 2;
        let deltas = starts + 2 * seg;
        let range_offs = deltas + 2 * seg;
        for s in 0..seg {
            let end = u32::from(u16_at(cmap, ends + 2 * s)?);
            let start = u32::from(u16_at(cmap, starts + 2 * s)?);
            let delta = u32::from(u16_at(cmap, deltas + 2 * s)?);
            let ro = usize::from(u16_at(cmap, range_offs + 2 * s)?);
            if start == 0xFFFF || start > end {
                continue;
            }
            for c in start..=end {
                let g = if ro == 0 {
                    (c + delta) & 0xFFFF
                } else {
                    let at = range_offs + 2 * s + ro + 2 * (c - start) as usize;
                    let g = u32::from(u16_at(cmap, at)?);
                    if g == 0 {
                        0
                    } else {
                        (g + delta) & 0xFFFF
                    }
                };
                if g != 0 {
                    out.push((c, c, g));
                }
            }
        }
    } else {
        return Err("no Unicode cmap subtable (format 4 or 12)".into());
    }
    out.sort_unstable();
    // Merge single-char entries into runs so lookups stay short.
    let mut merged: Vec<(u32, u32, u32)> = Vec::with_capacity(out.len());
    for r in out {
        if let Some(last) = merged.last_mut() {
            if r.0 == last.1 + 1 && r.2 == last.2 + (r.0 - last.0) {
                last.1 = r.1;
                continue;
            }
        }
        merged.push(r);
    }
    Ok(merged)
}
