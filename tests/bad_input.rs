//! The bad-input corpus (tests/bad_input/, listed in its README.md): every case is a small change
//! to the fixture world with one kind of mistake, and the exact stderr the binary must print.
//!
//! For each case folder `tests/bad_input/<NN-name>/` the harness copies tests/fixtures/world into
//! `<DIR>/geodata` (a fresh temporary folder), deletes what `case.toml` lists under `delete`,
//! overlays the case's own `geodata/` files, creates what `[[generate]]` asks for (huge or deeply
//! nested files, folders where files belong, unreadable files), runs the binary with `args`
//! (`check --geodata {dir}/geodata` by default) and checks that
//!
//! * the exit status is not 0 and stderr has no "panicked";
//! * stderr, with the temporary folder written `<DIR>`, equals `expected.txt` exactly;
//! * nothing outside `<DIR>/geodata` changed: an output folder passed with `--out` is created
//!   beforehand with a sentinel file and must be left byte-identical, with no temporary folders
//!   left beside it.
//!
//! A case with `pending = "reason"` tests a check the engine does not have yet; it is skipped with
//! a printed note. Set UPDATE_EXPECTED=1 to rewrite the expected.txt files after a deliberate
//! change of wording (then read the diff).

mod common;

use serde::Deserialize;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// The mistake, in a few words (also listed in README.md).
    mistake: String,
    /// The command line; `{dir}` is the temporary folder. Default: `check --geodata {dir}/geodata`.
    #[serde(default)]
    args: Option<Vec<String>>,
    /// Fixture files or folders to delete, relative to the geodata folder.
    #[serde(default)]
    delete: Vec<String>,
    /// Why the case is skipped (a check the engine does not have yet).
    #[serde(default)]
    pending: Option<String>,
    /// Things made at test time rather than committed.
    #[serde(default)]
    generate: Vec<Generate>,
    /// A defect in the current message: the case runs and must fail cleanly, but its stderr is
    /// not compared with expected.txt (there is none) until the message is fixed; then remove
    /// `defect` and run with UPDATE_EXPECTED=1.
    #[serde(default)]
    defect: Option<String>,
    /// Text that must appear in stderr all the same (the part of the output that is right).
    #[serde(default)]
    must_include: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Generate {
    /// Relative to the temporary folder (`geodata/...` for input files).
    path: String,
    /// `sparse` (a file of `size` bytes, all zero, taking no disk space), `nested` (`prefix`
    /// then `depth` opening brackets), `dir` (an empty folder), `file` (a small regular file), `unreadable`
    /// (the file's permissions set to 000; the case is skipped when that does not stop reading,
    /// e.g. as root).
    kind: String,
    #[serde(default)]
    size: u64,
    #[serde(default)]
    depth: usize,
    #[serde(default)]
    prefix: String,
}

const PLACEHOLDER: &str = "<DIR>";

/// The temporary folder becomes `<DIR>`, and process ids in temporary names (`.out.tmp-1234`)
/// become `<PID>`, so the text is the same on every run.
fn normalise(stderr: &str, dir: &str) -> String {
    let s = stderr.replace(dir, PLACEHOLDER);
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(c) = rest.chars().next() {
        if let Some(tail) = rest
            .strip_prefix(".tmp-")
            .or_else(|| rest.strip_prefix(".old-"))
        {
            let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                out.push_str(&rest[..5]);
                out.push_str("<PID>");
                rest = &tail[digits..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn corpus() -> PathBuf {
    common::root().join("tests/bad_input")
}

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(corpus())
        .expect("tests/bad_input exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.join("case.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn name_of(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            fs::copy(&src, &dst).unwrap();
        }
    }
}

fn remove(path: &Path) {
    if path.is_dir() {
        fs::remove_dir_all(path).unwrap();
    } else {
        fs::remove_file(path).unwrap();
    }
}

/// What a file looked like: its bytes, or only its length when it is large (the huge case).
#[derive(Debug, PartialEq)]
enum Entry {
    Dir,
    File(Vec<u8>),
    Large(u64),
    Unreadable,
}

/// Everything under `root` but the `skip` folder, for before/after comparison.
fn snapshot(root: &Path, skip: &Path) -> BTreeMap<PathBuf, Entry> {
    fn walk(base: &Path, d: &Path, skip: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
        for entry in fs::read_dir(d).unwrap() {
            let p = entry.unwrap().path();
            if p == skip {
                continue;
            }
            let rel = p.strip_prefix(base).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                out.insert(rel, Entry::Dir);
                walk(base, &p, skip, out);
            } else if meta.len() > 1 << 20 {
                out.insert(rel, Entry::Large(meta.len()));
            } else {
                out.insert(rel, fs::read(&p).map_or(Entry::Unreadable, Entry::File));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, skip, &mut out);
    out
}

/// Makes what a `[[generate]]` entry asks for. `Err` carries the reason to skip the case.
fn generate(root: &Path, g: &Generate) -> Result<(), String> {
    let path = root.join(&g.path);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    match g.kind.as_str() {
        "sparse" => {
            let f = fs::File::create(&path).unwrap();
            f.set_len(g.size).unwrap();
        }
        "nested" => fs::write(&path, format!("{}{}", g.prefix, "[".repeat(g.depth))).unwrap(),
        "dir" => fs::create_dir_all(&path).unwrap(),
        "file" => fs::write(&path, "a regular file, not a folder\n").unwrap(),
        "unreadable" => return make_unreadable(&path),
        other => panic!("unknown [[generate]] kind \"{other}\""),
    }
    Ok(())
}

#[cfg(unix)]
fn make_unreadable(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(path).is_ok() {
        return Err("a file with mode 000 is still readable here (running as root?)".into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_unreadable(_: &Path) -> Result<(), String> {
    Err("file permissions 000 are a Unix test".into())
}

fn manifest(dir: &Path) -> Manifest {
    let text = fs::read_to_string(dir.join("case.toml")).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}/case.toml: {e}", dir.display()))
}

/// The failures found in one case (empty when it passes), or a note saying why it was skipped or
/// not compared.
type Outcome = Result<Vec<String>, String>;

/// Runs one case.
fn run_case(dir: &Path, update: bool) -> Outcome {
    let name = name_of(dir);
    let m = manifest(dir);
    if let Some(why) = &m.pending {
        return Err(format!("skipped, pending: {why}"));
    }
    let tmp = common::temp();
    let root = tmp.path();
    let geodata = root.join("geodata");
    copy_tree(&common::fixture(), &geodata);
    for d in &m.delete {
        remove(&geodata.join(d));
    }
    let own = dir.join("geodata");
    if own.is_dir() {
        copy_tree(&own, &geodata);
    }
    for g in &m.generate {
        generate(root, g).map_err(|why| format!("skipped: {why}"))?;
    }
    let dir_str = root.to_str().expect("a UTF-8 temporary path");
    let args: Vec<String> = m
        .args
        .clone()
        .unwrap_or_else(|| vec!["check".into(), "--geodata".into(), "{dir}/geodata".into()])
        .iter()
        .map(|a| a.replace("{dir}", dir_str))
        .collect();
    // An existing output folder, which a failed build must leave as it was.
    if let Some(i) = args.iter().position(|a| a == "--out") {
        let out = PathBuf::from(&args[i + 1]);
        if out.parent().is_some_and(|p| p.is_dir()) {
            fs::create_dir_all(out.join("old-treaty")).unwrap();
            fs::write(out.join("SENTINEL.txt"), "the previous build\n").unwrap();
            fs::write(out.join("old-treaty/border.geojson"), "{}\n").unwrap();
        }
    }
    let before = snapshot(root, &geodata);
    let output = Command::new(env!("CARGO_BIN_EXE_treatyline"))
        .args(&args)
        .output()
        .expect("the treatyline binary runs");
    let stderr = normalise(&String::from_utf8_lossy(&output.stderr), dir_str);
    let mut fails = Vec::new();
    if output.status.success() {
        fails.push("exited 0; a bad input must fail".to_string());
    }
    if stderr.contains("panicked") || stderr.contains("RUST_BACKTRACE") {
        fails.push(format!("panicked:\n{stderr}"));
    }
    if !stderr.lines().any(|l| l.starts_with("error: ")) {
        fails.push("stderr has no `error: ` line".to_string());
    }
    let after = snapshot(root, &geodata);
    if before != after {
        let changed: Vec<String> = before
            .keys()
            .chain(after.keys())
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| k.display().to_string())
            .collect();
        fails.push(format!(
            "files outside geodata/ changed (the output must be left as it was): {}",
            changed.join(", ")
        ));
    }
    for want in &m.must_include {
        if !stderr.contains(want.as_str()) {
            fails.push(format!(
                "stderr does not include {want:?} (case.toml `must_include`)\n--- got\n{stderr}"
            ));
        }
    }
    let expected_path = dir.join("expected.txt");
    if let Some(defect) = &m.defect {
        if fails.is_empty() {
            return Err(format!(
                "ran and failed cleanly; text not blessed (defect): {defect}"
            ));
        }
    } else if update {
        fs::write(&expected_path, &stderr).unwrap();
    } else {
        match fs::read_to_string(&expected_path) {
            Ok(want) if want == stderr => {}
            Ok(want) => fails.push(format!(
                "stderr differs from expected.txt (UPDATE_EXPECTED=1 to accept)\n--- expected\n{want}--- got\n{stderr}"
            )),
            Err(_) => fails.push(format!(
                "no expected.txt (UPDATE_EXPECTED=1 writes it)\n--- got\n{stderr}"
            )),
        }
    }
    Ok(fails.into_iter().map(|f| format!("{name}: {f}")).collect())
}

#[test]
fn every_bad_input_fails_with_its_expected_message() {
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let dirs = case_dirs();
    assert!(dirs.len() >= 30, "the corpus has only {} cases", dirs.len());
    let results: Vec<(String, Outcome)> = std::thread::scope(|s| {
        let handles: Vec<_> = dirs
            .iter()
            .map(|d| s.spawn(move || (name_of(d), run_case(d, update))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut fails = Vec::new();
    for (name, r) in results {
        match r {
            Ok(f) => fails.extend(f),
            Err(note) => eprintln!("note: {name}: {note}"),
        }
    }
    assert!(
        fails.is_empty(),
        "{} problem(s) in the bad-input corpus:\n\n{}",
        fails.len(),
        fails.join("\n\n")
    );
}

/// `check` reports every problem in one run: the "multi" case has at least three independent
/// mistakes, and its expected output lists each of them.
#[test]
fn multi_case_reports_every_mistake_in_one_run() {
    let dir = case_dirs()
        .into_iter()
        .find(|d| name_of(d).ends_with("-multi"))
        .expect("a case named NN-multi");
    let m = manifest(&dir);
    assert!(m.args.is_none(), "the multi case runs `check`");
    let changed = common::files(&dir.join("geodata"));
    assert!(
        changed.len() >= 3,
        "the multi case changes at least 3 files"
    );
    let expected = fs::read_to_string(dir.join("expected.txt")).unwrap();
    for f in &changed {
        let shown = f.to_string_lossy().replace('\\', "/");
        assert!(
            expected.contains(&format!("error: {shown}: ")),
            "the multi case's expected output has no problem in {shown}"
        );
    }
}

/// README.md lists every case, and every case has a manifest that parses.
#[test]
fn readme_lists_every_case() {
    let readme = fs::read_to_string(corpus().join("README.md")).expect("tests/bad_input/README.md");
    for d in case_dirs() {
        let name = name_of(&d);
        let m = manifest(&d);
        assert!(!m.mistake.trim().is_empty(), "{name}: `mistake` is empty");
        assert!(
            readme.contains(&format!("`{name}`")),
            "tests/bad_input/README.md does not list `{name}`"
        );
    }
}
