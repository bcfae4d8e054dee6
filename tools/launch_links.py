"""The links that open the kit somewhere else: Binder (JupyterLab or the Voila dashboard) and a
JupyterHub through nbgitpuller, all built from the one repository URL in pyproject.toml.

    python tools/launch_links.py            print the links for this repository
    python tools/launch_links.py --write    rewrite the generated link blocks in README.md and notebooks/
    python tools/launch_links.py --check    exit 1 if a generated block is out of date (a test runs this)

A fork sets `Repository` under `[project.urls]` in pyproject.toml to its own GitHub URL and runs
`--write`. Generated blocks sit between `<!-- launch-links:NAME -->` and `<!-- /launch-links -->`
in README.md or in a notebook's markdown cell (the facilitator guide); NAME is a key of
`blocks()`: binder-badge, binder-link (JupyterLab on the start chapter), binder-dashboard (the Voila
dashboard view of the main chapter, for a projector) or nbgitpuller.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
START = "notebooks/00_start_here.ipynb"
DASHBOARD = "notebooks/02_the_automation_sliders.ipynb"  # the main chapter: its slider lab, for a projector
PLACEHOLDER = "https://github.com/OWNER/REPO"
HUB_PLACEHOLDER = "https://YOUR-HUB.example.edu"
BRANCH = "main"
BLOCK = re.compile(r"(<!-- launch-links:([a-z-]+) -->\n)(.*?)(<!-- /launch-links -->)", re.S)


def repository() -> str:
    """The repository URL from pyproject.toml's [project.urls] Repository."""
    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"].get("urls", {})
    url = urls.get("Repository", "").rstrip("/")
    if not re.fullmatch(r"https://github\.com/[^/]+/[^/]+", url):
        raise SystemExit(f"pyproject.toml [project.urls] Repository must be a GitHub URL, found {url!r}")
    return url


def owner_and_name(repo_url: str) -> tuple[str, str]:
    owner, name = repo_url.split("/")[-2:]
    return owner, name


def binder_url(path: str = START, view: str = "lab", repo_url: str | None = None) -> str:
    """mybinder.org link that opens `path` in JupyterLab (view='lab') or as a Voila dashboard (view='voila')."""
    owner, name = owner_and_name(repo_url or repository())
    route = {"lab": "lab/tree/", "voila": "voila/render/"}[view] + path
    return f"https://mybinder.org/v2/gh/{owner}/{name}/HEAD?urlpath={quote(route, safe='')}"


def nbgitpuller_url(hub: str = HUB_PLACEHOLDER, path: str = START, branch: str = BRANCH,
                    repo_url: str | None = None) -> str:
    """A JupyterHub link that clones (or updates) the repository into the user's home, then opens `path`."""
    repo_url = repo_url or repository()
    _, name = owner_and_name(repo_url)
    query = urlencode({"repo": repo_url, "branch": branch, "urlpath": f"lab/tree/{name}/{path}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def blocks(repo_url: str | None = None) -> dict[str, str]:
    """The markdown of each generated block."""
    repo_url = repo_url or repository()
    lab = binder_url(repo_url=repo_url)
    return {
        "binder-badge": f"[![Launch the kit on Binder](https://mybinder.org/badge_logo.svg)]({lab})\n",
        "binder-link": f"<{lab}>\n",
        "binder-dashboard": f"<{binder_url(DASHBOARD, view='voila', repo_url=repo_url)}>\n",
        "nbgitpuller": f"```text\n{nbgitpuller_url(repo_url=repo_url)}\n```\n",
    }


def render(text: str, generated: dict[str, str]) -> str:
    def replace(match):
        name = match.group(2)
        if name not in generated:
            raise SystemExit(f"unknown launch-links block {name!r}; known: {', '.join(generated)}")
        return match.group(1) + generated[name] + match.group(4)
    return BLOCK.sub(replace, text)


def documents():
    """(path, text) of every file that may hold generated blocks; a notebook as its markdown sources."""
    yield ROOT / "README.md"
    yield from sorted((ROOT / "notebooks").glob("*.ipynb"))


def out_of_date(generated=None) -> list[str]:
    generated = generated or blocks()
    stale = []
    for path in documents():
        for text in _texts(path):
            if render(text, generated) != text:
                stale.append(str(path.relative_to(ROOT)))
                break
    return stale


def _texts(path: Path):
    if path.suffix == ".ipynb":
        notebook = json.loads(path.read_text(encoding="utf-8"))
        return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"]
    return [path.read_text(encoding="utf-8")]


def write(generated=None) -> list[str]:
    import nbformat

    generated = generated or blocks()
    changed = []
    for path in documents():
        if path.suffix == ".ipynb":
            notebook = nbformat.read(path, as_version=4)
            touched = False
            for cell in notebook.cells:
                if cell.cell_type == "markdown" and render(cell.source, generated) != cell.source:
                    cell.source, touched = render(cell.source, generated), True
            if touched:
                nbformat.write(notebook, path)
                changed.append(path)
        else:
            text = path.read_text(encoding="utf-8")
            if render(text, generated) != text:
                path.write_text(render(text, generated), encoding="utf-8")
                changed.append(path)
    return [str(p.relative_to(ROOT)) for p in changed]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the generated blocks")
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated block is out of date")
    args = parser.parse_args(argv)
    repo_url = repository()
    if repo_url == PLACEHOLDER:
        print(f"note: pyproject.toml still names the placeholder {PLACEHOLDER}; a fork puts its own URL there")
    if args.check:
        stale = out_of_date()
        for path in stale:
            print(f"out of date: {path} (run: python tools/launch_links.py --write)")
        return 1 if stale else 0
    if args.write:
        for path in write():
            print(f"updated {path}")
        return 0
    print(f"repository:          {repo_url}")
    print(f"Binder (JupyterLab): {binder_url()}")
    print(f"Binder (dashboard):  {binder_url(DASHBOARD, view='voila')}")
    print(f"JupyterHub:          {nbgitpuller_url()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
