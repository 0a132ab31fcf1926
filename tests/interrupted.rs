//! A build killed at any moment (SIGKILL) leaves `--out` as the complete previous output or the
//! complete new one, never a mix and never nothing, and the next build cleans up after it.
//!
//! The previous output is the fixture world's (with a `maps/` folder, which a build carries over);
//! the new one is built from a copy of the fixture without its last treaty, so that both the set
//! of files and their bytes differ. Builds are killed after a deterministic sweep of delays over
//! a build's duration, then at each stage of the swap itself, where the build is made to pause by
//! the test-only `TREATYLINE_TEST_PAUSE` (see `build::write_atomically`).
#![cfg(unix)]

mod common;

use common::*;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

/// Every file under a folder with its bytes; `None` when the folder does not exist.
type Snapshot = Option<BTreeMap<PathBuf, Vec<u8>>>;

fn snapshot(dir: &Path) -> Snapshot {
    dir.exists().then(|| {
        files(dir)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(dir.join(&f)).unwrap();
                (f, bytes)
            })
            .collect()
    })
}

fn copy_tree(from: &Path, to: &Path) {
    for f in files(from) {
        let dest = to.join(&f);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(from.join(&f), dest).unwrap();
    }
}

struct World {
    _refs: tempfile::TempDir,
    /// The geodata of the new output.
    geodata: PathBuf,
    /// The previous output, which every kill starts from.
    old_dir: PathBuf,
    old: Snapshot,
    new: Snapshot,
}

fn world() -> World {
    let refs = temp();
    let geodata = refs.path().join("geodata");
    copy_tree(&fixture(), &geodata);
    std::fs::remove_file(geodata.join("treaties/gamma-1800.toml")).unwrap();
    let old_dir = refs.path().join("old");
    build(&fixture(), &old_dir);
    std::fs::create_dir_all(old_dir.join("maps")).unwrap();
    std::fs::write(old_dir.join("maps/evolution.svg"), "<svg/>\n").unwrap();
    let new_dir = refs.path().join("new");
    copy_tree(&old_dir, &new_dir);
    build(&geodata, &new_dir);
    let (old, new) = (snapshot(&old_dir), snapshot(&new_dir));
    let (o, n) = (old.as_ref().unwrap(), new.as_ref().unwrap());
    assert!(
        o.keys().any(|f| !n.contains_key(f)),
        "the file sets should differ"
    );
    assert!(
        n.iter().any(|(f, b)| o.get(f).is_some_and(|ob| ob != b)),
        "some shared file should differ"
    );
    assert!(n.contains_key(Path::new("maps/evolution.svg")));
    World {
        _refs: refs,
        geodata,
        old_dir,
        old,
        new,
    }
}

fn command(geodata: &Path, out: &Path) -> std::process::Command {
    let mut c = bin();
    c.args(["build", "--geodata"])
        .arg(geodata)
        .arg("--out")
        .arg(out)
        .env_remove("TREATYLINE_TEST_PAUSE")
        .env_remove("TREATYLINE_TEST_NO_EXCHANGE")
        .stdout(Stdio::null());
    c
}

fn build(geodata: &Path, out: &Path) {
    build_args(geodata, out, &[]);
}

fn build_args(geodata: &Path, out: &Path, args: &[&str]) {
    let o = command(geodata, out).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Puts the previous output back in place (leaving any temporary folders where they are).
fn reset(w: &World, out: &Path) {
    if out.exists() {
        std::fs::remove_dir_all(out).unwrap();
    }
    copy_tree(&w.old_dir, out);
}

/// What is beside `out` in its folder: only temporary folders of the builds.
fn siblings(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "out")
        .collect();
    v.sort();
    v
}

fn which(w: &World, got: &Snapshot) -> &'static str {
    if *got == w.old {
        "old"
    } else if *got == w.new {
        "new"
    } else if got.is_none() {
        "missing"
    } else {
        "a mix"
    }
}

/// 0, 1/2, 1/4, 3/4, 1/8, ...: every prefix spreads evenly over [0, 1).
fn van_der_corput(mut i: u32) -> f64 {
    let (mut x, mut base) = (0.0, 0.5);
    while i > 0 {
        if i & 1 == 1 {
            x += base;
        }
        i >>= 1;
        base /= 2.0;
    }
    x
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_or_the_new_output() {
    let w = world();
    let work = temp();
    let out = work.path().join("out");
    // how long a build takes here and now (the median of three)
    let scratch = temp();
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            build(&w.geodata, &scratch.path().join("o"));
            t.elapsed()
        })
        .collect();
    times.sort();
    let duration = times[1];
    let (mut kills, mut seen) = (0, BTreeMap::new());
    let (mut i, start) = (0, Instant::now());
    // 30 kills, or at least 20 when the machine is slow (so that the test stays under ~30 s)
    while kills < 30 && !(kills >= 20 && start.elapsed() > Duration::from_secs(15)) && i < 100 {
        reset(&w, &out);
        let delay = duration.mul_f64(1.1 * van_der_corput(i));
        i += 1;
        let mut child: Child = command(&w.geodata, &out)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
        let state = which(&w, &snapshot(&out));
        assert!(
            state == "old" || state == "new",
            "killed after {delay:?}: the output is {state} (left beside it: {:?})",
            siblings(&out)
        );
        *seen.entry(state).or_insert(0) += 1;
    }
    assert!(
        kills >= 20,
        "only {kills} of {i} builds were still running when killed"
    );
    eprintln!("{kills} kills in {i} runs of ~{duration:?}; outputs after them: {seen:?}");
    // an uninterrupted build then leaves the new output and nothing beside it
    build(&w.geodata, &out);
    assert_eq!(which(&w, &snapshot(&out)), "new");
    assert_eq!(siblings(&out), Vec::<String>::new());
}

#[test]
fn a_build_killed_at_each_stage_of_the_swap_loses_nothing() {
    let w = world();
    let work = temp();
    let out = work.path().join("out");
    // (forced to rename the old output aside, stage, what is in `out` right after the kill)
    let cases = [
        (false, "written", "old"),
        (false, "swapped", "new"),
        (true, "written", "old"),
        (true, "moved-aside", "missing"),
        (true, "swapped", "new"),
    ];
    for (no_exchange, stage, expected) in cases {
        let what = format!("killed at {stage} (no exchange: {no_exchange})");
        reset(&w, &out);
        let mut c = command(&w.geodata, &out);
        c.env("TREATYLINE_TEST_PAUSE", stage).stderr(Stdio::piped());
        if no_exchange {
            c.env("TREATYLINE_TEST_NO_EXCHANGE", "1");
        }
        let mut child = c.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                if line.starts_with("paused at") {
                    let _ = tx.send(line);
                }
            }
        });
        let paused = rx.recv_timeout(Duration::from_secs(30));
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(
            paused.as_deref().ok(),
            Some(&*format!(
                "paused at {stage} (TREATYLINE_TEST_PAUSE, for tests only)"
            )),
            "{what}: the build never reached the stage"
        );
        assert_eq!(which(&w, &snapshot(&out)), expected, "{what}");
        assert!(
            !siblings(&out).is_empty(),
            "{what}: nothing left beside it?"
        );
        // What the next run does first: only in the case of the old output renamed aside when
        // the build died (no atomic exchange) has it anything to put back.
        treatyline::build::recover(&out).unwrap();
        let after = if expected == "missing" {
            "old"
        } else {
            expected
        };
        assert_eq!(which(&w, &snapshot(&out)), after, "{what}, then recovered");
        assert_eq!(
            siblings(&out),
            Vec::<String>::new(),
            "{what}, then recovered"
        );
    }
    // and the next build, killed or not, starts from there
    build(&w.geodata, &out);
    assert_eq!(which(&w, &snapshot(&out)), "new");
    assert_eq!(siblings(&out), Vec::<String>::new());
}

#[test]
fn the_next_build_puts_back_an_output_left_aside() {
    let w = world();
    let work = temp();
    let out = work.path().join("out");
    reset(&w, &out);
    // a run that died between renaming the old output aside and putting its new one in place
    // (its process id cannot be running: it is beyond any the system gives)
    std::fs::rename(&out, work.path().join(".out.old-4294967295")).unwrap();
    copy_tree(&w.old_dir, &work.path().join(".out.tmp-4294967295"));
    // a build of one treaty starts from the existing output: the one put back
    build_args(&w.geodata, &out, &["--treaty", "alpha-1700"]);
    assert!(
        out.join("gamma-1800/treaty.json").exists(),
        "the previous output was not put back"
    );
    assert_eq!(siblings(&out), Vec::<String>::new());
}
