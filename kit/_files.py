"""Files in and out, with no knowledge of what they hold: reads capped in size, text in the encodings
spreadsheets save, CSV records in the dialect a file uses, and writes that replace a file atomically
(a temporary file in the same folder, then a rename), so a crash never leaves half a file behind."""
from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path

from .errors import DataError

SIGNATURES = [  # (start of file, what it is, what to do)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel workbook (.xls)", "In Excel choose File > Save As > CSV UTF-8"),
    (b"%PDF", "a PDF document", "Export the table from its spreadsheet as CSV instead"),
    (b"\x89PNG", "a PNG image", "Type the numbers into the template instead"),
    (b"\xff\xd8\xff", "a JPEG image", "Type the numbers into the template instead"),
    (b"GIF8", "a GIF image", "Type the numbers into the template instead"),
    (b"\x1f\x8b", "a gzip archive", "Unpack it first"),
]


def read_capped(path: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a file: enough to tell that it is too big without reading it all."""
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def decode_text(raw: bytes, label: str, template: str) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM), UTF-16 (with BOM, or detected) or
    Windows-1252/Latin-1; anything that is not text gets a message saying what it looks like (and,
    for an empty or binary file, to start from `template`)."""
    for magic, what, fix in SIGNATURES:
        if raw.startswith(magic):
            raise DataError([f"this is {what} renamed .csv, not a CSV text file. {fix}"], source=label)
    if raw.startswith(b"PK\x03\x04"):
        head = raw[:4000]
        if b"opendocument.spreadsheet" in head:
            what, fix = "a LibreOffice/OpenOffice spreadsheet (.ods)", "choose File > Save As > Text CSV"
        elif b"xl/" in raw or b"[Content_Types].xml" in head:
            what, fix = "an Excel workbook (.xlsx)", "In Excel choose File > Save As > CSV UTF-8"
        else:
            what, fix = "a ZIP archive", "Unpack it and read the CSV file inside"
        raise DataError([f"this is {what} renamed .csv, not a CSV text file. {fix[0].upper() + fix[1:]}"],
                        source=label)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = utf16_without_bom(raw)
    if encoding is None and b"\x00" in raw:
        raise DataError([_not_text(template)], source=label)
    if encoding:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise DataError([_not_text(template)], source=label) from None
    else:
        for encoding in ("utf-8", "cp1252", "latin-1"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    text = text.lstrip("\ufeff").rstrip("\x1a")  # a BOM left by a double save; DOS end-of-file mark
    controls = len(re.findall(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text))
    if "\x00" in text or controls > max(2, len(text) // 100):  # a stray one is reported on its cell
        raise DataError([_not_text(template)], source=label)
    if re.match(r"\s*<(!doctype html|html|\?xml)", text, flags=re.I):
        raise DataError(["this is a web page or XML file, not a CSV file. Save the table from its spreadsheet "
                         "as CSV"], source=label)
    if not text.strip():
        raise DataError([f"the file is empty. Start from {template}, which lists every role the kit knows"],
                        source=label)
    return text


def utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is zero, as in UTF-16 text without a BOM."""
    sample = raw[:2000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _not_text(template: str) -> str:
    return ("this is not a text file (it holds binary data), so it is not a CSV file. Save the table from "
            f"its spreadsheet as CSV, or start from {template}")


def delimiter_of(first_line: str) -> str:
    """The separator a CSV file uses: comma, semicolon or tab, whichever its first line has most of
    outside quotes (ties go to the comma)."""
    counts = {d: len(re.findall(re.escape(d) + r'(?=(?:[^"]*"[^"]*")*[^"]*$)', first_line)) for d in ",;\t"}
    return max(",;\t", key=lambda d: counts[d])  # ties go to the comma


def csv_records(text: str, delimiter: str, label: str) -> list[list[str]]:
    """Every record of CSV text, cells stripped; a broken file gets a message naming its row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    try:
        for record in reader:
            records.append([cell.strip() for cell in record])
    except csv.Error as exc:
        row = len(records) + 1
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = f"a cell is longer than {csv.field_size_limit():,} characters"
        elif "expected after" in reason or "end of data" in reason:
            reason = ('its quotes do not pair up: a cell that starts with " must end with " (write "" for a '
                      "quote inside a cell)")
        raise DataError([f"row {row}: {reason}"], source=label) from None
    return records


def atomic_write(path, content: str | bytes) -> Path:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename.

    Text is written as UTF-8. An existing file keeps its permissions; a new one gets 0644.
    Problems (no such folder, no permission, disk full) raise `kit.DataError` with the reason.
    """
    path = Path(os.fspath(path))
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        if path.is_dir():
            raise IsADirectoryError(21, "it is a folder", str(path))
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        if isinstance(exc, FileNotFoundError) and not folder.is_dir():
            reason = f"the folder {str(folder)!r} does not exist"
        raise DataError([f"cannot save {str(path)!r}: {reason}; nothing was written"], source="save") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path
