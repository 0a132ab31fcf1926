//! Fuzzes the treaty rule parser and checks (`treatyline::treaty`) and the assembly behind them.
//! The first byte of the input picks the fixture treaty file to replace; the rest is that file's
//! new contents. `treaties/x.toml` is an added treaty (its `id` must then be "x").
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

pub const TARGETS: &[&str] = &[
    "treaties/alpha-1700.toml",
    "treaties/beta-1750.toml",
    "treaties/gamma-1800.toml",
    "treaties/x.toml",
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    common::build_with(TARGETS[which as usize % TARGETS.len()], rest);
});
