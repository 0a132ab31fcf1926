#!/usr/bin/env python3
"""Writes the raw seed inputs of both fuzz targets into OUT/geodata and OUT/rules.

An input is one selector byte (which geodata file it replaces; see fuzz_targets/*.rs) followed by
the file's contents. Seeds: every file of the fixture world, every file of the bad-input corpus
(tests/bad_input/*/geodata), and the real treaty files with their id renamed to "x" (so that they
load as the added treaties/x.toml). `run.sh seed` calls this, then minimises into corpus/.
"""
import hashlib
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
GEODATA = ["lines/river.geojson", "lines/ridge.geojson", "nodes.geojson", "frame.geojson",
           "places.geojson", "statuses.toml", "lines/x.geojson"]
RULES = ["treaties/alpha-1700.toml", "treaties/beta-1750.toml", "treaties/gamma-1800.toml",
         "treaties/x.toml"]


def put(out, sel, data):
    blob = bytes([sel]) + data
    (out / hashlib.sha1(blob).hexdigest()).write_bytes(blob)


def geodata_selector(rel):
    if rel in GEODATA:
        return GEODATA.index(rel)
    if rel.startswith("lines/") and rel.endswith(".geojson"):
        return GEODATA.index("lines/x.geojson")
    return None


def rules_selector(rel):
    if rel in RULES:
        return RULES.index(rel)
    return None


def main(out):
    g, r = out / "geodata", out / "rules"
    g.mkdir(parents=True, exist_ok=True)
    r.mkdir(parents=True, exist_ok=True)
    roots = [ROOT / "tests/fixtures/world"]
    roots += sorted(p for p in (ROOT / "tests/bad_input").glob("*/geodata") if p.is_dir())
    for base in roots:
        for f in sorted(base.rglob("*")):
            if not f.is_file() or f.stat().st_size > 64 * 1024:
                continue
            rel = f.relative_to(base).as_posix()
            data = f.read_bytes()
            sel = geodata_selector(rel)
            if sel is not None:
                put(g, sel, data)
            sel = rules_selector(rel)
            if sel is not None:
                put(r, sel, data)
    for f in sorted((ROOT / "geodata/treaties").glob("*.toml")):
        data = re.sub(rb'(?m)^id = "[^"]*"', b'id = "x"', f.read_bytes(), count=1)
        put(r, RULES.index("treaties/x.toml"), data)
    for f in [ROOT / "geodata/statuses.toml"]:
        put(g, GEODATA.index("statuses.toml"), f.read_bytes())


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
