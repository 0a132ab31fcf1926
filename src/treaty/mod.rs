//! The treaty rule model (`geodata/treaties/*.toml`), its parser, its checks against the geodata,
//! and the resolution of inheritance and readings into the segments in force.

// user-controlled data: no indexing that could panic (see lib.rs)
#![deny(clippy::indexing_slicing)]

pub mod dates;

use crate::error::Problem;
use crate::geodata::{read::read_text, read::valid_id, Geodata, OUTSIDE};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Names in the three languages of the documents.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Names {
    pub en: String,
    #[serde(default)]
    pub ru: Option<String>,
    #[serde(default)]
    pub zh: Option<String>,
}

/// A date in the calendars the documents use.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dates {
    #[serde(default)]
    pub gregorian: Option<String>,
    #[serde(default)]
    pub julian: Option<String>,
    #[serde(default)]
    pub qing: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Article {
    pub number: String,
    #[serde(default)]
    pub subject: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub quote: BTreeMap<String, String>,
    #[serde(default)]
    pub places: Vec<String>,
}

/// One or several reading ids.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn list(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A border segment: a line cut between two nodes, with a status on each side.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentRule {
    pub id: String,
    pub article: String,
    pub line: String,
    pub from: String,
    pub to: String,
    pub left: String,
    pub right: String,
    pub clause: String,
    #[serde(default)]
    pub clause_original: BTreeMap<String, String>,
    pub certainty: String,
    #[serde(default)]
    pub course: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub reading: Option<OneOrMany>,
}

/// A status for a face that no segment bounds.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    pub status: String,
    pub at: [f64; 2],
    #[serde(default)]
    pub article: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub reading: Option<OneOrMany>,
}

/// A named reading of a treaty: one way historians read an ambiguous clause.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub default: bool,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A treaty as its file states it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Treaty {
    pub id: String,
    pub name: Names,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub signatories: Vec<String>,
    #[serde(default)]
    pub languages: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub inherits: Option<String>,
    #[serde(default)]
    pub drops: Vec<String>,
    /// The date the layer takes effect, where it is not the signing date.
    #[serde(default)]
    pub in_force: Option<String>,
    pub signed: Dates,
    #[serde(default)]
    pub ratified: Option<Dates>,
    #[serde(default)]
    pub article: Vec<Article>,
    #[serde(default)]
    pub segment: Vec<SegmentRule>,
    #[serde(default)]
    pub zone: Vec<Zone>,
    #[serde(default)]
    pub reading: Vec<Reading>,
    #[serde(skip)]
    pub file: String,
}

impl Treaty {
    /// The first day the treaty's layer is in force (ISO date).
    pub fn valid_from(&self) -> &str {
        self.in_force
            .as_deref()
            .or(self.signed.gregorian.as_deref())
            .unwrap_or("")
    }

    pub fn default_reading(&self) -> Option<&str> {
        self.reading
            .iter()
            .find(|r| r.default)
            .map(|r| r.id.as_str())
    }
}

pub const CERTAINTIES: &[&str] = &["demarcated", "described", "approximate"];
pub const COURSES: &[&str] = &["main-channel", "left-bank", "right-bank", "unspecified"];

/// Converts a TOML error into a problem with line and column.
pub fn toml_problem(file: &str, text: &str, e: &toml::de::Error) -> Problem {
    let (line, col) = match e.span() {
        Some(span) => line_col(text, span.start),
        None => (0, 0),
    };
    let msg = e.message().trim().replace('\n', " ");
    Problem::new(
        file,
        format!("malformed TOML at line {line}, column {col}: {msg}"),
        "correct the rule file (geodata/README.md lists every field)",
    )
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map(|i| before.len() - i)
        .unwrap_or(before.len() + 1);
    (line, col)
}

/// Loads every `treaties/*.toml`, sorted by the date they take effect.
pub fn load(dir: &Path, problems: &mut Vec<Problem>, broken: &mut BTreeSet<String>) -> Vec<Treaty> {
    let tdir = dir.join("treaties");
    let mut files: Vec<_> = match std::fs::read_dir(&tdir) {
        Ok(rd) => rd.filter_map(|e| e.ok()).map(|e| e.path()).collect(),
        Err(e) => {
            problems.push(Problem::new(
                "treaties/",
                format!("cannot read the folder: {e}"),
                "create geodata/treaties/ with one .toml file per treaty",
            ));
            return Vec::new();
        }
    };
    files.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let shown = format!("treaties/{stem}.toml");
        let text = match read_text(&path, &shown) {
            Ok(t) => t,
            Err(p) => {
                broken.insert(stem.clone());
                problems.push(p);
                continue;
            }
        };
        match toml::from_str::<Treaty>(&text) {
            Ok(mut t) => {
                if t.id != stem {
                    problems.push(Problem::new(
                        &shown,
                        format!(
                            "its `id` is \"{}\" but the file is named \"{stem}.toml\"",
                            t.id
                        ),
                        "make the file name and the id the same",
                    ));
                    broken.insert(stem.clone());
                    continue;
                }
                t.file = shown;
                out.push(t);
            }
            Err(e) => {
                broken.insert(stem.clone());
                problems.push(toml_problem(&shown, &text, &e))
            }
        }
    }
    out.sort_by(|a, b| a.valid_from().cmp(b.valid_from()).then(a.id.cmp(&b.id)));
    out
}

/// Checks each treaty on its own and against the geodata; collects every problem.
pub fn check(treaties: &[Treaty], gd: &Geodata, problems: &mut Vec<Problem>) {
    let ids: BTreeSet<&str> = treaties.iter().map(|t| t.id.as_str()).collect();
    let mut seen_dates: BTreeMap<String, String> = BTreeMap::new();
    for t in treaties {
        let f = t.file.as_str();
        if !valid_id(&t.id) {
            problems.push(Problem::new(
                f,
                format!("treaty id \"{}\" is not a plain id", t.id),
                "use lowercase letters, digits and -",
            ));
        }
        dates::check_dates(t, problems);
        if let Some(other) = seen_dates.insert(t.valid_from().to_string(), t.id.clone()) {
            problems.push(Problem::new(f, format!("takes effect on {}, the same day as \"{other}\"; the timeline needs one treaty per day", t.valid_from()), "set `in_force` on the later one, or merge the two files"));
        }
        if let Some(parent) = &t.inherits {
            if gd.broken.treaties.contains(parent) {
                // its own problem is reported already
            } else if !ids.contains(parent.as_str()) {
                problems.push(Problem::new(
                    f,
                    format!("`inherits = \"{parent}\"` names no treaty"),
                    format!(
                        "use one of: {}",
                        ids.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                ));
            } else if let Some(p) = treaties.iter().find(|p| &p.id == parent) {
                if p.valid_from() >= t.valid_from() {
                    problems.push(Problem::new(
                        f,
                        format!(
                            "inherits \"{parent}\" (in force from {}), which does not come before it (in force from {})",
                            p.valid_from(),
                            t.valid_from()
                        ),
                        "inherit from an earlier treaty, or correct the dates",
                    ));
                }
            }
        }
        let defaults = t.reading.iter().filter(|r| r.default).count();
        if !t.reading.is_empty() && defaults != 1 {
            problems.push(Problem::new(
                f,
                format!(
                    "has {} readings marked `default = true`; exactly one must be",
                    defaults
                ),
                "mark the reading the layer should show by default",
            ));
        }
        if t.reading
            .iter()
            .map(|r| r.id.as_str())
            .collect::<BTreeSet<_>>()
            .len()
            != t.reading.len()
        {
            problems.push(Problem::new(
                f,
                "two readings share an id",
                "give each reading its own id",
            ));
        }
        let reading_ids: BTreeSet<&str> = readings_of(treaties, t)
            .into_iter()
            .map(|r| r.id.as_str())
            .collect();
        for r in &t.reading {
            if !valid_id(&r.id) {
                problems.push(
                    Problem::new(
                        f,
                        format!("reading id \"{}\" is not a plain id", r.id),
                        "use lowercase letters, digits and -",
                    )
                    .at(format!("reading \"{}\"", r.id)),
                );
            }
        }
        for a in &t.article {
            for p in &a.places {
                if !gd.places.contains_key(p) && !gd.broken.places.contains(p) {
                    problems.push(
                        Problem::new(
                            f,
                            format!("names place \"{p}\", which places.geojson does not have"),
                            "add the place or correct the id",
                        )
                        .at(format!("article {}", a.number)),
                    );
                }
            }
        }
        let mut seg_ids: BTreeMap<(&str, String), usize> = BTreeMap::new();
        for s in &t.segment {
            let item = format!("segment \"{}\"", s.id);
            let p = |msg: String, hint: String| Problem::new(f, msg, hint).at(item.clone());
            if !valid_id(&s.id) {
                problems.push(p(
                    format!("segment id \"{}\" is not a plain id", s.id),
                    "use lowercase letters, digits and -".into(),
                ));
            }
            let readings = s
                .reading
                .as_ref()
                .map(|r| r.list())
                .unwrap_or_else(|| vec![String::from("*")]);
            for r in &readings {
                if r != "*" && !reading_ids.contains(r.as_str()) {
                    problems.push(p(format!("reading \"{r}\" is not declared (here or in the treaty it inherits from)"), "add a [[reading]] with that id, or correct it".into()));
                }
                *seg_ids.entry((s.id.as_str(), r.clone())).or_default() += 1;
            }
            if !gd.lines.contains_key(&s.line) && !gd.broken.lines.contains(&s.line) {
                problems.push(p(
                    format!("line \"{}\" does not exist", s.line),
                    "add geodata/lines/<id>.geojson or correct the id".into(),
                ));
            }
            for n in [&s.from, &s.to] {
                if !gd.nodes.contains_key(n) && !gd.broken.nodes.contains(n) {
                    problems.push(p(
                        format!("node \"{n}\" does not exist"),
                        "add it to nodes.geojson or correct the id".into(),
                    ));
                }
            }
            if s.from == s.to {
                problems.push(p(
                    "`from` and `to` are the same node".into(),
                    "a segment runs between two different nodes".into(),
                ));
            }
            for side in [&s.left, &s.right] {
                if side != OUTSIDE && gd.status(side).is_none() && !gd.broken.statuses {
                    let known: Vec<_> = gd.statuses.iter().map(|s| s.id.as_str()).collect();
                    problems.push(p(
                        format!("unknown status \"{side}\""),
                        format!(
                            "use one of: {}, or \"outside\" for a side facing out of the frame",
                            known.join(", ")
                        ),
                    ));
                }
            }
            if !CERTAINTIES.contains(&s.certainty.as_str()) {
                problems.push(p(
                    format!("unknown certainty \"{}\"", s.certainty),
                    format!("use one of: {}", CERTAINTIES.join(", ")),
                ));
            }
            if let Some(c) = &s.course {
                if !COURSES.contains(&c.as_str()) {
                    problems.push(p(
                        format!("unknown course \"{c}\""),
                        format!("use one of: {}", COURSES.join(", ")),
                    ));
                }
            }
            if s.article.trim().is_empty() || s.clause.trim().is_empty() {
                problems.push(p("`article` and `clause` must not be empty".into(), "cite the article and the clause the segment follows, or article = \"none\" with the reason".into()));
            }
        }
        for ((sid, r), n) in seg_ids {
            if n > 1 {
                problems.push(
                    Problem::new(
                        f,
                        format!(
                            "{n} segments share the id \"{sid}\"{}",
                            if r == "*" {
                                String::new()
                            } else {
                                format!(" in reading \"{r}\"")
                            }
                        ),
                        "give each segment a unique id",
                    )
                    .at(format!("segment \"{sid}\"")),
                );
            }
        }
        for z in &t.zone {
            let [x, y] = z.at;
            if !(x.is_finite()
                && y.is_finite()
                && (-180.0..=180.0).contains(&x)
                && (-90.0..=90.0).contains(&y))
            {
                problems.push(Problem::new(
                    f,
                    format!("zone point [{x}, {y}] is not a position (longitude -180..180, latitude -90..90; WGS 84 degrees, longitude first)"),
                    "give `at` a real longitude and latitude inside the face",
                ));
            }
            if gd.status(&z.status).is_none() && !gd.broken.statuses {
                problems.push(Problem::new(
                    f,
                    format!("zone has unknown status \"{}\"", z.status),
                    "use a status from statuses.toml",
                ));
            }
        }
    }
    // inheritance cycles
    for t in treaties {
        let mut seen = BTreeSet::new();
        let mut cur = Some(t);
        while let Some(c) = cur {
            if !seen.insert(c.id.clone()) {
                problems.push(Problem::new(
                    &t.file,
                    "its `inherits` chain loops back on itself",
                    "break the cycle: a treaty inherits only from an earlier one",
                ));
                break;
            }
            cur = c
                .inherits
                .as_ref()
                .and_then(|p| treaties.iter().find(|x| &x.id == p));
        }
    }
}

/// A segment in force under a treaty, with the treaty it came from.
#[derive(Debug, Clone)]
pub struct InForce {
    pub rule: SegmentRule,
    /// The treaty whose file states this segment.
    pub origin: String,
}

/// The segments and zones in force under `treaty` read as `reading` (its default when `None`).
pub fn resolve(
    treaties: &[Treaty],
    id: &str,
    reading: Option<&str>,
) -> Result<(Vec<InForce>, Vec<Zone>), Problem> {
    resolve_depth(treaties, id, reading, 0)
}

/// The readings a treaty can be built under: its own, or, when it declares none, those of the
/// treaty it inherits from (Tianjin 1858 changes no border, so Aigun's readings are its own).
pub fn readings_of<'a>(treaties: &'a [Treaty], t: &'a Treaty) -> Vec<&'a Reading> {
    let mut cur = Some(t);
    let mut depth = 0;
    while let Some(c) = cur {
        if !c.reading.is_empty() {
            return c.reading.iter().collect();
        }
        depth += 1;
        if depth > treaties.len() {
            break;
        }
        cur = c
            .inherits
            .as_ref()
            .and_then(|p| treaties.iter().find(|x| &x.id == p));
    }
    Vec::new()
}

/// The reading a treaty is built under by default.
pub fn default_reading_of(treaties: &[Treaty], t: &Treaty) -> Option<String> {
    readings_of(treaties, t)
        .into_iter()
        .find(|r| r.default)
        .map(|r| r.id.clone())
}

fn resolve_depth(
    treaties: &[Treaty],
    id: &str,
    reading: Option<&str>,
    depth: usize,
) -> Result<(Vec<InForce>, Vec<Zone>), Problem> {
    let t = treaties.iter().find(|t| t.id == id).ok_or_else(|| {
        Problem::new(
            "treaties/",
            format!("no treaty has the id \"{id}\""),
            "run `treatyline list` for the ids",
        )
    })?;
    if depth > treaties.len() {
        return Err(Problem::new(
            &t.file,
            "its `inherits` chain loops back on itself",
            "break the cycle",
        ));
    }
    let own = !t.reading.is_empty();
    let available = readings_of(treaties, t);
    let chosen = match reading {
        Some(r) => {
            if !available.iter().any(|x| x.id == r) {
                let known: Vec<_> = available.iter().map(|x| x.id.as_str()).collect();
                return Err(Problem::new(
                    &t.file,
                    format!("has no reading \"{r}\""),
                    if known.is_empty() {
                        "this treaty has no readings".to_string()
                    } else {
                        format!("use one of: {}", known.join(", "))
                    },
                ));
            }
            Some(r.to_string())
        }
        None => default_reading_of(treaties, t),
    };
    // a treaty without readings of its own passes the choice on to the one it inherits from
    let parent_reading = if own { None } else { chosen.clone() };
    let applies = |r: &Option<OneOrMany>| match (r, &chosen) {
        (None, _) => true,
        (Some(list), Some(c)) => list.list().iter().any(|x| x == c),
        (Some(_), None) => false,
    };
    let (mut segs, mut zones) = match &t.inherits {
        Some(parent) => resolve_depth(treaties, parent, parent_reading.as_deref(), depth + 1)?,
        None => (Vec::new(), Vec::new()),
    };
    for d in &t.drops {
        if !segs.iter().any(|s| &s.rule.id == d) {
            return Err(Problem::new(
                &t.file,
                format!("`drops` names \"{d}\", which is not among the inherited segments"),
                "remove it from `drops` or correct the id",
            ));
        }
        segs.retain(|s| &s.rule.id != d);
    }
    for s in t.segment.iter().filter(|s| applies(&s.reading)) {
        let item = InForce {
            rule: s.clone(),
            origin: t.id.clone(),
        };
        match segs.iter_mut().find(|x| x.rule.id == s.id) {
            Some(slot) => *slot = item,
            None => segs.push(item),
        }
    }
    zones.extend(t.zone.iter().filter(|z| applies(&z.reading)).cloned());
    Ok((segs, zones))
}
