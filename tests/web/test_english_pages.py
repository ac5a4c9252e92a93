"""The English interface speaks English (issue 14): every page of the demo reachable from the
dashboard, as each demo role, holds no Chinese text outside user data and quoted legal titles.

User data is what the database holds: names of people and organisations, titles and notes users
typed, demo records, the registry's sources and notes as an administrator entered them — every
text the pages show from a stored record, except the registry's province names and units, which
the interface labels. Text marked ``lang="zh…"`` in a template is user data too.
The product's name 协商 stands beside Xieshang; a quoted legal title (《集体合同规定》) may stay beside its English form. Everything else —
messages, labels, legal citations, units — must come from the English catalogue.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from sqlalchemy import JSON, String, Text, select

from app.db import Base
from tests.crawl import ROLES, SKIP

MAX_PAGES = 60  # per role: pages whose address differs only in its ids count once
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
LEGAL_TITLE = re.compile(r"《[^》]{1,60}》")
BRAND = re.compile(r"^协商(?= ·|$)")  # the product's name, beside "Xieshang"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
LABELLED_COLUMNS = {"province", "unit"}  # stored in Chinese, shown through a label table


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


class Stored:
    """Every stored text with Chinese in it: ``pattern`` removes whole texts and lines from a
    chunk of a page; ``holds`` says whether a piece is part of one (a redline shows pieces)."""

    def __init__(self, texts: set[str]):
        self.pattern = re.compile("|".join(re.escape(t) for t in sorted(texts, key=len,
                                                                        reverse=True)))
        self.blob = "\n".join(texts)
        self.texts = texts

    def sub(self, repl: str, chunk: str) -> str:
        return repl if chunk in self.texts else self.pattern.sub(repl, chunk)

    def holds(self, piece: str) -> bool:
        return len(piece) >= 8 and piece in self.blob


def user_data(session) -> Stored:
    """Every stored text with Chinese in it (and each of its lines)."""
    found: set[str] = set()
    for table in Base.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))
                   and c.name not in LABELLED_COLUMNS]
        if not columns:
            continue
        for row in session.execute(select(*columns)):
            for value in row:
                for text in _strings(value):
                    if CJK.search(text):
                        found.add(text.strip())
                        found.update(line.strip() for line in text.splitlines())
    found.discard("")
    return Stored(found)


class _Text(HTMLParser):
    """The text a reader sees (and the attributes a screen reader reads), outside elements
    marked as Chinese user data, with the links of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)
        self.chunks: list[str] = []
        self.links: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        lang = (attrs.get("lang") or "").lower()
        skip = lang.startswith("zh") or tag in ("script", "style", "template")
        if not skip and not self._skipping():
            self.chunks.extend(str(attrs[name]) for name in SHOWN_ATTRIBUTES if attrs.get(name))
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.chunks.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if data.strip() and not self._skipping():
            self.chunks.append(data.strip())


def chinese_outside_user_data(html: str, stored: Stored | None = None
                              ) -> tuple[list[str], list[str]]:
    """The chunks of text with Chinese in them, and the page's links."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    found = []
    for chunk in parser.chunks:
        if not CJK.search(chunk):
            continue
        rest = BRAND.sub("", chunk)
        if stored is not None:
            rest = stored.sub("", rest)
        rest = LEGAL_TITLE.sub("", rest)
        if stored is not None and all(stored.holds(line.strip()) for line in rest.splitlines()
                                      if CJK.search(line)):
            continue  # a piece of a stored text (a redline of a clause)
        if CJK.search(rest):
            found.append(chunk)
    return found, parser.links


def _pattern(url: str) -> str:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path) + ("?" + re.sub(r"\d+", "N", parts.query)
                                              if parts.query else "")


def test_the_parser_sees_chinese_outside_user_data_only():
    found, links = chinese_outside_user_data(
        '<p>Pay <span lang="zh">王芳</span> 元/单 <a href="/x" title="协商会议">x</a></p>'
        '<p lang="zh-CN"><b>美团</b></p><br><p>Art. 32, 《集体合同规定》</p>'
        '<script>var s = "中文";</script><input placeholder="刘强">')
    assert found == ["元/单", "协商会议", "刘强"]
    assert links == ["/x"]


def test_every_demo_page_in_english_is_english(app, auth, client, session):
    stored = user_data(session)
    problems: dict[str, list[str]] = {}
    visited = 0
    for role in ROLES:
        auth.login(role)
        auth.post("/lang", {"lang": "en", "next": "/dashboard"})
        queue, seen = ["/dashboard"], set()
        pages = 0
        while queue and pages < MAX_PAGES:
            url = queue.pop(0)
            if _pattern(url) in seen:
                continue
            seen.add(_pattern(url))
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.content_type:
                continue
            pages += 1
            html = response.get_data(as_text=True)
            assert '<html lang="en">' in html, url
            found, links = chinese_outside_user_data(html, stored)
            if found:
                problems[f"{role} {url}"] = sorted(set(found))
            for href in links:
                href = urldefrag(urljoin("http://localhost" + url, href)).url
                parts = urlsplit(href)
                if parts.netloc != "localhost" or SKIP.search(href):
                    continue
                queue.append(parts.path + ("?" + parts.query if parts.query else ""))
        visited += pages
        auth.logout()
    print(f"english: {visited} pages checked")
    assert visited > 80  # the crawl reached the pages, not only the dashboard
    assert problems == {}, "\n".join(f"{page}: {chunks}" for page, chunks in problems.items())
