"""Build datasets/wages.csv: BLS OEWS employment and wages, May 2013-2024, for the kit's roles.

Called by datasets/build.py (or run alone: `python datasets/build_wages.py [out_dir]`). One row per
role, year and OEWS code the numbers come from. Before May 2021 BLS used SOC 2010 (a hybrid in
2019-2020), so a role's SOC 2018 code may not exist yet; the raw files' `kit_note` column says how
each older code relates to the kit's codes, and the table keeps that relation in `mapping`:

- same_code: the OEWS row has the role's own code (SOC 2018 code, or one SOC 2010 already used);
- equivalent_code: a SOC 2010 code that kit_note maps one to one to the role's code;
- aggregate_code: an older code that covers the role *and* other occupations (e.g. all surgeons);
- part_code: an older code that covers only part of the role's code (two rows that year).

Nothing is spliced, summed or imputed: BLS's footnotes stay visible as flags (`#` at or above the
year's top-code -> top_coded, `*`/`**` -> not_available) with the number left empty, and every row
names its source file and row (the row as a spreadsheet numbers it, header = row 1).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
RAW = HERE / "raw"
CURATION = HERE / "curation"
YEARS = range(2013, 2025)
CODE = re.compile(r"\d\d-\d{4}")
FLAGS = {"#": "top_coded", "*": "not_available", "**": "not_available"}


def source_path(year: int) -> str:
    """The raw file (relative to datasets/) that holds one May's national estimates."""
    if year == 2024:
        return "raw/bls_oews/oews_national_may2024_health.csv"
    return f"raw/bls_oews_trend/oews_national_may{year}_health.csv"


def soc_vintage(year: int) -> str:
    """The occupation classification BLS used that May."""
    return "SOC 2010" if year <= 2018 else "SOC 2010/2018 hybrid" if year <= 2020 else "SOC 2018"


def read_year(year: int) -> pd.DataFrame:
    """One raw OEWS file, upper-case headers (May 2019's are lower case), text as BLS wrote it,
    with `source_row` = the row number a spreadsheet shows (header = 1)."""
    table = pd.read_csv(HERE / source_path(year), dtype=str, keep_default_na=False)
    table.columns = [c.upper() for c in table.columns]
    table = table.rename(columns={"OCC_GROUP": "O_GROUP"})
    if "KIT_NOTE" not in table.columns:  # the May 2024 file predates kit_note: every code is SOC 2018
        table["KIT_NOTE"] = "target"
    table["source_row"] = range(2, len(table) + 2)
    return table


def mapping_of(note: str, code: str) -> str | None:
    """How an OEWS row with this kit_note relates to a role whose SOC 2018 OEWS code is `code`."""
    kind, _, target = note.partition(":")
    if kind not in ("soc2010_equiv", "hybrid_equiv") or code not in CODE.findall(target):
        return None
    if target.startswith("part of"):
        return "part_code"
    return "equivalent_code" if CODE.fullmatch(target.strip()) else "aggregate_code"


def value(text: str):
    """A BLS number as float, or None with its flag."""
    text = text.strip().replace(",", "")
    if text in FLAGS:
        return None, FLAGS[text]
    return float(text), "published"


def top_codes(cur: pd.DataFrame) -> dict[int, int]:
    out = {}
    for row in cur.itertuples():
        for year in range(int(row.first_year), int(row.last_year) + 1):
            out[year] = int(row.top_code_annual)
    return out


def wage_roles() -> pd.DataFrame:
    """The kit's roles, plus the extra occupations the wage table carries (not in roles.csv)."""
    roles = pd.read_csv(CURATION / "roles.csv", dtype=str, keep_default_na=False)
    extra = pd.read_csv(CURATION / "wage_extra_roles.csv", dtype=str, keep_default_na=False)
    extra = extra[~extra.role_id.isin(roles.role_id)]
    return pd.concat([roles.assign(kit_role=True), extra.assign(kit_role=False)],
                     ignore_index=True)[["role_id", "title", "bls_code", "kit_role"]]


def build_wages() -> pd.DataFrame:
    roles = wage_roles()
    tops = top_codes(pd.read_csv(CURATION / "oews_top_codes.csv", dtype=str))
    rows = []
    for year in YEARS:
        table = read_year(year)
        for role in roles.itertuples():
            same = table[table.OCC_CODE == role.bls_code]
            if len(same) > 1:
                sys.exit(f"{source_path(year)}: {role.bls_code} appears {len(same)} times")
            if len(same):
                found = [(same.iloc[0], "same_code")]
            else:
                found = [(r, m) for _, r in table.iterrows() if (m := mapping_of(r.KIT_NOTE, role.bls_code))]
            if not found:
                sys.exit(f"{source_path(year)}: no row for {role.role_id} ({role.bls_code}); "
                         "add a kit_note mapping or a no-code rule")
            for r, mapping in found:
                employment, employment_flag = value(r.TOT_EMP)
                median, median_flag = value(r.A_MEDIAN)
                mean, mean_flag = value(r.A_MEAN)
                rse, _ = value(r.EMP_PRSE)
                rows.append({
                    "role_id": role.role_id, "title": role.title, "kit_role": role.kit_role, "year": year,
                    "soc_vintage": soc_vintage(year), "bls_code": role.bls_code,
                    "source_code": r.OCC_CODE, "source_title": r.OCC_TITLE, "source_group": r.O_GROUP,
                    "mapping": mapping, "comparable": mapping in ("same_code", "equivalent_code"),
                    "mapping_note": r.KIT_NOTE,
                    "employment": None if employment is None else int(employment),
                    "employment_flag": employment_flag, "employment_rse": rse,
                    "median_wage": median, "median_wage_flag": median_flag,
                    "mean_wage": mean, "mean_wage_flag": mean_flag,
                    "top_code": tops[year],
                    "source_file": source_path(year), "source_row": int(r.source_row),
                })
    wages = pd.DataFrame(rows)
    wages["employment"] = wages.employment.astype("Int64")
    return wages.sort_values(["role_id", "year", "source_code"], kind="stable").reset_index(drop=True)


def main(out_dir: Path = HERE) -> pd.DataFrame:
    """Build and write wages.csv in the column order datapackage.json declares."""
    wages = build_wages()
    package = json.loads((HERE / "datapackage.json").read_text(encoding="utf-8"))
    fields = [f["name"] for r in package["resources"] if r["name"] == "wages" for f in r["schema"]["fields"]]
    missing = set(fields) ^ set(wages.columns)
    if not fields or missing:
        sys.exit(f"wages: datapackage.json and the build disagree on columns: {sorted(missing) or 'no wages resource'}")
    wages[fields].to_csv(Path(out_dir) / "wages.csv", index=False, lineterminator="\n")
    print(f"wages: {len(wages)} rows, {wages.role_id.nunique()} occupations, May {min(YEARS)}-{max(YEARS)}; "
          f"mappings: {wages.mapping.value_counts().to_dict()}")
    return wages


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
