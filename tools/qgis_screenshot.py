#!/usr/bin/python3
"""Renders the QGIS project of a treatyline output folder headless, the way QGIS draws it: one
panel per treaty (the timeline layers filtered by the Temporal Controller to the treaty's date)
plus a legend, into one PNG for the README's "Use it in QGIS" section.

usage: /usr/bin/python3 tools/qgis_screenshot.py [OUTPUT_DIR] [PNG]
defaults: output  docs/qgis.png
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", "/tmp/runtime-" + str(os.getuid()))

from qgis.core import (  # noqa: E402
    QgsApplication,
    QgsDateTimeRange,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QRectF, QSize, Qt, QTime  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter  # noqa: E402

PANEL = [820, 420]  # the height follows the map's aspect ratio
CAPTION = 54
COLS = 2


def panel(project, layers, extent, date_iso, caption, sub):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(project.crs())
    settings.setOutputSize(QSize(*PANEL))
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("#f4f4f0"))
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    settings.setTransformContext(project.transformContext())
    d = QDate.fromString(date_iso, "yyyy-MM-dd")
    start = QDateTime(d, QTime(0, 0, 0))
    settings.setIsTemporal(True)
    settings.setTemporalRange(QgsDateTimeRange(start, start.addDays(1)))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    img = QImage(PANEL[0], PANEL[1] + CAPTION, QImage.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    f = QFont("Sans Serif", 13)
    f.setBold(True)
    p.setFont(f)
    p.drawText(QRectF(10, 4, PANEL[0] - 20, 26), Qt.AlignLeft | Qt.AlignVCenter, caption)
    p.setFont(QFont("Sans Serif", 10))
    p.drawText(QRectF(10, 28, PANEL[0] - 20, 22), Qt.AlignLeft | Qt.AlignVCenter, sub)
    p.drawImage(0, CAPTION, job.renderedImage())
    p.setPen(QColor("#999999"))
    p.drawRect(0, CAPTION, PANEL[0] - 1, PANEL[1] - 1)
    p.end()
    return img


def legend(layer_t, layer_b):
    img = QImage(PANEL[0], PANEL[1] + CAPTION, QImage.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    f = QFont("Sans Serif", 13)
    f.setBold(True)
    p.setFont(f)
    p.drawText(QRectF(10, 4, PANEL[0] - 20, 26), Qt.AlignLeft | Qt.AlignVCenter, "Legend")
    p.setFont(QFont("Sans Serif", 10))
    y = CAPTION + 6
    for cat in layer_t.renderer().categories():
        icon = cat.symbol().asImage(QSize(44, 26))
        p.drawImage(14, y, icon)
        p.drawText(QRectF(70, y, PANEL[0] // 2 - 80, 26), Qt.AlignLeft | Qt.AlignVCenter, cat.label())
        y += 34
    y = CAPTION + 6
    for cat in layer_b.renderer().categories():
        icon = cat.symbol().asImage(QSize(44, 26))
        p.drawImage(PANEL[0] // 2 + 14, y, icon)
        p.drawText(QRectF(PANEL[0] // 2 + 70, y, PANEL[0] // 2 - 80, 26), Qt.AlignLeft | Qt.AlignVCenter, "border " + cat.label())
        y += 34
    p.end()
    return img


def main():
    out = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "output")
    png = sys.argv[2] if len(sys.argv) > 2 else "docs/qgis.png"
    with open(os.path.join(out, "timeline", "territory.geojson"), encoding="utf-8") as f:
        feats = json.load(f)["features"]
    treaties = []
    for ft in feats:
        p = ft["properties"]
        key = (p["treaty"], p["valid_from"], p["name_en"])
        if key not in treaties:
            treaties.append(key)

    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    if not project.read(os.path.join(out, "treatyline.qgs")):
        print("cannot read the project", file=sys.stderr)
        return 1
    t = project.mapLayer("treatyline_timeline_territory")
    b = project.mapLayer("treatyline_timeline_border")
    pl = project.mapLayer("treatyline_places")
    layers = [x for x in (pl, b, t) if x is not None]
    ext = QgsRectangle(t.extent())
    ext.grow(max(ext.width(), ext.height()) * 0.04)
    PANEL[1] = int(min(max(PANEL[0] * ext.height() / ext.width(), 200), 480))
    want = PANEL[0] / PANEL[1]
    if ext.width() / ext.height() < want:
        cx, w = ext.center().x(), ext.height() * want
        ext = QgsRectangle(cx - w / 2, ext.yMinimum(), cx + w / 2, ext.yMaximum())
    else:
        cy, h = ext.center().y(), ext.width() / want
        ext = QgsRectangle(ext.xMinimum(), cy - h / 2, ext.xMaximum(), cy + h / 2)

    panels = []
    for tid, vf, name in treaties:
        panels.append(panel(project, layers, ext, vf, f"{name}", f"{tid} · Temporal Controller at {vf}"))
    panels.append(legend(t, b))
    rows = (len(panels) + COLS - 1) // COLS
    w, h = PANEL[0], PANEL[1] + CAPTION
    gap = 10
    sheet = QImage(COLS * w + (COLS + 1) * gap, rows * h + (rows + 1) * gap, QImage.Format_ARGB32)
    sheet.fill(QColor("white"))
    p = QPainter(sheet)
    for i, img in enumerate(panels):
        r, c = divmod(i, COLS)
        p.drawImage(gap + c * (w + gap), gap + r * (h + gap), img)
    p.end()
    os.makedirs(os.path.dirname(os.path.abspath(png)), exist_ok=True)
    ok = sheet.save(png)
    del layers, t, b, pl
    project.clear()
    app.exitQgis()
    print(f"wrote {png}" if ok else f"could not write {png}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
