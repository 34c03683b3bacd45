"""axe-core (shipped inside axe-playwright-python, no CDN) run on the current page."""

from axe_playwright_python.sync_playwright import Axe

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
TARGETS_SHOWN = 3

_axe = Axe()


def assert_no_axe_violations(page) -> None:
    """Never call it on a page opened with java_script_enabled=False: axe runs as a
    script there, never resolves, and the test hangs."""
    violations = axe_violations(page)
    assert violations == [], violations_report(page.url, violations)


def axe_violations(page) -> list[dict]:
    return _axe.run(page, options=AXE_OPTIONS).response["violations"]


def violations_report(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} axe violation(s) on {url}:"]
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{len(nodes)} element(s)] {violation['helpUrl']}"
        )
        for node in nodes[:TARGETS_SHOWN]:
            # A target is a list of selectors, one per frame or shadow root crossed.
            lines.append("    " + " >>> ".join(map(str, node["target"])))
        if len(nodes) > TARGETS_SHOWN:
            lines.append(f"    … and {len(nodes) - TARGETS_SHOWN} more")
    return "\n".join(lines)
