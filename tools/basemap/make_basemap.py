#!/usr/bin/env python3
"""Builds geodata/basemap/: the quiet base layers of the rendered maps (land, coast, lakes,
main rivers), clipped to the map extent and simplified so the committed files stay small.

Source: Natural Earth 1:10m (public domain, "Made with Natural Earth"), the regional extracts in
shared/reference/naturalearth/. Needs shapely 2.

    python3 tools/basemap/make_basemap.py [NATURAL_EARTH_DIR] [OUT_DIR]
"""
import json
import os
import sys

from shapely.geometry import box, mapping, shape
from shapely.ops import unary_union

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference/naturalearth"
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(__file__), "..", "..", "geodata", "basemap")
# The map extent (the frame 73-144E x 40/42-62.5N, projected, plus a margin) lies inside this box.
CLIP = box(60.0, 34.0, 150.0, 65.0)
TOL = 0.02  # degrees (~1.5-2 km): below a pixel at 2400 px over ~4000 km
RIVER_MAX_RANK = 8  # Natural Earth scalerank: 0 = most important
# Smaller rivers kept for the story: the Tumen (the 1860 end point), the Kerulen, the Selemdzha.
RIVER_EXTRA = {"Tumen", "Herlen", "Selemdzha", "Zeya"}

CREDIT = ("Made with Natural Earth (public domain), 1:10m v4.0.0, clipped to 60-150E x 34-65N "
          "and simplified by tools/basemap/make_basemap.py")


def rnd(obj):
    if isinstance(obj, float):
        return round(obj, 3)
    if isinstance(obj, (list, tuple)):
        return [rnd(x) for x in obj]
    if isinstance(obj, dict):
        return {k: rnd(v) for k, v in obj.items()}
    return obj


def load(name):
    with open(os.path.join(SRC, name + ".geojson"), encoding="utf-8") as f:
        return json.load(f)["features"]


def write(name, feats):
    fc = {"type": "FeatureCollection", "name": name, "credit": CREDIT, "features": feats}
    path = os.path.join(OUT, name + ".geojson")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fc, f, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(f"{path}: {len(feats)} features, {os.path.getsize(path)} bytes")


def feature(geom, props):
    return {"type": "Feature", "properties": props, "geometry": rnd(mapping(geom))}


def polys(name, min_area):
    out = []
    geoms = [shape(f["geometry"]).intersection(CLIP) for f in load(name)]
    merged = unary_union([g for g in geoms if not g.is_empty])
    parts = getattr(merged, "geoms", [merged])
    for g in parts:
        g = g.simplify(TOL, preserve_topology=True)
        if g.is_empty or g.area < min_area:
            continue
        out.append(feature(g, {}))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    write("land", polys("land_10m", 0.05))
    lakes = []
    for f in load("lakes_10m"):
        g = shape(f["geometry"]).intersection(CLIP).simplify(TOL / 2, preserve_topology=True)
        if g.is_empty or g.area < 0.02:
            continue
        lakes.append(feature(g, {"name": f["properties"].get("name")}))
    lakes.sort(key=lambda f: (f["properties"]["name"] or "", json.dumps(f["geometry"])))
    write("lakes", lakes)
    rivers = []
    for f in load("rivers_10m"):
        p = f["properties"]
        rank = p.get("scalerank") or 99
        if p.get("featurecla") != "River" or (rank > RIVER_MAX_RANK and p.get("name") not in RIVER_EXTRA):
            continue
        g = shape(f["geometry"]).intersection(CLIP).simplify(TOL, preserve_topology=False)
        if g.is_empty or g.length < 0.2:
            continue
        rivers.append(feature(g, {"name": p.get("name"), "scalerank": p.get("scalerank")}))
    rivers.sort(key=lambda f: (f["properties"]["scalerank"], f["properties"]["name"] or "",
                               json.dumps(f["geometry"])))
    write("rivers", rivers)
    coast = []
    for f in load("coastline_10m"):
        g = shape(f["geometry"]).intersection(CLIP).simplify(TOL, preserve_topology=False)
        if g.is_empty or g.length < 0.1:
            continue
        coast.append(feature(g, {}))
    coast.sort(key=lambda f: json.dumps(f["geometry"]))
    write("coastline", coast)


if __name__ == "__main__":
    main()
