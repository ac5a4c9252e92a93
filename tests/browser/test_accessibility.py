"""Accessibility (issue 21; GB/T 37668-2019, aligned with WCAG 2.0): axe-core's WCAG 2 A and AA
rules on every page of the demo reachable from the dashboard, as each role, in Chinese and in
English. Any serious or critical violation fails the test.

axe-core comes from npm (``axe_source`` installs it into a cache folder outside the app's static
files); it is injected by the test through the DevTools protocol and never served by the app.
"""
from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

from tests.browser.conftest import login
from tests.crawl import ROLES, SKIP

MAX_PAGES = 40  # per role: pages whose address differs only in its ids count once
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}, resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" + re.sub(r"\d+", "N", parts.query)
                                              if parts.query else "")


def _check(page, axe_source: str, url: str, found: dict) -> bool:
    """Run axe on ``url``; False if the page is refused (a link the role may see, to a page
    of another organisation's record, answers 403 — access is the access matrix's concern)."""
    response = page.goto(url)
    if response is None or response.status >= 400:
        return False
    page.evaluate(axe_source)
    for violation in page.evaluate(RUN_AXE):
        found.setdefault(violation["id"], []).append((url, violation["nodes"]))
    return True


def _links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(a => a.href)")
    out = []
    for href in hrefs:
        href = urldefrag(href).url
        if href.startswith(base + "/") and not SKIP.search(href):
            out.append(href)
    return out


def test_no_serious_axe_violation_on_any_page(browser, live_server, axe_source):
    found: dict[str, list] = {}
    visited = 0
    for role in ROLES:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        try:
            login(page, live_server, role)
            queue, seen, pages = [f"{live_server}/dashboard"], set(), []
            while queue and len(pages) < MAX_PAGES:
                url = queue.pop(0)
                if _pattern(url) in seen:
                    continue
                seen.add(_pattern(url))
                if _check(page, axe_source, url, found):
                    pages.append(url)
                    queue.extend(_links(page, live_server))
            page.click("button[name=lang][value=en]")
            page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == "en"
            for url in pages:
                _check(page, axe_source, url, found)
            visited += 2 * len(pages)
        finally:
            context.close()
    print(f"axe: {visited} pages checked")
    assert visited > 80  # the crawl reached the pages, not only the dashboard
    assert found == {}, found
