//! `treatyline build --watch`: notice when a file under the geodata folder changes, so the
//! build can run again.
//!
//! No file-system notification API is used: every [`POLL`] the folder is walked and each file's
//! (modification time, size) compared with the previous walk. That is portable, needs no extra
//! dependency, and costs well under a millisecond for a geodata folder of a few dozen files.
//! Hidden files and folders (`.name`, such as editors' swap files) and backups (`name~`) are left
//! out, as are the `ignore`d paths (an output folder placed inside the geodata folder, which the
//! build itself rewrites). A change is reported once the folder has stayed the same for one more
//! poll, so an editor writing a file in several steps causes one rebuild, not several.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How often the geodata folder is looked at.
pub const POLL: Duration = Duration::from_millis(300);

/// What happened to one file between two looks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(PathBuf),
    Modified(PathBuf),
    Removed(PathBuf),
}

/// Every file under a folder, relative to it, with its modification time and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    root: PathBuf,
    ignore: Vec<PathBuf>,
    files: BTreeMap<PathBuf, (Option<SystemTime>, u64)>,
}

fn skipped(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy();
    n.starts_with('.') || n.ends_with('~')
}

impl Snapshot {
    /// Walks `root` (a missing or unreadable folder gives an empty snapshot: its files then
    /// count as removed, and the build says what is missing).
    pub fn take(root: &Path, ignore: &[&Path]) -> Snapshot {
        // absolute, so that an ignored folder given one way matches the walk given the other
        let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        let mut s = Snapshot {
            root: abs(root),
            ignore: ignore.iter().map(|p| abs(p)).collect(),
            files: BTreeMap::new(),
        };
        s.files = s.walk();
        s
    }

    fn walk(&self) -> BTreeMap<PathBuf, (Option<SystemTime>, u64)> {
        let mut files = BTreeMap::new();
        let mut stack = vec![self.root.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if skipped(&entry.file_name()) || self.ignore.iter().any(|i| path.starts_with(i)) {
                    continue;
                }
                let Ok(meta) = std::fs::metadata(&path) else {
                    continue;
                };
                if meta.is_dir() {
                    stack.push(path);
                } else if let Ok(rel) = path.strip_prefix(&self.root) {
                    files.insert(rel.to_path_buf(), (meta.modified().ok(), meta.len()));
                }
            }
        }
        files
    }

    /// The changes from `self` to `newer`, in path order.
    pub fn changes(&self, newer: &Snapshot) -> Vec<Change> {
        let mut out = Vec::new();
        for (p, v) in &self.files {
            match newer.files.get(p) {
                None => out.push(Change::Removed(p.clone())),
                Some(w) if w != v => out.push(Change::Modified(p.clone())),
                Some(_) => {}
            }
        }
        for p in newer.files.keys() {
            if !self.files.contains_key(p) {
                out.push(Change::Added(p.clone()));
            }
        }
        out.sort_by(|a, b| path_of(a).cmp(path_of(b)));
        out
    }
}

fn path_of(c: &Change) -> &Path {
    match c {
        Change::Added(p) | Change::Modified(p) | Change::Removed(p) => p,
    }
}

/// Polls until the folder differs from `snap` and has then stayed the same for one poll;
/// updates `snap` to the new state and returns what changed.
pub fn wait_for_changes(snap: &mut Snapshot) -> Vec<Change> {
    loop {
        std::thread::sleep(POLL);
        let mut now = snap.walk();
        if now == snap.files {
            continue;
        }
        // let a file being written settle
        loop {
            std::thread::sleep(POLL);
            let again = snap.walk();
            if again == now {
                break;
            }
            now = again;
        }
        let newer = Snapshot {
            root: snap.root.clone(),
            ignore: snap.ignore.clone(),
            files: now,
        };
        let changes = snap.changes(&newer);
        *snap = newer;
        if !changes.is_empty() {
            return changes;
        }
    }
}

/// The changes in one line: `lines/amur.geojson (modified), treaties/x.toml (added)`.
pub fn describe(changes: &[Change]) -> String {
    changes
        .iter()
        .map(|c| {
            let (p, what) = match c {
                Change::Added(p) => (p, "added"),
                Change::Modified(p) => (p, "modified"),
                Change::Removed(p) => (p, "removed"),
            };
            format!("{} ({what})", p.display())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_added_modified_removed_and_skips_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir(root.join("lines")).unwrap();
        std::fs::write(root.join("lines/a.geojson"), "a").unwrap();
        std::fs::write(root.join("b.toml"), "b").unwrap();
        let before = Snapshot::take(root, &[]);
        std::fs::write(root.join("lines/a.geojson"), "aa").unwrap();
        std::fs::remove_file(root.join("b.toml")).unwrap();
        std::fs::write(root.join("c.toml"), "c").unwrap();
        std::fs::write(root.join(".c.toml.swp"), "x").unwrap();
        std::fs::write(root.join("c.toml~"), "x").unwrap();
        let after = Snapshot::take(root, &[]);
        let ch = before.changes(&after);
        assert_eq!(
            ch,
            vec![
                Change::Removed(PathBuf::from("b.toml")),
                Change::Added(PathBuf::from("c.toml")),
                Change::Modified(PathBuf::from("lines/a.geojson")),
            ]
        );
        assert_eq!(
            describe(&ch),
            "b.toml (removed), c.toml (added), lines/a.geojson (modified)"
        );
        assert!(after.changes(&Snapshot::take(root, &[])).is_empty());
    }

    #[test]
    fn ignored_folders_are_left_out() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("x.geojson"), "x").unwrap();
        assert!(Snapshot::take(dir.path(), &[out.as_path()])
            .files
            .is_empty());
    }
}
