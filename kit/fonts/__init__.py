"""Kit Sans, the font the kit's SVG exports are measured and drawn with, bundled so that a chart's
text is as wide in every browser as vl-convert measured it (a subset of DejaVu Sans; see LICENSE and
tools/subset_font.py)."""
import base64
from functools import cache
from pathlib import Path

__all__ = ["FAMILY", "DIRECTORY", "FACES", "register", "font_face_css"]

FAMILY = "Kit Sans"
DIRECTORY = Path(__file__).resolve().parent
FACES = {"KitSans-Regular.ttf": ("normal", "normal"), "KitSans-Bold.ttf": ("bold", "normal"),
         "KitSans-Italic.ttf": ("normal", "italic")}


@cache
def register() -> None:
    """Tell vl-convert where Kit Sans is (once per process)."""
    import vl_convert as vlc

    vlc.register_font_directory(str(DIRECTORY))


@cache
def font_face_css() -> str:
    """@font-face rules that carry Kit Sans inside a page or an SVG, so it needs no file or network.

    >>> font_face_css().count("@font-face")
    3
    """
    rules = []
    for file, (weight, style) in FACES.items():
        data = base64.b64encode((DIRECTORY / file).read_bytes()).decode("ascii")
        rules.append(f"@font-face {{ font-family: '{FAMILY}'; font-weight: {weight}; font-style: {style}; "
                     f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}")
    return "\n".join(rules)
