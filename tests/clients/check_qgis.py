#!/usr/bin/python3
"""Opens a treatyline output folder's QGIS project with PyQGIS (headless) and checks it as a
reader would see it: the project loads, every layer is valid and comes from the GeoPackage by a
relative path, valid_from/valid_to are Date fields, territories are coloured by status (hatched
where statuses.toml says so), borders dashed by certainty, places labelled, and the timeline
layers have active temporal properties that show, at every treaty's date, that treaty's
territory (including the last one, whose valid_to is null). The .qml styles beside the GeoJSON
layers are loaded and checked the same way.

usage: /usr/bin/python3 check_qgis.py OUTPUT_DIR [GEODATA_DIR]
GEODATA_DIR (default: geodata) is where statuses.toml says which statuses are hatched.
Exit status 0 when everything checks out, 1 on failures, 3 when PyQGIS is not installed.
"""

import glob
import json
import os
import re
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))

try:
    from qgis.core import (
        QgsApplication,
        QgsCategorizedSymbolRenderer,
        QgsDateTimeRange,
        QgsFeatureRequest,
        QgsProject,
        QgsVectorLayer,
        QgsVectorLayerTemporalContext,
        QgsVectorLayerTemporalProperties,
    )
    from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QVariant, Qt
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"PyQGIS is not available: {e}", file=sys.stderr)
    sys.exit(3)

failures = []
PREFIX = "treatyline_"  # QGIS layer id = PREFIX + GeoPackage table


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg, file=sys.stderr)


def at(date_iso):
    """A one-day temporal range starting on the date."""
    d = QDate.fromString(date_iso, "yyyy-MM-dd")
    start = QDateTime(d, QTime(0, 0, 0))
    return QgsDateTimeRange(start, start.addDays(1))


def visible(layer, date_iso):
    """The features the Temporal Controller would draw on that day."""
    ctx = QgsVectorLayerTemporalContext()
    ctx.setLayer(layer)
    expr = layer.temporalProperties().createFilterString(ctx, at(date_iso))
    req = QgsFeatureRequest()
    if expr:
        req.setFilterExpression(expr)
    return list(layer.getFeatures(req))


def hatched_statuses(geodata):
    """The status ids statuses.toml marks hatch = true."""
    import tomllib

    with open(os.path.join(geodata, "statuses.toml"), "rb") as f:
        return {s["id"] for s in tomllib.load(f)["status"] if s.get("hatch")}


def check_dates(label, layer):
    for name in ("valid_from", "valid_to"):
        i = layer.fields().indexOf(name)
        if i < 0:
            fail(f"{label}: no field {name}")
        elif layer.fields().field(i).type() != QVariant.Date:
            fail(f"{label}: {name} is {layer.fields().field(i).typeName()}, expected Date")


def check_style(label, layer, hatched):
    name = os.path.basename(layer.source().split("|")[0])
    kind = label.rsplit("_", 1)[-1] if "|" in layer.source() else os.path.splitext(name)[0]
    r = layer.renderer()
    if kind == "territory":
        if not isinstance(r, QgsCategorizedSymbolRenderer) or r.classAttribute() != "status":
            fail(f"{label}: territory is not categorized by status")
            return
        for c in r.categories():
            n = c.symbol().symbolLayerCount()
            kinds = [c.symbol().symbolLayer(k).layerType() for k in range(n)]
            if kinds[0] != "SimpleFill":
                fail(f"{label}: status {c.value()} has no colour fill: {kinds}")
            want = c.value() in hatched
            if ("LinePatternFill" in kinds) != want:
                fail(f"{label}: status {c.value()} hatched={not want}, statuses.toml says {want}")
    elif kind == "border":
        if not isinstance(r, QgsCategorizedSymbolRenderer) or r.classAttribute() != "certainty":
            fail(f"{label}: border is not categorized by certainty")
            return
        pens = {c.value(): c.symbol().symbolLayer(0).penStyle() for c in r.categories()}
        want = {"demarcated": Qt.SolidLine, "described": Qt.DashLine, "approximate": Qt.DotLine}
        if pens != want:
            fail(f"{label}: border pens {pens}, expected {want}")
    elif kind == "places":
        if not layer.labelsEnabled() or layer.labeling() is None:
            fail(f"{label}: places are not labelled")
        elif layer.labeling().settings().fieldName != "name_en":
            fail(f"{label}: places labelled with {layer.labeling().settings().fieldName!r}")


def check_timeline(label, layer, treaty_dates, from_fields):
    tp = layer.temporalProperties()
    if not tp.isActive():
        fail(f"{label}: temporal properties are not active")
        return
    if from_fields:
        if tp.mode() != QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromFields:
            fail(f"{label}: temporal mode {tp.mode()}, expected start and end from fields")
        if tp.startField() != "valid_from" or tp.endField() != "valid_to":
            fail(f"{label}: temporal fields {tp.startField()!r}/{tp.endField()!r}")
    for treaty, date in treaty_dates:
        feats = visible(layer, date)
        got = {f["treaty"] for f in feats}
        if got != {treaty}:
            fail(f"{label}: on {date} the Temporal Controller shows {sorted(got)}, expected [{treaty!r}]")


def treaty_dates(out):
    """(treaty id, valid_from) of every treaty, from the timeline GeoJSON."""
    path = os.path.join(out, "timeline", "territory.geojson")
    with open(path, encoding="utf-8") as f:
        feats = json.load(f)["features"]
    seen = []
    for ft in feats:
        p = ft["properties"]
        if (p["treaty"], p["valid_from"]) not in seen:
            seen.append((p["treaty"], p["valid_from"]))
    return seen


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    out = os.path.abspath(sys.argv[1])
    project_path = os.path.join(out, "treatyline.qgs")
    hatched = hatched_statuses(sys.argv[2] if len(sys.argv) == 3 else "geodata")
    dates = treaty_dates(out)

    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    try:
        if not project.read(project_path):
            fail(f"QGIS cannot read {project_path}: {project.error()}")
            return 1
        layers = list(project.mapLayers().values())
        if not layers:
            fail("the project has no layers")
        with open(project_path, encoding="utf-8") as f:
            text = f.read()
        # every layer of the file must come out of QGIS under its own id (QGIS silently renames
        # or drops layers it cannot take as they are)
        wanted = set(re.findall(r"<maplayer[^>]*>\s*(?:<extent>.*?</extent>\s*)?<id>([^<]+)</id>", text, re.S))
        got = {layer.id() for layer in layers}
        if wanted != got:
            fail(f"layers in the file but not loaded: {sorted(wanted - got)}; loaded under other ids: {sorted(got - wanted)}")
        n_timeline = 0
        for layer in layers:
            label = layer.id()[len(PREFIX):] if layer.id().startswith(PREFIX) else layer.id()
            if not layer.isValid():
                fail(f"{label}: layer is not valid (source {layer.source()})")
                continue
            src = layer.source().split("|")[0]
            if os.path.realpath(src) != os.path.realpath(os.path.join(out, "treatyline.gpkg")):
                fail(f"{label}: reads {src}, not the GeoPackage beside the project")
            if layer.featureCount() <= 0 and not label.endswith("places"):
                fail(f"{label}: no features")
            if layer.fields().indexOf("valid_from") >= 0 or label.endswith(("_territory", "_border")):
                check_dates(label, layer)
            check_style(label, layer, hatched)
            if label.startswith("timeline_"):
                n_timeline += 1
                if label == "timeline_territory":
                    check_timeline(label, layer, dates, True)
                elif not layer.temporalProperties().isActive():
                    fail(f"{label}: temporal properties are not active")
        if n_timeline != 2:
            fail(f"the project has {n_timeline} timeline layers, expected 2")
        if "<Absolute type=\"bool\">false</Absolute>" not in text or out in text:
            fail("the project does not use relative paths")
        project.clear()
        del layers

        # the .qml styles beside the GeoJSON (and Shapefile) layers
        qmls = sorted(glob.glob(os.path.join(out, "**", "*.qml"), recursive=True))
        if not qmls:
            fail("no .qml styles in the output")
        for qml in qmls:
            gj = os.path.splitext(qml)[0] + ".geojson"
            rel = os.path.relpath(gj, out)
            if not os.path.exists(gj):
                fail(f"{os.path.relpath(qml, out)}: no GeoJSON beside it")
                continue
            layer = QgsVectorLayer(gj, rel, "ogr")
            if not layer.isValid():
                fail(f"{rel}: not valid in QGIS")
                continue
            # QGIS loads a same-named .qml by itself on opening; check it styled the layer
            msg, ok = layer.loadNamedStyle(qml)
            if not ok:
                fail(f"{rel}: style not loaded: {msg}")
            check_style(rel, layer, hatched)
            if rel.startswith("timeline" + os.sep) and rel.endswith("territory.geojson"):
                check_timeline(rel, layer, dates, False)
            del layer
    finally:
        project.clear()
        app.exitQgis()
    if failures:
        print(f"{len(failures)} failure(s)", file=sys.stderr)
        return 1
    print(f"qgis: project and {len(qmls)} styles ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
