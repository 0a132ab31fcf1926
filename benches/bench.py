#!/usr/bin/env python3
"""The benchmark driver behind `make bench` (benches/run.sh): times `treatyline build` against the
shapely/pyproj reference (benches/reference/pipeline.py) at 1x, 10x and 100x the vertices of the
real geodata, checks that both produce the same statuses and areas, and writes the table into
BENCHMARKS.md (between its bench markers) and to stdout.

Every run is a child of this process: wall time with time.perf_counter(), peak memory from
/usr/bin/time -f %M when it exists, else from getrusage(RUSAGE_CHILDREN) of a fresh wrapper.
"""

import argparse
import csv
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GNU_TIME = "/usr/bin/time"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Measuring one child process


def measure_self(argv):
    """`bench.py --measure MEMFILE -- CMD...`: run CMD, write its peak RSS (KiB) to MEMFILE."""
    import resource

    memfile, cmd = argv[0], argv[2:]
    rc = subprocess.call(cmd)
    Path(memfile).write_text(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
    sys.exit(rc)


def run_once(cmd, timeout, memfile):
    """(seconds, peak KiB) of one run, or (None, None) when it timed out. Fails loudly otherwise."""
    if Path(GNU_TIME).exists():
        wrapped = [GNU_TIME, "-f", "%M", "-o", str(memfile)] + cmd
    else:
        wrapped = [sys.executable, __file__, "--measure", str(memfile), "--"] + cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(wrapped, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)  # only the session this run started
        p.communicate()
        return None, None
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        log(f"FAILED ({p.returncode}): {' '.join(cmd)}\n{out.decode()}\n{err.decode()}")
        sys.exit(1)
    mem = int(Path(memfile).read_text().strip().splitlines()[-1])
    return dt, mem


def series(name, cmd_for_run, runs, timeout, tmp):
    """Times `runs` runs; stops at the first timeout. Returns (times, peak KiB list, timed_out)."""
    times, mems = [], []
    for i in range(runs):
        cmd = cmd_for_run(i)
        dt, mem = run_once(cmd, timeout, tmp / "mem.txt")
        if dt is None:
            log(f"  {name}: run {i + 1} timed out after {timeout:.0f} s")
            return times, mems, True
        log(f"  {name}: run {i + 1}/{runs}: {dt:.3f} s, {mem / 1024:.0f} MiB")
        times.append(dt)
        mems.append(mem)
    return times, mems, False


# ---------------------------------------------------------------------------------------------
# Comparing the two outputs


def read_csv(path, key, value="area_km2"):
    with open(path, newline="") as f:
        return {tuple(r[k] for k in key): float(r[value]) for r in csv.DictReader(f)}


def compare(ours, ref, size):
    """Problems (empty when the outputs agree): same (treaty, reading, status) keys, areas within
    0.1%; diffs: same (from, to, status pair) above 1 km², areas within 0.1% (or 0.5 km²)."""
    problems = []
    key = ("treaty", "reading", "status")
    a, b = read_csv(ours / "areas.csv", key), read_csv(ref / "areas.csv", key)
    for k in sorted(set(a) | set(b)):
        if k not in a or k not in b:
            problems.append(f"{size}: {k} only in {'ours' if k in a else 'the reference'}")
        elif abs(a[k] - b[k]) > 1e-3 * max(a[k], b[k]):
            problems.append(f"{size}: {k}: ours {a[k]:.2f} km², reference {b[k]:.2f} km²")
    key = ("from_treaty", "to_treaty", "from_status", "to_status")
    a, b = read_csv(ours / "diffs.csv", key), read_csv(ref / "diffs.csv", key)
    for k in sorted(set(a) | set(b)):
        x, y = a.get(k, 0.0), b.get(k, 0.0)
        if max(x, y) < 1.0:
            continue
        if abs(x - y) > max(1e-3 * max(x, y), 0.5):
            problems.append(f"{size}: diff {k}: ours {x:.2f} km², reference {y:.2f} km²")
    return problems


def worst_rel(ours, ref):
    key = ("treaty", "reading", "status")
    a, b = read_csv(ours / "areas.csv", key), read_csv(ref / "areas.csv", key)
    return max((abs(a[k] - b[k]) / max(a[k], b[k]) for k in a if k in b), default=0.0)


# ---------------------------------------------------------------------------------------------
# The machine


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass

    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    import pyproj
    import shapely

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem": mem,
        "os": f"{platform.system()} {platform.release()}",
        "rustc": version(["rustc", "--version"]),
        "python": platform.python_version(),
        "libs": f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"pyproj {pyproj.__version__} (PROJ {pyproj.proj_version_str}), numpy {__import__('numpy').__version__}",
    }


# ---------------------------------------------------------------------------------------------


def fmt_t(times, timed_out, timeout):
    if not times:
        return f"> {timeout:.0f} s (timed out)" if timed_out else "—"
    s = f"{statistics.median(times):.2f} s"
    if timed_out:
        s += f" ({len(times)} run(s), then a timeout)"
    return s


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        return measure_self(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", type=Path, default=ROOT / "target/release/treatyline")
    ap.add_argument("--geodata", type=Path, default=ROOT / "geodata")
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--runs", type=int, default=5, help="runs of our build per size (median)")
    ap.add_argument("--ref-runs", default="5,5,1", help="runs of the reference per size")
    ap.add_argument("--render-runs", default="3,1,1", help="runs of `treatyline render` per size")
    ap.add_argument("--timeout", type=float, default=60, help="seconds before one run of ours (build or render) is abandoned")
    ap.add_argument("--ref-timeout", type=float, default=420, help="same, for the reference")
    ap.add_argument("--seed", type=int, default=1689)
    ap.add_argument("--md", type=Path, default=ROOT / "BENCHMARKS.md")
    ap.add_argument("--no-render", action="store_true")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    ref_runs = [int(s) for s in args.ref_runs.split(",")]
    render_runs = [int(s) for s in args.render_runs.split(",")]
    t_start = time.perf_counter()

    tmp = Path(tempfile.mkdtemp(prefix="treatyline-bench-"))
    rows, problems = [], []
    try:
        for si, k in enumerate(sizes):
            gd = tmp / f"geodata-{k}x"
            log(f"== {k}x: densifying {args.geodata} -> {gd}")
            r = subprocess.run(
                [sys.executable, str(HERE / "densify.py"), str(args.geodata), str(gd),
                 "--factor", str(k), "--seed", str(args.seed)],
                check=True, capture_output=True, text=True,
            )
            vertices = int(r.stdout.strip())
            ours_out = tmp / f"ours-{k}x"
            ref_out = tmp / f"ref-{k}x"

            def ours_cmd(i):
                shutil.rmtree(ours_out, ignore_errors=True)
                return [str(args.bin), "build", "--geodata", str(gd), "--out", str(ours_out)]

            def ref_cmd(i):
                shutil.rmtree(ref_out, ignore_errors=True)
                return [sys.executable, str(HERE / "reference/pipeline.py"), "--geodata", str(gd), "--out", str(ref_out)]

            load_before = os.getloadavg()[0]
            ot, om, o_to = series("treatyline build", ours_cmd, args.runs, args.timeout, tmp)
            load_ours = os.getloadavg()[0]
            rn = ref_runs[min(si, len(ref_runs) - 1)]
            rt, rm, r_to = series("reference", ref_cmd, rn, args.ref_timeout, tmp)
            load_ref = os.getloadavg()[0]
            agree = "—"
            if ot and rt:
                ps = compare(ours_out, ref_out, f"{k}x")
                problems += ps
                agree = "yes (max {:.4f}%)".format(100 * worst_rel(ours_out, ref_out)) if not ps else "**NO**"
                for p in ps:
                    log("  DISAGREE " + p)
            rt_render = []
            rr_to = False
            if not args.no_render and not any(x["render_to"] for x in rows):
                rr = render_runs[min(si, len(render_runs) - 1)]

                def render_cmd(i):
                    out = tmp / f"maps-{k}x"
                    shutil.rmtree(out, ignore_errors=True)
                    return [str(args.bin), "render", "--geodata", str(gd), "--out", str(out)]

                rt_render, _, rr_to = series("treatyline render", render_cmd, rr, args.timeout, tmp)
            rows.append(dict(k=k, n=vertices, ot=ot, om=om, o_to=o_to, rt=rt, rm=rm, r_to=r_to,
                             load=(load_before, load_ours, load_ref),
                             rn=rn, agree=agree, render=rt_render, render_to=rr_to))
            shutil.rmtree(gd, ignore_errors=True)
            shutil.rmtree(ours_out, ignore_errors=True)
            shutil.rmtree(ref_out, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    md = report(rows, args, machine(), problems, time.perf_counter() - t_start)
    print(md)
    text = args.md.read_text() if args.md.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + START + "\n" + md + END + tail
    else:
        text = text.rstrip("\n") + f"\n\n{START}\n{md}{END}\n"
    args.md.write_text(text)
    log(f"wrote {args.md}")
    if problems:
        log("FAIL: treatyline and the reference disagree:\n  " + "\n  ".join(problems))
        sys.exit(1)


def report(rows, args, m, problems, total_s):
    L = []
    L.append(f"Generated by `make bench` (`benches/run.sh`) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             f"the whole benchmark took {total_s / 60:.1f} min.\n")
    L.append(f"**Machine:** {m['nproc']} CPUs (`nproc`), {m['cpu']}, {m['mem']} RAM; {m['os']}; "
             f"{m['rustc']}; Python {m['python']}, {m['libs']}.\n")
    L.append("**Load** (1-minute load average, `os.getloadavg()`; the machine's 2 cores were shared with "
             "other work, and a load above 2 means runs waited for a core): "
             + "; ".join(f"{r['k']}×: {r['load'][0]:.1f} before our runs, {r['load'][1]:.1f} after them, "
                         f"{r['load'][2]:.1f} after the reference's" for r in rows) + ".\n")
    L.append("| size | vertices | treatyline build | reference (shapely + pyproj) | ratio | our peak memory | reference peak memory | outputs agree | treatyline render |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        ratio = "—"
        if r["ot"] and r["rt"]:
            ratio = f"{statistics.median(r['rt']) / statistics.median(r['ot']):.1f}×"
        elif r["o_to"] and r["rt"]:
            ratio = f"< {statistics.median(r['rt']) / args.timeout:.1f}×"
        om = f"{max(r['om']) / 1024:.0f} MiB" if r["om"] else "—"
        rm = f"{max(r['rm']) / 1024:.0f} MiB" if r["rm"] else "—"
        rend = (fmt_t(r["render"], r["render_to"], args.timeout) if (r["render"] or r["render_to"])
                else "skipped (timed out at a smaller size)" if args.no_render is False else "—")
        if r["render"]:
            rend += f" ({len(r['render'])} run{'s' if len(r['render']) > 1 else ''})"
        L.append(f"| {r['k']}× | {r['n']:,} | {fmt_t(r['ot'], r['o_to'], args.timeout)} | "
                 f"{fmt_t(r['rt'], r['r_to'], args.ref_timeout)} ({len(r['rt'])} run{'s' if len(r['rt']) != 1 else ''}) | {ratio} | {om} | {rm} | {r['agree']} | {rend} |")
    L.append("")
    L.append(f"Times are medians of {args.runs} runs of ours and of the run count shown for the reference "
             f"(fewer at 100× because one run takes long); a run is abandoned after {args.timeout:.0f} s (ours) "
             f"or {args.ref_timeout:.0f} s (reference). Peak memory is the largest maximum resident set size "
             "over the runs. Outputs agree when both produce the same (treaty, reading, status) set with areas "
             "within 0.1%, and the same diffs; the percentage is the largest relative area difference.\n")
    # growth
    pts = [(r["n"], statistics.median(r["ot"])) for r in rows if r["ot"] and not r["o_to"]]
    if len(pts) >= 2:
        L.append("**Growth** (ours): log-log slope between sizes (n log n ≈ 1.08–1.10 here; 2 = quadratic), "
                 "and time / (n log₂ n) relative to the smallest size:\n")
        L.append("| from → to | slope | n log n slope | time/(n log n), relative |")
        L.append("|---|---:|---:|---:|")
        base = pts[0][1] / (pts[0][0] * math.log2(pts[0][0]))
        for (n1, t1), (n2, t2) in zip(pts, pts[1:]):
            slope = math.log(t2 / t1) / math.log(n2 / n1)
            nlogn = math.log((n2 * math.log(n2)) / (n1 * math.log(n1))) / math.log(n2 / n1)
            rel = t2 / (n2 * math.log2(n2)) / base
            L.append(f"| {n1:,} → {n2:,} | {slope:.2f} | {nlogn:.2f} | {rel:.2f} |")
        if len(pts) >= 3:
            xs = [math.log(n) for n, _ in pts]
            ys = [math.log(t) for _, t in pts]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            fit = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
            n1, n2 = pts[0][0], pts[-1][0]
            ref = math.log((n2 * math.log(n2)) / (n1 * math.log(n1))) / math.log(n2 / n1)
            L.append("")
            L.append(f"Least-squares fit over all sizes: time ∝ n^{fit:.2f} (n log n over this range ≈ n^{ref:.2f}).\n")
        L.append("")
    # targets
    by = {r["k"]: r for r in rows}

    def med(r, key):
        return statistics.median(r[key]) if r and r[key] else None

    def yn(ok):
        return "met" if ok else "**missed**"

    L.append("**Targets:**\n")
    r1, r100 = by.get(1), by.get(100)
    if r1:
        t = med(r1, "ot")
        L.append(f"- full build of the real data under 1 s: {yn(t is not None and t < 1)} ({fmt_t(r1['ot'], r1['o_to'], args.timeout)})")
    if r100:
        t = med(r100, "ot")
        L.append(f"- 100× under 15 s: {yn(t is not None and t < 15)} ({fmt_t(r100['ot'], r100['o_to'], args.timeout)})")
        mem = max(r100["om"]) / 1024 if r100["om"] else None
        L.append(f"- 100× under 2 GiB: {yn(mem is not None and mem < 2048)} "
                 f"({f'{mem:.0f} MiB' if mem else 'not measured: the run timed out'})")
    for r in rows:
        to, tr = med(r, "ot"), med(r, "rt")
        ok = to is not None and tr is not None and tr / to >= 5
        L.append(f"- at least 5× faster than the reference at {r['k']}×: {yn(ok)}"
                 + (f" ({tr / to:.1f}×)" if to and tr else " (ours timed out)" if r["o_to"] else ""))
    if len(pts) >= 2:
        worst = max(math.log(t2 / t1) / math.log(n2 / n1) for (n1, t1), (n2, t2) in zip(pts, pts[1:]))
        complete = len(pts) == len(rows)
        L.append(f"- time grows no worse than n log n: {yn(worst <= 1.15 and complete)} (worst slope {worst:.2f}"
                 + ("" if complete else "; a larger size timed out") + ")")
    compared = [r for r in rows if r["agree"] != "—"]
    skipped = [f"{r['k']}×" for r in rows if r["agree"] == "—"]
    L.append(f"- outputs agree at every size compared: {yn(not problems and all(r['agree'].startswith('yes') for r in compared))}"
             + (f" (not compared at {', '.join(skipped)}: a run timed out)" if skipped else ""))
    L.append("")
    return "\n".join(L) + "\n"


if __name__ == "__main__":
    main()
