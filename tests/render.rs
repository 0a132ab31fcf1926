//! The maps: every label drawable with the embedded fonts, SVG valid and byte-identical across
//! runs, PNG rasterised, scale and change areas sound.

use std::path::Path;
use std::sync::OnceLock;
use treatyline::build::{self, Built};
use treatyline::geodata::Geodata;
use treatyline::render::{self, fonts::Fonts, projection::Lcc, Format, Lang, RenderOptions};

fn data() -> &'static (Geodata, Vec<Built>) {
    static DATA: OnceLock<(Geodata, Vec<Built>)> = OnceLock::new();
    DATA.get_or_init(|| {
        let (gd, treaties) = build::load(Path::new("geodata")).expect("geodata loads");
        let built = build::assemble_all(&gd, &treaties, &[], &Default::default())
            .expect("treaties assemble");
        (gd, built)
    })
}

fn opts(lang: Lang) -> RenderOptions {
    RenderOptions {
        formats: vec![Format::Svg],
        lang,
        ..RenderOptions::default()
    }
}

/// Every text node of an SVG document.
fn texts(svg: &str) -> Vec<String> {
    let doc = resvg::usvg::roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text") || n.has_tag_name("title"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect()
}

#[test]
fn every_label_has_glyphs_in_every_language() {
    let (gd, built) = data();
    let fonts = Fonts::load().expect("embedded fonts parse");
    for lang in [Lang::En, Lang::Ru, Lang::Zh] {
        let sheets = render::sheets(gd, built, &opts(lang)).expect("maps render");
        for s in &sheets {
            for t in texts(&s.svg) {
                let miss = fonts.missing(&t);
                assert!(
                    miss.is_empty(),
                    "{}.svg ({}): \"{t}\" has characters {miss:?} that none of {:?} can draw; run `python3 assets/fonts/make_fonts.py`",
                    s.stem,
                    lang.code(),
                    fonts.names()
                );
            }
        }
    }
}

#[test]
fn the_glyph_check_catches_a_missing_glyph() {
    let fonts = Fonts::load().expect("embedded fonts parse");
    assert!(fonts.missing("Nerchinsk Нерчинск 尼布楚 1689°").is_empty());
    // Georgian and a rare Han character are not in the embedded subsets.
    assert_eq!(
        fonts.missing("Tbilisi თბილისი"),
        vec!['ბ', 'თ', 'ი', 'ლ', 'ს']
    );
    assert_eq!(fonts.missing("𪚥"), vec!['𪚥']);
}

#[test]
fn svg_is_valid_and_byte_identical_across_runs() {
    let (gd, built) = data();
    let a = render::render(gd, built, &opts(Lang::En)).expect("first run");
    let b = render::render(gd, built, &opts(Lang::En)).expect("second run");
    assert_eq!(a.len(), b.len());
    for ((pa, ba), (pb, bb)) in a.iter().zip(&b) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{} differs between two runs", pa.display());
        let text = std::str::from_utf8(ba).expect("UTF-8");
        resvg::usvg::roxmltree::Document::parse(text).expect("well-formed XML");
    }
    let names: Vec<String> = a.iter().map(|(p, _)| p.display().to_string()).collect();
    for want in [
        "nerchinsk-1689.svg",
        "beijing-1860.svg",
        "evolution.svg",
        "nerchinsk-1689__kyakhta-1727.svg",
        "tianjin-1858__beijing-1860.svg",
    ] {
        assert!(names.iter().any(|n| n == want), "no {want} in {names:?}");
    }
}

#[test]
fn png_is_rasterised_at_the_asked_width() {
    let (gd, built) = data();
    let o = RenderOptions {
        formats: vec![Format::Png],
        lang: Lang::Zh,
        width_px: 600,
        treaties: vec!["aigun-1858".into()],
    };
    let files = render::render(gd, built, &o).expect("renders");
    let (path, png) = files
        .iter()
        .find(|(p, _)| p == Path::new("aigun-1858.png"))
        .expect("aigun-1858.png");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is no PNG",
        path.display()
    );
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    assert_eq!(width, 600);
    // The filter keeps this treaty's map, the evolution sheet and the two change maps.
    assert_eq!(
        files.len(),
        4,
        "{:?}",
        files.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
}

#[test]
fn unknown_treaty_is_a_usage_error() {
    let (gd, built) = data();
    let o = RenderOptions {
        treaties: vec!["versailles-1919".into()],
        ..opts(Lang::En)
    };
    assert!(render::render(gd, built, &o).is_err());
}

#[test]
fn lcc_scale_is_true_on_the_standard_parallels() {
    let lcc = Lcc::new().expect("PROJ");
    for lat in [45.0, 60.0] {
        let k = lcc.scale_factor(118.0, lat).expect("k");
        assert!((k - 1.0).abs() < 1e-4, "k at {lat}° = {k}");
    }
    let k = lcc.scale_factor(130.0, 52.0).expect("k");
    assert!(
        k < 1.0 && k > 0.97,
        "k between the standard parallels = {k}"
    );
}

#[test]
fn changes_are_consistent_with_the_territories() {
    let (_, built) = data();
    let defaults: Vec<&Built> = built.iter().filter(|b| b.is_default).collect();
    for pair in defaults.windows(2) {
        let ch = render::diff::changes(pair[0], pair[1]);
        for c in &ch {
            let from: f64 = pair[0]
                .assembly
                .territories
                .iter()
                .filter(|t| t.status == c.from)
                .map(|t| t.area_km2)
                .sum();
            assert!(
                c.area_km2 <= from * 1.0001 + 1.0,
                "{} → {} larger than the land it came from",
                c.from,
                c.to
            );
        }
    }
    let same = render::diff::changes(defaults[0], defaults[0]);
    assert!(same.is_empty());
}

/// Writes every map to $TREATYLINE_RENDER_OUT (for looking at them): `cargo test --release
/// --test render -- --ignored write_maps`. Optional: TREATYLINE_RENDER_LANG, _WIDTH.
#[test]
#[ignore]
fn write_maps() {
    let (gd, built) = data();
    let out = std::env::var("TREATYLINE_RENDER_OUT").unwrap_or_else(|_| "target/maps".into());
    let lang = std::env::var("TREATYLINE_RENDER_LANG")
        .ok()
        .and_then(|l| Lang::parse(&l))
        .unwrap_or_default();
    let width_px = std::env::var("TREATYLINE_RENDER_WIDTH")
        .ok()
        .and_then(|w| w.parse().ok())
        .unwrap_or(2400);
    let o = RenderOptions {
        lang,
        width_px,
        ..RenderOptions::default()
    };
    std::fs::create_dir_all(&out).expect("out dir");
    for (p, bytes) in render::render(gd, built, &o).expect("renders") {
        std::fs::write(Path::new(&out).join(p), bytes).expect("write");
    }
}
