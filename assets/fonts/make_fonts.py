#!/usr/bin/env python3
"""Makes the embedded map fonts (assets/fonts/*.ttf, *.otf) from Debian's Noto packages
(fonts-noto-core, fonts-noto-cjk; SIL Open Font License 1.1, see OFL.txt) with fontTools:

* Noto Sans Regular/Bold, cut to Latin, Cyrillic, punctuation and a few symbols;
* Noto Sans CJK SC Regular/Bold, cut to the Han characters and CJK punctuation that occur in
  geodata/ (places, statuses, treaties) and in src/render/ (the map's own words), plus CJK and
  full-width punctuation.

Rerun it when `cargo test --test render` reports a label character no embedded font has:

    apt-get install fonts-noto-core fonts-noto-cjk && python3 assets/fonts/make_fonts.py
"""
import glob
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "assets", "fonts")
NOTO = "/usr/share/fonts/truetype/noto"
CJK = "/usr/share/fonts/opentype/noto"

LATIN = ",".join([
    "U+0020-007E", "U+00A0-017F", "U+0180-024F", "U+02B9-02BC", "U+02C6-02DD", "U+0300-0301",
    "U+0308", "U+0400-045F", "U+0490-0491", "U+1E00-1EFF", "U+2010-2027", "U+2030-2033",
    "U+2039-203A", "U+2070-2079", "U+2080-2089", "U+20AC", "U+2116", "U+2122", "U+2190-2195",
    "U+2212", "U+2248", "U+2260-2265", "U+00B0", "U+00D7",
])
CJK_PUNCT = [(0x3000, 0x303F), (0xFF01, 0xFF5E)]
# Symbols Debian's Noto Sans lacks, drawn from the CJK face: minus sign, arrows.
CJK_SYMBOLS = [(0x2190, 0x2195), (0x2212, 0x2212)]


def han_chars():
    chars = set()
    files = []
    for pat in ("geodata/*.geojson", "geodata/*.toml", "geodata/treaties/*.toml",
                "src/render/*.rs"):
        files += glob.glob(os.path.join(ROOT, pat))
    for path in sorted(files):
        with open(path, encoding="utf-8") as f:
            for c in f.read():
                o = ord(c)
                if 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF:
                    chars.add(c)
    for lo, hi in CJK_PUNCT + CJK_SYMBOLS:
        chars.update(chr(o) for o in range(lo, hi + 1))
    return "".join(sorted(chars))


def subset(src, dst, extra, font_number=None):
    cmd = [sys.executable, "-m", "fontTools.subset", src, f"--output-file={dst}",
           "--no-hinting", "--desubroutinize", "--layout-features=kern,liga,locl",
           "--name-IDs=0,1,2,3,4,5,6,13,14"] + extra
    if font_number is not None:
        cmd.append(f"--font-number={font_number}")
    subprocess.run(cmd, check=True)
    print(dst, os.path.getsize(dst), "bytes")


def main():
    for w in ("Regular", "Bold"):
        subset(f"{NOTO}/NotoSans-{w}.ttf", f"{OUT}/NotoSans-{w}.ttf", [f"--unicodes={LATIN}"])
    text = os.path.join(OUT, ".han.txt")
    with open(text, "w", encoding="utf-8") as f:
        f.write(han_chars())
    try:
        for w in ("Regular", "Bold"):
            # Index 2 of Debian's collection is Noto Sans CJK SC.
            subset(f"{CJK}/NotoSansCJK-{w}.ttc", f"{OUT}/NotoSansCJKsc-{w}-subset.otf",
                   [f"--text-file={text}"], font_number=2)
    finally:
        os.remove(text)


if __name__ == "__main__":
    main()
