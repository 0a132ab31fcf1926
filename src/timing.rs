//! Phase timings, a profiling aid: with `TREATYLINE_TIMINGS=1` in the environment, the build
//! prints how long each of its phases took on stderr (`timing: <phase>: <ms> ms`). Unset (the
//! default), nothing is printed and nothing is measured.

use std::sync::OnceLock;
use std::time::Instant;

/// True when `TREATYLINE_TIMINGS` is set to anything but empty or `0`.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os("TREATYLINE_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0")
    })
}

/// Runs `f`, printing its wall time under `name` when timings are enabled.
pub fn phase<T>(name: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let t = Instant::now();
    let out = f();
    eprintln!(
        "timing: {name}: {:.1} ms{}",
        t.elapsed().as_secs_f64() * 1000.0,
        memory()
    );
    out
}

/// The resident and peak resident memory so far (Linux: `/proc/self/status`), for the report.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().strip_suffix("kB"))
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(|kb| kb / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(hwm)) => format!(" (resident {rss} MiB, peak {hwm} MiB)"),
        _ => String::new(),
    }
}
