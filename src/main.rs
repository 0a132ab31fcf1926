//! The `treatyline` command line: parses arguments, calls the library, prints, sets the exit code.

use anyhow::Context;
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use treatyline::build;
use treatyline::Error;

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
    },
    /// List the treaties in date order, with their signing dates in both calendars.
    List {
        #[arg(long, default_value = "geodata")]
        geodata: PathBuf,
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

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build {
            geodata,
            out,
            treaties,
            readings,
        } => {
            let chosen = parse_readings(&readings)?;
            let (gd, all) = build::load(&geodata)?;
            let built = build::assemble_all(&gd, &all, &treaties, &chosen)?;
            let files = build::render_outputs(&gd, &all, &built);
            build::write_atomically(&out, !treaties.is_empty(), |tmp| {
                build::write_files(tmp, &files)
            })
            .with_context(|| {
                format!(
                    "could not write {}; the previous output is unchanged",
                    out.display()
                )
            })?;
            eprintln!(
                "built {} layer set(s) for {} treaty file(s) into {}",
                built.len(),
                all.len(),
                out.display()
            );
        }
        Command::List { geodata } => {
            let (_, all) = build::load(&geodata)?;
            println!(
                "{:<16} {:<11} {:<11} {:<22} name",
                "id", "gregorian", "julian", "qing"
            );
            for t in &all {
                println!(
                    "{:<16} {:<11} {:<11} {:<22} {}",
                    t.id,
                    t.signed.gregorian.as_deref().unwrap_or("-"),
                    t.signed.julian.as_deref().unwrap_or("-"),
                    t.signed.qing.as_deref().unwrap_or("-"),
                    t.name.en
                );
            }
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
