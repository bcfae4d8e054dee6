"""Saving a scenario from the slider lab's "Scenario file" tab: the message appears beside the Save button
(the dashboard's message line is 730 px above it, off screen), the file goes into my_outputs/, and a
second save never replaces the first."""
import json

import kit
from kit.widgets import scenario_tab


def test_save_goes_into_my_outputs_says_so_beside_the_button_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_OUTPUTS_DIR", str(tmp_path / "my_outputs"))
    lab = kit.explore()
    files = lab.files
    assert files.name.value == "my_scenario.json"
    row = list(files.children).index(next(c for c in files.children if files.save_button in getattr(c, "children", ())))
    assert files.children[row + 1] is files.status, "the message sits right below the Save button's row"
    lab.apply_preset("empathy_first")
    files.save_button.click()
    first = tmp_path / "my_outputs" / "my_scenario.json"
    assert first.exists() and "saved the scenario on screen to my_outputs/my_scenario.json" in files.status.value
    before = first.read_text(encoding="utf-8")
    lab.apply_preset("cost_cutting")
    files.save_button.click()
    second = tmp_path / "my_outputs" / "my_scenario-2.json"
    assert first.read_text(encoding="utf-8") == before, "the second save replaced the first file"
    assert second.exists() and "my_scenario.json already exists and was kept" in files.status.value
    assert json.loads(second.read_text(encoding="utf-8")) != json.loads(before)
    assert scenario_tab.free_name(first) == tmp_path / "my_outputs" / "my_scenario-3.json"
