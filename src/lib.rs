//! treatyline: the successive Russia–Qing borders, treaty by treaty, as GIS layers.
//!
//! Hand-digitised lines and per-treaty rules (`geodata/`) are assembled into border and territory
//! layers. The library holds the engine; `main.rs` is only the command line.
//!
//! No input may make the tool panic (issue #7): a bad `geodata/` gets a message naming the file
//! and the fix, never a crash. Clippy enforces it: `unwrap`, `expect` and `panic!` are refused in
//! the library, and so is indexing (`v[i]`, `&s[a..b]`) in the modules that read user-controlled
//! data ([`geodata`], [`treaty`]); the engine may index where it established the invariant itself,
//! with an `allow` saying which one.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod assemble;
pub mod build;
pub mod diff;
pub mod error;
pub mod export;
pub mod geodata;
pub mod parallel;
pub mod render;
pub mod timing;
pub mod treaty;
pub mod watch;

pub use error::{Error, Problem, Result};
