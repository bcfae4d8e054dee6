"""datasets/wages.csv (kit.load_wages): rebuilt identically, and every number traced back to its raw
BLS row by a reader independent of the build (the csv module, not pandas)."""
import csv
import subprocess
import sys
from pathlib import Path

import pytest

import kit

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "datasets"


@pytest.fixture(scope="module")
def wages():
    return kit.load_wages()


def raw_row(source_file: str, source_row: int) -> dict:
    """The raw row as a spreadsheet numbers it (header = row 1), headers upper-cased."""
    with open(DATASETS / source_file, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = [h.upper() for h in rows[0]]
    return dict(zip(header, rows[source_row - 1]))


def test_a_fresh_build_equals_the_committed_table_and_is_byte_identical(tmp_path):
    outs = []
    for i in range(2):
        out = tmp_path / str(i)
        out.mkdir()
        subprocess.run([sys.executable, str(DATASETS / "build_wages.py"), str(out)], check=True,
                       capture_output=True, text=True)
        outs.append((out / "wages.csv").read_bytes())
    assert outs[0] == outs[1]
    assert outs[0] == (DATASETS / "wages.csv").read_bytes(), "run `make data` and commit wages.csv"


def test_every_number_and_flag_is_its_raw_rows_text(wages):
    """All 346 rows, not a sample: each value equals the raw cell, each empty value is a BLS footnote."""
    symbol = {"#": "top_coded", "*": "not_available", "**": "not_available"}
    for row in wages.itertuples():
        raw = raw_row(row.source_file, row.source_row)
        assert raw["OCC_CODE"] == row.source_code and raw["OCC_TITLE"] == row.source_title, row
        for column, flag, field in [("employment", "employment_flag", "TOT_EMP"),
                                    ("median_wage", "median_wage_flag", "A_MEDIAN"),
                                    ("mean_wage", "mean_wage_flag", "A_MEAN")]:
            text, got = raw[field], getattr(row, column)
            if text in symbol:
                assert getattr(row, flag) == symbol[text], (row.role_id, row.year, column)
                assert str(got) in ("nan", "<NA>"), (row.role_id, row.year, column, got)
            else:
                assert getattr(row, flag) == "published" and float(got) == float(text), (row.role_id, row.year, column)


def test_hand_checked_rows(wages):
    """Rows read off the raw files by eye (SOURCES.md spot-checks them against BLS releases)."""
    w = wages.set_index(["role_id", "year", "source_code"])
    rn_2014 = w.loc[("registered_nurses", 2014, "29-1141")]
    assert (rn_2014.employment, rn_2014.median_wage) == (2687310, 66640)
    mt = w.loc[("medical_transcriptionists", 2021, "31-9094")], w.loc[("medical_transcriptionists", 2024, "31-9094")]
    assert (mt[0].employment, mt[1].employment) == (55830, 43070)
    assert not mt[0].kit_role
    fm_2021 = w.loc[("family_medicine_physicians", 2021, "29-1215")]
    assert fm_2021.median_wage_flag == "top_coded" and fm_2021.top_code == 208000
    fm_2024 = w.loc[("family_medicine_physicians", 2024, "29-1215")]
    assert fm_2024.median_wage == 238380 and fm_2024.top_code == 239200


def test_older_codes_are_labelled_never_spliced(wages):
    w = wages.set_index(["role_id", "year"])
    radiologists_2016 = w.loc[("radiologists", 2016)]
    assert radiologists_2016.source_code == "29-1069" and radiologists_2016.mapping == "aggregate_code"
    assert not radiologists_2016.comparable
    counselors_2013 = wages[(wages.role_id == "mental_health_counselors") & (wages.year == 2013)]
    assert set(counselors_2013.source_code) == {"21-1011", "21-1014"} and set(counselors_2013.mapping) == {"part_code"}
    family_2013 = w.loc[("family_medicine_physicians", 2013)]
    assert family_2013.source_code == "29-1062" and family_2013.mapping == "equivalent_code" and family_2013.comparable
    assert (wages[wages.year >= 2021].mapping == "same_code").all()
    assert (wages.comparable == wages.mapping.isin(["same_code", "equivalent_code"])).all()


def test_one_row_per_role_and_year_except_split_codes(wages):
    counts = wages.groupby(["role_id", "year"]).size()
    split = wages[wages.mapping == "part_code"].groupby(["role_id", "year"]).size()
    assert (counts.drop(split.index) == 1).all()
    assert set(wages.role_id) == set(kit.load_roles().role_id) | {"medical_transcriptionists"}
    assert sorted(wages.year.unique()) == list(range(2013, 2025))


def test_top_code_matches_what_bls_published(wages):
    """No published wage is at or above its year's top-code; a few top-coded roles have means above it."""
    published = wages[wages.median_wage_flag == "published"]
    assert (published.median_wage < published.top_code).all()
    assert set(wages.groupby("year").top_code.first().items()) == (
        {(y, 187200) for y in range(2013, 2016)} | {(y, 208000) for y in range(2016, 2022)}
        | {(y, 239200) for y in range(2022, 2025)})
