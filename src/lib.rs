//! treatyline: the successive Russia–Qing borders, treaty by treaty, as GIS layers.
//!
//! Hand-digitised lines and per-treaty rules (`geodata/`) are assembled into border and territory
//! layers. The library holds the engine; `main.rs` is only the command line.

pub mod assemble;
pub mod build;
pub mod diff;
pub mod error;
pub mod export;
pub mod geodata;
pub mod render;
pub mod timing;
pub mod treaty;
pub mod watch;

pub use error::{Error, Problem, Result};
