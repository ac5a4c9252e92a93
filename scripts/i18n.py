"""Keep the translation catalogues complete.

    python scripts/i18n.py update   extract strings, merge into zh_CN and en, fill en with the source
    python scripts/i18n.py check    list strings missing a Chinese translation (exit 1 if any)
    python scripts/i18n.py fill F   update, then take Chinese translations from the JSON file F
                                    ({"English source": "中文"}); safe to run from several shells
    python scripts/i18n.py compile  compile the .mo files (part of the set-up)

Source strings are English; the zh_Hans_CN (zh_CN) catalogue carries the Chinese text.
"""
from __future__ import annotations

import fcntl
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
LOCALES = ("zh_Hans_CN", "en")  # Babel names simplified Chinese zh_Hans_CN


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def _write(path: Path, catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=False, omit_header=False)


def update() -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext",
                    "-k", "Msg", "--no-location",
                    "--sort-output", "-o", str(POT), str(ROOT)], check=True, cwd=ROOT, capture_output=True)
    template = _read(POT)
    for locale in LOCALES:
        path = po_path(locale)
        catalog = _read(path, locale) if path.exists() else None
        if catalog is None:
            from babel.messages.catalog import Catalog
            catalog = Catalog(locale=locale, project="xieshang")
        catalog.update(template, no_fuzzy_matching=True)
        for message in catalog:
            if not message.id:
                continue
            if locale == "en" and not message.string:
                message.string = message.id
            message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        _write(path, catalog)


def missing(locale: str = "zh_Hans_CN") -> list[str]:
    template = _read(POT)
    catalog = _read(po_path(locale), locale)
    out = []
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        string = found.string if found else None
        if isinstance(string, tuple):
            ok = all(string)
        else:
            ok = bool(string)
        if not ok or (found and found.fuzzy):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def compile_all() -> None:
    for locale in LOCALES:
        catalog = _read(po_path(locale), locale)
        with (po_path(locale).with_suffix(".mo")).open("wb") as fh:
            write_mo(fh, catalog)


def fill(json_path: str) -> int:
    """Set the Chinese text of the strings in ``json_path``; returns how many were set."""
    import json
    translations = json.loads(Path(json_path).read_text(encoding="utf-8"))
    path = po_path(LOCALES[0])
    catalog = _read(path, LOCALES[0])
    count = 0
    for message in catalog:
        if message.id and message.id in translations:
            message.string = translations[message.id]
            count += 1
    _write(path, catalog)
    return count


@contextmanager
def _locked():
    """Serialise read-modify-write of the catalogues between concurrent shells."""
    TRANSLATIONS.mkdir(exist_ok=True)
    with open(TRANSLATIONS / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        with _locked():
            update()
    elif command == "fill":
        with _locked():
            update()
            print("translated", fill(sys.argv[2]))
            compile_all()
    elif command == "compile":
        with _locked():
            compile_all()
    else:
        gaps = [m for loc in LOCALES for m in missing(loc)]
        for m in gaps:
            print("untranslated:", m)
        sys.exit(1 if gaps else 0)
