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
        compare: Vec::new(),
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
    // The filter keeps this treaty's map, the evolution sheet, the two change maps and the
    // treaty's readings side by side.
    assert_eq!(
        files.len(),
        5,
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
        let k = lcc.scale_factor(108.0, lat).expect("k");
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

fn all_text(svg: &str) -> String {
    texts(svg).join("\n")
}

#[test]
fn each_treaty_with_readings_gets_a_side_by_side_sheet() {
    let (gd, built) = data();
    let sheets = render::sheets(gd, built, &opts(Lang::En)).expect("maps render");
    let stems: Vec<&str> = sheets.iter().map(|s| s.stem.as_str()).collect();
    // Only the treaties that declare readings themselves; Kyakhta and Tianjin inherit theirs.
    for (stem, panels) in [
        ("nerchinsk-1689__readings", 3),
        ("aigun-1858__readings", 2),
        // treaty-text, map-1861 and (since the western extension) qing-claim: map-1861 differs
        // at Khabarovsk, qing-claim at Lake Balkhash, so each is paired with the default,
        // enlarged to its own difference (two rows of two panels, an inset in each row)
        ("beijing-1860__readings", 4),
    ] {
        let s = sheets
            .iter()
            .find(|s| s.stem == stem)
            .unwrap_or_else(|| panic!("no {stem} sheet among {stems:?}"));
        let drawn = (0..5)
            .filter(|i| s.svg.contains(&format!("<clipPath id=\"r{i}\">")))
            .count();
        assert_eq!(drawn, panels, "{stem}: panels");
        assert!(
            s.svg.contains("id=\"locator0\""),
            "{stem}: no locator inset"
        );
        let rows_inset = s.svg.contains("id=\"locator1\"");
        assert_eq!(
            rows_inset,
            stem == "beijing-1860__readings",
            "{stem}: paired rows"
        );
    }
    assert!(!stems.contains(&"kyakhta-1727__readings"));
    assert!(!stems.contains(&"tianjin-1858__readings"));
    // Each later panel states how it differs from the first, with the diff's own area.
    let nerchinsk = sheets
        .iter()
        .find(|s| s.stem == "nerchinsk-1689__readings")
        .expect("sheet");
    let text = all_text(&nerchinsk.svg);
    let of = |r: &str| {
        built
            .iter()
            .find(|b| b.treaty.id == "nerchinsk-1689" && b.reading.as_deref() == Some(r))
            .expect("reading built")
    };
    let first = of("malaya-gorbitsa");
    assert!(first.is_default);
    for r in ["bolshaya-gorbitsa", "southern-range"] {
        let ch = render::diff::changes(first, of(r));
        assert!(!ch.is_empty(), "{r} should differ from the default");
        for c in ch {
            let figure = Lang::En.km2(c.area_km2);
            assert!(text.contains(&figure), "{r}: {figure} not on the sheet");
        }
        let name = &first
            .treaty
            .reading
            .iter()
            .find(|x| x.id == r)
            .expect("declared")
            .name;
        let head: String = name
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(&head), "{r}: its name is not on the sheet");
    }
}

#[test]
fn a_named_reading_renders_and_compares() {
    let (gd, built) = data();
    let o = RenderOptions {
        treaties: vec![
            "nerchinsk-1689@bolshaya-gorbitsa".into(),
            // a reading Kyakhta inherits from Nerchinsk
            "kyakhta-1727@bolshaya-gorbitsa".into(),
        ],
        compare: vec![vec![
            "beijing-1860@treaty-text".into(),
            "beijing-1860@map-1861".into(),
        ]],
        ..opts(Lang::En)
    };
    let sheets = render::sheets(gd, built, &o).expect("maps render");
    let stems: Vec<&str> = sheets.iter().map(|s| s.stem.as_str()).collect();
    assert!(
        stems.contains(&"nerchinsk-1689@bolshaya-gorbitsa"),
        "{stems:?}"
    );
    // Asking for a reading replaces the default's map.
    assert!(!stems.contains(&"nerchinsk-1689"), "{stems:?}");
    let reading = sheets
        .iter()
        .find(|s| s.stem == "nerchinsk-1689@bolshaya-gorbitsa")
        .expect("sheet");
    assert!(all_text(&reading.svg).contains("Bolshaya Gorbitsa"));
    // an inherited reading is named by its declaration in the treaty it comes from
    let inherited = sheets
        .iter()
        .find(|s| s.stem == "kyakhta-1727@bolshaya-gorbitsa")
        .expect("sheet of an inherited reading");
    let text = all_text(&inherited.svg);
    assert!(text.contains("The Bolshaya Gorbitsa (Amazar)"), "{text}");
    let cmp = sheets
        .iter()
        .find(|s| s.stem == "compare__beijing-1860@treaty-text__beijing-1860@map-1861")
        .unwrap_or_else(|| panic!("no comparison among {stems:?}"));
    let of = |r: &str| {
        built
            .iter()
            .find(|b| b.treaty.id == "beijing-1860" && b.reading.as_deref() == Some(r))
            .expect("reading built")
    };
    let ch = render::diff::changes(of("treaty-text"), of("map-1861"));
    assert_eq!(
        ch.len(),
        1,
        "the 1861 map moves one piece: the Kazakevich islands"
    );
    assert!(all_text(&cmp.svg).contains(&Lang::En.km2(ch[0].area_km2)));
}

#[test]
fn bad_reading_names_are_explained() {
    let (gd, built) = data();
    type Case = (Vec<String>, Vec<Vec<String>>, &'static str);
    let cases: [Case; 3] = [
        (
            vec!["nerchinsk-1689@chinese".into()],
            vec![],
            "treaty \"nerchinsk-1689\" has no reading \"chinese\" (fix: use one of malaya-gorbitsa, bolshaya-gorbitsa, southern-range)",
        ),
        (
            vec![],
            vec![vec!["aigun-1858".into()]],
            "--compare \"aigun-1858\" names one layer set; a comparison needs two or more",
        ),
        (
            vec![],
            vec![vec!["aigun-1858".into(), "aigun-1959".into()]],
            "no built treaty has the id \"aigun-1959\" (fix: run `treatyline list` for the ids)",
        ),
    ];
    for (treaties, compare, want) in cases {
        let o = RenderOptions {
            treaties,
            compare,
            ..opts(Lang::En)
        };
        let got = match render::sheets(gd, built, &o) {
            Ok(_) => panic!("expected an error containing {want}"),
            Err(e) => e.to_string(),
        };
        assert!(got.contains(want), "got: {got}\nwant: {want}");
    }
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
