//! The `treatyline` command line: parses arguments, calls the library, prints, sets the exit code.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use treatyline::build;
use treatyline::export::style;
use treatyline::timing::phase;
use treatyline::Error;

/// mimalloc, not glibc's allocator: the build frees and reallocates large vectors on two threads,
/// which glibc hands back to the kernel and faults in again each time. At 100x the vertices it is
/// faster and keeps less memory resident (see BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build the successive Russia–Qing borders, treaty by treaty, as GIS layers.
///
/// treatyline combines hand-digitised river and boundary lines with one rule file per treaty
/// (geodata/treaties/*.toml) and writes, for every treaty, its border lines and the territory on
/// each side (Russia, Qing, joint possession, undetermined, ...) as RFC 7946 GeoJSON, with the
/// article and clause behind every segment.
#[derive(Parser)]
#[command(name = "treatyline", version, about, long_about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build every treaty's layers into the output folder.
    ///
    /// Writes <out>/<treaty>/border.geojson and territory.geojson for each treaty (its default
    /// reading), <out>/readings/<treaty>/<reading>/ for the other readings, the timeline layers,
    /// places, areas.csv and SUMMARY.md. The output is written to a temporary folder and swapped
    /// in only when everything succeeded: a failed build leaves the previous output untouched.
    Build {
        /// The geodata folder (lines/, nodes.geojson, frame.geojson, places.geojson, treaties/).
        #[arg(long, default_value = "geodata")]
        geodata: PathBuf,
        /// The output folder.
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// Build only this treaty (repeatable); the other treaties' outputs are kept.
        #[arg(long = "treaty", value_name = "ID")]
        treaties: Vec<String>,
        /// Use READING instead of the default for a treaty's main layers: TREATY@READING.
        #[arg(long = "reading", value_name = "TREATY@READING")]
        readings: Vec<String>,
        /// The coordinate reference system of the Shapefiles, the GeoPackage and the QGIS project
        /// (EPSG:XXXX or a PROJ string); the GeoJSON stays WGS 84 as RFC 7946 requires.
        #[arg(long, value_name = "CRS")]
        crs: Option<String>,
        /// After building, watch the geodata folder and rebuild whenever a file in it changes,
        /// printing what changed and how long the rebuild took. A failed rebuild prints its
        /// errors and leaves the previous output as it was. Stop with Ctrl-C.
        #[arg(long)]
        watch: bool,
    },
    /// List the treaties in date order, with their signing dates in both calendars.
    List {
        #[arg(long, default_value = "geodata")]
        geodata: PathBuf,
    },
    /// Write the territory that changed status between two treaties (or readings).
    ///
    /// One feature per (from status, to status) pair, with its geodesic area and the articles of
    /// B behind the change. Name a reading as TREATY@READING. Slivers under 0.01 km² (numerical
    /// noise) are dropped and counted.
    Diff {
        /// The earlier treaty, e.g. kyakhta-1727 or nerchinsk-1689@bolshaya-gorbitsa.
        a: String,
        /// The later treaty.
        b: String,
        #[arg(long, default_value = "geodata")]
        geodata: PathBuf,
        /// Where to write the GeoJSON; `-` prints it. Default: <A>__<B>.geojson here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Write the border and territory in force on a date.
    ///
    /// The treaty in force is the latest signed (taken effect) on or before DATE; intervals are
    /// half-open, [valid_from, valid_to). DATE is YYYY-MM-DD or YYYY (Gregorian).
    At {
        /// The date, e.g. 1815-06-18 or 1815.
        date: String,
        #[arg(long, default_value = "geodata")]
        geodata: PathBuf,
        /// The folder to write border.geojson and territory.geojson into. Default: at-<DATE>.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Draw publication maps (SVG and PNG): one per treaty, the evolution, and each change.
    ///
    /// Writes <out>/<treaty>.svg/.png (default readings), evolution.svg/.png (small multiples,
    /// one panel per treaty, same extent and scale), <A>__<B>.svg/.png for each consecutive
    /// pair, and <treaty>__readings.svg/.png (its readings side by side, enlarged where they
    /// differ) for each treaty that declares readings, in a Lambert conformal conic projection,
    /// with embedded fonts (en, ru, zh).
    Render {
        #[arg(long, default_value = "geodata")]
        geodata: PathBuf,
        #[arg(long, default_value = "output/maps")]
        out: PathBuf,
        /// Maps of this treaty only (repeatable); ID@READING draws that reading's map, written as
        /// <ID>@<READING>.svg. The evolution map always shows all.
        #[arg(long = "treaty", value_name = "ID[@READING]")]
        treaties: Vec<String>,
        /// Also draw these layer sets side by side, enlarged where they differ from the first
        /// (repeatable; comma-separated, e.g. nerchinsk-1689@malaya-gorbitsa,nerchinsk-1689@bolshaya-gorbitsa).
        /// Written as compare__<A>__<B>.svg.
        #[arg(long = "compare", value_name = "SPEC,SPEC[,...]")]
        compare: Vec<String>,
        /// svg or png (repeatable); both when not given.
        #[arg(long = "format", value_parser = ["svg", "png"])]
        formats: Vec<String>,
        /// The language of titles, legends and labels.
        #[arg(long, default_value = "en", value_parser = ["en", "ru", "zh"])]
        lang: String,
        /// Width of the PNG maps in pixels.
        #[arg(long, default_value_t = 2400)]
        width: u32,
    },
    /// Validate the geodata and the rules, and assemble every treaty, writing nothing.
    ///
    /// Reports every problem found, one per line on stderr, each naming the file, the feature or
    /// rule, what is wrong and how to fix it. Exit status 1 when there is any problem.
    Check {
        #[arg(long, default_value = "geodata")]
        geodata: PathBuf,
    },
}

fn parse_readings(list: &[String]) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for r in list {
        match r.split_once('@') {
            Some((t, name)) if !t.is_empty() && !name.is_empty() => {
                out.insert(t.to_string(), name.to_string());
            }
            _ => return Err(Error::Usage(format!("--reading \"{r}\" is not of the form TREATY@READING (fix: e.g. --reading nerchinsk-1689@bolshaya-gorbitsa)"))),
        }
    }
    Ok(out)
}

/// Accepts YYYY-MM-DD or YYYY.
fn normalise_date(s: &str) -> Result<String, Error> {
    let d = if s.len() == 4 && s.chars().all(|c| c.is_ascii_digit()) {
        format!("{s}-01-01")
    } else {
        s.to_string()
    };
    match treatyline::treaty::dates::parse_iso(&d) {
        Some(_) => Ok(d),
        None => Err(Error::Usage(format!(
            "\"{s}\" is not a date (fix: write YYYY-MM-DD or YYYY, Gregorian, e.g. 1815-06-18)"
        ))),
    }
}

/// Writes one file through a temporary sibling, so a failure leaves no half-written file.
fn write_file(dest: &std::path::Path, text: &str) -> anyhow::Result<()> {
    let tmp = dest.with_extension("tmp-treatyline");
    std::fs::write(&tmp, text).with_context(|| {
        format!(
            "could not write {} (fix: check the folder exists and is writable)",
            tmp.display()
        )
    })?;
    std::fs::rename(&tmp, dest).with_context(|| format!("could not write {}", dest.display()))?;
    Ok(())
}

/// One `build` of the loaded geodata: assemble, write atomically; prints the one-line summary.
fn build_once(
    loaded: treatyline::Result<(
        treatyline::geodata::Geodata,
        Vec<treatyline::treaty::Treaty>,
    )>,
    out: &std::path::Path,
    treaties: &[String],
    chosen: &BTreeMap<String, String>,
    target: &style::Target,
) -> anyhow::Result<()> {
    let (gd, all) = loaded?;
    let built = phase("assemble", || {
        build::assemble_all(&gd, &all, treaties, chosen)
    })?;
    let existed = out.exists();
    build::write_atomically(out, !treaties.is_empty(), |tmp| {
        build::write_outputs_and(tmp, &gd, &all, &built, || {
            // the GeoPackage and the project hold every treaty: a partial build keeps the old ones
            if treaties.is_empty() {
                phase("write gis", || style::write_gis(tmp, &gd, &built, target))
            } else {
                Ok(())
            }
        })
    })
    .map_err(|e| {
        anyhow::anyhow!(
            "{e}{}",
            if existed {
                " (the previous output is unchanged)"
            } else {
                ""
            }
        )
    })?;
    eprintln!(
        "built {} layer set(s) for {} treaty file(s) into {}",
        built.len(),
        all.len(),
        out.display()
    );
    Ok(())
}

/// How `build --watch` reports a failed build: its errors, as `main` prints them, and that it
/// goes on watching.
fn report_failed(e: &anyhow::Error, took: std::time::Duration) {
    match e.downcast_ref::<Error>() {
        Some(Error::Problems(ps)) => {
            for p in ps {
                eprintln!("error: {p}");
            }
            eprintln!("{} problem(s); nothing was written", ps.len());
        }
        _ => eprintln!("error: {e:#}"),
    }
    eprintln!(
        "build failed after {:.2} s; the previous output is unchanged; still watching",
        took.as_secs_f64()
    );
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build {
            geodata,
            out,
            treaties,
            readings,
            crs,
            watch,
        } => {
            let chosen = parse_readings(&readings)?;
            // watching: the snapshot is taken before the first build, so an edit made while it
            // runs is seen
            let mut snap =
                watch.then(|| treatyline::watch::Snapshot::take(&geodata, &[out.as_path()]));
            let t = std::time::Instant::now();
            // PROJ sets up the CRS while the geodata loads; a bad CRS is reported first and
            // stops the build before anything is written
            let (target, first) = std::thread::scope(|s| {
                let first = s.spawn(|| phase("load", || build::load(&geodata)));
                let target = phase("crs", || match &crs {
                    Some(c) => style::reproject(c),
                    None => style::Target::wgs84(),
                });
                let first = first
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p));
                (target, first)
            });
            let target = target?;
            let once = |loaded| build_once(loaded, &out, &treaties, &chosen, &target);
            let Some(snap) = snap.as_mut() else {
                return once(first);
            };
            // a failed build is reported and the watch goes on
            match once(first) {
                Ok(()) => eprintln!("built in {:.2} s", t.elapsed().as_secs_f64()),
                Err(e) => report_failed(&e, t.elapsed()),
            }
            eprintln!(
                "watching {} for changes (every {} ms; Ctrl-C to stop)",
                geodata.display(),
                treatyline::watch::POLL.as_millis()
            );
            loop {
                let changes = treatyline::watch::wait_for_changes(snap);
                eprintln!("changed: {}", treatyline::watch::describe(&changes));
                let t = std::time::Instant::now();
                match once(phase("load", || build::load(&geodata))) {
                    Ok(()) => eprintln!("rebuilt in {:.2} s", t.elapsed().as_secs_f64()),
                    Err(e) => report_failed(&e, t.elapsed()),
                }
            }
        }
        Command::List { geodata } => {
            let (_, all) = build::load(&geodata)?;
            // columns as wide as their widest entry, Chinese characters counting two
            let qing = |t: &treatyline::treaty::Treaty| t.signed.qing.clone().unwrap_or("-".into());
            let id_w = all.iter().map(|t| shown_width(&t.id)).fold(2, usize::max);
            let qing_w = all
                .iter()
                .map(|t| shown_width(&qing(t)))
                .fold(4, usize::max);
            println!(
                "{} {:<11} {:<11} {} name",
                pad("id", id_w),
                "gregorian",
                "julian",
                pad("qing", qing_w)
            );
            for t in &all {
                println!(
                    "{} {:<11} {:<11} {} {}",
                    pad(&t.id, id_w),
                    t.signed.gregorian.as_deref().unwrap_or("-"),
                    t.signed.julian.as_deref().unwrap_or("-"),
                    pad(&qing(t), qing_w),
                    t.name.en
                );
            }
        }
        Command::Diff { a, b, geodata, out } => {
            let (gd, all) = build::load(&geodata)?;
            let (ba, bb) = (build::one(&gd, &all, &a)?, build::one(&gd, &all, &b)?);
            let d = treatyline::diff::diff(&ba.assembly, &bb.assembly, &bb.treaty.id);
            if d.changes.is_empty() {
                eprintln!("no territory changed status between {a} and {b}: the diff is empty");
            }
            for c in &d.changes {
                eprintln!(
                    "{} -> {}: {:.0} km² ({})",
                    c.from_status,
                    c.to_status,
                    c.area_km2,
                    c.articles.join("; ")
                );
            }
            eprintln!(
                "removed {} sliver(s) under {} km² ({:.4} km² in all)",
                d.slivers,
                treatyline::diff::SLIVER_KM2,
                d.sliver_km2
            );
            let text = treatyline::export::geojson::collection(&build::diff_features(&ba, &bb, &d));
            let dest = out.unwrap_or_else(|| PathBuf::from(format!("{a}__{b}.geojson")));
            if dest.as_os_str() == "-" {
                print!("{text}");
            } else {
                write_file(&dest, &text)?;
                eprintln!("wrote {}", dest.display());
            }
        }
        Command::At { date, geodata, out } => {
            let (gd, all) = build::load(&geodata)?;
            let day = normalise_date(&date)?;
            let Some(t) = all.iter().rev().find(|t| t.valid_from() <= day.as_str()) else {
                let first = &all[0];
                return Err(Error::Usage(format!("no treaty was in force on {day}: the first, {}, took effect on {} (fix: ask for a later date)", first.id, first.valid_from())).into());
            };
            let b = build::one(&gd, &all, &t.id)?;
            let dest = out.unwrap_or_else(|| PathBuf::from(format!("at-{day}")));
            let files = vec![
                (
                    PathBuf::from("territory.geojson"),
                    treatyline::export::geojson::collection(&build::territory_features(&b, &gd)),
                ),
                (
                    PathBuf::from("border.geojson"),
                    treatyline::export::geojson::collection(&build::border_features(&b)),
                ),
            ];
            build::write_atomically(&dest, false, |tmp| build::write_files(tmp, &files))?;
            eprintln!(
                "{day}: {} ({} to {}) in force; wrote {}",
                t.name.en,
                b.valid_from,
                b.valid_to.as_deref().unwrap_or("today"),
                dest.display()
            );
        }
        Command::Render {
            geodata,
            out,
            treaties,
            compare,
            formats,
            lang,
            width,
        } => {
            let (gd, all) = build::load(&geodata)?;
            let built = build::assemble_all(&gd, &all, &[], &BTreeMap::new())?;
            let opts = treatyline::render::RenderOptions {
                formats: formats
                    .iter()
                    .filter_map(|f| treatyline::render::Format::parse(f))
                    .collect(),
                lang: treatyline::render::Lang::parse(&lang).unwrap_or_default(),
                width_px: width,
                treaties,
                compare: compare
                    .iter()
                    .map(|g| g.split(',').map(|s| s.trim().to_string()).collect())
                    .collect(),
            };
            let opts_treaties_empty = opts.treaties.is_empty();
            let files = treatyline::render::render(&gd, &built, &opts)?;
            let n = files.len();
            build::write_atomically(&out, !opts_treaties_empty, |tmp| {
                for (p, bytes) in &files {
                    let path = tmp.join(p);
                    std::fs::write(&path, bytes).map_err(|e| {
                        Error::io(&path, e, "check that the maps folder is writable")
                    })?;
                }
                Ok(())
            })?;
            eprintln!("wrote {n} map file(s) into {}", out.display());
        }
        Command::Check { geodata } => {
            let (gd, all) = build::load(&geodata)?;
            let built = build::assemble_all(&gd, &all, &[], &BTreeMap::new())?;
            eprintln!(
                "ok: {} treaties, {} layer sets, {} lines, {} nodes, {} places",
                all.len(),
                built.len(),
                gd.lines.len(),
                gd.nodes.len(),
                gd.places.len()
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            match e.downcast_ref::<Error>() {
                Some(Error::Problems(ps)) => {
                    for p in ps {
                        eprintln!("error: {p}");
                    }
                    eprintln!("{} problem(s); nothing was written", ps.len());
                }
                _ => {
                    eprintln!("error: {e:#}");
                }
            }
            ExitCode::FAILURE
        }
    }
}

/// The width of `s` in a terminal: CJK characters take two columns.
fn shown_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if ('\u{2E80}'..='\u{9FFF}').contains(&c) {
                2
            } else {
                1
            }
        })
        .sum()
}

/// `s` padded with spaces to `width` terminal columns.
fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(shown_width(s))))
}
