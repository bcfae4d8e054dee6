"""The links that open the kit on Binder or a JupyterHub come from one repository URL and stay current."""
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import launch_links
import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_readme_and_chapters_hold_the_current_generated_links():
    assert launch_links.out_of_date() == [], "run: python tools/launch_links.py --write"


def test_readme_has_the_launch_sections_with_their_links():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for section in ("## Run it on Binder", "## Run it on a JupyterHub", "## Static HTML export"):
        assert section in readme
    for block in ("binder-badge", "binder-dashboard", "nbgitpuller"):
        assert f"<!-- launch-links:{block} -->" in readme


def test_binder_link_opens_jupyterlab_on_the_start_chapter():
    url = urlparse(launch_links.binder_url(repo_url="https://github.com/someone/a-fork"))
    assert (url.scheme, url.netloc, url.path) == ("https", "mybinder.org", "/v2/gh/someone/a-fork/HEAD")
    assert parse_qs(url.query)["urlpath"] == ["lab/tree/notebooks/00_start_here.ipynb"]
    voila = urlparse(launch_links.binder_url("notebooks/02_x.ipynb", view="voila", repo_url="https://github.com/a/b"))
    assert parse_qs(voila.query)["urlpath"] == ["voila/render/notebooks/02_x.ipynb"]
    assert (ROOT / launch_links.START).is_file()


def test_the_dashboard_block_opens_the_main_chapter_in_voila_for_a_projector():
    """The facilitator's projector link: Binder, Voila's dashboard view (outputs only), the main chapter."""
    block = launch_links.blocks("https://github.com/someone/a-fork")["binder-dashboard"]
    url = urlparse(block.strip().strip("<>"))
    assert (url.netloc, url.path) == ("mybinder.org", "/v2/gh/someone/a-fork/HEAD")
    assert parse_qs(url.query)["urlpath"] == ["voila/render/notebooks/02_the_automation_sliders.ipynb"]
    main = ROOT / launch_links.DASHBOARD
    assert main.is_file() and "kit.explore(" in main.read_text(encoding="utf-8")
    text = "<!-- launch-links:binder-dashboard -->\n<https://old>\n<!-- /launch-links -->\n"
    assert launch_links.render(text, launch_links.blocks("https://github.com/someone/a-fork")) == \
        f"<!-- launch-links:binder-dashboard -->\n{block}<!-- /launch-links -->\n"


def test_nbgitpuller_link_clones_the_repository_and_opens_the_start_chapter():
    url = urlparse(launch_links.nbgitpuller_url("https://hub.example.edu/", repo_url="https://github.com/someone/a-fork"))
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.netloc == "hub.example.edu" and url.path == "/hub/user-redirect/git-pull"
    # nbgitpuller clones into a folder named after the repository, in the user's home.
    assert query == {"repo": "https://github.com/someone/a-fork", "branch": "main",
                     "urlpath": "lab/tree/a-fork/notebooks/00_start_here.ipynb"}


def test_a_fork_changes_one_line_and_every_link_follows(tmp_path):
    generated = launch_links.blocks("https://github.com/someone/a-fork")
    text = "x\n<!-- launch-links:binder-badge -->\nold\n<!-- /launch-links -->\ny\n"
    rendered = launch_links.render(text, generated)
    assert "gh/someone/a-fork/HEAD" in rendered and "old" not in rendered and rendered.endswith("-->\ny\n")
    assert "OWNER" not in "".join(generated.values())
    assert unquote(generated["nbgitpuller"]).count("someone/a-fork") == 1


def test_the_facilitator_guide_carries_the_hub_link():
    guides = [p for p in (ROOT / "notebooks").glob("*.ipynb") if "facilitator" in p.name.lower()]
    if not guides:
        pytest.skip("no facilitator guide in notebooks/ yet (it comes with the curriculum)")
    for guide in guides:
        text = guide.read_text(encoding="utf-8")
        assert "<!-- launch-links:nbgitpuller -->" in text, f"{guide.name} lacks the generated nbgitpuller link"
