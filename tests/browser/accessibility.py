"""axe-core on a page in the browser tests: the bundled script (``tests/browser/axe``, no
CDN), evaluated through the driver, which the page's Content-Security-Policy
(script-src 'self') does not block, so the policy stays as it is served."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).with_name("axe") / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (id, impact and the nodes)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
