#!/usr/bin/env python3
"""Opens every GIS layer of a treatyline output folder with GDAL's `ogrinfo` (a real client)
and checks what it sees: feature count, geometry type, CRS, and field types (valid_from and
valid_to must be Date fields). With --gpkg-validate, also runs GDAL's GeoPackage validation
script when it is installed.

usage: check_ogr.py OUTPUT_DIR [--epsg CODE] [--gpkg-validate]
Exit status 0 when everything checks out; otherwise every failure is printed.
"""

import glob
import json
import os
import re
import subprocess
import sys

GEOM = {
    "territory": {"Multi Polygon", "Polygon", "3D Multi Polygon"},
    "border": {"Multi Line String", "Line String"},
    "places": {"Point"},
}
DATE_FIELDS = ("valid_from", "valid_to")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def ogrinfo(*args):
    r = subprocess.run(
        ["ogrinfo", "-ro", "-so", *args],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        raise RuntimeError(f"ogrinfo {' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def parse_summary(text):
    """Layer summary of `ogrinfo -so`: geometry, count, fields {name: type}, srs wkt."""
    info = {"fields": {}}
    m = re.search(r"^Geometry: (.+)$", text, re.M)
    info["geometry"] = m.group(1).strip() if m else None
    m = re.search(r"^Feature Count: (\d+)$", text, re.M)
    info["count"] = int(m.group(1)) if m else None
    m = re.search(r"^Layer SRS WKT:\n(.*?)\n(?:Data axis|FID Column|Geometry Column|\w+: )", text, re.S | re.M)
    info["srs"] = m.group(1) if m else ""
    # field lines look like "name: Type (w.p)" and follow the Geometry Column / FID lines
    after = text.split("Layer SRS WKT:", 1)[-1]
    for line in after.splitlines():
        fm = re.match(r"^(\w+): (\w+) \(\d+\.\d+\)", line)
        if fm:
            info["fields"][fm.group(1)] = fm.group(2)
    return info


def geojson_read(path):
    """(feature count, the date fields null in every feature)."""
    with open(path, encoding="utf-8") as f:
        feats = json.load(f)["features"]
    nulls = tuple(d for d in DATE_FIELDS if feats and all(ft["properties"].get(d) is None for ft in feats))
    return len(feats), nulls


def layer_kind(path_or_name):
    base = os.path.basename(path_or_name)
    for k in GEOM:
        if base.startswith(k) or base.endswith("_" + k) or base.endswith(k):
            return k
    return None


def crs_ok(info, epsg):
    srs = info["srs"]
    if epsg is None:
        return True
    if epsg == 4326:
        return 'ID["EPSG",4326]' in srs or ("WGS 84" in srs and "GEOGCRS" in srs) or "GEOGCS[\"WGS 84\"" in srs
    return f'ID["EPSG",{epsg}]' in srs or (srs.startswith("PROJCRS") or srs.startswith("PROJCS"))


def check(label, info, kind, expected_count, epsg, date_fields_expected, all_null=()):
    if info["geometry"] not in GEOM[kind]:
        fail(f"{label}: geometry is {info['geometry']!r}, expected one of {sorted(GEOM[kind])}")
    if expected_count is not None and info["count"] != expected_count:
        fail(f"{label}: {info['count']} features, expected {expected_count}")
    if not info["srs"]:
        fail(f"{label}: no CRS")
    elif not crs_ok(info, epsg):
        fail(f"{label}: CRS is not EPSG:{epsg}: {info['srs'][:120]}")
    if date_fields_expected:
        for d in DATE_FIELDS:
            t = info["fields"].get(d)
            # GeoJSON has no schema: a column that is null in every feature (valid_to of the
            # treaty still in force) cannot be typed by any reader
            if t != "Date" and not (d in all_null and t == "String"):
                fail(f"{label}: field {d} is {t!r}, expected Date")


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    out = args[0]
    epsg = 4326
    if "--epsg" in args:
        epsg = int(args[args.index("--epsg") + 1])
    validate = "--gpkg-validate" in args

    geojsons = sorted(
        p for p in glob.glob(os.path.join(out, "**", "*.geojson"), recursive=True)
        if layer_kind(p) and "/diffs/" not in p
    )
    if not geojsons:
        fail(f"no GeoJSON layers under {out}")
    counts = {}
    checked = 0
    for gj in geojsons:
        rel = os.path.relpath(gj, out)
        kind = layer_kind(gj)
        n, nulls = geojson_read(gj)
        counts[os.path.splitext(rel)[0]] = n
        has_dates = kind in ("territory", "border")
        # GeoJSON is always WGS 84 (RFC 7946)
        check(rel, parse_summary(ogrinfo(gj, "-al")), kind, n, 4326, has_dates, nulls)
        checked += 1
        if n == 0:
            continue
        shp = os.path.splitext(gj)[0] + ".shp"
        if not os.path.exists(shp):
            fail(f"{rel}: no Shapefile beside it")
            continue
        srel = os.path.relpath(shp, out)
        for ext in (".shx", ".dbf", ".prj", ".cpg"):
            if not os.path.exists(os.path.splitext(shp)[0] + ext):
                fail(f"{srel}: missing {ext}")
        cpg = os.path.splitext(shp)[0] + ".cpg"
        if os.path.exists(cpg) and open(cpg, encoding="ascii").read().strip() != "UTF-8":
            fail(f"{srel}: .cpg does not say UTF-8")
        check(srel, parse_summary(ogrinfo(shp, "-al")), kind, n, epsg, has_dates)
        checked += 1

    gpkg = os.path.join(out, "treatyline.gpkg")
    if not os.path.exists(gpkg):
        fail("treatyline.gpkg is missing")
    else:
        listing = subprocess.run(["ogrinfo", "-ro", "-q", gpkg], capture_output=True, text=True)
        if listing.returncode != 0:
            fail(f"ogrinfo cannot open treatyline.gpkg: {listing.stderr.strip()}")
        tables = re.findall(r"^\d+: (\w+)", listing.stdout, re.M)
        # layer_styles: the QGIS default styles, a non-spatial table
        tables = [t for t in tables if t != "layer_styles"]
        if len(tables) < len(geojsons):
            fail(f"treatyline.gpkg has {len(tables)} layers, the GeoJSON {len(geojsons)}")
        for t in tables:
            kind = layer_kind(t)
            if kind is None:
                fail(f"treatyline.gpkg: unexpected layer {t}")
                continue
            info = parse_summary(ogrinfo(gpkg, t))
            check(f"treatyline.gpkg:{t}", info, kind, None, epsg, kind in ("territory", "border"))
            checked += 1
        for name in ("timeline_territory", "timeline_border", "places"):
            if name not in tables:
                fail(f"treatyline.gpkg: no layer {name}")
        for name, want in (("timeline_territory", counts.get("timeline/territory")),
                           ("timeline_border", counts.get("timeline/border")),
                           ("places", counts.get("places"))):
            if name in tables and want is not None:
                got = parse_summary(ogrinfo(gpkg, name))["count"]
                if got != want:
                    fail(f"treatyline.gpkg:{name}: {got} features, the GeoJSON has {want}")
        if validate:
            script = None
            for cand in ("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py",
                         "/usr/share/doc/python3-gdal/examples/validate_gpkg.py"):
                if os.path.exists(cand):
                    script = cand
                    break
            if script is None:
                print("note: GDAL's validate_gpkg.py is not installed; skipped", file=sys.stderr)
            else:
                r = subprocess.run(["/usr/bin/python3", script, gpkg], capture_output=True, text=True)
                if r.returncode != 0:
                    fail(f"validate_gpkg.py: {(r.stdout + r.stderr).strip()}")
                else:
                    print("validate_gpkg.py: ok")

    if failures:
        print(f"{len(failures)} failure(s) over {checked} layers", file=sys.stderr)
        return 1
    print(f"ogrinfo: {checked} layers ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
