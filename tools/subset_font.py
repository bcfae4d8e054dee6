"""Build the kit's bundled export font, Kit Sans, from Debian's DejaVu Sans (fonts-dejavu-core/extra).

Exported SVG (and the one-page summary that inlines it) is laid out by vl-convert with the widths of a
font it knows, then drawn by a browser with whatever fonts the machine has; with different fonts the
text runs outside the picture. Kit Sans goes both ways: vl-convert measures with it and every page
embeds it, so a chart's text is as wide everywhere as it was measured. DejaVu's licence (Bitstream
Vera terms) allows a subset under a name without "Bitstream" or "Vera"; see kit/fonts/LICENSE.

Run once by a maintainer (needs `pip install fonttools`, not a kit dependency):
    python tools/subset_font.py
"""
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
TARGET = Path(__file__).resolve().parents[1] / "kit" / "fonts"
FACES = {"Regular": "DejaVuSans.ttf", "Bold": "DejaVuSans-Bold.ttf", "Italic": "DejaVuSans-Oblique.ttf"}
# Latin letters and punctuation, the dashes, quotes and ellipsis, arrows, ≤ ≥ − × and the tick marks.
UNICODES = [*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x2010, 0x2040), 0x20AC, *range(0x2190, 0x2196),
            0x2212, 0x2248, 0x2260, 0x2264, 0x2265, *range(0x2713, 0x2719), *range(0x25A0, 0x25D0)]


def build(face: str, source: str) -> Path:
    font = TTFont(SOURCE / source)
    options = subset.Options()
    options.layout_features = ["kern", "liga"]
    options.name_IDs = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    name = font["name"]
    for record_id, text in {1: "Kit Sans", 2: face, 4: f"Kit Sans {face}", 6: f"KitSans-{face}",
                            16: "Kit Sans", 17: face}.items():
        name.setName(text, record_id, 3, 1, 0x409)
        name.setName(text, record_id, 1, 0, 0)
    path = TARGET / f"KitSans-{face}.ttf"
    font.save(path)
    return path


if __name__ == "__main__":
    for face, source in FACES.items():
        path = build(face, source)
        print(path.name, path.stat().st_size, "bytes")
