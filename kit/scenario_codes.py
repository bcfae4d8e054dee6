"""Scenario codes: a whole scenario in one short line of text a learner can paste into a chat, an
email or a link, and a classmate can open exactly.

    code = kit.share_code(scenario)        # 'ep1.AQUAF3AC...' (25 to 80 characters)
    kit.Scenario.from_code(code)           # the same scenario, equal to the one shared

A code holds every automation rate (one per family, or per role and group of users), the review
ratio (one, or per family), the reinvestment shares, the organization profile id, the preset it
was made from (if any) and every other setting a Scenario has (reviewers, max_time_saved, ...).
A custom organization is too big for a code: the code holds its fingerprint (a hash of its roles,
headcounts, hours and task shares), and whoever opens it needs the organization's file as well.

Layout, version 1 (``ep1.`` then unpadded URL-safe base64 of the bytes below): a flags byte; the
number of automation entries, each a name and a rate; the oversight ratio; the three
reinvestment shares; the organization (a name, or a 6-byte fingerprint); the preset's name (if
any); the Scenario's other fields where they differ from their defaults (named, typed); and 3
check bytes (SHA-256 of the rest)
that catch a changed, lost or added character. Names are one byte (their place in the append-only
tables below) or spelt out; values on the 0.0001 grid (every slider position and preset) take two
bytes, any other float its full eight, so a code is always exact; a rate given per role, group
or family is a marker, a count and (name, value) pairs. The tables only ever grow, so
an older code still names what it named; a name this kit's data no longer has is reported.
"""
from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import json
import math
import re
import struct
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

from . import review
from .errors import DataError
from .model import REINVESTMENT_KEYS, Organization, Scenario, automatable_families, org_names, preset_names

CODE_PREFIX = "ep"
CODE_VERSION = 2                 # bump when the byte layout changes; keep a decoder for every older one
# version 2 (issue 12) adds TABLE_DEFAULTS, so the presets' review by family stays short
MAX_CODE_CHARS = 2_000           # a code is under 300 characters; anything this long is not one
SOURCE = "scenario code"
GRID = 10_000                    # values that are whole multiples of 1/GRID take two bytes
RAW = 0xFFFF                     # ... any other value: this marker, then the 8-byte float
PER_NAME = 0xFFFE                # a rate per role, group or family: this marker, a count, (name, value) pairs
TABLE_DEFAULTS = 0xFFFD          # review by family exactly as datasets/review_by_family.csv gives it (A44)
DEFAULT_REVIEWERS_KIND = 6       # a field's value: who reviews each family, as that table gives it
SPELT = 0xFF                     # a name not in its table: this marker, its length, its UTF-8 bytes
CHECK_BYTES = 3
FINGERPRINT_BYTES = 6

# Append-only: a name keeps its place for ever (a new family, profile or preset goes at the end).
FAMILY_TABLE = ("scheduling_access", "clinical_documentation", "records_administration", "coding_billing",
                "prior_authorization", "diagnostic_interpretation", "care_coordination", "technical_procedures",
                "clinical_judgement", "leadership_teaching", "data_stewardship", "direct_physical_care",
                "emotional_support", "inbox_messages")
ORG_TABLE = ("us_workforce", "primary_care_group", "community_hospital")
PRESET_TABLE = ("today", "scribes_pilot", "scribes_trial", "admin_automation", "cost_cutting", "empathy_first",
                "imaging_ai")
FIELD_TABLE = ("baseline", "reviewers", "max_time_saved", "pajama_pass_through")
# Keys of per-name rates and text values: families, roles, role groups and the words the fields use.
NAME_TABLE = FAMILY_TABLE[:13] + (
    "receptionists", "medical_secretaries", "billing_clerks", "medical_records_specialists", "registered_nurses",
    "licensed_practical_nurses", "nurse_practitioners", "physician_assistants", "family_medicine_physicians",
    "internal_medicine_physicians", "orthopedic_surgeons", "radiologists", "pathologists", "physical_therapists",
    "occupational_therapists", "respiratory_therapists", "pharmacists", "lab_technologists",
    "radiologic_technologists", "mental_health_counselors", "psychologists", "healthcare_social_workers",
    "home_health_aides", "nursing_assistants", "medical_assistants", "health_services_managers",
    "health_information_technologists",
    "all", "prescribers", "nursing", "aides", "front_office", "coding", "admin", "imaging", "therapists",
    "behavioral_health", "informatics", "self", "E1", "E2", "measured", "onet", "inbox_messages")
# A family renamed in the data: old name -> new name, so older codes open with a note, not an error.
RENAMED_FAMILIES: dict[str, str] = {}

_PRESET, _CUSTOM_ORG, _EXTRAS = 1, 2, 4
_CORE_FIELDS = ("automation", "oversight_ratio", "reinvestment", "org")
_ALPHABET = re.compile(r"[A-Za-z0-9_.\-]")
_HOW_TO_OPEN = "kit.Scenario.from_code(code, organization=kit.read_organization('its_file.csv'))"


@dataclass(frozen=True)
class SharedCode:
    """What a code holds: the scenario, and what is known about where it came from."""

    scenario: Scenario
    version: int
    preset: str | None = None                 # the preset the scenario was made from, if any
    organization_fingerprint: str | None = None  # set when the scenario uses a custom organization
    notes: tuple[str, ...] = ()               # what changed since the code was made (the scenario is still exact)

    def __repr__(self):
        lines = [f"scenario code, version {self.version}: {self.scenario!r}"]
        if self.preset:
            lines.append(f"made from the preset {self.preset!r}")
        if self.organization_fingerprint:
            lines.append(f"custom organization, fingerprint {self.organization_fingerprint}")
        return "\n".join(lines + [f"note: {n}" for n in self.notes])


class CodeNote(UserWarning):
    """Something changed since a code was made; the scenario it opens is still the one shared."""


# --------------------------------------------------------------------------- writing

def share_code(scenario: Scenario, preset: str | None = None) -> str:
    """A short, URL-safe text that `kit.Scenario.from_code` turns back into exactly this scenario.

    `preset` names the preset it started from; by default it is the preset whose settings the
    scenario has, if one does. A custom organization is stored as its fingerprint only: send its
    file along with the code."""
    if not isinstance(scenario, Scenario):
        raise DataError([f"{type(scenario).__name__} is not a kit.Scenario; build one with kit.Scenario(...) "
                         "or take the lab's with dashboard.scenario"], source=SOURCE)
    if preset is None:
        preset = matching_preset(scenario)
    elif preset not in _preset_settings():
        raise DataError([f"preset: {_short(preset)} is not a preset; choose one of: {', '.join(preset_names())}"],
                        source=SOURCE)
    extras = _extra_fields(scenario)
    custom = isinstance(scenario.org, Organization)
    flags = (_PRESET if preset else 0) | (_CUSTOM_ORG if custom else 0) | (_EXTRAS if extras else 0)
    out = bytearray([flags, len(scenario.automation)])
    for family, rate in scenario.automation.items():
        out += _name(family, FAMILY_TABLE) + _rate(rate)
    out += _rate(scenario.oversight_ratio)
    for key in REINVESTMENT_KEYS:
        out += _value(scenario.reinvestment[key])
    out += bytes.fromhex(organization_fingerprint(scenario.org)) if custom else _name(scenario.org, ORG_TABLE)
    if preset:
        out += _name(preset, PRESET_TABLE)
    if extras:
        out.append(len(extras))
        for name, value in extras.items():
            out += _name(name, FIELD_TABLE) + _typed(name, value)
    body = base64.urlsafe_b64encode(bytes(out) + _check(CODE_VERSION, bytes(out))).decode("ascii").rstrip("=")
    return f"{CODE_PREFIX}{CODE_VERSION}.{body}"


def organization_fingerprint(org: Organization) -> str:
    """12 hex digits that change whenever the organization's roles, headcounts, weekly hours or task
    shares change (its name is left out: renaming the file keeps the fingerprint)."""
    if not isinstance(org, Organization):
        raise DataError([f"{type(org).__name__} is not a custom organization; read one with "
                         "kit.read_organization('file.csv')"], source=SOURCE)
    shares = org.shares or (None,) * len(org.role_ids)
    rows = [[role, float(h), float(w), None if s is None else [float(v) for v in s]]
            for role, h, w, s in zip(org.role_ids, org.headcount, org.weekly_hours, shares)]
    canonical = json.dumps(rows, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return hashlib.sha256(canonical).hexdigest()[: 2 * FINGERPRINT_BYTES]


def matching_preset(scenario: Scenario) -> str | None:
    """The first preset whose settings (automation, review, reinvestment) the scenario has, or None."""
    settings = _settings(scenario)
    return next((name for name, preset in _preset_settings().items() if preset == settings), None)


@functools.lru_cache(maxsize=1)
def _preset_settings() -> dict[str, tuple]:
    """Each preset's settings, read once (the datasets are read once per kernel too)."""
    return {name: _settings(Scenario.from_preset(name)) for name in preset_names()}


def _settings(scenario: Scenario) -> tuple:
    """Everything but the organization, comparable (mappings as sorted tuples; zero rates left out)."""
    automation = {f: _frozen(r) for f, r in scenario.automation.items() if r}
    others = tuple(_frozen(getattr(scenario, f.name)) for f in dataclasses.fields(Scenario)
                   if f.name not in _CORE_FIELDS)
    return (automation, _frozen(scenario.oversight_ratio), dict(scenario.reinvestment), others)


def _frozen(value):
    return tuple(sorted((k, _frozen(v)) for k, v in value.items())) if isinstance(value, Mapping) else value


def _extra_fields(scenario: Scenario) -> dict:
    """Fields a later Scenario has beyond the four of version 1, where they differ from the default."""
    extras = {}
    for f in dataclasses.fields(Scenario):
        if f.name in _CORE_FIELDS:
            continue
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        value = getattr(scenario, f.name)
        if default is dataclasses.MISSING or value != default:
            extras[f.name] = value
    return extras


def _name(name: str, table: tuple[str, ...]) -> bytes:
    if name in table:
        return bytes([table.index(name)])
    raw = name.encode("utf-8")
    if len(raw) > 255:
        raise DataError([f"the name {_short(name)} is too long for a code (at most 255 bytes)"], source=SOURCE)
    return bytes([SPELT, len(raw)]) + raw


def _rate(value) -> bytes:
    """A number, or {name: number} (a rate per role, group or family)."""
    if isinstance(value, Mapping) and value == review.default_ratios():
        return struct.pack(">H", TABLE_DEFAULTS)
    if isinstance(value, Mapping):
        if len(value) > 255:
            raise DataError([f"{len(value)} names in one setting are too many for a code (at most 255)"], source=SOURCE)
        out = bytearray(struct.pack(">HB", PER_NAME, len(value)))
        for key, number in value.items():
            out += _name(str(key), NAME_TABLE) + _value(number)
        return bytes(out)
    return _value(value)


def _value(value: float) -> bytes:
    steps = round(value * GRID)
    if 0 <= steps <= GRID and steps / GRID == value and math.copysign(1.0, value) > 0:
        return struct.pack(">H", steps)
    return struct.pack(">Hd", RAW, value)


def _typed(name: str, value, depth: int = 0) -> bytes:
    """A field's value: None, yes/no, a number, a short text or {name: value} (one level deep)."""
    if value is None or isinstance(value, bool):
        return bytes([{None: 0, False: 1, True: 2}[value]])
    if name == "reviewers" and isinstance(value, Mapping) and value == review.default_reviewers():
        return bytes([DEFAULT_REVIEWERS_KIND])
    if isinstance(value, int | float) and math.isfinite(value):
        return bytes([3]) + _value(float(value))
    if isinstance(value, str) and len(value.encode("utf-8")) <= 255:
        return bytes([4]) + _name(value, NAME_TABLE)
    if isinstance(value, Mapping) and depth == 0 and len(value) <= 255:
        out = bytearray([5, len(value)])
        for key, item in value.items():
            out += _name(str(key), NAME_TABLE) + _typed(name, item, depth + 1)
        return bytes(out)
    raise DataError([f"{name}: {_short(value)} cannot be put in a scenario code (a code holds yes/no, numbers "
                     "and short text); please report this as a bug of the kit"], source=SOURCE)


def _check(version: int, payload: bytes) -> bytes:
    return hashlib.sha256(bytes([CODE_PREFIX.encode()[0], version & 0xFF]) + payload).digest()[:CHECK_BYTES]


def codec_tables() -> dict:
    """What a code's reader in another language needs (the static site's assets/kit-codes.js): the
    layout's constants and name tables, and the defaults the short markers stand for.

    >>> codec_tables()["families"][:2]
    ['scheduling_access', 'clinical_documentation']
    """
    from .model import DEFAULT_REINVESTMENT

    return {"prefix": CODE_PREFIX, "version": CODE_VERSION, "grid": GRID, "raw": RAW, "per_name": PER_NAME,
            "table_defaults": TABLE_DEFAULTS, "default_reviewers_kind": DEFAULT_REVIEWERS_KIND, "spelt": SPELT,
            "check_bytes": CHECK_BYTES, "fingerprint_bytes": FINGERPRINT_BYTES, "max_code_chars": MAX_CODE_CHARS,
            "flags": {"preset": _PRESET, "custom_org": _CUSTOM_ORG, "extras": _EXTRAS},
            "families": list(FAMILY_TABLE), "orgs": list(ORG_TABLE), "presets": list(PRESET_TABLE),
            "fields": list(FIELD_TABLE), "names": list(NAME_TABLE), "reinvestment_keys": list(REINVESTMENT_KEYS),
            "default_reinvestment": [DEFAULT_REINVESTMENT[k] for k in REINVESTMENT_KEYS],
            "default_ratios": dict(review.default_ratios())}


# --------------------------------------------------------------------------- reading

def open_code(code, organization=None) -> SharedCode:
    """Read a code (or a link ending in '#code'): the scenario and where it came from.

    `organization` is the custom organization a code was made with (an Organization, a CSV path or
    a table, read with `kit.read_organization`); codes made with a profile ignore it. Raises
    `kit.DataError` saying what is wrong with a damaged, foreign or newer code, never anything else."""
    version, payload = _payload(code)
    decoder = _DECODERS.get(version)
    return decoder(payload, organization)


def looks_like_code(text) -> bool:
    """Whether a text is meant as a scenario code (or a link ending in one), not a preset name:
    for `kit.explore(text)`, which takes either."""
    return isinstance(text, str) and bool(re.match(r"\s*['\"`]?(?:\S*#)?ep\d+\.", text, re.I))


def scenario_from_code(code, organization=None) -> Scenario:
    """The scenario a code holds (what `kit.Scenario.from_code` returns); notes on what changed
    since the code was made are shown as a `CodeNote` warning."""
    shared = open_code(code, organization)
    for note in shared.notes:
        warnings.warn(note, CodeNote, stacklevel=2)
    return shared.scenario


def _payload(code) -> tuple[int, bytes]:
    """The version and checked bytes of a code, or a DataError saying what is wrong with the text."""
    if isinstance(code, (bytes, bytearray)):
        try:
            code = bytes(code).decode("ascii")
        except UnicodeDecodeError:
            raise _error("these bytes are not a code: a code is plain text (letters, digits, '-', '_', '.')") from None
    if not isinstance(code, str):
        raise _error(f"{type(code).__name__} is not a code; give the code as text in quotes, "
                     "e.g. kit.Scenario.from_code('ep1....')")
    if len(code) > MAX_CODE_CHARS:
        raise _error(f"the text is {len(code):,} characters long; a scenario code is a few dozen characters "
                     f"(at most {MAX_CODE_CHARS:,}), so this is not one: copy just the code")
    text = code.strip().strip("'\"`")
    if text.startswith("{"):
        raise _error("this looks like a scenario file (JSON), not a code; open it with kit.load_scenario(path)")
    if "#" in text:  # a link to the kit's page, with the code after '#'
        text = text.rsplit("#", 1)[1]
    text = re.sub(r"\s+", "", text)  # a code wrapped over lines by an email program
    if not text:
        raise _error("the code is empty; paste the code (it starts with 'ep1.')")
    for i, char in enumerate(text):
        if not _ALPHABET.fullmatch(char):
            shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
            raise _error(f"character {i + 1} ({shown}) cannot be in a code, which uses only letters, digits, "
                         "'-', '_' and '.'; copy the code again (a chat program may have changed it)")
    match = re.fullmatch(r"(?i:ep)(\d{1,4})\.([A-Za-z0-9_-]*)", text)
    if not match:
        raise _error(f"{_short(text, 24)} is not a scenario code from the kit: a code starts with "
                     f"'{CODE_PREFIX}' and a version number and a point, like '{CODE_PREFIX}{CODE_VERSION}.'; "
                     "make one with kit.share_code(scenario)")
    version, body = int(match.group(1)), match.group(2)
    if version > CODE_VERSION:
        raise _error(f"this code was made by a newer version of the kit (code version {version}); this kit "
                     f"reads versions 1 to {CODE_VERSION}. Update the kit to open it")
    if version not in _DECODERS:
        raise _error(f"code version {version} does not exist (the versions are 1 to {CODE_VERSION}); "
                     "the code is damaged: copy it again")
    damaged = ("the code is damaged: {why}. Copy the whole code again (it may have lost, gained or changed "
               "a character)")
    if len(body) % 4 == 1:
        raise _error(damaged.format(why="its length is impossible for a code"))
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != body or len(raw) <= CHECK_BYTES:
        raise _error(damaged.format(why="it is cut short or its last character is not one a code can end with"))
    payload, check = raw[:-CHECK_BYTES], raw[-CHECK_BYTES:]
    if _check(version, payload) != check:
        raise _error(damaged.format(why="its check characters do not match the rest"))
    return version, payload


class _Damaged(Exception):
    pass


class _Reader:
    """Bytes read in order; running past the end is a damaged code, never an IndexError."""

    def __init__(self, raw: bytes):
        self.raw, self.at = raw, 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.raw):
            raise _Damaged("it ends too early")
        chunk = self.raw[self.at:self.at + n]
        self.at += n
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def name(self, table: tuple[str, ...], what: str) -> str:
        i = self.byte()
        if i == SPELT:
            try:
                return self.take(self.byte()).decode("utf-8")
            except UnicodeDecodeError:
                raise _Damaged(f"a {what} name is not text") from None
        if i >= len(table):
            raise _Damaged(f"it names {what} number {i}, which no kit has (was it made by a newer kit?)")
        return table[i]

    def rate(self):
        """A number, or {name: number} after the PER_NAME marker."""
        if self.raw[self.at:self.at + 2] == struct.pack(">H", TABLE_DEFAULTS):
            self.take(2)
            return dict(review.default_ratios())
        if self.raw[self.at:self.at + 2] != struct.pack(">H", PER_NAME):
            return self.value()
        self.take(2)
        return self.pairs(NAME_TABLE, "role, group or family", self.value)

    def pairs(self, table, what: str, read, verb: str = "gives") -> dict:
        """A count, then that many (name, value) pairs; a name given twice means a damaged code."""
        items = {}
        for _ in range(self.byte()):
            key = self.name(table, what)
            if key in items:
                raise _Damaged(f"it {verb} {key!r} twice")
            items[key] = read()
        return items

    def value(self) -> float:
        (steps,) = struct.unpack(">H", self.take(2))
        if steps == RAW:
            return struct.unpack(">d", self.take(8))[0]
        if steps > GRID:
            raise _Damaged(f"a value is {steps / GRID:g}, more than 100%")
        return steps / GRID

    def typed(self, depth: int = 0):
        kind = self.byte()
        if kind <= 2:
            return (None, False, True)[kind]
        if kind == 3:
            return self.value()
        if kind == 4:
            return self.name(NAME_TABLE, "text")
        if kind == DEFAULT_REVIEWERS_KIND and depth == 0:
            return dict(review.default_reviewers())
        if kind == 5 and depth == 0:
            return self.pairs(NAME_TABLE, "key", lambda: self.typed(depth + 1))
        raise _Damaged(f"a field has an unknown kind of value ({kind})")


def _decode_v1(payload: bytes, organization) -> SharedCode:
    reader = _Reader(payload)
    try:
        flags = reader.byte()
        if flags & ~(_PRESET | _CUSTOM_ORG | _EXTRAS):
            raise _Damaged("it has settings this kit does not know")
        automation = reader.pairs(FAMILY_TABLE, "task family", reader.rate, verb="sets")
        oversight = reader.rate()
        reinvestment = {key: reader.value() for key in REINVESTMENT_KEYS}
        if flags & _CUSTOM_ORG:
            org, fingerprint = None, reader.take(FINGERPRINT_BYTES).hex()
        else:
            org, fingerprint = reader.name(ORG_TABLE, "organization profile"), None
        preset = reader.name(PRESET_TABLE, "preset") if flags & _PRESET else None
        extras = {}
        if flags & _EXTRAS:
            for _ in range(reader.byte()):
                name = reader.name(FIELD_TABLE, "field")
                extras[name] = reader.typed()
        if reader.at != len(payload):
            raise _Damaged("it has bytes after its end")
    except _Damaged as problem:
        raise _error(f"the code is damaged or was not made by the kit: {problem}") from None
    return _shared(1, automation, oversight, reinvestment, org, fingerprint, preset, extras, organization)


_DECODERS = {1: _decode_v1, 2: _decode_v1}  # version 2 only adds markers version 1 never holds


def _shared(version, automation, oversight, reinvestment, org, fingerprint, preset, extras,
            organization) -> SharedCode:
    """Build the scenario a decoded code describes, with a problem listed for each part this kit
    cannot restore exactly and a note for what changed but does not matter."""
    problems, notes = [], []
    try:  # the families of the code's baseline (the measured baseline has more)
        families = automatable_families(extras.get("baseline"))
    except (TypeError, ValueError):
        families = automatable_families()
    for old, new in RENAMED_FAMILIES.items():
        if old in automation and old not in families and new in families:
            automation = {(new if f == old else f): r for f, r in automation.items()}
            notes.append(f"the code's task family {old!r} is called {new!r} in this kit; it opens under the new name")
    gone = [f for f in automation if f not in families]
    problems += [f"the code sets {f!r} to {_percent(automation[f])}, but this kit has no such task family (it was "
                 f"renamed or removed since the code was made); the families are: {', '.join(families)}"
                 for f in gone]
    if org is not None and org not in org_names():
        problems.append(f"the code uses the organization profile {org!r}, which this kit no longer has; "
                        f"the profiles are: {', '.join(org_names())}")
    fields = {f.name for f in dataclasses.fields(Scenario)}
    problems += [f"the code sets {name} = {_short(value)}, a setting this kit does not have (the code was made "
                 "by a different version of the kit)" for name, value in extras.items() if name not in fields]
    if fingerprint is not None:
        org = _custom_org(fingerprint, organization, problems)
    elif organization is not None:
        notes.append(f"the code uses the organization profile {org!r}; the organization you gave was not used")
    if problems:
        raise DataError(problems, source=SOURCE)
    try:
        scenario = Scenario(automation=automation, oversight_ratio=oversight, reinvestment=reinvestment, org=org,
                            **extras)
    except (ValueError, TypeError) as exc:
        raise _error(f"the code is damaged or was not made by the kit: {exc}") from None
    if preset is not None:
        if preset not in _preset_settings():
            notes.append(f"the code was made from the preset {preset!r}, which this kit no longer has; "
                         "the settings are the ones the code was made with")
            preset = None
        elif _preset_settings()[preset] != _settings(scenario):
            notes.append(f"the preset {preset!r} has changed since the code was made; the code opens the "
                         f"settings it was made with (kit.Scenario.from_preset({preset!r}) gives today's)")
    return SharedCode(scenario, version, preset, fingerprint, tuple(notes))


def _custom_org(fingerprint: str, organization, problems: list[str]):
    if organization is None:
        problems.append(f"the code was made with a custom organization (fingerprint {fingerprint}), whose file is "
                        f"not in the code: ask for that file and open the code with {_HOW_TO_OPEN}")
        return None
    if not isinstance(organization, Organization):
        from .organization_file import read_organization  # a path, bytes or a table
        try:
            organization = read_organization(organization)
        except DataError as exc:
            problems += [f"organization: {p}" for p in exc.problems]
            return None
    given = organization_fingerprint(organization)
    if given != fingerprint:
        problems.append(f"the organization you gave (fingerprint {given}) is not the one the code was made with "
                        f"(fingerprint {fingerprint}): it is another file, or the file changed since")
        return None
    return organization


def _error(problem: str) -> DataError:
    return DataError([problem], source=SOURCE)


def _percent(value) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_percent(v)}" for k, v in value.items()) + "}"
    return f"{100 * value:g}%"


def _short(value, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _from_code(cls, code, organization=None) -> Scenario:
    """The scenario a `kit.share_code` code holds; a custom organization needs its file too
    (`organization=kit.read_organization("its_file.csv")`). Notes on what changed since the code
    was made are shown as a `CodeNote` warning."""
    shared = open_code(code, organization)
    for note in shared.notes:
        warnings.warn(note, CodeNote, stacklevel=2)
    return shared.scenario


# Scenario.from_code, attached here (kit.model stays below this module: no import cycle).
Scenario.from_code = classmethod(_from_code)
