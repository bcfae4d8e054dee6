"""Every table in datasets/datapackage.json has a loader in kit.data and every loader a table; each
loader's docstring is generated from the datapackage (title, description, columns with type and unit)."""
import pytest

from kit import data

RESOURCES = {r["name"]: r for r in data.datapackage()["resources"]}


def test_every_resource_has_a_loader_and_every_loader_a_resource():
    loaders = {n.removeprefix("load_") for n, f in vars(data).items() if n.startswith("load_") and callable(f)}
    assert loaders == set(RESOURCES), f"no loader: {set(RESOURCES) - loaders}; no table: {loaders - set(RESOURCES)}"
    assert set(data.TABLES) == set(RESOURCES)


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_a_loaders_docstring_describes_its_table(name):
    loader, resource = getattr(data, f"load_{name}"), RESOURCES[name]
    doc = loader.__doc__
    assert resource["title"] in doc and resource["description"] in doc and resource["path"] in doc
    for field in resource["schema"]["fields"]:
        unit = f", {field['unit']}" if field.get("unit") else ""
        assert f"- {field['name']} ({field['type']}{unit}): " in doc, field["name"]
    assert list(loader().columns) == [f["name"] for f in resource["schema"]["fields"]]
