"""Fuzzing: random bytes, random CSV text and random tables into kit.read_organization, random
bytes and JSON into kit.load_scenario. The only exception allowed out is kit.DataError, and
whatever is accepted must be a valid organization the model can run."""
import json
import math
import os

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kit
from kit import scenarios

# Examples per test and run (about 30 s for the file at 300); KIT_FUZZ_EXAMPLES=5000 for a long hunt.
EXAMPLES = int(os.environ.get("KIT_FUZZ_EXAMPLES", 300))
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

ROLES = kit.load_roles()
NAMES = ROLES.role_id.tolist() + ROLES.title.tolist() + ROLES.onet_code.tolist() + ROLES.soc_code.tolist()
FAMILIES = [f for f in kit.model.structure().families]
HEADERS = ["role", "role_id", "title", "onet_code", "soc_code", "headcount", "weekly_hours", "notes",
           "Head Count", "Weekly hours", "staff", "", "ai_oversight"] + FAMILIES
CELLS = st.one_of(
    st.sampled_from(NAMES), st.sampled_from(["", " ", "NaN", "inf", "-1", "0", "40", "40,5", "1.234", "25%",
                                             "=1+1", "@x", "+", "-", "1e999", "<b>", '"', "''", "\t", "0.5"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr), st.integers(-10**20, 10**20).map(str),
    st.text(max_size=30))


def accepts_only_valid_or_data_error(source, **kw):
    try:
        org = kit.read_organization(source, **kw)
    except kit.DataError as exc:
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert len(exc.problems) <= scenarios.MAX_PROBLEMS + 1
        return None
    assert isinstance(org, kit.Organization) and org.role_ids
    assert len(set(org.role_ids)) == len(org.role_ids)
    assert all(math.isfinite(h) and 0 <= h <= scenarios.MAX_HEADCOUNT for h in org.headcount)
    assert all(math.isfinite(w) and 0 < w <= 168 for w in org.weekly_hours)
    result = kit.simulate(kit.Scenario(automation={"clinical_documentation": 0.5}, org=org))
    assert np.isfinite(result.org.to_numpy()).all()
    return org


@fuzz
@given(st.binary(max_size=3000))
@example(b"\xff\xfe")
@example(b"\xef\xbb\xbf")
@example(b"PK\x03\x04")
@example(b"role,headcount,weekly_hours\n\x00")
def test_random_bytes(raw):
    accepts_only_valid_or_data_error(raw)


@st.composite
def csv_texts(draw):
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=0, max_size=7))
    rows = draw(st.lists(st.lists(CELLS, max_size=8), max_size=8))
    quote = draw(st.booleans())

    def line(cells):
        return delimiter.join(f'"{c}"' if quote and delimiter in c else c for c in cells)

    text = "\n".join([line(header)] + [line(r) for r in rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252"]))
    return text.encode(encoding, errors="replace")


@fuzz
@given(csv_texts())
def test_random_csv_text(raw):
    accepts_only_valid_or_data_error(raw)


@st.composite
def csv_near_valid(draw):
    """Mostly valid files with one or two cells swapped for junk: the reader's common path."""
    roles = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6))
    rows = [[r, draw(st.sampled_from(["12", "0", "2.5", "-3", "x", ""])),
             draw(st.sampled_from(["40", "36", "0", "169", "40.5", "NaN"]))] for r in roles]
    text = "role,headcount,weekly_hours\n" + "\n".join(",".join(f'"{c}"' for c in r) for r in rows)
    return text.encode()


@fuzz
@given(csv_near_valid())
def test_near_valid_csv(raw):
    accepts_only_valid_or_data_error(raw)


HUGE = st.sampled_from([10**400, -10**400, 2**1024, 1e308, -0.0, 5e-324])
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), HUGE, st.floats(), st.text(max_size=20),
                   st.sampled_from(NAMES), st.sampled_from([pd.NA, pd.NaT, np.nan, [1], {"a": 1}, b"40"]))


@st.composite
def frames(draw):
    columns = draw(st.lists(st.one_of(st.sampled_from(HEADERS), st.integers(0, 3), st.text(max_size=8)),
                            max_size=7, unique_by=str))
    n = draw(st.integers(0, 6))
    data = {i: [draw(VALUES) for _ in range(n)] for i in range(len(columns))}
    frame = pd.DataFrame(data, dtype=object)
    frame.columns = columns
    if draw(st.booleans()):
        frame.index = draw(st.lists(st.one_of(st.integers(), st.text(max_size=5)), min_size=n, max_size=n))
    return frame


@fuzz
@given(frames(), st.one_of(st.none(), st.text(max_size=120)))
def test_random_dataframes(frame, name):
    before = frame.copy()
    accepts_only_valid_or_data_error(frame, name=name)
    pd.testing.assert_frame_equal(frame, before)


def _nested(inner):
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4))


JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), HUGE, st.floats(), st.text(max_size=10)),
                    _nested, max_leaves=12)


@st.composite
def scenario_documents(draw):
    """Scenario files with random values in real fields, or random JSON altogether."""
    base = scenarios.scenario_to_dict(kit.Scenario.from_preset("admin_automation"))
    if draw(st.booleans()):
        return draw(JSON)
    for key in draw(st.lists(st.sampled_from(list(base) + ["extra"]), max_size=3)):
        base[key] = draw(JSON)
    if draw(st.booleans()):
        base["org"] = {"name": draw(st.text(max_size=10)),
                       "roles": draw(st.lists(st.dictionaries(st.sampled_from(
                           ["role_id", "headcount", "weekly_hours", "shares"]), JSON), max_size=3))}
    return base


@fuzz
@given(scenario_documents())
def test_random_scenario_documents(document):
    text = json.dumps(document)
    try:
        scenario = kit.load_scenario(text.encode())
    except kit.DataError as exc:
        assert exc.problems
        return
    assert scenarios.scenario_from_json(scenarios.scenario_to_json(scenario)) == scenario


@fuzz
@given(st.binary(max_size=2000))
def test_random_bytes_as_a_scenario_file(raw):
    try:
        kit.load_scenario(raw)
    except kit.DataError as exc:
        assert exc.problems
