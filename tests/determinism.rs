//! The build is deterministic: two builds of the real geodata, run from different working
//! directories, under different locales, time zones and thread counts (one of them pinned to one
//! core where `taskset` exists), write byte-identical outputs: every file, the same set of files.
//!
//! What this guards against: hash-map iteration order leaking into the output, locale-dependent
//! number or text formatting, timestamps or absolute paths written into a file (GeoPackage and
//! shapefile metadata included), and thread scheduling deciding an order.

mod common;

use common::{files, root};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// How one of the two builds runs.
struct Setup {
    locale: &'static str,
    tz: &'static str,
    threads: &'static str,
    pin_to_one_core: bool,
    /// The output folder as given on the command line: relative to the working directory, or
    /// absolute.
    relative_out: bool,
}

fn has_taskset() -> bool {
    Command::new("taskset")
        .args(["-c", "0", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn spawn(cwd: &Path, s: &Setup) -> (Child, PathBuf) {
    let out = cwd.join("out");
    let out_arg = if s.relative_out {
        PathBuf::from("out")
    } else {
        out.clone()
    };
    let bin = env!("CARGO_BIN_EXE_treatyline");
    let mut c = if s.pin_to_one_core {
        let mut c = Command::new("taskset");
        c.args(["-c", "0", bin]);
        c
    } else {
        Command::new(bin)
    };
    c.arg("build")
        .arg("--geodata")
        .arg(root().join("geodata"))
        .arg("--out")
        .arg(&out_arg)
        .current_dir(cwd)
        .env("LC_ALL", s.locale)
        .env("LANG", s.locale)
        .env("LC_NUMERIC", s.locale)
        .env("TZ", s.tz)
        .env("RAYON_NUM_THREADS", s.threads)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    (c.spawn().expect("the treatyline binary runs"), out)
}

/// The first line where two texts differ, for the failure message.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    match (std::str::from_utf8(a), std::str::from_utf8(b)) {
        (Ok(a), Ok(b)) => {
            for (n, (la, lb)) in a.lines().zip(b.lines()).enumerate() {
                if la != lb {
                    let cut = |s: &str| s.chars().take(300).collect::<String>();
                    return format!("line {}:\n  A: {}\n  B: {}", n + 1, cut(la), cut(lb));
                }
            }
            format!(
                "one is a prefix of the other ({} vs {} lines)",
                a.lines().count(),
                b.lines().count()
            )
        }
        _ => {
            let at = a
                .iter()
                .zip(b)
                .position(|(x, y)| x != y)
                .unwrap_or(a.len().min(b.len()));
            format!(
                "binary; {} vs {} bytes, first difference at byte {at}",
                a.len(),
                b.len()
            )
        }
    }
}

#[test]
fn two_builds_in_different_environments_are_byte_identical() {
    let pin = has_taskset();
    let setups = [
        Setup {
            locale: "C",
            tz: "UTC",
            threads: "1",
            pin_to_one_core: pin,
            relative_out: false,
        },
        Setup {
            // Turkish: a dotless lowercase I; both use a decimal comma (set whether or not the
            // locale is installed: the program must not look at it either way)
            locale: "tr_TR.UTF-8",
            tz: "Asia/Vladivostok",
            threads: "2",
            pin_to_one_core: false,
            relative_out: true,
        },
    ];
    let dirs = [common::temp(), common::temp()];
    // both at once: the test takes the time of one build
    let children: Vec<_> = dirs
        .iter()
        .zip(&setups)
        .map(|(d, s)| spawn(d.path(), s))
        .collect();
    let mut outs = Vec::new();
    for (i, (child, out)) in children.into_iter().enumerate() {
        let o = child.wait_with_output().expect("the build finishes");
        assert!(
            o.status.success(),
            "build {} ({}) failed:\n{}",
            i + 1,
            setups[i].locale,
            String::from_utf8_lossy(&o.stderr)
        );
        outs.push(out);
    }
    // the relative --out went into the build's own working directory, and nothing else did
    for d in &dirs {
        let entries: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            entries,
            ["out"],
            "the build left other files in {}",
            d.path().display()
        );
    }

    let (fa, fb) = (files(&outs[0]), files(&outs[1]));
    assert!(
        fa.len() > 10,
        "the build wrote only {} files: {fa:?}",
        fa.len()
    );
    assert_eq!(fa, fb, "the two builds wrote different sets of files");
    let mut differ = Vec::new();
    for rel in &fa {
        let a = std::fs::read(outs[0].join(rel)).unwrap();
        let b = std::fs::read(outs[1].join(rel)).unwrap();
        if a != b {
            differ.push(format!("{}: {}", rel.display(), first_difference(&a, &b)));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} files differ between the builds (A: LC_ALL=C, TZ=UTC, 1 thread{}, absolute --out; B: LC_ALL=tr_TR.UTF-8, TZ=Asia/Vladivostok, 2 threads, relative --out):\n{}",
        differ.len(),
        fa.len(),
        if pin { ", taskset -c 0" } else { "" },
        differ.join("\n")
    );
}
