"""Files in and out, with no knowledge of what they hold: where a learner's files go (one path
policy), reads of regular files only and capped in size, text in the encodings spreadsheets save,
CSV records in the dialect a file uses, and writes that replace a file atomically (a temporary file
in the same folder, then a rename), so a crash never leaves half a file behind."""
from __future__ import annotations

import csv
import io
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import DataError, quoted

SIGNATURES = [  # (start of file, what it is, what to do)
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel workbook (.xls)", "In Excel choose File > Save As > CSV UTF-8"),
    (b"%PDF", "a PDF document", "Export the table from its spreadsheet as CSV instead"),
    (b"\x89PNG", "a PNG image", "Type the numbers into the template instead"),
    (b"\xff\xd8\xff", "a JPEG image", "Type the numbers into the template instead"),
    (b"GIF8", "a GIF image", "Type the numbers into the template instead"),
    (b"\x1f\x8b", "a gzip archive", "Unpack it first"),
]


# --------------------------------------------------------------------------- where a learner's files go

OUTPUTS_ENV = "KIT_OUTPUTS_DIR"
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.()-]{0,79}")


def outputs_dir() -> Path:
    """The folder the kit writes a learner's files to: $KIT_OUTPUTS_DIR, else the checkout's
    notebooks/my_outputs/ (else, for a kit installed without its checkout, my_outputs/ beside the
    running notebook)."""
    folder = os.environ.get(OUTPUTS_ENV)
    return Path(folder) if folder else default_outputs(Path(__file__).resolve().parent.parent, Path.cwd())


def default_outputs(checkout: Path, cwd: Path) -> Path:
    """notebooks/my_outputs/ of the checkout if it has a notebooks folder, else cwd/my_outputs."""
    notebooks = checkout / "notebooks"
    return notebooks / "my_outputs" if notebooks.is_dir() else cwd / "my_outputs"


def learner_file(name: object, suffix: str | None = None, source: str = "file name",
                 folder: Path | None = None) -> Path:
    """The path of `name` inside the learner's outputs folder (or `folder`): a bare file name of
    letters, digits, spaces and _ . ( ) -, ending in `suffix` when one is given. A folder part,
    '..', an absolute path, a hidden name or a link out of the folder is a kit.DataError.

    >>> learner_file("plan.json", ".json", folder=Path("/tmp/out")).name
    'plan.json'
    >>> learner_file("../notebook.ipynb", ".json", folder=Path("/tmp/out"))
    Traceback (most recent call last):
    ...
    kit.errors.DataError: file name: 1 problem to fix:
      - '../notebook.ipynb' is not a file name the kit writes: give a bare name such as my_file.json \
(letters, digits, spaces, '_', '-', '.' and brackets, no folder); files go to the folder out/
    """
    where = folder if folder is not None else outputs_dir()
    example = f"my_file{suffix or '.csv'}"
    if (not isinstance(name, str) or not _FILE_NAME.fullmatch(name) or ".." in name
            or name != name.strip()):
        raise DataError([f"{quoted(name)} is not a file name the kit writes: give a bare name such as {example} "
                         "(letters, digits, spaces, '_', '-', '.' and brackets, no folder); files go to the folder "
                         f"{where.name}/"], source=source)
    if suffix and not name.lower().endswith(suffix):
        raise DataError([f"{quoted(name)} does not end in {suffix}; give a name such as "
                         f"{Path(name).stem or 'my_file'}{suffix}"], source=source)
    resolved = where.resolve()
    path = (resolved / name).resolve()
    if path.parent != resolved:
        raise DataError([f"{quoted(name)} leads outside the folder {where.name}/ (it is a link); the kit reads "
                         "and writes only there"], source=source)
    return path


# --------------------------------------------------------------------------- reading

def file_bytes(source, *, limit: int, kind: str, upload_label: str, too_big: Callable[[int], str],
               not_found: str = "", accepts: str = "a file path or the bytes of a file",
               type_label: str | None = None) -> tuple[str, bytes]:
    """(label, bytes) of a file given as a path or as the bytes of an upload: regular files only
    (never a device, a named pipe or a folder), at most `limit` bytes, sized before anything is
    read or copied. `kind` names the file in messages ("a scenario file"); `not_found` is added to
    the message for a missing file, `accepts` to the one for a value that is no file at all."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        size = memoryview(source).nbytes
        if size > limit:
            raise DataError([too_big(size)], source=upload_label)
        return upload_label, bytes(source)
    try:
        path = Path(os.fspath(source))
    except TypeError:
        raise DataError([f"{type(source).__name__} is not {accepts}"], source=type_label or upload_label) from None
    label = show_name(path.name or str(path))
    if "\x00" in str(path):
        raise DataError([f"the file name {quoted(str(path))} holds a NUL character (\\x00); type it again"],
                        source="file name")
    try:
        return label, read_regular(path, limit, too_big, kind, label)
    except FileNotFoundError:
        raise DataError([f"there is no file {quoted(str(path), 200)} (looked from the folder {os.getcwd()!r})"
                         f"{not_found}"], source=label) from None
    except IsADirectoryError:
        raise DataError([f"{quoted(str(path), 200)} is a folder, not {kind}"], source=label) from None
    except OSError as exc:
        raise DataError([f"the file cannot be read: {exc.strerror or exc}"], source=label) from None


def read_regular(path: Path, limit: int, too_big: Callable[[int], str], kind: str, label: str) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. It is opened without waiting (a named
    pipe would block for ever) and checked on the open handle, so it cannot be swapped in between."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "it is a folder", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise DataError([f"{quoted(str(path), 200)} is not a file but {_special(info.st_mode)}, so it is not "
                             f"{kind}"], source=label)
        if info.st_size > limit:
            raise DataError([too_big(info.st_size)], source=label)
        os.set_blocking(fd, True)
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # it grew while being read
        raise DataError([too_big(len(raw))], source=label)
    return raw


def _special(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def show_name(name: str, limit: int = 80) -> str:
    """A file name fit for a message: control and bidirectional-override characters shown as
    escapes, cut to `limit` characters."""
    text = "".join(f"\\u{ord(c):04x}" if _hidden(c) else c for c in name)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _hidden(char: str) -> bool:
    return ord(char) < 32 or ord(char) == 127 or char in BIDI_CONTROLS


BIDI_CONTROLS = frozenset("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def decode_text(raw: bytes, label: str, template: str) -> str:
    """Text of a CSV file in UTF-8 (with or without BOM), UTF-16 (with BOM, or detected) or
    Windows-1252/Latin-1; anything that is not text gets a message saying what it looks like (and,
    for an empty or binary file, to start from `template`)."""
    for magic, what, fix in SIGNATURES:
        if raw.startswith(magic):
            raise DataError([f"this is {what} renamed .csv, not a CSV text file. {fix}"], source=label)
    if raw.startswith(b"PK\x03\x04"):
        head = raw[:4000]
        if b"word/" in raw[:100_000]:
            what, fix = "a Word document (.docx)", "copy the table into a spreadsheet and save it as CSV"
        elif b"opendocument.spreadsheet" in head:
            what, fix = "a LibreOffice/OpenOffice spreadsheet (.ods)", "choose File > Save As > Text CSV"
        elif b"xl/" in raw or b"[Content_Types].xml" in head:
            what, fix = "an Excel workbook (.xlsx)", "In Excel choose File > Save As > CSV UTF-8"
        else:
            what, fix = "a ZIP archive", "Unpack it and read the CSV file inside"
        raise DataError([f"this is {what} renamed .csv, not a CSV text file. {fix[0].upper() + fix[1:]}"],
                        source=label)
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise DataError(["this is UTF-32 text, which the kit does not read. Save it again as CSV UTF-8 (in a text "
                         "editor: Save As with the encoding UTF-8)"], source=label)
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


def atomic_write(path: str | os.PathLike, content: str | bytes) -> Path:
    """Write a whole file or nothing: a temporary file in the same folder, then a rename.

    Text is written as UTF-8. An existing file keeps its permissions; a new one gets what the
    process's umask allows (0644 under the usual 022, 0600 under a private 077). A read-only file, a
    link, a device, a pipe or a folder at `path` is refused, and so is a name with a NUL character.
    Temporary files left by a save that was killed are tidied on the next save of the same name.
    Problems (no such folder, no permission, disk full) raise `kit.DataError` with the reason.
    """
    try:
        path = Path(os.fspath(path))
    except TypeError:
        raise DataError([f"{type(path).__name__} is not a file path; give a file name such as my_file.csv"],
                        source="save") from None
    shown = quoted(str(path), 200)
    if "\x00" in str(path):
        raise DataError([f"cannot save {shown}: the name holds a NUL character (\\x00); nothing was written"],
                        source="save")
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        mode = _mode_for(path, shown)
        _tidy_leftovers(folder, path.name)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
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
            reason = f"the folder {quoted(str(folder), 200)} does not exist"
        raise DataError([f"cannot save {shown}: {reason}; nothing was written"], source="save") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _mode_for(path: Path, shown: str) -> int:
    """The permissions the saved file gets: an existing file's own, else what the umask allows.
    Anything but a writable regular file at `path` is refused (a DataError saying what it is)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return 0o666 & ~_umask()
    if stat.S_ISLNK(info.st_mode):
        problem = "it is a link to another file, and saving would replace the link, not the file; save under a new name"
    elif stat.S_ISDIR(info.st_mode):
        problem = "it is a folder"
    elif not stat.S_ISREG(info.st_mode):
        problem = f"it is {_special(info.st_mode)}, not a file"
    elif not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):  # a rename would still replace it
        problem = "the file is read-only; make it writable or save under a new name"
    else:
        return info.st_mode & 0o777
    raise DataError([f"cannot save {shown}: {problem}; nothing was written"], source="save")


def _umask() -> int:
    """The process's umask, read without changing it where Linux allows (else set and restored)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _tidy_leftovers(folder: Path, name: str) -> None:
    """Remove the temporary files of earlier saves of `name` whose process is gone (killed mid-save)."""
    prefix = f".{name}."
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(prefix) and e.name.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
