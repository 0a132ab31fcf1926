//! Fuzzes the geodata loader (`treatyline::geodata`) and the assembly behind it. The first byte
//! of the input picks the fixture file to replace; the rest is that file's new contents.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

/// The files an input can stand for, by its first byte (modulo the length). `lines/x.geojson` is
/// a line that no rule uses (loader only); the others are used by the fixture's rules.
pub const TARGETS: &[&str] = &[
    "lines/river.geojson",
    "lines/ridge.geojson",
    "nodes.geojson",
    "frame.geojson",
    "places.geojson",
    "statuses.toml",
    "lines/x.geojson",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    common::build_with(TARGETS[which as usize % TARGETS.len()], rest);
});
