"""kit.data: loaders validate, cache, hand out copies, work from anywhere and explain damage."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kit
from kit import data

ROOT = Path(__file__).resolve().parent.parent


def test_loaders_return_copies():
    roles = kit.load_roles()
    roles.loc[0, "employment"] = -1
    assert kit.load_roles().loc[0, "employment"] > 0


def test_loaders_are_cached():
    assert data._validated("tasks") is data._validated("tasks")


def test_types_follow_the_datapackage():
    roles = kit.load_roles()
    assert roles.employment.dtype == "int64"
    assert roles.remote_capable.dtype == bool
    assert roles.median_wage.dtype == "float64" and roles.median_wage.isna().sum() == roles.median_wage_withheld.sum()


def test_import_works_from_any_working_directory(tmp_path):
    code = "import kit; print(len(kit.load_roles()), kit.simulate().org['headcount'] > 0)"
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["27", "True"]


@pytest.fixture
def damaged(tmp_path, monkeypatch):
    """A copy of datasets/ that a test may break; the loader caches are reset around it."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy, ignore=shutil.ignore_patterns("raw"))
    monkeypatch.setenv("KIT_DATASETS_DIR", str(copy))
    data.datapackage.cache_clear()
    data._validated.cache_clear()
    yield copy
    monkeypatch.delenv("KIT_DATASETS_DIR")
    data.datapackage.cache_clear()
    data._validated.cache_clear()


def test_damaged_value_names_file_row_and_column(damaged):
    path = damaged / "roles.csv"
    lines = path.read_text().splitlines()
    cells = lines[3].split(",")
    cells[7] = "-3"  # employment of the third role
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(kit.DataError) as info:
        kit.load_roles()
    message = str(info.value)
    assert "roles.csv" in message and "row 4" in message and "employment" in message and "-3" in message


def test_non_numeric_value_is_reported(damaged):
    path = damaged / "tasks.csv"
    text = path.read_text().replace(",0.018895,", ",lots,", 1)
    path.write_text(text)
    with pytest.raises(kit.DataError, match=r"tasks\.csv, row \d+, weight: 'lots' is not a valid number"):
        kit.load_tasks()


def test_unknown_family_and_missing_column_are_reported(damaged):
    path = damaged / "tasks.csv"
    path.write_text(path.read_text().replace(",coding_billing,execution,", ",coding,execution,", 1))
    with pytest.raises(kit.DataError, match=r"tasks\.csv, row \d+, family: 'coding' is not one of"):
        kit.load_tasks()
    families = damaged / "task_families.csv"
    lines = families.read_text().splitlines()
    families.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n")
    with pytest.raises(kit.DataError, match="missing: \\['slider_label'\\]"):
        kit.load_task_families()


def test_missing_datasets_folder_says_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_DATASETS_DIR", str(tmp_path))
    data.datapackage.cache_clear()
    data._validated.cache_clear()
    try:
        with pytest.raises(FileNotFoundError, match="make lab"):
            kit.load_roles()
    finally:
        monkeypatch.delenv("KIT_DATASETS_DIR")
        data.datapackage.cache_clear()
        data._validated.cache_clear()


def test_import_kit_loads_no_data_and_no_validation_library():
    """Data are read on first use, so `import kit` stays fast and a damaged file never breaks it."""
    code = ("import sys, kit; from kit import data; "
            "print(data._validated.cache_info().currsize, 'pandera' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "False"]
