#!/usr/bin/env python3
"""Densify a geodata folder by a factor, for the benchmarks (benches/run.sh).

    python3 benches/densify.py GEODATA OUT --factor 10 [--seed 1689]

Every line and the frame get `factor - 1` new points between each pair of existing vertices, so
the vertex count grows about `factor` times. Existing vertices are kept exactly (nodes are exact
vertices of lines, so every node stays on its line); only the inserted points are jittered,
perpendicular to their edge, by a few metres at most. The jitter tapers to zero towards the
edge's ends (amplitude x sin(pi t)), so a jittered edge never reaches across a sharp vertex to a
neighbouring edge or line, and each edge stays monotone along its own direction, so no line
crosses itself: the topology is unchanged.

The jitter of an edge depends only on the seed and the edge's two end points, taken in a
canonical order: an edge that two inputs share (the Tumen line runs along the frame) is
densified identically in both, so shared stretches stay shared.

Everything else (nodes, treaties, statuses, places, basemap) is copied unchanged. Coordinates are
written with 6 decimals, like the inputs: both pipelines read exactly the same numbers.
"""

import argparse
import hashlib
import json
import math
import shutil
import struct
from pathlib import Path

import numpy as np

JITTER_M = 3.0  # largest perpendicular offset of an inserted point, metres
MIN_SPACING_M = 0.5  # never insert points closer than this along an edge (6-decimal grid ≈ 0.1 m)
M_PER_DEG = 111_320.0


def edge_rng(seed, a, b):
    h = hashlib.blake2b(struct.pack("<qdddd", seed, a[0], a[1], b[0], b[1]), digest_size=8)
    return np.random.default_rng(int.from_bytes(h.digest(), "little"))


def densify_edge(a, b, factor, seed):
    """The points to insert strictly between a and b, in the a→b direction."""
    flip = (b[0], b[1]) < (a[0], a[1])
    p, q = (b, a) if flip else (a, b)
    k = math.cos(math.radians((p[1] + q[1]) / 2))
    dx_m, dy_m = (q[0] - p[0]) * M_PER_DEG * k, (q[1] - p[1]) * M_PER_DEG
    length = math.hypot(dx_m, dy_m)
    n = min(factor - 1, int(length / MIN_SPACING_M) - 1)
    if n <= 0:
        return []
    t = np.arange(1, n + 1) / (n + 1)
    rng = edge_rng(seed, p, q)
    amp = min(JITTER_M, 0.25 * length / (n + 1))
    off = rng.uniform(-1.0, 1.0, n) * amp * np.sin(np.pi * t)
    # unit normal (left of p→q), in metres, back to degrees
    nx, ny = -dy_m / length, dx_m / length
    x = p[0] + t * (q[0] - p[0]) + off * nx / (M_PER_DEG * k)
    y = p[1] + t * (q[1] - p[1]) + off * ny / M_PER_DEG
    pts = np.round(np.column_stack([x, y]), 6).tolist()
    if flip:
        pts.reverse()
    # rounding may land an inserted point on an end point: drop it (no repeated vertices)
    return [c for c in pts if c != [p[0], p[1]] and c != [q[0], q[1]]]


def densify(coords, factor, seed):
    out = [coords[0]]
    for a, b in zip(coords, coords[1:]):
        out.extend(densify_edge(a, b, factor, seed))
        out.append(b)
    # drop consecutive repeats (rounding)
    dedup = [out[0]]
    for c in out[1:]:
        if c != dedup[-1]:
            dedup.append(c)
    return dedup


def geometry_of(doc):
    return doc["geometry"] if doc["type"] == "Feature" else doc["features"][0]["geometry"]


def write(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("geodata", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--factor", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1689)
    args = ap.parse_args()
    src, out = args.geodata, args.out
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(src, out, ignore=shutil.ignore_patterns("lines", "frame.geojson"))
    (out / "lines").mkdir()
    vertices = 0
    for f in sorted((src / "lines").glob("*.geojson")):
        doc = json.loads(f.read_text())
        g = geometry_of(doc)
        if args.factor > 1:
            g["coordinates"] = densify(g["coordinates"], args.factor, args.seed)
        vertices += len(g["coordinates"])
        write(out / "lines" / f.name, doc)
    doc = json.loads((src / "frame.geojson").read_text())
    g = geometry_of(doc)
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    for poly in polys:
        for i, ring in enumerate(poly):
            if args.factor > 1:
                poly[i] = densify(ring, args.factor, args.seed)
            vertices += len(poly[i])
    write(out / "frame.geojson", doc)
    print(vertices)


if __name__ == "__main__":
    main()
