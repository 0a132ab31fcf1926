//! `build --watch` on a copy of the fixture world: a change under the geodata folder is seen and
//! rebuilt, a bad edit is reported and leaves the output as it was, and fixing it rebuilds again.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Generous: the machines that run the tests may be busy, and a build of the fixture takes well
/// under a second on an idle one.
const PATIENCE: Duration = Duration::from_secs(120);

/// The watching process, killed when the test ends however it ends.
struct Watcher {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watcher {
    fn start(geodata: &Path, out: &Path) -> Watcher {
        let mut child = bin()
            .args(["build", "--watch", "--geodata"])
            .arg(geodata)
            .arg("--out")
            .arg(out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the treatyline binary runs");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watcher {
            child,
            lines: rx,
            seen: Vec::new(),
        }
    }

    /// Waits for the next line containing `needle`; returns the lines up to and including it.
    fn wait_for(&mut self, needle: &str) -> Vec<String> {
        let start = self.seen.len();
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let hit = line.contains(needle);
                    self.seen.push(line);
                    if hit {
                        return self.seen[start..].to_vec();
                    }
                }
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no \"{needle}\" within {PATIENCE:?}; the watcher said:\n{}",
                    self.seen.join("\n")
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "the watcher stopped before saying \"{needle}\":\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

#[test]
fn rebuilds_on_change_and_keeps_the_output_when_a_rebuild_fails() {
    let tmp = temp();
    let geodata = tmp.path().join("geodata");
    copy_dir(&fixture(), &geodata);
    let out = tmp.path().join("output");
    let summary = || std::fs::read_to_string(out.join("SUMMARY.md")).unwrap();
    let toml = geodata.join("treaties/alpha-1700.toml");
    let original = std::fs::read_to_string(&toml).unwrap();

    let mut w = Watcher::start(&geodata, &out);
    let first = w.wait_for("watching");
    assert!(
        first.iter().any(|l| l.starts_with("built in ")),
        "{first:?}"
    );
    let before = summary();
    assert!(
        before.contains("Treaty of Alpha (`alpha-1700`)"),
        "{before}"
    );

    // an edit: the rebuild names the file and says how long it took, and the output follows
    let edited = original.replace("Treaty of Alpha", "Treaty of Alpha, as edited");
    std::fs::write(&toml, &edited).unwrap();
    let said = w.wait_for("rebuilt in ");
    assert!(
        said.iter()
            .any(|l| l == "changed: treaties/alpha-1700.toml (modified)"),
        "{said:?}"
    );
    let after = summary();
    assert_ne!(after, before);
    assert!(after.contains("Treaty of Alpha, as edited"), "{after}");

    // a bad edit: the errors are printed, the output stays, the watch goes on
    std::fs::write(&toml, format!("{edited}\nthis is = [not toml\n")).unwrap();
    let said = w.wait_for("build failed");
    assert!(said.iter().any(|l| l.starts_with("error: ")), "{said:?}");
    assert!(
        said.iter().any(|l| l.contains("still watching")),
        "{said:?}"
    );
    assert_eq!(
        summary(),
        after,
        "a failed rebuild must leave the output as it was"
    );

    // fixing it rebuilds again
    std::fs::write(&toml, &original).unwrap();
    w.wait_for("rebuilt in ");
    assert_eq!(summary(), before);
}
