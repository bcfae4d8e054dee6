"""axe-core (bundled by axe-playwright-python, so it runs offline) on a page the kit made: the WCAG 2.0
and 2.1 A and AA rules, each violation as one readable line."""
from axe_playwright_python.sync_playwright import Axe

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE = Axe()


def violations(page, context=None) -> list[str]:
    """'rule (impact): where: what to fix' for every node that fails, [] when the page passes.
    `context` limits the scan (an axe include/exclude dict), e.g. to the outputs the kit controls."""
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    found = _AXE.run(page, context=context, options=options).response["violations"]
    return [f"{rule['id']} ({rule['impact']}): {' '.join(map(str, node['target']))}: "
            f"{node.get('failureSummary', '').splitlines()[-1].strip()}"
            for rule in found for node in rule["nodes"]]
