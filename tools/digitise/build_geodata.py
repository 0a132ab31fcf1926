#!/usr/bin/env python3
"""build_geodata.py -- regenerate treatyline's hand-digitised geometry.

Writes  geodata/lines/<id>.geojson  (one LineString per line of geodata/LINES.md),
        geodata/nodes.geojson       (every node of LINES.md),
        geodata/frame.geojson       (the study area: the Asian mainland in 73-144E x 42-62.5N, 40N W of 88E,
                                     minus Korea)
from the Natural Earth 1:10m extracts in shared/reference/naturalearth (public domain, "Made with
Natural Earth"), the control points in shared/research/control_points.csv and the hand-entered
coordinates below.  Deterministic: same inputs, same bytes.  Dev tool only (Python 3 + shapely +
pyproj); the Rust build never runs it.

    python3 tools/digitise/build_geodata.py            # write files, run all checks, print report
    python3 tools/digitise/build_geodata.py --plot DIR # also draw PNG overview maps (needs matplotlib)

HOW EACH LINE WAS MADE (details also in each file's `source` and `note`)
-----------------------------------------------------------------------
General: coordinates are rounded to 6 decimals; every segment longer than DENSIFY_KM (3 km) is
split by linear interpolation in lon/lat (so median vertex spacing stays well under 5 km); every
node of LINES.md is an exact vertex of each line it lies on (inserted at its projection on the
line, vertices closer than 0.3 km to it removed); rivers are drawn downstream.

argun     NE rivers 'Argun'' reversed (NE draws it upstream); starts at NE's Hailar junction; NE's
          Argun ends 5 km W of the real confluence, so it is continued along NE's first Amur
          vertices to node amur-source (control amur_source).  abagaitu = control point projected
          onto the line (0.4 km).
shilka    NE 'Shilka' (downstream already); last vertex replaced by amur-source (1.0 km shift);
          gorbitsa-mouth = control gorbitsa_mouth projected onto it.
amur      NE 'Heilong Jiang' + 'Amur' (river and lake-centreline pieces) chained and reversed;
          starts at amur-source; at Blagoveshchensk NE's straight 13 km chord (which passes 0.5 km
          from Heihe) is redrawn through the Zeya mouth (control zeya_mouth, 2.7 km N of NE's
          Amur: NE's Zeya runs 4 km down beside the Amur); NE stops at
          Nikolaevsk, so the estuary is sketched to the mouth (control amur_mouth, which lies in
          NE's sea).  Nodes: amazar-mouth (ru/de/cs.wikipedia Amazar mouth 53.42500N 122.07917E
          projected; it is 12.6 km from the estimate amazar_mouth_alt, inside its 15 km tol),
          hormoldzin (researched: the Amur opposite Hormoldzin tun, Sunwu county, ~70 km = 140 li
          below the Zeya mouth; an NE vertex), songhua-mouth, kazakevich-channel-head (where NE's
          RUS-CHN line leaves the Amur upstream of Tarabarov/Bolshoi Ussuriysky), ussuri-mouth (end
          of NE 'Wusuli').
gorbitsa  SKETCHED: the Malaya Gorbitsa runs N->S ~70 versts (Brockhaus-Efron) to its mouth on the
          Shilka (control gorbitsa_mouth); source placed ~62 km N of the mouth, on the Amazar
          ridge just S of the upper Amazar valley.
amazar    SKETCHED from wikipedia (ru/de/cs) facts: confluence of Bolshoi and Maly Amazar
          53.84278N 119.635E; the Bolshoi Amazar flows first SW, then W and S (Brockhaus-Efron),
          so its head (amazar-source) is put NE of that confluence on the Amur-Olyokma divide; then
          E past Mogocha and Amazar village, SE through the Amazar ridge to its mouth.
zeya      NE 'Zeya' lower course from the Selemdzha confluence (51.74N) down; ended at the Zeya-mouth
          node (0.4 km from NE's line; NE's last 4 km, drawn parallel to the Amur, dropped).  sixty-four-north is a vertex at ~50.55N (see below).
sixty-four-villages-limit  SKETCHED proxy: a smooth curve from the Zeya (sixty-four-north) east
          and then south to hormoldzin, shaped so that Zeya + Amur + limit enclose ~3,600 km^2
          (geodesic, printed by the checks) and contain the representative point 50.10N 127.683E.
ussuri    NE 'Ussuri' + 'Wusuli' chained (the 0.1 km gap closed at NE's Songacha mouth vertex);
          kazakevichevo (control kazakevich_ussuri_junction) inserted (0.1 km off NE's line).
kazakevich-channel  SKETCHED: smooth curve from kazakevich-channel-head to kazakevichevo, S of
          NE's Amur, so that Bolshoi Ussuriysky (48.36N 134.85E) lies between channel, Amur, Ussuri.
songacha  NE 'Song'acha' as is (starts at the Khanka outflow, ends on NE's Ussuri vertex).
khanka-crossing  NE boundary_lines_land RUS-CHN between songacha-source (NE Songacha start,
          inserted) and tur-mouth (control belen_he_mouth, inserted).
tur       SKETCHED context line, last ~13 km only: NE's RUS-CHN line itself follows the meandering
          lower Belen-he for ~15 km W of the lake (ridge-tur-hubtu traces it), so the tur is drawn
          2-3 km NE of it to avoid coinciding with the ridge line (see the report: LINES.md issue).
ridge-tur-hubtu, ridge-hubtu-tumen  NE RUS-CHN land boundary from tur-mouth south; hubtu-mouth is
          the point where that line crosses the Suifen (Razdolnaya) valley at ~44.05N (sketched);
          NE's line is left at its last vertex E of the Tumen (42.57N) and drawn straight to the real
          tripoint (marker 423, control tripoint_ru_cn_kp) = tumen-junction, avoiding NE's
          15 km-too-far-upstream junction.
tumen     NE 'Tumen' (source 41.96N, S of the frame); tumen-junction inserted (1.0 km E of NE's
          line); extended 2.5 km past NE's mouth into the sea to node tumen-mouth.
ussuri-source-sea  SKETCHED proxy: from the NE Ussuri source SE over the Sikhote-Alin to the
          nearest Sea of Japan coast, ending 3 km offshore.
stanovoy  SKETCHED: from gorbitsa-source N to the Amur-Olyokma divide (amazar-source), then the
          divide ENE keeping NE's Olyokma (and the Nyukzha) to the N and the Amazar, Urka and
          Gilyui heads to the S, then the Stanovoy crest at 55.8-56.3N (S of NE's Aldan source
          56.53N, N of NE's Zeya source 55.57N), the Tokinsky Stanovik (S of NE's Uchur head 55.8N)
          to uda-head, then the Dzhugdzhur/Stanovoy spur ENE to the Uda bay coast ~45 km NE of the
          Uda mouth, ending 3 km offshore (stanovoy-sea).
uda       NE 'Uda' (downstream already) from the ru.wikipedia source (54.17N 130.84E, on NE's
          line; node uda-source), and downstream from NE's end to the real mouth (ru.wikipedia
          54.7406N 135.3014E, in NE's sea) and 2 km beyond (uda-mouth).  The river only.
uda-zeya-divide  SKETCHED: the Zeya-Uda divide from uda-head on the Stanovoy crest SSW (E of NE's
          upper Zeya) to uda-source.  (Was the upstream extension of `uda` until 2026-11.)
southern-range  SKETCHED: the range "parallel to the Amur" of Gerbillon's journal: from
          gorbitsa-source E along the Amazar ridge (crossing the Amazar where it cuts through that
          ridge -- topologically unavoidable, see NOTE below), N of the Amur, the Tukuringra (N of
          Zeya town), Soktakhan and Dzhagdy (S of NE's Uda), then the Amur-Tugur divide to the head
          of the eastern lobe of Tugur bay (W of Ulban bay), ending offshore (southern-range-sea).
kyakhta-line-1727  abagaitu -> NE RUS-CHN land boundary W to tarbagan-dakh (control point;
          replaces NE's junction vertex 3.2 km away) -> NE RUS-MNG W (kyakhta-marker = control
          kyakhta_border, on NE's line) to NE's apex at 98.93E 52.13N (Tuva-Buryatia-Mongolia) ->
          SKETCHED along the Eastern Sayan (N and E of NE's Bol'shoy Yenisey/Biy-Khem basin), the
          Western Sayan (Tuva's northern border), across the Yenisei gorge at ~52.0N to
          shabin-dabaga (control shabin_dabaga = Kantegir source).
western-line  SKETCHED from shabin-dabaga W along the Western Sayan to the Shapshal ridge, S along
          Shapshal/Chikhachev (E of NE's Chulyshman source and Lake Dzhulukul) to NE's RUS-MNG line
          near 49.80N 89.70E, then NE's RUS-MNG line W to 87.9E (western-line-end, W of the frame).
abakan-range  SKETCHED (the Russia-Dzungar frontier of 1689/1727): from abakan-range-junction (the
          western-line vertex where it turns from the Western Sayan S onto the Shapshal) W/SW round the
          head of the Bolshoi Abakan (ru.wikipedia source 51.31N 88.51E), NNE along the Abakan range E of
          Lake Teletskoye, then W on the Lebed-Kondoma divide (S of NE's Kondoma head 52.44N 88.25E) to
          87.9E 52.28N (abakan-range-end, W of the frame): today's Khakassia-Altai Republic and Altai
          Republic-Kemerovo borders.
khalkha-limit  NE MNG-CHN line from tarbagan-dakh W to khalkha-dzungar-junction (NE vertex
          96.379264E 42.720546N, where NE's line turns from SE to W).
dzungar-frontier  SKETCHED proxy: shabin-dabaga S through western Tuva (W of Kyzyl) to the
          Mongolian Altai crest near Achit Nuur, SE along the Mongolian Altai / Gobi Altai crest
          (NE of NE's MNG-CHN line) and S to khalkha-dzungar-junction, then S to 41.95N (end).
          gobi-altai-turn = its vertex nearest 46.45N 93.60E.
barkol-hami-frontier  SKETCHED proxy (1727): from gobi-altai-turn SSW across the Dzungarian Gobi and
          the eastern Tian Shan between Barkol (93.02E) and Mori (90.28E), then between Hami (93.51E)
          and Pichan (90.21E), to 91.30E 41.95N (barkol-frontier-end, S of the frame).
khalkha-oirat-1689  NE RUS-MNG line from tuva-apex (the NE vertex 98.93E 52.13N where the 1727 line
          leaves it) W along Tuva's southern border to the vertex nearest 50.02N 94.62E, then SKETCHED
          S/SW along the Khan Khokhii and E of Khyargas Nuur and Khar Nuur to gobi-altai-turn.
western-boundary  NE boundary_lines_land chained from western-line-end (87.9E): RUS-MNG to the Kuitun (Tavan
          Bogd) tripoint, RUS-CHN, KAZ-CHN, KGZ-CHN to its first vertex S of 39.9N.  Today's line = the
          1864 line as demarcated, with the 1881 courses between ak-kaba-source and mus-tau (art. 8) and
          between bedschin-tau and uzuntau (art. 7 Khorgos line).  Nodes are NE vertices.
zaysan-1864  SKETCHED: the 1864 course from ak-kaba-source W above Lake Markakol to the north shore of Lake
          Zaysan, SE along it and the lower Black Irtysh to Manitu-Gatulkhan (Ak-Tyube), S to mus-tau.
ili-1864  SKETCHED: the 1864 course from bedschin-tau W along the Alatau, S across the Ili near 78.9E (W of
          Chundzha and Zharkent), E along the Ketmen to uzuntau; the tract it encloses with the Khorgos
          line is ~20,700 km^2 (Russian literature: ~23,000).
fergana-range  SKETCHED proxy: the Fergana range from W of 73E to tsunlin (Russia-Kokand frontier 1864-76).
siberian-line-1689  SKETCHED proxy from abakan-range-end NW, S of Kuznetsk, Tomsk and Tara, to W of 73E.
irtysh-line-1727  SKETCHED from abakan-range-end S of Biysk to the Irtysh 20 km above Ust-Kamenogorsk, then
          NE rivers 'Ertis'/'Irtysh' downstream to 35 km above Omsk, then W (S of Omsk) to 72.9E.
russian-front-1858, kyrgyz-limit, qing-claim  SKETCHED proxies (1858-60): the Russian posts of the Kazakh
          steppe and Semirechye; the limit of the Issyk-Kul Kyrgyz; the Qing limit of the Chinese
          historiography (N of Lake Zaysan, the Ayagoz, N shore of Lake Balkhash).
frame     NE land_10m: the polygon holding Eurasia, intersected with the study polygon STUDY (the box
          88-144E x 42-62.5N extended W to 73E and, W of 88E, S to 40N; the eastern vertices are those of
          the old box), minus the Korean side of the (final) `tumen` line; lakes are land.

NOTE (topology): southern-range and amazar must cross once (the Gorbitsa-Amazar interfluve is
closed by gorbitsa+shilka+amur+amazar+stanovoy, and gorbitsa-source is on its edge); the two are
never used in the same reading (southern-range vs bolshaya-gorbitsa), and the crossing is the only
non-node contact the checks allow.
"""
import csv
import json
import math
import os
import sys

import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point, Polygon, box, mapping, shape
from shapely.ops import split

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
SHARED = os.path.abspath(os.path.join(ROOT, '..', 'shared'))
NE_DIR = os.path.join(SHARED, 'reference', 'naturalearth')
CP_CSV = os.path.join(SHARED, 'research', 'control_points.csv')
OUT = os.path.join(ROOT, 'geodata')

GEOD = Geod(ellps='WGS84')
DENSIFY_KM = 3.0
CLEAR_KM = 0.3
BOX = (88.0, 42.0, 144.0, 62.5)
# The study polygon: the box above, extended west to 73°E and, west of 88°E, south to 40°N (2026-11), so
# that the Chuguchak (1864) and St Petersburg (1881) lines, Lake Zaysan and the Kokand frontier fall inside.
# East of 88°E it is the same box, so the eastern frame keeps exactly the same vertices.
WEST_E, WEST_S = 73.0, 40.0
STUDY = Polygon([(WEST_E, WEST_S), (BOX[0], WEST_S), (BOX[0], BOX[1]), (BOX[2], BOX[1]), (BOX[2], BOX[3]),
                 (WEST_E, BOX[3])])
NE_VER = 'Natural Earth 1:10m v4.0.0'


# ----------------------------------------------------------------------------- helpers
def r6(c):
    return (round(c[0], 6), round(c[1], 6))


def km(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0


def length_km(cs):
    return sum(km(cs[i], cs[i + 1]) for i in range(len(cs) - 1))


def ne_features(fname):
    with open(os.path.join(NE_DIR, fname), encoding='utf-8') as f:
        return json.load(f)['features']


def parts(g):
    if g.geom_type == 'LineString':
        return [list(g.coords)]
    if g.geom_type == 'MultiLineString':
        return [list(l.coords) for l in g.geoms]
    raise ValueError(g.geom_type)


def chain(pieces, tol=0.01):
    """Join line pieces end to end (greedy nearest end, orienting pieces); tol in degrees."""
    pieces = [list(p) for p in pieces]
    cur = pieces.pop(0)
    while pieces:
        best = None
        for i, p in enumerate(pieces):
            for q in (p, p[::-1]):
                for where, dd in (('end', math.dist(cur[-1], q[0])), ('start', math.dist(q[-1], cur[0]))):
                    if best is None or dd < best[0]:
                        best = (dd, i, q, where)
        dd, i, q, where = best
        if dd > tol:
            raise ValueError('gap of %.4f deg between pieces' % dd)
        pieces.pop(i)
        if where == 'end':
            cur = cur + (q[1:] if dd < 1e-3 else q)
        else:
            cur = (q[:-1] if dd < 1e-3 else q) + cur
    return cur


def ne_river(*names, featurecla=None):
    ps = []
    for f in ne_features('rivers_10m.geojson'):
        p = f['properties']
        if p['name'] in names and (featurecla is None or p['featurecla'] in featurecla):
            ps += parts(shape(f['geometry']))
    return ps


def ne_boundary(left, right):
    ps = []
    for f in ne_features('boundary_lines_land_10m.geojson'):
        p = f['properties']
        if {p['adm0_left'], p['adm0_right']} == {left, right}:
            ps += parts(shape(f['geometry']))
    return ps


def orient(cs, start):
    """Reverse cs if its end is nearer to `start` than its beginning."""
    if math.dist(cs[-1], start) < math.dist(cs[0], start):
        return cs[::-1]
    return cs


def locate(cs, pt):
    """(segment index i, fraction t, distance km) of the point of cs nearest to pt (local metric)."""
    best = None
    k = math.cos(math.radians(pt[1]))
    for i in range(len(cs) - 1):
        ax, ay = (cs[i][0] - pt[0]) * k, cs[i][1] - pt[1]
        bx, by = (cs[i + 1][0] - pt[0]) * k, cs[i + 1][1] - pt[1]
        dx, dy = bx - ax, by - ay
        L = dx * dx + dy * dy
        t = 0.0 if L == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L))
        px, py = ax + t * dx, ay + t * dy
        d = math.hypot(px, py) * 111.2
        if best is None or d < best[2]:
            best = (i, t, d)
    return best


def proj_point(cs, pt):
    i, t, d = locate(cs, pt)
    a, b = cs[i], cs[i + 1]
    return r6((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))


def cut_before(cs, pt):
    """Vertices of cs before the projection of pt, then pt itself (pt becomes the end)."""
    i, t, d = locate(cs, pt)
    out = cs[:i + 1]
    while out and km(out[-1], pt) < CLEAR_KM:
        out.pop()
    return out + [pt]


def cut_after(cs, pt):
    """pt itself, then the vertices of cs after the projection of pt (pt becomes the start)."""
    i, t, d = locate(cs, pt)
    out = cs[i + 1:]
    while out and km(out[0], pt) < CLEAR_KM:
        out.pop(0)
    return [pt] + out


def insert(cs, pt, max_km=None):
    """Insert pt as a vertex at its projected position; drop interior vertices within CLEAR_KM."""
    pt = r6(pt)
    if pt in cs:
        return cs
    i, t, d = locate(cs, pt)
    if max_km is not None and d > max_km:
        raise ValueError('node %s is %.2f km from the line (max %.2f)' % (pt, d, max_km))
    before, after = cs[:i + 1], cs[i + 1:]
    while len(before) > 1 and km(before[-1], pt) < CLEAR_KM:
        before.pop()
    while len(after) > 1 and km(after[0], pt) < CLEAR_KM:
        after.pop(0)
    return before + [pt] + after


def densify(cs, max_km=DENSIFY_KM):
    out = [cs[0]]
    for a, b in zip(cs[:-1], cs[1:]):
        d = km(a, b)
        n = int(math.ceil(d / max_km))
        for j in range(1, n):
            f = j / n
            out.append((a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])))
        out.append(b)
    return out


def smooth(pts, n=4):
    """Chaikin corner cutting (keeps the end points): for hand-sketched lines."""
    for _ in range(n):
        new = [pts[0]]
        for a, b in zip(pts[:-1], pts[1:]):
            new.append((0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]))
            new.append((0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]))
        new.append(pts[-1])
        pts = new
    return pts


def clean(cs):
    out = []
    for c in cs:
        c = r6(c)
        if not out or out[-1] != c:
            out.append(c)
    return out


def sub(cs, a, b):
    """Part of cs between exact vertices a and b (inclusive), in drawing order."""
    i, j = cs.index(a), cs.index(b)
    assert i < j, (a, b)
    return cs[i:j + 1]


def side(cs, pt):
    """'left' or 'right' of the line as drawn, judged at the nearest point of the line."""
    i, t, d = locate(cs, pt)
    k = math.cos(math.radians(pt[1]))

    def cr(a, b):
        return (b[0] - a[0]) * k * (pt[1] - a[1]) - (b[1] - a[1]) * (pt[0] - a[0]) * k
    if 0.0 < t < 1.0 or (t == 0.0 and i == 0) or (t == 1.0 and i + 1 == len(cs) - 1):
        c = cr(cs[i], cs[i + 1])
    else:   # nearest point is an interior vertex q: use the corner rule
        j = i if t == 0.0 else i + 1
        p, q, r = cs[j - 1], cs[j], cs[j + 1]
        c1, c2 = cr(p, q), cr(q, r)
        turn = (q[0] - p[0]) * (r[1] - q[1]) - (q[1] - p[1]) * (r[0] - q[0])
        left = (c1 > 0 and c2 > 0) if turn > 0 else (c1 > 0 or c2 > 0)
        c = 1 if left else -1
    return 'left' if c > 0 else 'right'


def geod_area(ring):
    a, _ = GEOD.polygon_area_perimeter([c[0] for c in ring], [c[1] for c in ring])
    return abs(a) / 1e6


# ----------------------------------------------------------------------------- inputs
CP = {}
with open(CP_CSV, encoding='utf-8') as f:
    for row in csv.DictReader(f):
        CP[row['id']] = {'pt': (float(row['lon']), float(row['lat'])), 'tol': float(row['tol_km'] or 0),
                         'row': row}


def cp(i):
    return r6(CP[i]['pt'])


LAND = None


def land():
    global LAND
    if LAND is None:
        polys = []
        for f in ne_features('land_10m.geojson'):
            g = shape(f['geometry'])
            polys += list(g.geoms) if g.geom_type == 'MultiPolygon' else [g]
        LAND = polys
    return LAND


def mainland():
    for p in land():
        if p.contains(Point(100, 50)):
            return p
    raise RuntimeError('no mainland polygon')


def on_land(pt):
    return any(p.contains(Point(pt)) for p in land())


# ----------------------------------------------------------------------------- nodes
NODES = {}      # id -> dict(props, coord)


def node(nid, coord, kind, name_en, source, name_ru=None, name_zh=None, tol_m=None, note=None):
    coord = r6(coord)
    NODES[nid] = dict(id=nid, coord=coord, kind=kind, name_en=name_en, name_ru=name_ru,
                      name_zh=name_zh, source=source, tolerance_m=tol_m, note=note)
    return coord


def N(nid):
    return NODES[nid]['coord']


# ----------------------------------------------------------------------------- the lines
LINES = {}      # id -> dict(coords, props)
ORDER = []


def line(lid, cs, **props):
    LINES[lid] = dict(coords=cs, props=props)
    if lid not in ORDER:
        ORDER.append(lid)


def build():
    # ---------------- Amur system: raw NE geometry
    amur_src = node('amur-source', cp('amur_source'), 'confluence', 'Shilka-Argun confluence (the Amur begins)',
                    'control point amur_source (ru.wikipedia Amur infobox 53°20′00″N 121°28′53″E)',
                    'Слияние Шилки и Аргуни (Усть-Стрелка)', '石勒喀河与额尔古纳河汇合处（黑龙江源）')
    amur = orient(chain(ne_river('Heilong Jiang', 'Amur')), (121.4, 53.3))
    assert km(amur[0], (121.405365, 53.317084)) < 0.1
    # Argun: NE reversed, continued along NE's first Amur vertices to the real confluence
    argun = orient(chain(ne_river('Argun’')), (117.87, 49.51))
    i_src, _, _ = locate(amur, amur_src)
    argun = argun + amur[1:i_src + 1]
    argun = cut_before(argun, amur_src)
    amur = cut_after(amur, amur_src)
    # Shilka
    shilka = chain(ne_river('Shilka'))
    shilka = orient(shilka, (115.83, 51.72))
    shilka = shilka[:-1] + [amur_src]

    # ---- Amur at Blagoveshchensk / Zeya mouth
    zeya_mouth = node('zeya-mouth', cp('zeya_mouth'), 'mouth', 'Zeya mouth (Blagoveshchensk)',
                      'control point zeya_mouth (ru.wikipedia Zeya infobox 50°14′31″N 127°35′52″E)',
                      'Устье Зеи', '结雅河口（精奇里江口）')
    a = amur.index((127.404389, 50.276231))
    b = amur.index((127.589692, 50.186591))
    amur = amur[:a + 1] + [(127.45, 50.2648), (127.49, 50.2556), (127.53, 50.2536), (127.565, 50.2487),
                           zeya_mouth, (127.5965, 50.2255), (127.5925, 50.2090)] + amur[b:]
    # ---- Amur estuary below Nikolaevsk (NE stops at the coast there)
    amur_mouth = node('amur-mouth', cp('amur_mouth'), 'mouth', 'Amur mouth (into the Amur Liman)',
                      'control point amur_mouth (ru.wikipedia Amur infobox 52°59′28″N 141°02′48″E); lies in '
                      'Natural Earth 1:10m sea, 3 km beyond its coast', 'Устье Амура', '黑龙江口',
                      note='offshore: outside the frame; the amur line overshoots the coast to reach it')
    amur = amur + [(140.78, 53.083), (140.86, 53.047), (140.95, 53.012), amur_mouth]
    assert not on_land(amur_mouth)

    # ---- Zeya (lower course from the Selemdzha confluence)
    zeya = [p for p in ne_river('Zeya', featurecla=('River',)) if p[0][1] < 54][0]
    zeya = orient(zeya, (127.32, 53.75))
    i = zeya.index((128.878917, 51.741156)) if (128.878917, 51.741156) in zeya else locate(zeya, (128.878917, 51.741156))[0]
    zeya = zeya[i:]
    zeya = cut_before(zeya, zeya_mouth)

    # ---- nodes on the Amur
    amz = proj_point(amur, (122.07917, 53.425))
    node('amazar-mouth', amz, 'mouth', 'Amazar (Bolshaya Gorbitsa) mouth on the Amur',
         'ru/de/cs.wikipedia Amazar mouth 53°25′30″N 122°04′45″E projected onto the amur line; the research '
         'estimate amazar_mouth_alt (30 versts below the confluence) lies 12.6 km upstream, within its 15 km tol',
         'Устье Амазара (Большой Горбицы)', '阿玛扎尔河口（大格尔必齐河口）')
    node('hormoldzin', (127.906993, 49.580512), 'point', 'Hormoldzin (southern limit of the Sixty-Four Villages)',
         'Natural Earth 1:10m Amur vertex opposite Hormoldzin tun (霍尔莫津屯, Sunwu county), ~70 km (140 li) below '
         'the Zeya mouth: "from the Zeya mouth south to the other side of Hormoldzin tun" (Chinese encyclopaedias); '
         'position approximate (±10 km)', 'Хормолдзин', '霍尔莫津屯',
         tol_m=1000, note='researched, approximate')
    node('songhua-mouth', proj_point(amur, cp('songhua_mouth')), 'mouth', 'Sungari (Songhua) mouth',
         'control point songhua_mouth (Natural Earth Songhua end) projected onto the amur line',
         'Устье Сунгари', '松花江口')
    node('kazakevich-channel-head', proj_point(amur, (134.38635, 48.381337)), 'point',
         'Head of the Kazakevich (Fuyuan) channel on the Amur',
         'Natural Earth 1:10m RUS-CHN line: where it leaves the Amur upstream of Tarabarov island, projected onto '
         'the amur line (sketched)', 'Исток протоки Казакевичева', '抚远水道口')
    uss = chain(ne_river('Ussuri', 'Wusuli'), tol=0.005)
    uss = orient(uss, (134.3, 43.6))
    uss = [c for c in uss if c != (133.414806, 45.57331)]   # NE 'Ussuri' end, 0.13 km past the Songacha mouth
    node('ussuri-mouth', uss[-1], 'confluence', 'Ussuri-Amur confluence at Khabarovsk (NE / Chinese usage)',
         'Natural Earth 1:10m Ussuri (Wusuli) end = control point ussuri_mouth_ne',
         'Устье Уссури (у Хабаровска)', '乌苏里江口（哈巴罗夫斯克）')
    for nid in ('amazar-mouth', 'hormoldzin', 'songhua-mouth', 'kazakevich-channel-head', 'ussuri-mouth'):
        amur = insert(amur, N(nid), max_km=1.5)
    zeya_up = zeya

    # ---- Shilka / Gorbitsa / Amazar
    gm = proj_point(shilka, cp('gorbitsa_mouth'))
    node('gorbitsa-mouth', gm, 'mouth', 'Gorbitsa (Malaya Gorbitsa, Kerbechi) mouth on the Shilka',
         'control point gorbitsa_mouth (GeoNames 2023965 Gorbitsa village) projected onto the shilka line',
         'Устье Горбицы (Малой Горбицы)', '格尔必齐河口')
    shilka = insert(shilka, gm)
    gs = node('gorbitsa-source', (119.28, 53.66), 'source', 'Source of the Malaya Gorbitsa',
              'sketched: ~70 versts N of the mouth (Brockhaus-Efron "Горбица"), S of the upper Amazar valley',
              'Исток Малой Горбицы', '格尔必齐河源', tol_m=1000, note='sketched, ±15 km')
    gorbitsa = smooth([gs, (119.265, 53.58), (119.245, 53.50), (119.25, 53.42), (119.232, 53.34),
                       (119.222, 53.26), (119.215, 53.18), gm], 3)
    az_src = node('amazar-source', (119.86, 54.10), 'source', 'Source of the Amazar (Bolshoi Amazar head)',
                  'sketched: NE of the Bolshoi/Maly Amazar confluence (53°50′34″N 119°38′06″E, ru/de.wikipedia), '
                  'on the Amur-Olyokma divide (Olyokminsky Stanovik); the Bolshoi Amazar flows SW, W, S '
                  '(Brockhaus-Efron)', 'Исток Амазара', '阿玛扎尔河源', tol_m=1000, note='sketched, ±15 km')
    amazar = smooth([az_src, (119.76, 54.02), (119.66, 53.96), (119.61, 53.90), (119.635, 53.843),
                     (119.70, 53.78), (119.77, 53.742), (119.95, 53.73), (120.15, 53.77), (120.45, 53.81),
                     (120.70, 53.85), (120.87, 53.86), (121.05, 53.83), (121.22, 53.77), (121.40, 53.68),
                     (121.60, 53.58), (121.80, 53.50), (121.95, 53.45), amz], 3)

    # ---- Sixty-Four Villages
    s64n = node('sixty-four-north', proj_point(zeya, (127.72, 50.56)), 'point',
                'Northern limit of the Sixty-Four Villages on the Zeya',
                'sketched: a Zeya vertex chosen so that the Zeya, the Amur and the limit enclose ~3,600 km²',
                'Северная граница Зазейского района (64 деревень)', '江东六十四屯北界', tol_m=1000,
                note='sketched')
    zeya = insert(zeya, s64n)
    lim = smooth([s64n, (127.86, 50.56), (128.05, 50.50), (128.17, 50.33), (128.16, 50.10),
                  (128.10, 49.86), (128.00, 49.70), N('hormoldzin')], 4)

    # ---- Ussuri, Kazakevich channel, Songacha, Khanka
    node('ussuri-source', uss[0], 'source', 'Source of the Ussuri',
         'Natural Earth 1:10m Ussuri start (slopes of Mt Snezhnaya, Sikhote-Alin)', 'Исток Уссури', '乌苏里江源')
    songacha = orient(chain(ne_river('Song’acha')), (132.84, 45.06))
    node('songacha-mouth', songacha[-1], 'confluence', 'Songacha-Ussuri confluence',
         'Natural Earth 1:10m Song’acha end on the Ussuri = control point songacha_mouth',
         'Устье Сунгачи', '松阿察河口')
    node('songacha-source', songacha[0], 'source', 'Songacha outflow from Lake Khanka (1861 marker)',
         'Natural Earth 1:10m Song’acha start = control point songacha_source', 'Исток Сунгачи', '松阿察河源')
    uss = insert(uss, N('songacha-mouth'))
    node('kazakevichevo', cp('kazakevich_ussuri_junction'), 'confluence',
         'Kazakevichevo: Ussuri mouth in Russian hydrography (Kazakevich channel meets the Ussuri)',
         'control point kazakevich_ussuri_junction (Natural Earth RUS-CHN vertex; GWR 48°16′26″N 134°43′14″E)',
         'Казакевичево (устье Уссури по ГВР)', '卡扎克维切沃（抚远水道与乌苏里江汇合处）')
    uss = insert(uss, N('kazakevichevo'), max_km=2.0)
    kaz = smooth([N('kazakevich-channel-head'), (134.43, 48.352), (134.50, 48.322), (134.58, 48.297),
                  (134.65, 48.274), N('kazakevichevo')], 3)
    ruscn = chain(ne_boundary('Russia', 'China')[0:0] + [p for p in ne_boundary('Russia', 'China')
                                                        if min(c[0] for c in p) > 100], tol=0.001)
    ruscn = orient(ruscn, (116.68, 49.82))
    tur_mouth = node('tur-mouth', cp('belen_he_mouth'), 'mouth', 'Belen-he (Tur, Bailenghe) mouth on Lake Khanka',
                     'control point belen_he_mouth (Natural Earth RUS-CHN line x Lake Khanka, west shore)',
                     'Устье Белен-хэ (Тур)', '白棱河口')
    ruscn = insert(ruscn, tur_mouth, max_km=0.2)
    ruscn = insert(ruscn, N('songacha-source'), max_km=4.0)
    khanka = sub(ruscn, N('songacha-source'), tur_mouth)[::1]
    if ruscn.index(N('songacha-source')) > ruscn.index(tur_mouth):
        khanka = sub(ruscn, tur_mouth, N('songacha-source'))[::-1]
    tur = smooth([(131.915, 45.335), (131.945, 45.30), (131.968, 45.265), (131.982, 45.245), tur_mouth], 3)

    # ---- ridges west of Khanka to the Tumen
    it = ruscn.index(tur_mouth)
    south = ruscn[it:] if ruscn[-1][1] < 43 else ruscn[:it + 1][::-1]
    # hubtu-mouth: where the line crosses ~44.05N (the Suifen valley)
    k = next(j for j in range(len(south) - 1) if south[j][1] >= 44.05 > south[j + 1][1])
    a_, b_ = south[k], south[k + 1]
    f = (a_[1] - 44.05) / (a_[1] - b_[1])
    hub = node('hubtu-mouth', (a_[0] + f * (b_[0] - a_[0]), 44.05), 'mouth',
               'Hubtu (Khubtu, Ushagou) mouth on the Suifen, where the 1860 ridge line crosses the Suifen',
               'sketched: Natural Earth 1:10m RUS-CHN line at 44.05N, where it crosses the Suifen (Razdolnaya) valley '
               'between Dongning (CN) and Poltavka (RU)', 'Устье Хубту (Хубиту)', '瑚布图河口',
               tol_m=1000, note='sketched, ±10 km')
    south = insert(south, hub)
    tj = node('tumen-junction', cp('tripoint_ru_cn_kp'), 'tripoint',
              'The 1860 line reaches the Tumen: Russia-China-North Korea tripoint, marker 423',
              'control point tripoint_ru_cn_kp (marker 423, WGS-84); Natural Earth puts the junction 15 km upstream',
              'Пограничный знак 423 на Тумannой (стык границ РФ, КНР, КНДР)'.replace('annой', 'анной'),
              '中俄朝交界点（第423号界碑）')
    j = next(j for j in range(len(south)) if south[j] == (130.64911, 42.828937)) + 1
    # keep NE's line to its last vertex E of the Tumen (the 42.57N bend), then straight to the tripoint
    last = next(jj for jj in range(j, len(south)) if south[jj][1] < 42.60)
    ridge2_tail = south[:last + 1]
    ridge = ridge2_tail + [(130.605, 42.50), tj]
    ridge_tur_hubtu = ridge[:ridge.index(hub) + 1]
    ridge_hubtu_tumen = ridge[ridge.index(hub):]

    # ---- Tumen
    tumen = orient(chain(ne_river('Tumen')), (128.19, 41.96))
    tumen = insert(tumen, tj, max_km=3.0)
    tm = node('tumen-mouth', (130.718, 42.279), 'mouth', 'Tumen mouth (offshore point)',
              'control point tumen_mouth (ru/en.wikipedia 42°17′34″N 130°41′56″E) continued 2.4 km along the river '
              'axis into the Sea of Japan', 'Устье Туманной', '图们江口',
              note='offshore: outside the frame; the tumen line overshoots the coast to reach it')
    tumen = tumen[:-1] + [cp('tumen_mouth'), tm]
    assert not on_land(tm)

    # ---- ussuri-source-sea
    uss_sea = node('ussuri-source-sea', (134.575, 43.19), 'shore-point',
                   'Sea of Japan coast SE of the Ussuri source (offshore point)',
                   'sketched: nearest Natural Earth 1:10m coast point to the Ussuri source (43.22N 134.53E), '
                   'continued 3 km offshore', None, None, note='offshore: outside the frame')
    uss_src_sea = smooth([N('ussuri-source'), (134.38, 43.55), (134.45, 43.42), (134.51, 43.30),
                          (134.54, 43.24), uss_sea], 3)
    assert not on_land(uss_sea)

    # ---- Stanovoy, Uda, southern range
    uda_head = node('uda-head', (131.95, 55.62), 'point', 'Uda head on the Stanovoy crest',
                    'sketched: where the Zeya-Uda divide (Tokinsky Stanovik) meets the main Stanovoy crest, E of '
                    'the Zeya source', 'Верховья Уды на Становом хребте', '乌第河源（外兴安岭）', tol_m=1000,
                    note='sketched, ±30 km')
    st_sea = node('stanovoy-sea', (135.66, 55.07), 'shore-point',
                  'The Stanovoy/Dzhugdzhur reaches the Sea of Okhotsk N of the Uda mouth (offshore point)',
                  'sketched: Uda bay coast ~45 km NE of the Uda mouth (Natural Earth coast), 3 km offshore',
                  'Выход Станового хребта к Охотскому морю', '外兴安岭入海处', note='offshore: outside the frame')
    assert not on_land(st_sea)
    stan_w = [gs, (119.30, 53.76), (119.36, 53.88), (119.48, 54.00), (119.66, 54.08), az_src]
    stan_e = [az_src, (120.15, 54.16), (120.55, 54.27), (121.0, 54.43), (121.45, 54.62), (121.80, 54.90),
              (122.0, 55.2), (122.25, 55.5), (122.75, 55.72), (123.4, 55.88), (124.1, 55.98), (124.8, 56.08),
              (125.6, 56.18), (126.5, 56.24), (127.4, 56.27), (128.3, 56.24), (129.2, 56.12), (130.0, 55.98),
              (130.7, 55.87), (131.35, 55.76), uda_head]
    stan_ne = [uda_head, (132.6, 55.52), (133.3, 55.46), (134.0, 55.40), (134.6, 55.30), (135.1, 55.20),
               (135.42, 55.15), (135.58, 55.125), st_sea]
    stanovoy = smooth(stan_w, 2)[:-1] + smooth(stan_e, 2)[:-1] + smooth(stan_ne, 2)

    uda = orient(chain(ne_river('Uda')), (130.5, 54.0))
    um = node('uda-mouth', (135.318, 54.752), 'mouth', 'Uda mouth (Chumikan; offshore point)',
              'ru.wikipedia Uda mouth 54°44′26″N 135°18′05″E (in Natural Earth 1:10m sea; control uda_mouth is NE\'s '
              'river end) continued 1.7 km into Uda bay', 'Устье Уды', '乌第河口',
              note='offshore: outside the frame')
    assert not on_land(um)
    # ru.wikipedia source (confluence of Anyandzha and Taksan) lies on NE's line; NE's headstream above it is dropped
    uda_src = proj_point(uda, (130.844167, 54.169167))
    uda = cut_after(uda, uda_src)
    # the sketched Zeya-Uda divide from the Stanovoy crest (uda-head) down to the Uda source is its own
    # line (uda-zeya-divide), so that `uda` is the river alone, from its source to its mouth
    uda_zeya = smooth([uda_head, (131.70, 55.38), (131.45, 55.10), (131.20, 54.80), (131.00, 54.47), uda_src], 3)
    uda = uda + [(135.275, 54.724), (135.3014, 54.7406), um]

    sr_sea = node('southern-range-sea', (137.10, 53.87), 'shore-point',
                  'Where the southern range (Russian claim of 1689) reaches the sea: Tugur bay (offshore point)',
                  'sketched: head of the eastern lobe of Tugur bay, W of Ulban bay (Natural Earth coast), 3.5 km offshore', None, None,
                  note='offshore: outside the frame')
    assert not on_land(sr_sea)
    southern = smooth([gs, (119.55, 53.58), (120.0, 53.52), (120.5, 53.53), (121.0, 53.59), (121.35, 53.70),
                       (121.75, 53.77), (122.3, 53.74), (123.0, 53.74), (123.6, 53.79), (124.3, 53.82),
                       (125.0, 53.80), (125.8, 53.76), (126.5, 53.76), (127.0, 53.80), (127.3, 53.84),
                       (127.7, 53.91), (128.3, 53.96), (129.0, 53.95), (129.7, 53.86), (130.3, 53.84),
                       (131.0, 53.88), (131.6, 53.88), (132.3, 53.88), (133.0, 53.86), (133.6, 53.70),
                       (134.2, 53.52), (134.8, 53.36), (135.4, 53.24), (136.0, 53.24), (136.6, 53.36),
                       (137.0, 53.55), (137.09, 53.70), sr_sea], 3)
    # the Uda zone's western edge: from the Uda source due south to the southern range (Gerbillon: the
    # Uda lay between the two ranges the envoys claimed; the zone is the Uda basin, both banks)
    node('uda-source', uda_src, 'source', 'Uda source (Anyandzha-Taksan confluence)',
         'ru.wikipedia Uda source 54°10′09″N 130°50′39″E, a vertex of the NE Uda line', 'Исток Уды', '乌第河源')
    udv = node('uda-divide', proj_point(southern, (130.86, 53.87)), 'point',
               'Southern range due south of the Uda source',
               'sketched: the point of the southern-range line nearest the Uda source', None, None,
               note='sketched, ±30 km')
    southern = insert(southern, udv)
    uda_divide = densify([N('uda-source'), (130.852, 54.02), udv])

    # ---- the 1727 line
    abg = node('abagaitu', proj_point(argun, cp('abagaitu')), 'marker', 'Abagaitu, boundary point No. 63 on the Argun',
               'control point abagaitu (en.wikipedia Abagaitu Islet) projected onto the argun line',
               'Абагайту (пограничный знак № 63)', '阿巴该图')
    argun = insert(argun, abg)
    td = node('tarbagan-dakh', cp('tarbagan_dakh_tripoint'), 'tripoint',
              'Tarbagan-Dakh: Russia-China-Mongolia eastern tripoint (near 1727 point No. 58)',
              'control point tarbagan_dakh_tripoint (zh.wikipedia 49°50′42.3″N 116°42′46.8″E); replaces Natural '
              'Earth\'s junction vertex 3.2 km SW', 'Тарбаган-Дахо', '塔尔巴干达呼')
    ne_td = (116.684278, 49.823265)
    # RUS-CHN land part: from the Argun (NE's line leaves it at 117.77E) W to the tripoint
    land_part = [p for p in ne_boundary('Russia', 'China') if max(c[0] for c in p) < 117.85 and min(c[0] for c in p) > 116]
    rc = orient(chain(land_part), ne_td)          # tripoint -> Argun
    rc = [td] + rc[1:]
    rc = rc[::-1]                                 # Argun -> tripoint
    # NE's land line meets the Argun 4 km SW of Abagaitu; leave Abagaitu straight W to NE's line at
    # 117.795E so that the 1727 line does not cross the Argun's upper course
    kline = [abg] + [c for c in rc if c[0] < 117.80]
    rm = orient(chain(ne_boundary('Mongolia', 'Russia'), tol=0.001), ne_td)   # tripoint -> Tavan Bogd
    rm = [td] + rm[1:]
    km_ = node('kyakhta-marker', cp('kyakhta_border'), 'marker',
               'Kyakhta-Maimaicheng crossing, the first 1727 marker',
               'control point kyakhta_border (nearest point of the Natural Earth RUS-MNG line to Kyakhta)',
               'Первый пограничный знак между Кяхтой и Маймачином', '恰克图-买卖城第一界碑')
    rm = insert(rm, km_, max_km=0.5)
    apex = (98.927636, 52.129584)
    ia = rm.index(apex)
    sd = node('shabin-dabaga', cp('shabin_dabaga'), 'pass', 'Shabin-Dabaga, marker No. 24 (west end of the 1727 line)',
              'control point shabin_dabaga (proxy: Kantegir source, ru.wikipedia 51°46′27″N 90°11′23″E)',
              'Шабин-Дабага (Шабинский перевал)', '沙宾达巴哈', tol_m=1000, note='±20 km')
    sayan = [apex, (99.18, 52.38), (99.18, 52.68), (98.98, 52.90), (98.55, 53.05), (98.05, 53.20),
             (97.50, 53.42), (96.95, 53.62), (96.50, 53.70), (96.05, 53.50), (95.55, 53.27), (95.05, 53.08),
             (94.50, 52.92), (93.95, 52.75), (93.45, 52.58), (92.95, 52.40), (92.45, 52.20), (91.95, 52.06),
             (91.45, 51.97), (90.95, 51.88), (90.55, 51.81), sd]
    kline = kline + rm[1:ia + 1] + smooth(sayan, 3)[1:]

    # ---- western line
    trip_w = min(range(len(rm)), key=lambda j: math.dist(rm[j], (89.70, 49.80)))
    wend_i = next(j for j in range(len(rm) - 1) if rm[j][0] >= 87.9 > rm[j + 1][0])
    a_, b_ = rm[wend_i], rm[wend_i + 1]
    f = (a_[0] - 87.9) / (a_[0] - b_[0])
    wend = node('western-line-end', (87.9, a_[1] + f * (b_[1] - a_[1])), 'point',
                'West end of the western line at 87.9°E (Altai), where the 1864 line and the 1858-60 '
                'frontier proxies continue west',
                'Natural Earth 1:10m RUS-MNG line at 87.9E (11 km W of the old 88°E frame edge; inside the '
                'frame since the western extension of 2026-11)', None, None,
                note='was outside the frame until the western extension; position unchanged')
    wsk = [sd, (89.95, 51.80), (89.62, 51.78), (89.42, 51.66), (89.45, 51.35), (89.60, 51.02),
           (89.78, 50.75), (89.86, 50.52), (89.84, 50.28), (89.76, 50.02), rm[trip_w]]
    western = smooth(wsk, 3) + rm[trip_w + 1:wend_i + 1] + [wend]
    # ---- Abakan range: the Russia-Dzungar frontier of 1689/1727 west of the Western Sayan.  It leaves the
    # western line where that turns south onto the Shapshal (the Tuva-Khakassia-Altai Republic junction) and
    # follows the Abakan basin's watershed: W/SW round the head of the Bolshoi Abakan (ru.wikipedia source
    # 51°18′36″N 88°30′29″E), NNE along the Abakan range E of Lake Teletskoye (today's Khakassia-Altai
    # Republic border), then W on the Lebed-Kondoma divide (S of NE's Kondoma head, 52.44N 88.25E) to 87.9E
    ab_j = node('abakan-range-junction', min(western, key=lambda c: math.dist(c, (89.44, 51.61))), 'point',
                'Junction of the Western Sayan, the Shapshal and the Abakan range (Tuva-Khakassia-Altai Republic)',
                'sketched: a vertex of the sketched western-line where it turns from the Western Sayan S onto the '
                'Shapshal ridge (ru.wikipedia "Шапшальский хребет": its northern end, in the upper Maly Abakan, '
                'meets the Western Sayan at the junction of the Tuva, Altai and Khakassia borders)',
                'Стык Западного Саяна, Шапшальского и Абаканского хребтов', None, tol_m=1000,
                note='sketched, ±30 km')
    western = insert(western, ab_j)
    ab_end = node('abakan-range-end', (87.9, 52.28), 'point',
                  'West end of the Abakan-range frontier at 87.9°E, where the West Siberian frontier proxies of '
                  '1689 and 1727 continue west',
                  'sketched: the Lebed-Kondoma divide (today\'s Altai Republic-Kemerovo border) at 87.9E, 7 km W of '
                  'the old 88°E frame edge (inside the frame since the western extension of 2026-11)', None, None,
                  note='was outside the frame until the western extension; position unchanged')
    abakan = smooth([ab_j, (89.20, 51.45), (88.95, 51.33), (88.65, 51.22), (88.40, 51.24), (88.24, 51.36),
                     (88.18, 51.58), (88.24, 51.80), (88.36, 52.02), (88.47, 52.22), (88.30, 52.33),
                     (88.10, 52.30), ab_end], 3)

    # ---- khalkha limit and dzungar frontier
    mc = orient(chain(ne_boundary('China', 'Mongolia'), tol=0.001), ne_td)
    mc = [td] + mc[1:]
    jn = (96.379264, 42.720546)
    node('khalkha-dzungar-junction', jn, 'point', 'Junction of the Khalkha limit and the Dzungar frontier',
         'sketched: Natural Earth 1:10m MNG-CHN vertex where the line turns from SE to W (96.38E 42.72N)',
         None, None, tol_m=1000, note='sketched proxy')
    khalkha = mc[:mc.index(jn) + 1]
    dz_end = node('dzungar-frontier-end', (96.25, 41.95), 'point', 'South end of the Dzungar frontier proxy',
                  'sketched, 5.5 km S of the frame edge (42N)', None, None, note='outside the frame')
    dz = smooth([sd, (90.32, 51.45), (90.45, 51.05), (90.55, 50.60), (90.62, 50.10), (90.55, 49.60),
                 (90.55, 49.10), (90.80, 48.55), (91.25, 47.95), (91.80, 47.30), (92.60, 46.80), (93.60, 46.45),
                 (94.60, 45.95), (95.40, 45.45), (95.95, 44.90), (96.25, 44.10), (96.38, 43.30), jn], 3) + \
        [(96.33, 42.33), dz_end]
    # ---- the 1727 southern frontier: Hami (Qing vassal 1696) and Barkol (Qing garrison and colony from
    # 1715-16) on the Qing side, Mori, Qitai (Guchen) and Turpan on the Dzungar side.  It leaves the Dzungar
    # frontier proxy on the Gobi Altai and runs SSW across the Dzungarian Gobi and the eastern Tian Shan
    # between Barkol and Mori, then between Hami and Pichan (Shanshan), S past 42N
    gat = node('gobi-altai-turn', min(dz, key=lambda c: math.dist(c, (93.60, 46.45))), 'point',
               'Gobi Altai point of the Dzungar frontier proxy where the 1727 Hami-Barkol frontier leaves it',
               'sketched: the vertex of the sketched dzungar-frontier nearest 46.45N 93.60E (Mongolian/Gobi Altai '
               'crest, NE of the MNG-CHN line)', None, None, tol_m=1000, note='sketched proxy, ±100 km')
    dz = insert(dz, gat)
    hb_end = node('barkol-frontier-end', (91.30, 41.95), 'point', 'South end of the 1727 Hami-Barkol frontier proxy',
                  'sketched, 5.5 km S of the frame edge (42N), between Hami (93.5E) and Pichan/Turpan (90.2E/89.2E)',
                  None, None, note='outside the frame')
    hami_barkol = smooth([gat, (93.25, 45.90), (92.85, 45.30), (92.45, 44.70), (92.10, 44.10), (91.85, 43.60),
                          (91.65, 43.10), (91.45, 42.50), hb_end], 3)
    # ---- the 1689 Khalkha-Oirat limit: Uriankhai (Tuva; Dzungar since Sengge's defeat of the last Altan Khan,
    # 1667) and the Great Lakes Depression with the Khovd basin (Galdan's Khovd, 1685) on the Dzungar side.
    # From the Tuva-Buryatia-Mongolia apex (the NE vertex where the 1727 line leaves the RUS-MNG line) W along
    # NE's RUS-MNG line (Tuva's southern border) to ~94.6E, then S and SW along the Khan Khokhii and E of
    # Khyargas Nuur and Khar Nuur (roughly today's Uvs/Khovd - Zavkhan aimag line) to gobi-altai-turn
    ta = node('tuva-apex', apex, 'point', 'Tuva-Buryatia-Mongolia junction on the Eastern Sayan (NE corner of Tuva)',
              'Natural Earth 1:10m RUS-MNG vertex 98.93E 52.13N, where the kyakhta-line-1727 leaves the modern '
              'border for the sketched Sayan crest north of Tuva', None, None)
    it_ = min(range(ia, len(rm)), key=lambda j: math.dist(rm[j], (94.62, 50.02)))
    oirat = rm[ia:it_ + 1] + smooth([rm[it_], (94.55, 49.60), (94.35, 49.15), (94.05, 48.60), (93.95, 48.00),
                                     (93.85, 47.40), (93.70, 46.85), gat], 3)[1:]

    # ------------------------------------------------------------------ assemble
    props_river = dict(kind='river', direction='downstream', scale='1:10m')
    line('argun', argun, name_en='Argun', name_ru='Аргунь', name_zh='额尔古纳河', **props_river,
         source=f"{NE_VER} rivers 'Argun’', reversed to run downstream; continued 5 km along Natural Earth's first "
                "Amur vertices and ended at control point amur_source (NE misses the confluence); node abagaitu "
                "inserted (control point projected); densified to ≤3 km by linear interpolation; public domain",
         certainty='traced', note='Starts at the Hailar junction (NE Argun start), 5 km upstream of Abagaitu.')
    line('shilka', shilka, name_en='Shilka', name_ru='Шилка', name_zh='石勒喀河', **props_river,
         source=f"{NE_VER} rivers 'Shilka' (already downstream); last vertex moved 1.0 km to control point "
                "amur_source; gorbitsa-mouth inserted (control point projected, 0.06 km); densified to ≤3 km; "
                "public domain", certainty='traced', note='From the Onon-Ingoda confluence (Shilka town).')
    line('gorbitsa', gorbitsa, name_en='Gorbitsa (Malaya Gorbitsa, Kerbechi)', name_ru='Горбица (Малая Горбица)',
         name_zh='格尔必齐河', **props_river,
         source='sketched (not in Natural Earth): N-S course of ~70 versts (Brockhaus-Efron "Горбица") to control '
                'point gorbitsa_mouth on the shilka line; smoothed and densified to ≤3 km',
         certainty='sketched', note='The Gorbitsa "that falls into the Shilka" of Nerchinsk art. 1.')
    line('amazar', amazar, name_en='Amazar (Bolshaya Gorbitsa)', name_ru='Амазар (Большая Горбица)',
         name_zh='阿玛扎尔河', **props_river,
         source='sketched (not in Natural Earth) from ru/de/cs.wikipedia (confluence of Bolshoi and Maly Amazar '
                '53°50′34″N 119°38′06″E; mouth 53°25′30″N 122°04′45″E; Mogocha and Amazar village on the river) and '
                'Brockhaus-Efron (head flows SW, W, S, then E); smoothed, densified to ≤3 km',
         certainty='sketched', note='The Russian alternative "Gorbitsa" of 1689 (reading bolshaya-gorbitsa).')
    line('amur', amur, name_en='Amur', name_ru='Амур', name_zh='黑龙江', **props_river,
         source=f"{NE_VER} rivers 'Heilong Jiang' and 'Amur' (river and lake-centreline pieces) chained and "
                "reversed to run downstream; starts at control point amur_source; at Blagoveshchensk/Heihe redrawn "
                "through control point zeya_mouth (NE's 13 km chord passes 0.5 km from Heihe); estuary below "
                "Nikolaevsk (NE stops there) sketched to control point amur_mouth (in NE's sea); nodes inserted at "
                "their projections; densified to ≤3 km; public domain",
         certainty='traced', note='No river islands at this scale: the line is NE\'s centre line, not a thalweg.')
    line('zeya', zeya, name_en='Zeya (lower course)', name_ru='Зея', name_zh='结雅河（精奇里江）', **props_river,
         source=f"{NE_VER} rivers 'Zeya', lower course from the Selemdzha confluence; last vertex moved 0.4 km to "
                "control point zeya_mouth; sixty-four-north inserted; densified to ≤3 km; public domain",
         certainty='traced')
    line('sixty-four-villages-limit', lim, name_en='Limit of the Sixty-Four Villages East of the River',
         name_ru='Граница Зазейского района (64 деревень)', name_zh='江东六十四屯界', kind='proxy', scale='1:10m',
         source='sketched proxy: smooth curve from the Zeya (sixty-four-north) to the Amur (hormoldzin) drawn so that '
                'Zeya + Amur + limit enclose ~3,600 km² (Wikipedia) with the representative point 50.10N 127.683E '
                'inside; densified to ≤3 km',
         certainty='sketched', note='No surveyed limit exists; area is the published 3,600 km² (see checks).')
    line('ussuri', uss, name_en='Ussuri', name_ru='Уссури', name_zh='乌苏里江', **props_river,
         source=f"{NE_VER} rivers 'Ussuri' and 'Wusuli' chained in order (downstream already; the 0.1 km gap closed "
                "at NE's Songacha-mouth vertex); kazakevichevo inserted (control point, 0.1 km off NE's line); densified to "
                "≤3 km; public domain", certainty='traced',
         note='Ends at the Amur at Khabarovsk (NE); the Russian-hydrography mouth is kazakevichevo.')
    line('kazakevich-channel', kaz, name_en='Kazakevich channel (Fuyuan channel)', name_ru='протока Казакевичева',
         name_zh='抚远水道', **props_river,
         source='sketched (not in Natural Earth): smooth curve from the head on the Amur (where NE\'s RUS-CHN line '
                'leaves the Amur) to control point kazakevich_ussuri_junction, S of Tarabarov and Bolshoi '
                'Ussuriysky; densified to ≤3 km', certainty='sketched',
         note='The 1861 map line (Russian reading) runs here; Bolshoi Ussuriysky lies between it, the Amur and the Ussuri.')
    line('songacha', songacha, name_en='Songacha', name_ru='Сунгача', name_zh='松阿察河', **props_river,
         source=f"{NE_VER} rivers 'Song’acha' (downstream already); densified to ≤3 km; public domain",
         certainty='traced')
    line('khanka-crossing', khanka, name_en='Lake Khanka crossing', name_ru='Пересечение озера Ханка',
         name_zh='兴凯湖分界线', kind='lake-crossing', scale='1:10m',
         source=f"{NE_VER} boundary_lines_land RUS-CHN across Lake Khanka between songacha-source (NE Songacha start, "
                "0.02 km off NE's line) and tur-mouth (control belen_he_mouth); densified to ≤3 km; public domain",
         certainty='traced')
    line('tur', tur, name_en='Tur (Belen-he, Bailenghe)', name_ru='Тур (Белен-хэ)', name_zh='白棱河', **props_river,
         source='sketched (not in Natural Earth): last ~13 km to control point belen_he_mouth, from the NNW, offset from '
                'NE\'s RUS-CHN line; densified to ≤3 km', certainty='sketched',
         note='Context only: the treaty names the river; the border leaves the lake at its mouth. NE\'s RUS-CHN '
              'line (= ridge-tur-hubtu) follows the lower Belen-he itself for ~15 km; this sketch is offset 2-3 km '
              'NE of it so that the two lines do not coincide. Position approximate.')
    line('ridge-tur-hubtu', ridge_tur_hubtu, name_en='Ridge from the Belen-he (Tur) mouth to the Hubtu mouth',
         name_ru='Хребет от устья Белен-хэ до устья Хубту', name_zh='白棱河口至瑚布图河口山岭', kind='ridge',
         scale='1:10m',
         source=f"{NE_VER} boundary_lines_land RUS-CHN from control point belen_he_mouth S to the Suifen crossing "
                "(hubtu-mouth, 44.05N); densified to ≤3 km; public domain", certainty='traced')
    line('ridge-hubtu-tumen', ridge_hubtu_tumen, name_en='Ridge from the Hubtu mouth to the Tumen',
         name_ru='Хребет от устья Хубту до Туманной', name_zh='瑚布图河口至图们江山岭', kind='ridge', scale='1:10m',
         source=f"{NE_VER} boundary_lines_land RUS-CHN from the Suifen crossing S to its last vertex E of the Tumen "
                "(42.57N), then straight (via 42.50N 130.605E) to control point tripoint_ru_cn_kp (marker 423; NE's "
                "junction is 15 km upstream); densified to ≤3 km; public domain", certainty='traced')
    line('tumen', tumen, name_en='Tumen', name_ru='Туманная (Туманган)', name_zh='图们江', **props_river,
         source=f"{NE_VER} rivers 'Tumen' (downstream already, source S of 42N); control point tripoint_ru_cn_kp "
                "inserted (1.0 km E of NE's line); last vertex moved to control point tumen_mouth and continued 2.4 km "
                "offshore; densified to ≤3 km; public domain", certainty='traced',
         note='The frame\'s Korean edge is made of exactly these vertices.')
    line('ussuri-source-sea', uss_src_sea, name_en='Ussuri source to the sea (proxy)',
         name_ru='От истока Уссури к морю', name_zh='乌苏里江源至海', kind='proxy', scale='1:10m',
         source='sketched proxy: from the NE Ussuri source SE across the Sikhote-Alin to the nearest Sea of Japan '
                'coast, 3 km offshore; smoothed, densified to ≤3 km', certainty='sketched',
         note='Closes the narrow joint-zone reading of Aigun (joint land only E of the Ussuri).')
    line('stanovoy', stanovoy, name_en='Stanovoy Range ("stony mountains")', name_ru='Становой хребет',
         name_zh='外兴安岭', kind='ridge', scale='1:10m',
         source='sketched watershed (not in Natural Earth): Amur-Olyokma divide from the Gorbitsa source, Stanovoy '
                'crest, Tokinsky Stanovik, Dzhugdzhur spur to the Uda bay, placed with NE rivers (Olyokma, Aldan, '
                'Uchur to the N; Zeya, Amazar heads, Uda basin to the S) and NE geography_regions; smoothed, '
                'densified to ≤3 km', certainty='sketched',
         note='Course E of the Uda sources was unknown in 1689; a watershed proxy, ±30 km.')
    line('uda', uda, name_en='Uda', name_ru='Уда', name_zh='乌第河', **props_river,
         source=f"{NE_VER} rivers 'Uda' (downstream already) from the ru.wikipedia source (54°10′09″N 130°50′39″E, on "
                "NE's line; NE's headstream above it dropped) to NE's end, continued to the ru.wikipedia mouth "
                "(54°44′26″N 135°18′05″E, in NE's sea) and 1.7 km offshore; densified to ≤3 km; public domain",
         certainty='traced',
         note='The river alone, from its source (Anyandzha-Taksan confluence) to its mouth. The sketched divide from '
              'the Stanovoy crest down to the source is the separate line uda-zeya-divide.')
    line('uda-zeya-divide', uda_zeya, name_en='Zeya-Uda divide from the Stanovoy crest to the Uda source',
         name_ru='Водораздел Зеи и Уды от Станового хребта к истоку Уды', name_zh='结雅河与乌第河分水岭',
         kind='ridge', scale='1:10m', certainty='sketched',
         source='sketched watershed (not in Natural Earth): from node uda-head on the sketched Stanovoy crest SSW along '
                'the Zeya-Uda divide (E of NE\'s upper Zeya, W of the Uda headwaters) to the ru.wikipedia Uda source '
                '(54°10′09″N 130°50′39″E, a vertex of NE\'s Uda); smoothed, densified to ≤3 km. Until 2026-11 this '
                'sketch was the upstream part of the uda line',
         note='A divide, not the river: its median distance from the river Uda is ~92 km. Closes the 1689/1727 Uda zone on '
              'the north-west, between the Uda basin (the zone) and the upper Zeya basin (Qing). ±30 km.')
    line('uda-divide', uda_divide, name_en='Divide from the Uda source to the southern range',
         name_ru='Водораздел от истока Уды к южному хребту', name_zh='乌第河源至南支山脉分水岭', kind='proxy',
         scale='1:10m', certainty='sketched',
         source='sketched (not in Natural Earth): straight from the Uda source (ru.wikipedia) south across the '
                'Uda-Selemdzha divide to the southern-range line; densified to ≤3 km',
         note='Closes the 1689 undetermined zone on the west; a proxy, ±30 km.')
    line('southern-range', southern, name_en='Southern range (Russian claim of 1689)',
         name_ru='Южный хребет (Тукурингра-Джагды)', name_zh='南支山脉（俄方主张）', kind='ridge', scale='1:10m',
         source='sketched (not in Natural Earth): Amazar ridge, Tukuringra, Soktakhan, Dzhagdy, Amur-Tugur divide to '
                'Tugur bay (Gerbillon: the chain "almost due east, parallel to the Amur"); smoothed, densified to ≤3 km',
         certainty='sketched', note='Crosses the amazar line once, where the Amazar cuts through the Amazar ridge.')
    line('kyakhta-line-1727', kline, name_en='Bura/Kyakhta boundary of 1727', name_ru='Буринская граница 1727 г.',
         name_zh='布连斯奇界约界线（1727）', kind='survey-line', scale='1:10m',
         source=f"{NE_VER} boundary_lines_land RUS-CHN (abagaitu to tarbagan-dakh) and RUS-MNG (tarbagan-dakh to "
                "98.93E 52.13N, kyakhta-marker inserted), then sketched along the Eastern and Western Sayan north of "
                "Tuva (Tuva's northern border) to control point shabin_dabaga; densified to ≤3 km; public domain",
         certainty='traced', note='W of 98.93E sketched (±20 km): the 1727 line left Uryankhai (Tuva) to the Qing.')
    line('western-line', western, name_en='Western line (Shabin-Dabaga westward)',
         name_ru='Западная граница от Шабин-Дабаги', name_zh='沙宾达巴哈以西界线', kind='ridge', scale='1:10m',
         source=f"sketched from control point shabin_dabaga W along the Western Sayan and S along the Shapshal and "
                f"Chikhachev ridges (Tuva/Altai Republic border), then {NE_VER} boundary_lines_land RUS-MNG W to 87.9E; "
                "densified to ≤3 km", certainty='sketched',
         note='Proxy for the 1860 description / 1864 line; today\'s Tuva-Altai and Altai-Mongolia borders. Used from '
              '1858 on; in 1689/1727 only its stretch from Shabin-Dabaga to abakan-range-junction is a border, the '
              'Abakan range taking over west of it.')
    line('abakan-range', abakan, name_en='Abakan range frontier (Russia-Dzungar, 1689-1727; proxy)',
         name_ru='Абаканский хребет (русско-джунгарский рубеж)', name_zh='阿巴坎山脉（俄准边界）', kind='ridge',
         scale='1:10m', certainty='sketched',
         source='sketched watershed (not in Natural Earth) from node abakan-range-junction on the sketched western-line '
                '(Western Sayan/Shapshal junction) W and SW round the head of the Bolshoi Abakan (ru.wikipedia '
                '"Абакан (река)": source 51°18′36″N 88°30′29″E), NNE along the Abakan range E of Lake Teletskoye '
                '(BSE "Абаканский хребет": the Abakan-Tom/Lebed watershed, ~300 km; de.wikipedia "Abakangebirge": '
                'NE of the Teletskoye lake), then W on the Lebed-Kondoma divide S of NE\'s Kondoma head (52.44N '
                '88.25E) to 87.9E; i.e. today\'s Khakassia-Altai Republic and Altai Republic-Kemerovo borders; '
                'smoothed, densified to ≤3 km',
         note='Before the annexation of the Altai (1756) the Telengit/Teleut lands of the Chuya, the Chulyshman and '
              'Lake Teletskoye were the Dzungar Khanate\'s; the Minusinsk (Abakan) basin and the Kuznetsk land '
              '(Tom, Kondoma) were Russian. ±30 km.')
    line('khalkha-limit', khalkha, name_en='Southern limit of Khalkha (proxy)', name_ru='Южная граница Халхи',
         name_zh='喀尔喀南界', kind='proxy', scale='1:10m',
         source=f"{NE_VER} boundary_lines_land MNG-CHN from control point tarbagan_dakh_tripoint W to the vertex "
                "96.38E 42.72N; densified to ≤3 km; public domain", certainty='traced')
    line('dzungar-frontier', dz, name_en='Qing-Dzungar frontier of the 1720s (proxy)',
         name_ru='Цинско-джунгарский фронтир (1720-е)', name_zh='清准边界（1720年代）', kind='proxy', scale='1:10m',
         source='sketched proxy: from control point shabin_dabaga S through western Tuva, SE along the Mongolian '
                'Altai and Gobi Altai crest, S to the MNG-CHN line at 96.38E and S past 42N; smoothed, densified '
                'to ≤3 km', certainty='sketched',
         note='A front, not a border (±100 km). Kobdo (Qing base from 1731) lies E of it. Hami and Barkol (Qing '
              'from 1696 and 1715-16) lie W of its southern end (~96E): in 1727 the frontier leaves it at '
              'gobi-altai-turn for the line barkol-hami-frontier; 1689 keeps the whole line (Galdan\'s sphere).')
    line('khalkha-oirat-1689', oirat, name_en='Khalkha-Oirat limit of 1689 (proxy)',
         name_ru='Граница Халхи и ойратов (1689, условная)', name_zh='喀尔喀与卫拉特界（1689，示意）', kind='proxy',
         scale='1:10m', certainty='sketched',
         source=f"{NE_VER} boundary_lines_land RUS-MNG from node tuva-apex (98.93E 52.13N) W along Tuva's southern "
                "border to the vertex nearest 50.02N 94.62E, then sketched S and SW along the Khan Khokhii and E of "
                "Khyargas Nuur and Khar Nuur (E of the Great Lakes Depression) to node gobi-altai-turn on the sketched "
                "dzungar-frontier; smoothed, densified to ≤3 km",
         note='Only for 1689: Uriankhai (Tuva) and the Khovd/Great Lakes basins on the Dzungar side (W), Khalkha on '
              'the E. A stand-in for a frontier the sources do not draw (±150 km).')
    line('barkol-hami-frontier', hami_barkol, name_en='Qing-Dzungar frontier west of Barkol and Hami, 1727 (proxy)',
         name_ru='Цинско-джунгарский фронтир западнее Баркуля и Хами (1727)', name_zh='巴里坤、哈密以西清准边界（1727）',
         kind='proxy', scale='1:10m', certainty='sketched',
         source='sketched proxy from node gobi-altai-turn on the sketched dzungar-frontier SSW across the Dzungarian '
                'Gobi and the eastern Tian Shan, midway between Barkol (43.60N 93.02E) and Mori (43.83N 90.28E), '
                'then between Hami (42.82N 93.51E) and Pichan/Shanshan (42.86N 90.21E), to 41.95N; smoothed, '
                'densified to ≤3 km',
         note='A front, not a border (±100 km). Hami\'s ruler Abdullah Beg submitted to the Qing in 1696 (Kumul '
              'Khanate, a Qing banner from 1696); Qing military colonies (tuntian) at Hami and Barkol from 1716. '
              'Turpan (Qing garrisons 1720-31, evacuated 1732) is left on the Dzungar side.')

    # ------------------------------------------------------------------ the western frontier (2026-11)
    # The frame reaches 73°E (and 40°N west of 88°E); the lines below carry the borders there.
    # (1) western-boundary: the line of the Chuguchak protocol (1864) as it was demarcated 1869-84 and as
    #     it survives in today's borders: NE RUS-MNG from western-line-end to the Kuitun (Tavan Bogd)
    #     tripoint, NE RUS-CHN, NE KAZ-CHN and NE KGZ-CHN, to just S of 40N.  Two stretches of it are the
    #     St Petersburg (1881) changes, for which the 1864 course is sketched separately (zaysan-1864,
    #     ili-1864).
    rm_w = rm[wend_i + 1:]                                      # NE RUS-MNG from 87.9E to the Kuitun tripoint
    kuitun = rm_w[-1]
    assert km(kuitun, (87.816324, 49.165837)) < 0.5, kuitun
    rc_w = orient(chain([q for q in ne_boundary('Russia', 'China') if max(c[0] for c in q) < 88.0], tol=0.001),
                  kuitun)
    kz = orient(chain(ne_boundary('Kazakhstan', 'China'), tol=0.001), rc_w[-1])
    kg = orient(chain(ne_boundary('Kyrgyzstan', 'China'), tol=0.001), kz[-1])
    assert km(rc_w[0], kuitun) < 0.1 and km(kz[0], rc_w[-1]) < 0.1 and km(kg[0], kz[-1]) < 0.1
    wb = [wend] + rm_w + rc_w[1:] + kz[1:] + kg[1:]
    jend = next(j for j in range(len(wb)) if wb[j][1] < 39.9)
    wb_end = node('western-boundary-end', wb[jend], 'point',
                  'South end of the western boundary line (S of the frame, 40°N)',
                  'Natural Earth 1:10m KGZ-CHN vertex, first one S of 39.9N (Irkeshtam area)', None, None,
                  note='outside the frame')
    wb = wb[:jend + 1]
    akk = node('ak-kaba-source', min(kz, key=lambda c: math.dist(c, (85.75, 48.39))), 'point',
               'Sources of the Ak-Kaba (Southern Altai): north end of the 1883 straight line (St Petersburg art. 8)',
               'Natural Earth 1:10m KAZ-CHN vertex nearest 48.39N 85.75E, where the line turns from the Altai crest '
               'south toward the Black Irtysh; the 1883 protocol runs the new line "from Mus-tau (Saur) in the south to the sources of the '
               'Ak-Kaba (Southern Altai) in the north" [P3]', None, None, tol_m=1000, note='sketched, ±20 km')
    must = node('mus-tau', (85.498636, 47.051832), 'point', 'Mus-tau (Muztau) in the Saur range',
                'Natural Earth 1:10m KAZ-CHN vertex on the Saur crest (Muztau peak ~47.06N 85.58E); south end of the '
                '1883 line [P3]', 'Гора Мус-тау (хребет Саур)', '穆斯套岭', tol_m=1000, note='±10 km')
    bdt = node('bedschin-tau', min(kz, key=lambda c: math.dist(c, (79.843, 44.873))), 'point',
               'Bedschin-tau: where the 1881 Khorgos line leaves the Dzungarian Alatau (St Petersburg art. 7)',
               'Natural Earth 1:10m KAZ-CHN vertex nearest 44.873N 79.843E, the westernmost point of the bend where '
               'the line leaves the Alatau crest for the Khorgos valley', None, '别珍套山', tol_m=1000, note='sketched, ±20 km')
    uzt = node('uzuntau', (80.618469, 43.134267), 'point',
               'Uzuntau (Ketmen) range east of Kaldschat: the 1881 Khorgos line rejoins the 1864 line',
               'Natural Earth 1:10m KAZ-CHN vertex on the Ketmen (Uzuntau) crest where the line turns south-west '
               'toward the Tekes', None, '乌宗岛山', tol_m=1000, note='sketched, ±20 km')
    ktg = node('khan-tengri', (80.210328, 42.189519), 'tripoint',
               'Khan Tengri massif: Kazakhstan-Kyrgyzstan-China tripoint on the Tian Shan',
               'Natural Earth 1:10m KAZ-CHN / KGZ-CHN junction (Khan Tengri 42.21N 80.17E); the 1864 protocol '
               'runs the line "along the summits of Khan-Tengri, ... Kakshal and other mountains south of Lake '
               'Temurtu-nor (Issyk-Kul)"', 'Хан-Тенгри', '汗腾格里峰', tol_m=1000)
    tsl = node('tsunlin', (74.830915, 40.319917), 'point',
               'Where the Fergana range meets the Kokshaal (Tsunlin) line: the Kokand frontier of 1864',
               'Natural Earth 1:10m KGZ-CHN vertex; sketched meeting point of the Fergana range proxy', None, '葱岭',
               tol_m=1000, note='sketched, ±50 km')
    # 1864 course (the digitiser's recollection of the Chinese text of art. 1, unverified): from the Altai SW to the hills N of Lake
    # Zaysan, SW to the Chakelmes (Shakelmes) on the lake's north shore, SE along the shore and the Black
    # Irtysh to the Manitu-Gatulkhan picket (Ak-Tyube, left bank), then S to the Saur
    zaysan64 = smooth([akk, (85.40, 48.50), (85.00, 48.52), (84.60, 48.45), (84.25, 48.30), (84.00, 48.20),
                       (84.20, 48.12), (84.40, 48.07), (84.58, 47.99), (84.78, 47.93), (85.05, 47.88),
                       (85.15, 47.65), (85.22, 47.40), (85.35, 47.18), must], 3)
    ili64 = smooth([bdt, (79.60, 44.80), (79.35, 44.70), (79.10, 44.45), (78.95, 44.15), (78.90, 43.85),
                    (79.00, 43.55), (79.25, 43.30), (79.70, 43.17), (80.15, 43.12), (80.45, 43.10), uzt], 3)
    fergana = smooth([(72.90, 41.82), (73.30, 41.55), (73.80, 41.12), (74.30, 40.70), tsl], 3)
    # (2) the West Siberian frontiers of 1689 and 1727 (Russia vs the Dzungar and Kazakh lands)
    sib89 = smooth([ab_end, (87.55, 52.85), (86.85, 53.30), (85.85, 53.70), (84.80, 54.10), (83.50, 54.60),
                    (82.00, 55.15), (80.00, 55.45), (77.50, 55.85), (75.50, 56.15), (74.30, 56.30),
                    (72.90, 56.25)], 3)
    ertis = [q for q in ne_river('Ertis', 'Irtysh', featurecla=('River',)) if len(q) > 2 and min(c[0] for c in q) < 83.4]
    irt = orient(chain(ertis, tol=0.001), (83.36378, 49.643866))
    ukm = (82.6175, 49.9714)          # Ust-Kamenogorsk (GeoNames 1520316)
    below_omsk = (73.721934, 54.693793)   # NE Irtysh vertex 35 km above (SE of) Omsk
    i_u, _, d_u = locate(irt, ukm)
    assert d_u < 5, d_u
    # join the river ~20 km upstream of Ust-Kamenogorsk, so that the fort (right bank, Ulba mouth) is Russian
    i_j = i_u
    while km(irt[i_j], ukm) < 20.0:
        i_j -= 1
    irt_part = irt[i_j:irt.index(below_omsk) + 1]
    irt27 = smooth([ab_end, (87.20, 52.10), (86.20, 51.98), (85.30, 51.95), (84.40, 51.40), (83.60, 50.60),
                    (83.25, 50.10), irt_part[0]], 3)[:-1] + irt_part + [(73.30, 54.69), (72.90, 54.69)]
    # (3) 1858-60: the Russian front in the steppe, the Kyrgyz limit, and the Qing claim to Balkhash
    kyr = node('kyrgyz-node', (78.70, 43.02), 'point',
               'East end of the Zailiysky (Trans-Ili) Alatau: the Russian front of 1858-60 meets the Kyrgyz limit',
               'sketched: east end of the Zailiysky Alatau crest above the Chilik', None, None, tol_m=1000,
               note='sketched proxy, ±50 km')
    front = smooth([wend, (87.40, 49.45), (86.60, 49.55), (85.60, 49.45), (84.60, 49.33), (83.80, 49.12),
                    (83.25, 48.72), (82.60, 48.42), (81.90, 47.95), (81.15, 47.25), (81.10, 46.55),
                    (81.05, 45.95), (80.90, 45.62), (80.50, 45.42), (79.90, 45.32), (79.40, 45.00),
                    (79.00, 44.70), (78.60, 44.30), (78.40, 43.90), (78.55, 43.45), kyr], 3)[:-1] + \
        smooth([kyr, (78.00, 43.02), (77.00, 43.02), (76.00, 42.95), (75.40, 43.00), (74.60, 43.05),
                (73.80, 43.40), (72.90, 43.75)], 3)
    kyrlim = smooth([kyr, (79.00, 42.82), (79.30, 42.68), (79.80, 42.45), ktg], 3)
    claim = smooth([wend, (87.30, 49.75), (86.50, 49.95), (85.50, 49.85), (84.40, 49.65), (83.60, 49.50),
                    (82.60, 49.05), (81.50, 48.40), (80.40, 47.65), (79.40, 47.05), (78.40, 46.80),
                    (77.20, 46.75), (75.80, 46.70), (74.50, 46.45), (73.60, 46.25), (72.90, 46.10)], 3)
    for nm, nid, pt in (('sib89', 'siberian-line-end', sib89[-1]), ('irt27', 'irtysh-line-end', irt27[-1]),
                        ('front', 'russian-front-end', front[-1]), ('claim', 'qing-claim-end', claim[-1]),
                        ('fergana', 'fergana-range-end', fergana[0])):
        node(nid, pt, 'point', {'sib89': 'West end of the 1689 West Siberian frontier proxy',
                                'irt27': 'West end of the 1727 Irtysh-line proxy (W of Omsk)',
                                'front': 'West end of the 1858-60 Russian front proxy (the Chu)',
                                'claim': 'West end of the Qing-claim proxy (W of Lake Balkhash)',
                                'fergana': 'North-west end of the Fergana range proxy'}[nm],
             'sketched, W of the frame edge (73°E)', None, None, note='outside the frame')

    line('western-boundary', wb, name_en='Western boundary (Chuguchak 1864 / St Petersburg 1881 line)',
         name_ru='Западная граница (Чугучакский протокол 1864 г., Петербургский договор 1881 г.)',
         name_zh='中俄西段边界（1864年勘分西北界约记、1881年伊犁条约）', kind='survey-line', scale='1:10m',
         certainty='traced',
         source=f"{NE_VER} boundary_lines_land (public domain) chained: RUS-MNG from node western-line-end (87.9E) "
                "to the Kuitun (Tavan Bogd) tripoint, RUS-CHN to the RUS-KAZ-CHN tripoint, KAZ-CHN to Khan "
                "Tengri, KGZ-CHN to its first vertex S of 39.9N; nodes ak-kaba-source, mus-tau, bedschin-tau, "
                "uzuntau, khan-tengri, tsunlin are NE vertices; densified to ≤3 km. Control points used: khorgos "
                "(on the line, 1881), lake_zaysan (50 km), tacheng, zaysan_town, zharkent (sides)",
         note='Today\'s borders descend from the 1864 protocol as demarcated 1869-70 and from the 1881 treaty as '
              'demarcated 1882-84 (Kuitun-Saur straight line, Khorgos line, Fergana-Kashgar). Departures: between '
              'ak-kaba-source and mus-tau and between bedschin-tau and uzuntau this line is the 1881 course; the '
              '1864 course there is zaysan-1864 and ili-1864. Later adjustments (1990s-2000s Kazakhstan-China and '
              'Kyrgyzstan-China agreements, a few hundred km² each) are not undone: error vs the 1864/1881 lines '
              'a few km along the crests, up to ~20 km in disputed sectors (Khan Tengri-Bedel).')
    line('zaysan-1864', zaysan64, name_en='1864 line east of Lake Zaysan (before the 1883 change)',
         name_ru='Граница 1864 г. к востоку от оз. Зайсан (до 1883 г.)', name_zh='1864年斋桑湖以东旧界',
         kind='proxy', scale='1:10m', certainty='sketched',
         source='sketched (not in Natural Earth) from node ak-kaba-source W along the Kurchum hills N of Lake '
                'Markakol to the Chakelmes (Shakelmes) on the north shore of Lake Zaysan, SE along the shore '
                '(Natural Earth lake) and the lower Black Irtysh to the Manitu-Gatulkhan (Ak-Tyube) picket, where '
                'the 1869 description ends [C7], then S to the Saur at node mus-tau, keeping the Zaysan post '
                '(founded 1868 on Russian land) to the W. Only the end point (Manitu-Gatulkhan = Ak-Tyube, left bank '
                'of the Black Irtysh) and "past Lake Zaysan" are sourced [C7][C16]; the course by the north shore '
                '(Chakelmes) and along the lake is the digitiser\'s recollection of the Chinese text of art. 1, NOT '
                'verified in a source read for the dataset; smoothed, densified to ≤3 km. '
                'Control points lake_zaysan (line, 50 km) and zaysan_town (side: RUS in 1864)',
         note='The 1864 course north and east of the lake was replaced by the straight line of St Petersburg '
              'art. 8 (Kuitun - Black Irtysh - Saur), demarcated 1883, which is today\'s line (western-boundary); '
              'the old line lay west of it and cut the lake off from the Black Irtysh valley, splitting the Kazakh '
              'tribes (the reason art. 8 gives). Position ±30 km.')
    line('ili-1864', ili64, name_en='1864 line in the Ili valley (before the 1881 Khorgos line)',
         name_ru='Граница 1864 г. в долине Или (до 1881 г.)', name_zh='1864年伊犁河谷旧界',
         kind='proxy', scale='1:10m', certainty='sketched',
         source='sketched (not in Natural Earth) from node bedschin-tau W along the Dzungarian Alatau, S across '
                'the Ili near 78.9E (W of Chundzha and Zharkent, both founded in the 1880s in the tract ceded in '
                '1881) and E along the Ketmen (Uzuntau) crest to node uzuntau, so that the tract between it and '
                'the Khorgos line is close to the ~23,000 km² the Russian literature gives for the 1881 cession '
                '[P6]; smoothed, densified to ≤3 km. Control points zharkent (QING in 1864, RUS in 1881) and '
                'khorgos',
         note='St Petersburg 1881 art. 7 ceded the tract between this line and the Khorgos to Russia for the '
              'Ili people who chose Russian subjection. Where exactly the 1864 (picket) line crossed the Ili '
              '(Konur-Olen picket on the Russian side, Borokhudzir on the Qing side) is approximate: ±30 km.')
    line('fergana-range', fergana, name_en='Fergana range: Russia-Kokand frontier proxy (1864-76)',
         name_ru='Ферганский хребет (граница с Кокандом, 1864-1876)', name_zh='费尔干纳山（与浩罕界，1864-1876）',
         kind='proxy', scale='1:10m', certainty='sketched',
         source='sketched (not in Natural Earth) along the Fergana range from W of 73E SE to node tsunlin on the '
                'KGZ-CHN line; smoothed, densified to ≤3 km',
         note='The 1864 line ends "at the Tsunlin range on the Kokand frontier": the Fergana valley (Kokand, '
              'Russian from 1876) lies SW of this proxy, the inner Tian Shan (Naryn) NE. ±50 km.')
    line('siberian-line-1689', sib89, name_en='West Siberian frontier of 1689 (proxy)',
         name_ru='Южный рубеж Западной Сибири (1689, условный)', name_zh='西西伯利亚南界（1689，示意）',
         kind='proxy', scale='1:10m', certainty='sketched',
         source='sketched proxy from node abakan-range-end NW south of Kuznetsk (1618), across the Ob above the '
                'later Umrevinsk and Chaussky forts, W across the Baraba steppe S of Tara (1594) to W of 73E; '
                'smoothed, densified to ≤3 km',
         note='A front, not a border: Russian forts and yasak land to the N (Kuznetsk, Tomsk, Tara), the Teleut '
              'and Dzungar/Kazakh steppe to the S. ±150 km.')
    line('irtysh-line-1727', irt27, name_en='Irtysh line of 1716-20 (Russian frontier in 1727; proxy)',
         name_ru='Иртышская линия (1716-1720; рубеж 1727 г.)', name_zh='额尔齐斯河堡垒线（1716-1720）',
         kind='proxy', scale='1:10m', certainty='sketched',
         source=f"sketched from node abakan-range-end W and SW S of Bikatunsk/Biysk (1709/1718) to the Irtysh 20 km "
                f"above Ust-Kamenogorsk (1720), then {NE_VER} rivers 'Ertis'/'Irtysh' downstream past Semipalatinsk (1718), "
                "Yamyshevo (1716) and Koryakovsk to 35 km above Omsk (1716), then W, S of Omsk, to 72.9E; "
                "densified to ≤3 km",
         note='Russia on the right (E/N) bank, the Kazakh steppe (Middle Horde) on the left. The Irtysh line '
              'is the river itself; the stretch from the Biya to Ust-Kamenogorsk (the Kolyvan line came only in '
              'the 1740s) is a sketch, ±100 km.')
    line('russian-front-1858', front, name_en='Russian front in the Kazakh steppe and Semirechye, 1858-60 (proxy)',
         name_ru='Передовая линия России в Степном крае и Семиречье (1858-1860, условная)',
         name_zh='俄国在哈萨克草原和七河地区的前沿（1858-1860，示意）', kind='proxy', scale='1:10m',
         certainty='sketched',
         source='sketched proxy from node western-line-end W along the Narym ridge to the Irtysh below Lake Zaysan, '
                'SW E of Kokpekty and Sergiopol (Ayagoz, 1831), S E of Lepsinsk (1855), W along the N foot of the '
                'Dzungarian Alatau E of Kopal (1847), across the Ili E of Iliysk, to the Zailiysky Alatau (node '
                'kyrgyz-node), W along its crest S of Vernyi (1854) and Kastek (1859) and down the Chu N of Kokand\'s '
                'Tokmak and Pishpek to W of 73E; smoothed, densified to ≤3 km',
         note='Where the Russian posts stood when Beijing 1860 art. 2 called the western boundary "until now '
              'undetermined". ±75 km.')
    line('kyrgyz-limit', kyrlim, name_en='Limit of the Issyk-Kul Kyrgyz lands, 1858-60 (proxy)',
         name_ru='Граница киргизских кочевий Иссык-Куля (1858-1860, условная)', name_zh='伊塞克湖布鲁特游牧地界（示意）',
         kind='proxy', scale='1:10m', certainty='sketched',
         source='sketched proxy from node kyrgyz-node SE past the Karkara and the east end of the Issyk-Kul basin to '
                'node khan-tengri; smoothed, densified to ≤3 km',
         note='Closes the undetermined zone of 1858-60 on the south-west against the Kyrgyz (Buruts) of Issyk-Kul '
              'and the inner Tian Shan, neither Russian nor Qing then. ±75 km.')
    line('qing-claim', claim, name_en='Qing claim to Lake Balkhash (Chinese historiography; proxy)',
         name_ru='Цинские притязания до оз. Балхаш (китайская историография; условная)',
         name_zh='清朝西北界（至巴尔喀什湖，中国史学观点；示意）', kind='proxy', scale='1:10m', certainty='sketched',
         source='sketched proxy from node western-line-end W N of Lake Zaysan and the Bukhtarma, SW along the '
                'Kalba to the Ayagoz and along the N shore of Lake Balkhash to W of 73E; smoothed, densified to '
                '≤3 km',
         note='The limit of Qing territory as Qianlong-era maps and the Chinese historiography draw it (the Qing '
              'marker Lebushi on the Lepsa, the Kazakh and Kyrgyz as tributaries): the basis of the "more than '
              '440,000 km²" figure for 1864. Not a line either side agreed. ±100 km.')

    # ------------------------------------------------------------------ finish: densify, insert nodes, round
    on = node_table()
    for lid in ORDER:
        cs = clean(densify(LINES[lid]['coords']))
        for nid in on.get(lid, []):
            cs = insert(cs, N(nid), max_km=1.0)
        LINES[lid]['coords'] = clean(cs)


# node ids on each line, in drawing order (LINES.md)
ON = {
    'argun': ['abagaitu', 'amur-source'],
    'shilka': ['gorbitsa-mouth', 'amur-source'],
    'gorbitsa': ['gorbitsa-source', 'gorbitsa-mouth'],
    'amazar': ['amazar-source', 'amazar-mouth'],
    'amur': ['amur-source', 'amazar-mouth', 'zeya-mouth', 'hormoldzin', 'songhua-mouth', 'kazakevich-channel-head',
             'ussuri-mouth', 'amur-mouth'],
    'zeya': ['sixty-four-north', 'zeya-mouth'],
    'sixty-four-villages-limit': ['sixty-four-north', 'hormoldzin'],
    'ussuri': ['ussuri-source', 'songacha-mouth', 'kazakevichevo', 'ussuri-mouth'],
    'kazakevich-channel': ['kazakevich-channel-head', 'kazakevichevo'],
    'songacha': ['songacha-source', 'songacha-mouth'],
    'khanka-crossing': ['songacha-source', 'tur-mouth'],
    'tur': ['tur-mouth'],
    'ridge-tur-hubtu': ['tur-mouth', 'hubtu-mouth'],
    'ridge-hubtu-tumen': ['hubtu-mouth', 'tumen-junction'],
    'tumen': ['tumen-junction', 'tumen-mouth'],
    'ussuri-source-sea': ['ussuri-source', 'ussuri-source-sea'],
    'stanovoy': ['gorbitsa-source', 'amazar-source', 'uda-head', 'stanovoy-sea'],
    'uda': ['uda-source', 'uda-mouth'],
    'uda-zeya-divide': ['uda-head', 'uda-source'],
    'uda-divide': ['uda-source', 'uda-divide'],
    'southern-range': ['gorbitsa-source', 'uda-divide', 'southern-range-sea'],
    'kyakhta-line-1727': ['abagaitu', 'tarbagan-dakh', 'kyakhta-marker', 'tuva-apex', 'shabin-dabaga'],
    'khalkha-oirat-1689': ['tuva-apex', 'gobi-altai-turn'],
    'western-line': ['shabin-dabaga', 'abakan-range-junction', 'western-line-end'],
    'abakan-range': ['abakan-range-junction', 'abakan-range-end'],
    'khalkha-limit': ['tarbagan-dakh', 'khalkha-dzungar-junction'],
    'dzungar-frontier': ['shabin-dabaga', 'gobi-altai-turn', 'khalkha-dzungar-junction', 'dzungar-frontier-end'],
    'barkol-hami-frontier': ['gobi-altai-turn', 'barkol-frontier-end'],
    'western-boundary': ['western-line-end', 'ak-kaba-source', 'mus-tau', 'bedschin-tau', 'uzuntau', 'khan-tengri',
                         'tsunlin', 'western-boundary-end'],
    'zaysan-1864': ['ak-kaba-source', 'mus-tau'],
    'ili-1864': ['bedschin-tau', 'uzuntau'],
    'fergana-range': ['fergana-range-end', 'tsunlin'],
    'siberian-line-1689': ['abakan-range-end', 'siberian-line-end'],
    'irtysh-line-1727': ['abakan-range-end', 'irtysh-line-end'],
    'russian-front-1858': ['western-line-end', 'kyrgyz-node', 'russian-front-end'],
    'kyrgyz-limit': ['kyrgyz-node', 'khan-tengri'],
    'qing-claim': ['western-line-end', 'qing-claim-end'],
}
# nodes that must be the first / last vertex of a line
ENDS = {lid: (ids[0], ids[-1]) for lid, ids in ON.items()}
ENDS['argun'] = (None, 'amur-source')
ENDS['shilka'] = (None, 'amur-source')
ENDS['zeya'] = (None, 'zeya-mouth')
ENDS['ussuri'] = ('ussuri-source', 'ussuri-mouth')
ENDS['tur'] = (None, 'tur-mouth')
ENDS['tumen'] = (None, 'tumen-mouth')
# the only allowed contacts between lines that are not shared nodes
ALLOWED_CROSSINGS = {frozenset(('southern-range', 'amazar')): 1}
OFFSHORE = ['amur-mouth', 'uda-mouth', 'stanovoy-sea', 'southern-range-sea', 'tumen-mouth', 'ussuri-source-sea']


def node_table():
    return ON


# ----------------------------------------------------------------------------- frame
def build_frame():
    ml = mainland()
    fr = ml.intersection(STUDY)
    dropped = 0
    if fr.geom_type != 'Polygon':
        polys = sorted(fr.geoms, key=lambda p: -p.area)
        dropped = len(polys) - 1
        fr = polys[0]
    fr = Polygon(fr.exterior)       # lakes are land: no holes
    # Natural Earth 1:10m draws the Amur estuary below Nikolaevsk as sea; the treaties give the left
    # bank to Russia "to the sea mouth", so the estuary is part of the study area like a lake: a
    # 0.04°-wide band along the river from Nikolaevsk to 2 km short of the mouth (the line then
    # leaves the frame, so the border ends at the band's end, near the mouth).
    amur = LINES['amur']['coords']
    mouth = amur[-1]
    tail = [c for c in amur if c[0] > 140.55 and km(c, mouth) > 2.0]
    estuary = LineString(tail).buffer(0.04, cap_style='flat')
    fr = fr.union(estuary)
    if fr.geom_type != 'Polygon':
        fr = sorted(fr.geoms, key=lambda p: -p.area)[0]
    fr = Polygon(fr.exterior)
    tumen = LINES['tumen']['coords']
    # the two points where the tumen crosses the frame boundary become exact tumen vertices
    xs = LineString(tumen).intersection(fr.exterior)
    pts = [xs] if xs.geom_type == 'Point' else list(xs.geoms)
    for p in pts:
        tumen = insert(tumen, (p.x, p.y))
    tumen = clean(tumen)
    LINES['tumen']['coords'] = tumen
    cross = sorted([r6((p.x, p.y)) for p in pts], key=lambda c: tumen.index(c))
    # runs of tumen vertices inside the frame: (crossing in, ..., crossing out); the Tumen wiggles
    # across 42N near 128.4-128.5E, so there can be several
    runs = []
    for a, b in zip(cross[::2], cross[1::2]):
        runs.append(tumen[tumen.index(a):tumen.index(b) + 1])
    assert len(cross) % 2 == 0 and cross[-1][1] > 42.2, cross
    pieces = split(fr, LineString(tumen))
    china = Point(128.4, 43.0)
    keep = [g for g in pieces.geoms if g.contains(china)]
    assert len(keep) == 1, 'tumen split: %d pieces' % len(pieces.geoms)
    seg = runs
    ring = []
    for c in keep[0].exterior.coords[:-1]:
        c = r6(c)
        for e in cross:               # split may recompute the crossings in the last bits
            if math.dist(c, e) < 2e-6:
                c = e
        if not ring or ring[-1] != c:
            ring.append(c)
    while ring[0] == ring[-1]:
        ring.pop()
    poly = Polygon(ring)
    if not poly.exterior.is_ccw:
        poly = Polygon(ring[::-1])
    return poly, seg, dropped


# ----------------------------------------------------------------------------- output
def fc(features):
    return {'type': 'FeatureCollection', 'features': features}


def dump(path, obj):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write('\n')


def geom_line(cs):
    return {'type': 'LineString', 'coordinates': [[c[0], c[1]] for c in cs]}


def write(frame):
    os.makedirs(os.path.join(OUT, 'lines'), exist_ok=True)
    for lid in ORDER:
        p = {'id': lid}
        for k in ('name_en', 'name_ru', 'name_zh', 'kind', 'direction', 'source', 'scale', 'certainty', 'note'):
            v = LINES[lid]['props'].get(k)
            if v is not None:
                p[k] = v
        dump(os.path.join(OUT, 'lines', lid + '.geojson'),
             {'type': 'Feature', 'properties': p, 'geometry': geom_line(LINES[lid]['coords'])})
    feats = []
    for nid in sorted(NODES):
        n = NODES[nid]
        p = {'id': nid}
        for k in ('name_en', 'name_ru', 'name_zh', 'kind', 'source', 'tolerance_m', 'note'):
            if n.get(k) is not None:
                p[k] = n[k]
        feats.append({'type': 'Feature', 'properties': p,
                      'geometry': {'type': 'Point', 'coordinates': [n['coord'][0], n['coord'][1]]}})
    dump(os.path.join(OUT, 'nodes.geojson'), fc(feats))
    ring = [list(c) for c in frame.exterior.coords]
    dump(os.path.join(OUT, 'frame.geojson'), {
        'type': 'Feature',
        'properties': {
            'source': f"{NE_VER} land_10m (public domain, Made with Natural Earth): the polygon holding the Asian "
                      "mainland (islands dropped, lakes kept as land), intersected with the study polygon 73°E-144°E x "
                      "42°N-62.5°N extended south to 40°N west of 88°E (until 2026-11 the box 88°E-144°E x "
                      "42°N-62.5°N: the western extension brings in Lake Zaysan, where Beijing 1860 art. 2 sends the "
                      "western line, the whole line of the Chuguchak protocol of 1864 from Shabin-Dabaga to the "
                      "Kokand frontier south of Issyk-Kul, the Ili (Khorgos) tract and the Kuitun-Saur line of St "
                      "Petersburg 1881, the Irtysh line of 1716-20 and the Russian posts of the Kazakh steppe and "
                      "Semirechye; east of 88°E the polygon is the old box, so the eastern frame keeps the same "
                      "vertices), minus the Korean side of the tumen line (north of 42N Korea is bounded by the "
                      "Tumen alone); the Korean edge is made of exactly the tumen line's vertices; the Amur estuary "
                      "below Nikolaevsk (sea in NE) added as a 0.04° band along the river; rounded to 6 decimals",
            'scale': '1:10m',
            'description': 'the Asian mainland between 73°E and 144°E, 42°N (40°N west of 88°E) and 62.5°N, '
                           'without Korea (cut along the Tumen) and without islands (Sakhalin); the Amur estuary '
                           'below Nikolaevsk counted as inland water',
            'note': 'Study area the territories of every treaty tile. Okhotsk town and Chumikan village fall just '
                    'outside the generalised NE coast (0.5 km and 0.2 km offshore). Lakes (Baikal, Balkhash, '
                    'Zaysan, Issyk-Kul) count as land. Kashgar (39.47N) lies just outside.'},
        'geometry': {'type': 'Polygon', 'coordinates': [ring]}})


# ----------------------------------------------------------------------------- checks
def checks(frame, korean_seg):
    ok = True

    def fail(msg):
        nonlocal ok
        ok = False
        print('  FAIL:', msg)

    print('== lines: vertices, length km, median / max spacing km')
    for lid in ORDER:
        cs = LINES[lid]['coords']
        sp = sorted(km(cs[i], cs[i + 1]) for i in range(len(cs) - 1))
        med = sp[len(sp) // 2]
        print('  %-26s %6d %9.1f  %5.2f / %5.2f' % (lid, len(cs), length_km(cs), med, sp[-1]))
        if LINES[lid]['props'].get('kind') == 'river' and med > 5:
            fail('%s median spacing %.2f km > 5' % (lid, med))
        if len(set(cs)) != len(cs):
            fail('%s repeats a vertex' % lid)
        if not LineString(cs).is_simple:
            fail('%s is not simple' % lid)
    print('  total vertices:', sum(len(LINES[l]['coords']) for l in ORDER))

    print('== nodes on their lines (exact vertices, in order)')
    for lid, ids in ON.items():
        cs = LINES[lid]['coords']
        idx = []
        for nid in ids:
            if N(nid) not in cs:
                fail('%s not a vertex of %s' % (nid, lid))
                idx.append(-1)
            else:
                idx.append(cs.index(N(nid)))
        if idx != sorted(idx):
            fail('nodes out of order on %s: %s' % (lid, list(zip(ids, idx))))
        first, last = ENDS[lid]
        if first and cs[0] != N(first):
            fail('%s does not start at %s' % (lid, first))
        if last and cs[-1] != N(last):
            fail('%s does not end at %s' % (lid, last))
    print('  checked %d line/node incidences' % sum(len(v) for v in ON.values()))

    print('== pairwise contacts (only at shared nodes)')
    geoms = {lid: LineString(LINES[lid]['coords']) for lid in ORDER}
    tree_ids = list(ORDER)
    for i, a in enumerate(tree_ids):
        for b in tree_ids[i + 1:]:
            if not geoms[a].intersects(geoms[b]):
                continue
            inter = geoms[a].intersection(geoms[b])
            pts = []
            for g in getattr(inter, 'geoms', [inter]):
                if g.geom_type != 'Point':
                    fail('%s and %s overlap along a line' % (a, b))
                else:
                    pts.append(r6((g.x, g.y)))
            shared = {N(n) for n in set(ON[a]) & set(ON[b])}
            extra = [p for p in pts if p not in shared]
            allowed = ALLOWED_CROSSINGS.get(frozenset((a, b)), 0)
            if len(extra) > allowed:
                fail('%s x %s touch outside shared nodes at %s' % (a, b, extra))
            elif extra:
                print('  allowed crossing %s x %s at %s' % (a, b, extra))
    print('  done')

    print('== node positions vs control points (km)')
    ref = {'amur-source': 'amur_source', 'gorbitsa-mouth': 'gorbitsa_mouth', 'amazar-mouth': 'amazar_mouth_alt',
           'zeya-mouth': 'zeya_mouth', 'songhua-mouth': 'songhua_mouth', 'ussuri-mouth': 'ussuri_mouth_ne',
           'kazakevichevo': 'kazakevich_ussuri_junction', 'songacha-source': 'songacha_source',
           'songacha-mouth': 'songacha_mouth', 'tur-mouth': 'belen_he_mouth', 'tumen-junction': 'tripoint_ru_cn_kp',
           'tumen-mouth': 'tumen_mouth', 'uda-mouth': 'uda_mouth', 'amur-mouth': 'amur_mouth', 'abagaitu': 'abagaitu',
           'tarbagan-dakh': 'tarbagan_dakh_tripoint', 'kyakhta-marker': 'kyakhta_border',
           'shabin-dabaga': 'shabin_dabaga'}
    for nid, cid in ref.items():
        d = km(N(nid), CP[cid]['pt'])
        tol = CP[cid]['tol']
        flag = '' if d <= tol or nid in OFFSHORE else '  <-- beyond tol'
        print('  %-24s %-28s %6.2f (tol %4.1f)%s' % (nid, cid, d, tol, flag))
        if flag and CP[cid]['row']['confidence'] != 'low':
            fail('%s %.2f km from %s (tol %.1f)' % (nid, d, cid, tol))
    d = km(N('hormoldzin'), N('zeya-mouth'))
    print('  hormoldzin is %.1f km (straight) from the Zeya mouth' % d)

    print('== frame')
    a = geod_area(list(frame.exterior.coords))
    print('  valid %s, ccw %s, vertices %d, area %.0f km², bounds %s' % (
        frame.is_valid, frame.exterior.is_ccw, len(frame.exterior.coords), a,
        tuple(round(v, 4) for v in frame.bounds)))
    if not frame.is_valid:
        fail('frame invalid')
    if not frame.exterior.is_ccw:
        fail('frame not counter-clockwise')
    ring = [tuple(c) for c in frame.exterior.coords[:-1]]
    if any(ring[i] == ring[(i + 1) % len(ring)] for i in range(len(ring))):
        fail('frame has duplicate consecutive points')
    # Korean edge == tumen vertices (each run of the Tumen inside the box appears verbatim in the ring)
    nk = 0
    for s in korean_seg:
        k = ring.index(s[0]) if s[0] in ring else -1
        rr = ring[k:] + ring[:k]
        back = [rr[0]] + rr[1:][::-1]
        if k < 0 or (rr[:len(s)] != s and back[:len(s)] != s):
            fail('frame Korean edge is not exactly the tumen vertices (run from %s)' % (s[0],))
        nk += len(s)
    print('  Korean edge = %d run(s), %d tumen vertices, from %s to %s (incl. tumen-junction: %s)' % (
        len(korean_seg), nk, korean_seg[0][0], korean_seg[-1][-1],
        any(N('tumen-junction') in s for s in korean_seg)))
    for nm, pt in (('Yakutsk', (129.72288, 62.03114)), ('Okhotsk', (143.21468, 59.362)),
                   ('Chumikan', (135.31569, 54.71818)), ('Vladivostok', (131.87353, 43.10562)),
                   ('Khabarovsk', (135.0971, 48.46204)), ('Kyzyl', (94.43776, 51.71108)),
                   ('Musan (KP, must be out)', (129.23, 42.23)), ('Sakhalin (out)', (142.8, 50.0))):
        print('  %-24s in frame: %s (%.1f km from its edge)' % (
            nm, frame.contains(Point(pt)), frame.exterior.distance(Point(pt)) * 111 * math.cos(math.radians(pt[1]))))
    if not frame.contains(Point(129.72288, 62.03114)):
        fail('Yakutsk outside the frame')
    if frame.contains(Point(129.23, 42.23)):
        fail('Korea (Musan) inside the frame')
    for nid in OFFSHORE:
        p = Point(N(nid))
        dd = frame.exterior.distance(p) * 111 * math.cos(math.radians(N(nid)[1]))
        print('  offshore %-20s outside frame: %s (%.1f km out)' % (nid, not frame.contains(p), dd))
        if frame.contains(p) or on_land(N(nid)):
            fail('%s is not offshore' % nid)
    for nid, cond in (('siberian-line-end', N('siberian-line-end')[0] < WEST_E),
                      ('irtysh-line-end', N('irtysh-line-end')[0] < WEST_E),
                      ('russian-front-end', N('russian-front-end')[0] < WEST_E),
                      ('qing-claim-end', N('qing-claim-end')[0] < WEST_E),
                      ('fergana-range-end', N('fergana-range-end')[0] < WEST_E),
                      ('western-boundary-end', N('western-boundary-end')[1] < WEST_S),
                      ('dzungar-frontier-end', N('dzungar-frontier-end')[1] < BOX[1]),
                      ('barkol-frontier-end', N('barkol-frontier-end')[1] < BOX[1]),
                      ('tumen source', LINES['tumen']['coords'][0][1] < BOX[1])):
        print('  %-20s beyond the box: %s' % (nid, cond))
        if not cond:
            fail('%s does not overshoot the box' % nid)

    print('== sides (nearest-segment test; left/right as drawn)')
    T = [
        ('kyakhta-line-1727', 'Kyakhta (RU)', (106.451, 50.34956), 'right'),
        ('kyakhta-line-1727', 'Altanbulag (Qing)', (106.49861, 50.31556), 'left'),
        ('kyakhta-line-1727', 'Kyzyl (Qing)', (94.43776, 51.71108), 'left'),
        ('kyakhta-line-1727', 'Urga (Qing)', (106.88324, 47.90771), 'left'),
        ('kyakhta-line-1727', 'Abakan (RU)', (91.44, 53.72), 'right'),
        ('dzungar-frontier', 'Kyzyl (E = left)', (94.43776, 51.71108), 'left'),
        ('dzungar-frontier', 'Uliastai (E = left)', (96.84, 47.74), 'left'),
        ('western-line', 'Teletskoye lake (RU, right)', (87.6, 51.5), 'right'),
        ('western-line', 'Kosh-Agach (RU from 1858, right)', (88.67, 50.00), 'right'),
        ('western-line', 'Tashanta (RU from 1858, right)', (89.18, 49.72), 'right'),
        ('abakan-range', 'Abakan (RU, right)', (91.43, 53.72), 'right'),
        ('abakan-range', 'Abaza (RU, right)', (90.09, 52.65), 'right'),
        ('abakan-range', 'Tashtagol (RU, Kondoma, right)', (87.87, 52.79), 'right'),
        ('abakan-range', 'Kosh-Agach (Dzungar 1689/1727, left)', (88.67, 50.00), 'left'),
        ('abakan-range', 'Tashanta (Dzungar 1689/1727, left)', (89.18, 49.72), 'left'),
        ('abakan-range', 'Balyktuyul, Ulagan area (Dzungar, left)', (88.17, 50.58), 'left'),
        ('abakan-range', 'Teletskoye lake (Teleut land, Dzungar until 1756: left)', (87.6, 51.5), 'left'),
        ('barkol-hami-frontier', 'Hami (Qing, E = left)', (93.51, 42.82), 'left'),
        ('barkol-hami-frontier', 'Barkol (Qing, E = left)', (93.02, 43.60), 'left'),
        ('barkol-hami-frontier', 'Qitai/Guchen (Dzungar, W = right)', (89.59, 44.02), 'right'),
        ('barkol-hami-frontier', 'Mori (Dzungar, W = right)', (90.28, 43.83), 'right'),
        ('barkol-hami-frontier', 'Pichan/Shanshan (Dzungar, W = right)', (90.21, 42.86), 'right'),
        ('barkol-hami-frontier', 'Turpan (Dzungar side, contested, right)', (89.18, 42.95), 'right'),
        ('khalkha-oirat-1689', 'Khovd (Galdan\'s Khovd 1685; W = right)', (91.64, 48.01), 'right'),
        ('khalkha-oirat-1689', 'Ulaangom (right)', (92.07, 49.98), 'right'),
        ('khalkha-oirat-1689', 'Uvs Nuur (right)', (92.80, 50.30), 'right'),
        ('khalkha-oirat-1689', 'Kyzyl (Uriankhai, right)', (94.43776, 51.71108), 'right'),
        ('khalkha-oirat-1689', 'Toora-Khem, Todzha (right)', (96.11, 52.47), 'right'),
        ('khalkha-oirat-1689', 'Erzin (right)', (95.16, 50.26), 'right'),
        ('khalkha-oirat-1689', 'Uliastai (Khalkha, left)', (96.84, 47.74), 'left'),
        ('khalkha-oirat-1689', 'Moron (Khalkha, left)', (100.16, 49.64), 'left'),
        ('khalkha-oirat-1689', 'Khankh, N Khovsgol (Khalkha, left)', (100.66, 51.50), 'left'),
        ('dzungar-frontier', 'Hami (1689: Galdan\'s sphere, W = right)', (93.51, 42.82), 'right'),
        ('dzungar-frontier', 'Barkol (1689: W = right)', (93.02, 43.60), 'right'),
        ('dzungar-frontier', 'Qitai/Guchen (W = right)', (89.59, 44.02), 'right'),
        ('stanovoy', 'Zeya town (S = right)', (127.25598, 53.73586), 'right'),
        ('stanovoy', 'Mogocha (S)', (119.76889, 53.73965), 'right'),
        ('stanovoy', 'Tynda (S)', (124.72, 55.15), 'right'),
        ('stanovoy', 'Yakutsk (N)', (129.72288, 62.03114), 'left'),
        ('stanovoy', 'Chumikan (S of the range)', (135.31569, 54.71818), 'right'),
        ('uda', 'Chumikan (N = left)', (135.31569, 54.71818), 'left'),
        ('uda', 'Uda-Stanovoy zone 55.0N 134.0E (left)', (134.0, 55.0), 'left'),
        ('uda', 'Selemdzha head 52.6N 134.5E (right)', (134.5, 52.6), 'right'),
        ('stanovoy', 'Uda-Stanovoy zone 55.0N 134.0E (S)', (134.0, 55.0), 'right'),
        ('southern-range', 'Zeya town (S = right)', (127.25598, 53.73586), 'right'),
        ('southern-range', 'Albazino (S)', (124.0775, 53.39056), 'right'),
        ('amur', 'Blagoveshchensk (left)', (127.52637, 50.27593), 'left'),
        ('amur', 'Heihe (right)', (127.49016, 50.24413), 'right'),
        ('amur', 'Aihui (right)', (127.48119, 49.97946), 'right'),
        ('amur', 'Albazino (left)', (124.0775, 53.39056), 'left'),
        ('amur', 'Birobidzhan (left)', (132.92033, 48.793), 'left'),
        ('amur', 'Khabarovsk (right)', (135.0971, 48.46204), 'right'),
        ('amur', 'Bolshoi Ussuriysky (right)', (134.85, 48.36), 'right'),
        ('ussuri', 'Bolshoi Ussuriysky (left)', (134.85, 48.36), 'left'),
        ('kazakevich-channel', 'Bolshoi Ussuriysky (left)', (134.85, 48.36), 'left'),
        ('argun', 'Priargunsk (left, RU)', (119.09532, 50.3648), 'left'),
        ('argun', 'Erguna (right, Qing)', (120.17092, 50.22362), 'right'),
        ('ridge-hubtu-tumen', 'Vladivostok (E = left)', (131.87353, 43.10562), 'left'),
        ('ridge-tur-hubtu', 'Ussuriysk (E = left)', (131.95, 43.80), 'left'),
        ('ussuri', 'Dalnerechensk (right, RU)', (133.722318, 45.927286), 'right'),
        ('western-boundary', 'Tacheng (Qing, left)', (82.95847, 46.74535), 'left'),
        ('western-boundary', 'Zaysan (RU, right)', (84.87144, 47.46657), 'right'),
        ('western-boundary', 'Zharkent (RU from 1881, right)', (80.00736, 44.16619), 'right'),
        ('western-boundary', 'Kuldja (Qing, left)', (81.51804, 43.97799), 'left'),
        ('western-boundary', 'Karakol (RU, right)', (78.39197, 42.49047), 'right'),
        ('western-boundary', 'Aksu (Qing, left)', (80.26, 41.17), 'left'),
        ('zaysan-1864', 'Zaysan (RU, right)', (84.87144, 47.46657), 'right'),
        ('ili-1864', 'Zharkent (Qing in 1864, left)', (80.00736, 44.16619), 'left'),
        ('ili-1864', 'Chundzha (Qing in 1864, left)', (79.46582, 43.53813), 'left'),
        ('ili-1864', 'Kegen (RU in 1864, right)', (79.22638, 43.01451), 'right'),
        ('fergana-range', 'Naryn (left)', (75.9957, 41.4283), 'left'),
        ('siberian-line-1689', 'Tara (RU, right)', (74.36938, 56.89603), 'right'),
        ('siberian-line-1689', 'Kuznetsk (RU, right)', (87.11, 53.76), 'right'),
        ('siberian-line-1689', 'Biysk site (left)', (85.19661, 52.53423), 'left'),
        ('irtysh-line-1727', 'Biysk (RU, right)', (85.19661, 52.53423), 'right'),
        ('irtysh-line-1727', 'Omsk (RU, right)', (73.36859, 54.99244), 'right'),
        ('irtysh-line-1727', 'Zaysan (Dzungar, left)', (84.87144, 47.46657), 'left'),
        ('russian-front-1858', 'Vernyi (RU, right)', (76.9115, 43.25249), 'right'),
        ('russian-front-1858', 'Kopal (RU, right)', (79.08, 45.12), 'right'),
        ('russian-front-1858', 'Sergiopol (RU, right)', (80.43437, 47.96447), 'right'),
        ('russian-front-1858', 'Zaysan (left)', (84.87144, 47.46657), 'left'),
        ('russian-front-1858', 'Pishpek (Kokand, left)', (74.59, 42.87), 'left'),
        ('kyrgyz-limit', 'Karakol (Kyrgyz, right)', (78.39197, 42.49047), 'right'),
        ('kyrgyz-limit', 'Kegen (left)', (79.22638, 43.01451), 'left'),
        ('qing-claim', 'Zaysan (left)', (84.87144, 47.46657), 'left'),
        ('qing-claim', 'Semipalatinsk (RU, right)', (80.25025, 50.42064), 'right'),
    ]
    for lid, nm, pt, want in T:
        got = side(LINES[lid]['coords'], pt)
        print('  %-20s %-32s %-5s %s' % (lid, nm, got, '' if got == want else '<-- expected ' + want))
        if got != want and not nm.startswith('Chumikan'):
            fail('%s on the %s of %s' % (nm, got, lid))

    print('== Sixty-Four Villages')
    zeya = LINES['zeya']['coords']
    amur = LINES['amur']['coords']
    lim = LINES['sixty-four-villages-limit']['coords']
    ring = sub(zeya, N('sixty-four-north'), N('zeya-mouth')) + sub(amur, N('zeya-mouth'), N('hormoldzin'))[1:] + \
        lim[::-1][1:]
    poly = Polygon(ring)
    a64 = geod_area(ring)
    print('  area %.0f km² (target ~3,600), valid %s, contains 50.10N 127.683E: %s' % (
        a64, poly.is_valid, poly.contains(Point(127.683, 50.10))))
    if not (3300 < a64 < 3900) or not poly.contains(Point(127.683, 50.10)):
        fail('Sixty-Four Villages polygon off')
    print('== RESULT:', 'all checks passed' if ok else 'SOME CHECKS FAILED')
    return ok


def plot(frame, outdir):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    os.makedirs(outdir, exist_ok=True)
    views = {'all': (86, 41, 146, 63), 'east': (115, 47, 142, 57.5), 'west': (86, 46, 108, 55),
             'sea': (126, 42, 142, 50)}
    for name, bb in views.items():
        fig, ax = plt.subplots(figsize=(16, 11))
        x, y = frame.exterior.xy
        ax.fill(x, y, color='#eeeeee')
        for f in ne_features('rivers_10m.geojson'):
            for p in parts(shape(f['geometry'])):
                ax.plot([c[0] for c in p], [c[1] for c in p], color='#99c', lw=0.5)
        for lid in ORDER:
            cs = LINES[lid]['coords']
            ax.plot([c[0] for c in cs], [c[1] for c in cs], lw=1.2)
            m = cs[len(cs) // 2]
            if bb[0] < m[0] < bb[2] and bb[1] < m[1] < bb[3]:
                ax.text(m[0], m[1], lid, fontsize=7)
        for nid, n in NODES.items():
            c = n['coord']
            if bb[0] < c[0] < bb[2] and bb[1] < c[1] < bb[3]:
                ax.plot(c[0], c[1], 'k.', ms=4)
                ax.text(c[0], c[1], nid, fontsize=6, color='r')
        ax.set_xlim(bb[0], bb[2])
        ax.set_ylim(bb[1], bb[3])
        ax.set_aspect(1 / math.cos(math.radians((bb[1] + bb[3]) / 2)))
        fig.savefig(os.path.join(outdir, name + '.png'), dpi=70, bbox_inches='tight')
        plt.close(fig)


def main():
    build()
    frame, seg, dropped = build_frame()
    print('frame: mainland x box gave %d extra piece(s), dropped' % dropped)
    write(frame)
    ok = checks(frame, seg)
    if '--plot' in sys.argv:
        plot(frame, sys.argv[sys.argv.index('--plot') + 1])
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
