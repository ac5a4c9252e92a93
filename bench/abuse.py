"""Abuse benchmark: the page mix of ``bench/load.py`` while attackers send oversized requests
and spreadsheet bombs to the same gunicorn (2 sync workers, 127.0.0.1, a fresh demo database).
Prints one JSON line.

Set-up, page mix and statistics are those of ``bench/load.py`` (its functions are reused): the
readers open the dashboard and a negotiation page; no modellers, one PDF download every 30 s.
Meanwhile ``--attackers`` threads, each signed in (union negotiator and mediator), send in turn,
as fast as answers come back:
- ``POST /scenarios/<id>/run`` with 100,000 workers × 366 days (the 33-second outage of issue 13),
- ``POST /analyses/calibrate`` and ``POST /ledger/import`` with a 5-million-cell one-row XLSX and
  one declaring the dimension ``A1:XFD1048576``,
- ``POST /negotiations/new`` carrying rules with 100,000 workers × 366 days,
- an upload over the request size limit.

Figures: the page mix's ``rps``, ``p95_ms`` and ``errors`` during the attack; ``attack_max_ms``
(the slowest answer to an attack request), ``attack_requests`` and their status codes. Targets
(issue 13): p95 ≤ 300 ms, 0 errors, no attack request over 2 s.

    .venv/bin/python bench/abuse.py [--seconds 20] [--users 8] [--attackers 2]
"""
from __future__ import annotations

import argparse
import io
import json
import re
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import load  # noqa: E402  (bench/load.py: database, gunicorn, locust, statistics)

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "xieshang-demo"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _xlsx(sheet_xml: bytes) -> bytes:
    """A valid one-sheet workbook whose worksheet part is ``sheet_xml``."""
    from openpyxl import Workbook
    book, out = Workbook(), io.BytesIO()
    book.active.append(["x"])
    book.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, sheet_xml if info.filename.endswith("sheet1.xml")
                            else data)
    return bomb.getvalue()


def bombs() -> dict[str, bytes]:
    wide = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><sheetData><row r="1">'
            + '<c t="n"><v>1</v></c>' * 5_000_000 + "</row></sheetData></worksheet>").encode()
    declared = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>'
                '<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="n"><v>1</v>'
                '</c></row><row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
                "</sheetData></worksheet>").encode()
    return {"wide_row": _xlsx(wide), "declared_dimension": _xlsx(declared)}


class Attacker(threading.Thread):
    def __init__(self, base: str, ids: dict, files: dict, stop: threading.Event):
        super().__init__(daemon=True)
        self.base, self.ids, self.files, self.stop = base, ids, files, stop
        self.times: list[tuple[str, float, int]] = []

    def _login(self, username: str) -> tuple[requests.Session, str]:
        s = requests.Session()
        for _ in range(5):
            token = TOKEN.search(s.get(self.base + "/login").text).group(1)
            s.post(self.base + "/login", data={"username": username, "password": PASSWORD,
                                               "csrf_token": token})
            page = s.get(self.base + "/dashboard", allow_redirects=False)
            if page.status_code == 200:
                return s, TOKEN.search(page.text).group(1)
        raise SystemExit(f"{username} could not log in")

    def _timed(self, name, fn):
        started = time.perf_counter()
        try:
            status = fn().status_code
        except requests.RequestException:
            status = 0
        self.times.append((name, (time.perf_counter() - started) * 1000, status))

    def run(self):
        union, ut = self._login("union")
        mediator, mt = self._login("mediator")
        scenario, negotiation = self.ids["scenario"], self.ids["negotiation"]
        rules = {"workforce": {"n_workers": 100_000, "days": 366}}
        big = b"x" * (11 * 1024 * 1024)
        attacks = [
            ("oversized run", lambda: union.post(
                f"{self.base}/scenarios/{scenario}/run", timeout=60, allow_redirects=False,
                data={"csrf_token": ut, "workforce.n_workers": "100000",
                      "workforce.days": "366"},
                headers={"HX-Request": "true", "HX-Target": "results"})),
            ("oversized negotiation", lambda: union.post(
                f"{self.base}/negotiations/new", timeout=60, allow_redirects=False,
                data={"csrf_token": ut, "title": "攻击", "sector": "delivery",
                      "current_rules": json.dumps(rules)})),
            ("upload over the limit", lambda: union.post(
                f"{self.base}/analyses/calibrate", timeout=60, allow_redirects=False,
                data={"csrf_token": ut, "source": "preset:delivery"},
                files={"file": ("big.csv", big)})),
        ]
        for name, data in self.files.items():
            attacks.append((f"calibrate {name}", lambda data=data: union.post(
                f"{self.base}/analyses/calibrate", timeout=60, allow_redirects=False,
                data={"csrf_token": ut, "source": f"preset:delivery"},
                files={"file": ("bomb.xlsx", data)})))
            attacks.append((f"ledger import {name}", lambda data=data: mediator.post(
                f"{self.base}/ledger/import", timeout=60, allow_redirects=False, data={"csrf_token": mt},
                files={"file": ("bomb.xlsx", data)})))
        i = 0
        while not self.stop.is_set():
            name, fn = attacks[i % len(attacks)]
            self._timed(name, fn)
            i += 1
        del negotiation


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--users", type=int, default=8, help="page-mix users (one prints)")
    parser.add_argument("--attackers", type=int, default=2)
    args = parser.parse_args()
    files = bombs()
    with tempfile.TemporaryDirectory(prefix="xieshang-abuse-") as tmp:
        folder = Path(tmp)
        url, ids = load.demo_database(folder)
        port = load.free_port()
        server = load.start_gunicorn(folder, url, port)
        stop = threading.Event()
        attackers = []
        try:
            load.wait_until_up(port)
            attackers = [Attacker(f"http://127.0.0.1:{port}", ids, files, stop)
                         for _ in range(args.attackers)]
            for a in attackers:
                a.start()
            stats = load.run_locust(folder, port, ids, users=args.users, seconds=args.seconds,
                                    modellers=0, sim_pacing=1.0, pdf_pacing=30.0)
        finally:
            stop.set()
            for a in attackers:
                a.join(70)
            load.stop(server)
    pages = [v for k, v in stats.items() if k.startswith("page: ")]
    times = [t for a in attackers for t in a.times]
    slowest: dict[str, float] = {}
    for name, ms, _status in times:
        slowest[name] = round(max(slowest.get(name, 0.0), ms), 1)
    print(json.dumps({
        "seconds": args.seconds, "users": args.users, "attackers": args.attackers,
        "rps": round(sum(p["rps"] for p in pages), 1),
        "p95_ms": max((p["p95_ms"] for p in pages), default=0.0),
        "errors": sum(p["errors"] for p in pages),
        "attack_requests": len(times),
        "attack_max_ms": max((ms for _n, ms, _s in times), default=0.0),
        "attack_statuses": dict(Counter(str(s) for _n, _ms, s in times)),
        "attack_max_ms_by_kind": slowest,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
