"""Hostile and careless input (issue 15): special files, links, read-only targets, the umask,
traversal names, huge and odd values and bidi characters, against every door a learner's input
comes in by. Each case either works or gets a kit.DataError saying what to fix; nothing blocks,
nothing is written outside the folder it was meant for, and nothing a learner typed is lost."""
import gc
import math
import os
import stat
import threading
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ipywidgets.widgets.widget import _instances as LIVE_WIDGETS

import kit
from kit import _files, progress
from kit.widgets import dashboard as dashboard_module
from kit.widgets import scenario_tab

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "datasets" / "example_organization.csv"
READERS = {  # every reader of a file a learner names
    "scenario": kit.load_scenario,
    "organization": kit.read_organization,
    "progress": progress.load_progress,
}


def finishes(action, seconds: float = 10.0):
    """Run `action` in a thread: (finished, its exception or None). A read that blocks never finishes."""
    outcome = {}

    def run():
        try:
            action()
            outcome["error"] = None
        except BaseException as exc:  # noqa: BLE001 - the test inspects whatever came out
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    return "error" in outcome, outcome.get("error")


@pytest.fixture
def outputs(tmp_path, monkeypatch):
    folder = tmp_path / "my_outputs"
    folder.mkdir()
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(folder))
    return folder


def tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*")}


# --------------------------------------------------------------------------- special files

@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo", "folder"])
def test_special_files_are_refused_at_once_and_never_read(reader, special, tmp_path):
    if special == "fifo":
        path = tmp_path / "pipe.json"
        os.mkfifo(path)
    elif special == "folder":
        path = tmp_path
    else:
        path = Path(special)
    done, error = finishes(lambda: READERS[reader](path))
    assert done, f"{reader} blocked on {special}"
    assert isinstance(error, kit.DataError), error
    said = " ".join(error.problems)
    assert ("named pipe" in said or "a device" in said or "is a folder" in said), said


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_an_oversized_upload_is_refused_before_it_is_copied(kind):
    big = kind(b" " * 60_000_000)
    tracemalloc.start()
    for reader in (kit.load_scenario, kit.read_organization):
        with pytest.raises(kit.DataError, match="bytes"):
            reader(big)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000, f"{peak:,} bytes were allocated to refuse a 60 MB upload"


@pytest.mark.parametrize("value, said", [(None, "NoneType is not"), (42, "int is not"),
                                         ("bad\x00name.json", "NUL character")])
def test_odd_paths_get_a_message(value, said):
    for reader in (kit.load_scenario, kit.read_organization):
        with pytest.raises(kit.DataError, match=said):
            reader(value)
    with pytest.raises(kit.DataError):
        kit.save_scenario(kit.Scenario(), value)


# --------------------------------------------------------------------------- saving

def test_a_save_refuses_a_link_a_read_only_file_a_pipe_and_a_folder(tmp_path):
    target = tmp_path / "target.json"
    target.write_text("keep me")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    locked = tmp_path / "locked.json"
    locked.write_text("keep me too")
    locked.chmod(0o444)
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    for path, said in ((link, "a link"), (locked, "read-only"), (pipe, "named pipe"), (tmp_path, "a folder")):
        with pytest.raises(kit.DataError, match=said):
            kit.save_scenario(kit.Scenario(), path)
    assert target.read_text() == "keep me" and link.is_symlink()
    assert locked.read_text() == "keep me too"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.json", "locked.json", "pipe.json", "target.json"]


def test_a_new_file_follows_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        private = kit.save_scenario(kit.Scenario(), tmp_path / "private.json")
    finally:
        os.umask(old)
    usual = kit.save_scenario(kit.Scenario(), tmp_path / "usual.json")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(usual.stat().st_mode) == 0o666 & ~old


def test_temporary_files_of_a_killed_save_are_tidied_by_the_next_save(tmp_path):
    dead = tmp_path / ".plan.json.999999999.abc123.tmp"  # no such process
    dead.write_text("half a file")
    live = tmp_path / f".plan.json.{os.getpid()}.def456.tmp"  # a save still running in this process
    live.write_text("being written")
    kit.save_scenario(kit.Scenario(), tmp_path / "plan.json")
    assert not dead.exists() and live.exists()


# --------------------------------------------------------------------------- one path policy

TRAVERSAL = ["../escape.json", "../../notebooks/02_the_automation_sliders.ipynb", "/etc/passwd", "/tmp/x.json",
             "sub/x.json", "..\\x.json", ".hidden.json", "x.ipynb", "x.json\x00.txt", "con\u202ejson.exe",
             "a" * 200 + ".json", " ", "..", "~/x.json", "$HOME/x.json", "x.json/"]


@pytest.mark.parametrize("name", TRAVERSAL)
def test_the_lab_never_writes_or_reads_outside_my_outputs(name, outputs, tmp_path):
    before = tree(tmp_path)
    lab = kit.explore()
    lab.files.name.value = name
    lab.files.save_button.click()
    lab.files.open_button.click()
    assert tree(tmp_path) == before, f"{name!r} changed files"
    shown = lab.files.status.value + lab.message.value
    assert "not a file name the kit writes" in shown or "does not end in .json" in shown or "give" in shown, shown
    assert str(tmp_path) not in shown, "a message echoed the server's folder"
    lab.close()


def test_a_bare_name_is_saved_in_my_outputs_and_never_replaces_a_file(outputs):
    lab = kit.explore()
    (outputs / "plan.json").write_text("a learner's own file")
    lab.files.name.value = "plan"
    lab.files.save_button.click()
    assert (outputs / "plan.json").read_text() == "a learner's own file"
    assert kit.load_scenario(outputs / "plan-2.json") == lab.scenario
    lab.files.name.value = "nothing-here.json"
    lab.files.open_button.click()
    assert "there is no nothing-here.json in my_outputs/" in lab.files.status.value
    assert "plan-2.json" in lab.files.status.value  # it lists what is there
    lab.close()


def test_under_voila_the_tab_saves_and_opens_nothing_by_name(outputs, monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.8")
    lab = kit.explore()
    assert lab.files.confined
    assert lab.files.save_button not in [c for box in lab.files.children for c in getattr(box, "children", ())]
    lab.files.save_file("plan.json")
    lab.files.open_file("plan.json")
    assert list(outputs.iterdir()) == [] and "off in this shared view" in lab.files.status.value
    upload = kit.scenario_file.scenario_to_json(kit.Scenario.from_preset("cost_cutting")).encode()
    lab.files.open_file(memoryview(upload))  # uploads still work
    assert lab.scenario == kit.Scenario.from_preset("cost_cutting")
    lab.close()


def test_a_button_s_unexpected_failure_is_shown_not_swallowed(outputs, monkeypatch):
    lab = kit.explore()
    monkeypatch.setattr(kit.scenario_file, "save_scenario", lambda *a: 1 / 0)
    lab.files.save_button.click()
    assert "that did not work" in lab.files.status.value and "ZeroDivisionError" in lab.files.status.value
    lab.close()


# --------------------------------------------------------------------------- one validator

@pytest.mark.parametrize("fields, said", [
    ((("nope",), (1.0,), (40.0,)), "'nope' is not one of the kit's roles"),
    (((), (), ()), "one or more role ids"),
    ((("registered_nurses", "registered_nurses"), (1.0, 2.0), (40.0, 40.0)), "appears twice"),
    ((("registered_nurses",), (-200.0,), (40.0,)), "headcount"),
    ((("registered_nurses",), (1e308,), (40.0,)), "headcount"),
    ((("registered_nurses",), (math.nan,), (40.0,)), "headcount"),
    ((("registered_nurses",), (1.0,), (0.0,)), "weekly_hours"),
    ((("registered_nurses",), (1.0,), (5e-324,)), "weekly_hours"),
    ((("registered_nurses",), (1.0,), (200.0,)), "weekly_hours"),
    ((("registered_nurses",), (1.0, 2.0), (40.0,)), "one per role"),
    ((("registered_nurses",), ("ten",), (40.0,)), "headcount"),
    ((("registered_nurses",), (1.0,), (40.0,), "Clinic\u202eevil"), "control characters"),
    ((("registered_nurses",), (1.0,), (40.0,), "</script><script>alert(1)</script>"), "markup"),
    ((("registered_nurses",), (1.0,), (40.0,), ""), "is empty"),
])
def test_an_organization_is_checked_whatever_door_it_comes_in_by(fields, said):
    with pytest.raises(kit.DataError, match=said):
        kit.Organization(*fields)


def test_lists_are_taken_as_tuples():
    org = kit.Organization(["registered_nurses"], [3], [36])
    assert org.role_ids == ("registered_nurses",) and hash(org)


def test_organization_files_refuse_bidi_controls_in_names_and_cells():
    text = EXAMPLE.read_text(encoding="utf-8").splitlines()
    text[1] = "\u202e" + text[1]
    with pytest.raises(kit.DataError, match="control characters"):
        kit.read_organization("\n".join(text).encode())
    with pytest.raises(kit.DataError, match="control characters"):
        kit.read_organization(EXAMPLE, name="Maple\u202eClinic")


def test_scenario_file_shares_cannot_override_a_role_s_own_fields():
    content = kit.scenario_file.scenario_to_dict(kit.Scenario(org=kit.Organization(("registered_nurses",),
                                                                                    (3.0,), (36.0,))))
    content["org"]["roles"][0]["shares"] = {"headcount": 9000}
    with pytest.raises(kit.DataError, match="'headcount' is not a task family"):
        kit.scenario_file.scenario_from_dict(content)


@pytest.mark.parametrize("raw, said", [
    ("role,headcount\n".encode("utf-32"), "UTF-32"),
    (b"PK\x03\x04" + b"[Content_Types].xml word/document.xml", "Word document"),
])
def test_files_that_are_not_csv_are_named_for_what_they_are(raw, said):
    with pytest.raises(kit.DataError, match=said):
        kit.read_organization(raw)


# --------------------------------------------------------------------------- one cap on messages

def test_fifty_thousand_unknown_keys_give_a_readable_message():
    content = kit.scenario_file.scenario_to_dict(kit.Scenario()) | {f"key{i}": 1 for i in range(50_000)}
    with pytest.raises(kit.DataError) as info:
        kit.scenario_file.scenario_from_dict(content)
    assert len(info.value.problems) == 101 and info.value.problems[-1].startswith("… and 49,900 more")
    assert len(str(info.value)) < 150_000


def test_a_huge_value_is_never_echoed_in_full():
    content = kit.scenario_file.scenario_to_dict(kit.Scenario()) | {"format": "x" * 900_000}
    with pytest.raises(kit.DataError) as info:
        kit.scenario_file.scenario_from_dict(content)
    assert len(str(info.value)) < 2_000


class Unprintable:
    def __repr__(self):
        raise RuntimeError("no repr")

    __str__ = __repr__


ANSWERS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.binary(),
                    st.complex_numbers(), st.lists(st.integers(), max_size=5), st.just(10**400),
                    st.just("x" * 1_000_000), st.just(Unprintable()), st.dictionaries(st.text(), st.integers()))


@settings(max_examples=200, deadline=None)
@given(answer=ANSWERS, question=st.sampled_from(sorted(kit.checks.QUESTIONS)))
def test_kit_check_never_raises_and_never_echoes_a_huge_answer(answer, question):
    feedback = kit.check(question, answer)
    assert feedback.status in ("right", "wrong", "invalid", "unanswered")
    assert len(str(feedback)) < 5_000


@settings(max_examples=200, deadline=None)
@given(roles=st.lists(st.one_of(st.sampled_from(list(kit.model.structure().role_ids)), st.text(max_size=5),
                                st.integers()), max_size=4),
       numbers=st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**30, 10**30),
                                  st.text(max_size=3)), max_size=8),
       name=st.text(max_size=30))
def test_any_organization_is_either_refused_with_a_message_or_runs(roles, numbers, name):
    half = len(numbers) // 2
    try:
        org = kit.Organization(tuple(roles), tuple(numbers[:half]), tuple(numbers[half:]), name)
    except kit.DataError as error:
        assert error.problems and all(p.startswith("org: ") for p in error.problems)
        return
    result = kit.simulate(kit.Scenario(org=org, automation={"clinical_documentation": 0.8}))
    assert math.isfinite(result.org["released_fte"]) and result.org["hours_before"] >= 0


# --------------------------------------------------------------------------- memory

def test_fifty_re_runs_of_the_lab_cell_keep_one_lab(monkeypatch):
    monkeypatch.setattr(dashboard_module, "_running_cell", lambda: "cell-1")
    kit.explore()
    gc.collect()
    one_lab = len(LIVE_WIDGETS)
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    for _ in range(50):
        lab = kit.explore()
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    assert len(LIVE_WIDGETS) == one_lab, "re-running the cell left the earlier labs' widgets alive"
    assert grown < 5_000_000, f"50 re-runs kept {grown / 1e6:.1f} MB"
    lab.close()
    live = {id(v) for v in LIVE_WIDGETS.values()}
    assert not any(id(x) in live for x in dashboard_module.widgets_within(lab))


def test_a_lab_in_another_cell_is_left_alone(monkeypatch):
    cell = iter(["cell-a", "cell-b"])
    monkeypatch.setattr(dashboard_module, "_running_cell", lambda: next(cell))
    first, second = kit.explore(), kit.explore()
    assert first.comm is not None and second.comm is not None
    first.close(), second.close()


def test_an_unknown_role_is_reported_in_the_lab():
    lab = kit.explore(role="nope")
    assert "&#x27;nope&#x27; is not one of this organization" in lab.message.value
    lab.close()


# --------------------------------------------------------------------------- the one path policy itself

@pytest.mark.parametrize("name", TRAVERSAL + [None, 3, "plan.JSON.exe"])
def test_learner_file_refuses_every_name_that_leads_elsewhere(name, tmp_path):
    with pytest.raises(kit.DataError):
        _files.learner_file(name, ".json", folder=tmp_path)


def test_learner_file_refuses_a_link_out_of_the_folder(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "plan.json").symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(kit.DataError, match="leads outside"):
        _files.learner_file("plan.json", ".json", folder=tmp_path / "out")


def test_the_lab_adds_the_ending_to_a_bare_name_and_nothing_else(outputs):
    assert scenario_tab.scenario_path("plan") == (outputs / "plan.json").resolve()
    with pytest.raises(kit.DataError, match="does not end in .json"):
        scenario_tab.scenario_path("plan.csv")
