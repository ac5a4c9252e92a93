"""What a browser would submit from a page's form, for the benchmarks that post forms
(``bench/load.py``'s locust users and ``bench/pages_cpu.py``)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class FormFields(HTMLParser):
    """The values a browser would submit from a form (inputs and selected options)."""

    def __init__(self):
        super().__init__()
        self.fields, self.select = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("checkbox", "submit"):
            self.fields[a["name"]] = a.get("value") or ""
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.fields[a["name"]] = a.get("value") or "on"
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and (
                "selected" in a or self.select not in self.fields):
            self.fields[self.select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
