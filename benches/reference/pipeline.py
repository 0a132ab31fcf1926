#!/usr/bin/env python3
"""The reference pipeline: the work of `treatyline build`, with shapely (GEOS) and pyproj.

    python3 benches/reference/pipeline.py --geodata GEODATA --out OUT

It reads the same geodata (lines, nodes, frame, treaty TOMLs with inherits / drops / readings),
and for every treaty under every reading (as the Rust build does):

1. cuts each segment's line between its two nodes (the nodes projected onto the line, the piece
   ending on the nodes' own positions, as `src/assemble/cut.rs` does);
2. nodes the segments with the frame's boundary (`shapely.union_all`) and polygonizes them into
   faces (`shapely.polygonize`), keeping the faces inside the frame;
3. labels each face by the left/right rules: one probe point each side of every noded piece of a
   segment, the face containing it takes the segment's status on that side (a face with none or
   two statuses is an error, as in Rust);
4. dissolves the faces by status (`shapely.coverage_union_all`: the faces are an exact coverage);
5. measures geodesic areas: edges densified to 0.02 degrees (`shapely.segmentize`), then
   `pyproj.Geod(ellps="WGS84").geometry_area_perimeter`, as the Rust side densifies then uses
   Karney's method;
6. writes the territory and border layers (RFC 7946, 6 decimals), the timeline, the diffs between
   consecutive treaties (`intersection` of every pair of statuses, slivers under 0.01 km²
   dropped, the articles of the segments along the changed land), areas.csv and diffs.csv.

It exits non-zero, naming the face, when a face gets no status or two.
"""

import argparse
import json
import math
import sys
import tomllib
from pathlib import Path

import numpy as np
import pyproj
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, shape
from shapely.geometry.polygon import orient

EARTH_RADIUS_M = 6_371_008.8
AREA_DENSIFY_DEG = 0.02
SLIVER_KM2 = 0.01
GEOD = pyproj.Geod(ellps="WGS84")


# ---------------------------------------------------------------------------------------------
# Loading


def geometry_of(doc):
    if doc["type"] == "Feature":
        return doc["geometry"], doc.get("properties") or {}
    f = doc["features"][0]
    return f["geometry"], f.get("properties") or {}


def dedup(coords):
    keep = np.ones(len(coords), dtype=bool)
    keep[1:] = np.any(coords[1:] != coords[:-1], axis=1)
    return coords[keep]


def load(gd):
    lines = {}
    for f in sorted((gd / "lines").glob("*.geojson")):
        g, _ = geometry_of(json.loads(f.read_text()))
        lines[f.stem] = dedup(np.asarray(g["coordinates"], dtype=float)[:, :2])
    nodes = {}
    for feat in json.loads((gd / "nodes.geojson").read_text())["features"]:
        p = feat["properties"]
        nodes[p["id"]] = (
            np.asarray(feat["geometry"]["coordinates"][:2], dtype=float),
            float(p.get("tolerance_m", 1000.0)),
        )
    g, _ = geometry_of(json.loads((gd / "frame.geojson").read_text()))
    frame = shape(g)
    treaties = []
    for f in sorted((gd / "treaties").glob("*.toml")):
        t = tomllib.loads(f.read_text())
        t["_file"] = f"treaties/{f.name}"
        treaties.append(t)
    treaties.sort(key=lambda t: (valid_from(t), t["id"]))
    return lines, nodes, frame, treaties


def valid_from(t):
    return t.get("in_force") or t.get("signed", {}).get("gregorian", "")


# ---------------------------------------------------------------------------------------------
# Rules: inheritance and readings (as src/treaty/mod.rs)


def find(treaties, tid):
    for t in treaties:
        if t["id"] == tid:
            return t
    sys.exit(f"reference: no treaty has the id {tid!r}")


def readings_of(treaties, t):
    cur, depth = t, 0
    while cur is not None:
        if cur.get("reading"):
            return cur["reading"]
        depth += 1
        if depth > len(treaties) or not cur.get("inherits"):
            break
        cur = find(treaties, cur["inherits"])
    return []


def default_reading_of(treaties, t):
    for r in readings_of(treaties, t):
        if r.get("default"):
            return r["id"]
    return None


def as_list(r):
    return [r] if isinstance(r, str) else list(r)


def resolve(treaties, tid, reading, depth=0):
    """The segments in force (rule, origin treaty) and zones, for one treaty under one reading."""
    t = find(treaties, tid)
    if depth > len(treaties):
        sys.exit(f"reference: inherits loop at {tid}")
    own = bool(t.get("reading"))
    chosen = reading if reading is not None else default_reading_of(treaties, t)
    parent_reading = None if own else chosen

    def applies(r):
        if r is None:
            return True
        return chosen is not None and chosen in as_list(r)

    if t.get("inherits"):
        segs, zones = resolve(treaties, t["inherits"], parent_reading, depth + 1)
    else:
        segs, zones = [], []
    for d in t.get("drops", []):
        if not any(s["id"] == d for s, _ in segs):
            sys.exit(f"reference: {tid} drops {d!r}, which it does not inherit")
        segs = [(s, o) for s, o in segs if s["id"] != d]
    for s in t.get("segment", []):
        if not applies(s.get("reading")):
            continue
        for i, (x, _) in enumerate(segs):
            if x["id"] == s["id"]:
                segs[i] = (s, tid)
                break
        else:
            segs.append((s, tid))
    zones = zones + [z for z in t.get("zone", []) if applies(z.get("reading"))]
    return segs, zones


# ---------------------------------------------------------------------------------------------
# Cutting a line between two nodes (as src/assemble/cut.rs)


def locate_on_line(coords, p):
    """Position along the line (vertex index + fraction) of p's projection, and the distance in
    metres (local equirectangular)."""
    k = math.cos(math.radians(p[1]))
    xy = np.empty_like(coords)
    xy[:, 0] = np.radians(coords[:, 0] - p[0]) * k * EARTH_RADIUS_M
    xy[:, 1] = np.radians(coords[:, 1] - p[1]) * EARTH_RADIUS_M
    a, b = xy[:-1], xy[1:]
    d = b - a
    len2 = np.einsum("ij,ij->i", d, d)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(len2 > 0, -np.einsum("ij,ij->i", a, d) / len2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    q = a + t[:, None] * d
    dist = np.hypot(q[:, 0], q[:, 1])
    i = int(np.argmin(dist))
    return i + float(t[i]), float(dist[i])


def cut(coords, a, b, seg_id):
    (pa_xy, ta), (pb_xy, tb) = a, b
    pa, da = locate_on_line(coords, pa_xy)
    pb, db = locate_on_line(coords, pb_xy)
    if da > ta or db > tb:
        sys.exit(f"reference: segment {seg_id}: a node lies off its line")
    lo, hi, first, last = (pa, pb, pa_xy, pb_xy) if pa < pb else (pb, pa, pb_xy, pa_xy)
    idx = np.arange(len(coords), dtype=float)
    inner = coords[(idx > lo) & (idx < hi)]
    out = np.vstack([first[None, :], inner, last[None, :]])
    return dedup(out)


# ---------------------------------------------------------------------------------------------
# Assembly


def geodesic_km2(geom):
    """Geodesic area of a (Multi)Polygon oriented as RFC 7946 (exteriors counter-clockwise, holes
    clockwise): the signed ring areas summed (what `Geod.geometry_area_perimeter` does, without
    its slow per-point conversion of the coordinates)."""
    dense = shapely.segmentize(geom, AREA_DENSIFY_DEG)
    total = 0.0
    for ring in shapely.get_rings(shapely.get_parts(dense)):
        c = shapely.get_coordinates(ring)
        area, _ = GEOD.polygon_area_perimeter(c[:, 0], c[:, 1])
        total += area
    return abs(total) / 1e6


def polygons_of(geom):
    if geom.is_empty:
        return []
    return [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and not g.is_empty]


def probes(piece):
    """A point just left and just right of a noded piece, and the piece's direction there: taken
    at the middle of its longest edge, so no other line is nearer than the probe distance."""
    c = shapely.get_coordinates(piece)
    d = c[1:] - c[:-1]
    lens = np.hypot(d[:, 0], d[:, 1])
    i = int(np.argmax(lens))
    m = (c[i] + c[i + 1]) / 2
    u = d[i] / lens[i]
    eps = min(1e-7, lens[i] * 0.01)
    n = np.array([-u[1], u[0]])
    return m, u, m + eps * n, m - eps * n, lens[i]


def assemble(lines, nodes, frame, frame_prep, t, segs, zones):
    seg_lines = []
    for rule, _ in segs:
        coords = cut(lines[rule["line"]], nodes[rule["from"]], nodes[rule["to"]], rule["id"])
        seg_lines.append(LineString(coords))
    noded = shapely.union_all([frame.boundary] + seg_lines)
    faces = [
        f
        for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))
        if frame_prep.contains(f.representative_point())
    ]
    face_tree = shapely.STRtree(faces)
    seg_tree = shapely.STRtree(seg_lines)
    pieces = shapely.get_parts(noded)
    given = [dict() for _ in faces]
    border_pieces = [[] for _ in segs]
    for piece in pieces:
        m, u, left_pt, right_pt, elen = probes(piece)
        mp = Point(m)
        on = seg_tree.query(mp, predicate="dwithin", distance=1e-9)
        if len(on) == 0:
            continue  # frame only
        fl = face_tree.query(Point(left_pt), predicate="within")
        fr = face_tree.query(Point(right_pt), predicate="within")
        if len(fl) == 0 and len(fr) == 0:
            continue  # outside the frame
        for si in on:
            sl = seg_lines[si]
            s = sl.project(mp)
            delta = elen * 0.25
            a = np.asarray(sl.interpolate(max(s - delta, 0.0)).coords[0])
            b = np.asarray(sl.interpolate(min(s + delta, sl.length)).coords[0])
            with_line = float(np.dot(b - a, u)) > 0
            rule = segs[si][0]
            left, right = (rule["left"], rule["right"]) if with_line else (rule["right"], rule["left"])
            for fs, st in ((fl, left), (fr, right)):
                for fi in fs:
                    given[fi].setdefault(st, set()).add(rule["id"])
            border_pieces[si].append(piece)
    status = []
    for fi, f in enumerate(faces):
        g = given[fi]
        if not g:
            for z in zones:
                if f.contains(Point(z["at"])):
                    g.setdefault(z["status"], set()).add("zone")
        if "outside" in g:
            sys.exit(f"reference: {t['id']}: face near {f.representative_point()} is 'outside' inside the frame")
        if len(g) != 1:
            sys.exit(
                f"reference: {t['id']}: face near {f.representative_point().coords[0]} gets "
                f"{len(g)} statuses: {g}"
            )
        status.append(next(iter(g)))
    territories = {}
    for st in sorted(set(status)):
        parts = [f for f, s in zip(faces, status) if s == st]
        merged = shapely.coverage_union_all(parts)
        merged = MultiPolygon([orient(p, 1.0) for p in polygons_of(merged)])
        territories[st] = (merged, geodesic_km2(merged))
    borders = []
    for si, (rule, origin) in enumerate(segs):
        ps = border_pieces[si]
        geom = shapely.line_merge(shapely.union_all(ps)) if ps else None
        borders.append((rule, origin, geom))
    return territories, borders


# ---------------------------------------------------------------------------------------------
# Output


def geom_json(g):
    """The geometry as GeoJSON text (GEOS's writer), coordinates rounded to 6 decimals."""
    if g is None or g.is_empty:
        return None
    if isinstance(g, LineString):
        g = shapely.MultiLineString([g])
    return shapely.to_geojson(shapely.set_precision(g, 1e-6, mode="pointwise"))


def collection(feats):
    """feats: (properties, geometry GeoJSON text)."""
    body = ",\n".join(
        '{"type":"Feature","properties":'
        + json.dumps(p, ensure_ascii=False, separators=(",", ":"))
        + ',"geometry":' + g + "}"
        for p, g in feats
    )
    return '{"type":"FeatureCollection","features":[\n' + body + ("\n" if feats else "") + "]}\n"


def write(out, rel, text):
    p = out / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


def articles_bounding(borders, b_treaty, shape_):
    arts, own = set(), set()
    edge = shape_.boundary
    shapely.prepare(edge)
    near = 1000.0 / 111_320.0  # 1 km, in degrees of latitude
    for rule, origin, geom in borders:
        if geom is None or not edge.dwithin(geom, near):
            continue
        label = (
            f"{origin}: no article (proxy)" if rule["article"] == "none" else f"{origin} art. {rule['article']}"
        )
        arts.add(label)
        if origin == b_treaty:
            own.add(label)
    if not arts:
        arts.add(f"{b_treaty}: no segment of it bounds this land (it lies inside one of its territories)")
    return sorted(own or arts)


def diff(a_terr, b_terr, b_borders, b_treaty):
    changes = []
    for sa, (ga, _) in a_terr.items():
        for sb, (gb, _) in b_terr.items():
            if sa == sb:
                continue
            ax0, ay0, ax1, ay1 = ga.bounds
            bx0, by0, bx1, by1 = gb.bounds
            if ax1 < bx0 or bx1 < ax0 or ay1 < by0 or by1 < ay0:
                continue
            inter = shapely.intersection(ga, gb)
            keep = [p for p in polygons_of(inter) if geodesic_km2(orient(p, 1.0)) >= SLIVER_KM2]
            if not keep:
                continue
            shp = MultiPolygon([orient(p, 1.0) for p in keep])
            changes.append((sa, sb, shp, geodesic_km2(shp), articles_bounding(b_borders, b_treaty, shp)))
    return changes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--geodata", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    lines, nodes, frame, treaties = load(args.geodata)
    frame_prep = frame
    shapely.prepare(frame_prep)
    out = args.out
    built = []  # (treaty, reading, is_default, territories, borders, valid_from, valid_to)
    for i, t in enumerate(treaties):
        vt = valid_from(treaties[i + 1]) if i + 1 < len(treaties) else None
        main_r = default_reading_of(treaties, t)
        readings = [(main_r, True)] + [
            (r["id"], False) for r in readings_of(treaties, t) if r["id"] != main_r
        ]
        for reading, is_default in readings:
            segs, zones = resolve(treaties, t["id"], reading)
            terr, borders = assemble(lines, nodes, frame, frame_prep, t, segs, zones)
            built.append((t, reading, is_default, terr, borders, valid_from(t), vt))

    areas = ["treaty,reading,default,status,area_km2,minus_default_km2,valid_from,valid_to\n"]
    tl_t, tl_b = [], []
    for t, reading, is_default, terr, borders, vf, vt in built:
        d = Path(t["id"]) if is_default else Path("readings") / t["id"] / reading
        default_terr = next(x[3] for x in built if x[2] and x[0]["id"] == t["id"])
        tf = []
        for st, (g, a) in terr.items():
            base = default_terr.get(st, (None, 0.0))[1]
            areas.append(
                f"{t['id']},{reading or ''},{str(is_default).lower()},{st},{a:.2f},{a - base:.2f},{vf},{vt or ''}\n"
            )
            props = {"treaty": t["id"], "reading": reading, "status": st, "area_km2": round(a, 2),
                     "valid_from": vf, "valid_to": vt, "name_en": t["name"]["en"]}
            tf.append((props, geom_json(g)))
        bf = []
        for rule, origin, geom in borders:
            props = {"treaty": t["id"], "reading": reading, "segment": rule["id"],
                     "article": rule["article"], "established_by": origin, "follows": rule["line"],
                     "from_node": rule["from"], "to_node": rule["to"], "left": rule["left"],
                     "right": rule["right"], "valid_from": vf, "valid_to": vt}
            gj = geom_json(geom)
            if gj is not None:
                bf.append((props, gj))
        write(out, d / "territory.geojson", collection(tf))
        write(out, d / "border.geojson", collection(bf))
        if is_default:
            tl_t += tf
            tl_b += bf
    write(out, "timeline/territory.geojson", collection(tl_t))
    write(out, "timeline/border.geojson", collection(tl_b))

    defaults = [b for b in built if b[2]]
    dcsv = ["from_treaty,to_treaty,from_status,to_status,area_km2,articles\n"]
    for a, b in zip(defaults, defaults[1:]):
        changes = diff(a[3], b[3], b[4], b[0]["id"])
        feats = []
        for sa, sb, shp, area, arts in changes:
            dcsv.append(f"{a[0]['id']},{b[0]['id']},{sa},{sb},{area:.2f},\"{'; '.join(arts)}\"\n")
            props = {"from_treaty": a[0]["id"], "to_treaty": b[0]["id"], "from_status": sa,
                     "to_status": sb, "area_km2": round(area, 2), "articles": "; ".join(arts),
                     "valid_from": b[5]}
            feats.append((props, geom_json(shp)))
        write(out, f"diffs/{a[0]['id']}__{b[0]['id']}.geojson", collection(feats))
    write(out, "areas.csv", "".join(areas))
    write(out, "diffs.csv", "".join(dcsv))
    print(f"reference: built {len(built)} layer set(s) for {len(treaties)} treaty file(s) into {out}")


if __name__ == "__main__":
    main()
