"""The layering lint: reads every module of a package tree (imports inside functions included)
and lists the imports that break the house rules of docs/architecture.md.

``check(root)`` returns one line per problem; ``tests/test_layering.py`` runs it on ``app/`` and
on synthetic trees that must fail.
"""
from __future__ import annotations

import ast
from pathlib import Path

# Lowest first; a module may import its own layer and the layers below. Peers (same number) may
# not import each other (scenarios, ledger and surveys are independent features), except in the
# foundation (layer 0), whose modules are one group (audit uses db, schema uses config).
LAYERS = {
    "app": 0, "app.config": 0, "app.ids": 0, "app.db": 0, "app.errors": 0, "app.audit": 0,
    "app.spreadsheet": 0, "app.workbook": 0, "app.schema": 0, "app.backup": 0,
    "app.simulator": 1, "app.auth": 2, "app.standards": 3, "app.negotiations": 4,
    "app.agreements": 5, "app.scenarios": 6, "app.ledger": 6, "app.surveys": 6,
    "app.notifications": 7,
    # the jobs table sits below app.models, which lists every table; the service above it
    # the jobs run reports (the regional report, a negotiation's documents): just above them
    "app.jobs.models": 7, "app.models": 8, "app.rules": 8, "app.jobs": 9.5, "app.reports": 9,
    "app.demo": 10, "app.web": 11,
}
# Third-party packages only one part may import. (werkzeug.security is allowed in app.auth: it is
# the password hash, not the web framework.)
# Flask and every flask_* extension are the web layer's too.
ONLY_IN = {"flask": "app.web", "click": "app.web", "weasyprint": "app.reports",
           "matplotlib": "app.reports", "docx": "app.reports"}
SIMULATOR_MAY_IMPORT = {"numpy", "scipy", "__future__"}

# Imports of app.* inside a function, each with the reason it cannot be at the top.
ALLOWED_IN_FUNCTIONS = {
    ("app.web", "app.web.cli"): "the commands are registered by create_app only; importing "
                                "them at the top would load every command module for each page",
    ("app.web.errors", "app.web.database"): "app.web.database imports app.web.errors' parent "
                                            "while the app is built; the handler runs later",
}


def layer_of(module: str) -> tuple[int, str] | None:
    """(layer, package) of ``module``: its longest prefix in ``LAYERS``."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in LAYERS:
            return LAYERS[name], name
    return None


def _imports(path: Path, module: str, modules: set[str]):
    """(line, imported module, names, inside a function, inside ``try/except ImportError``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def walk(node, in_func, guarded):
        for child in ast.iter_child_nodes(node):
            func = in_func or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                 ast.Lambda))
            guard = guarded or (isinstance(child, ast.Try) and any(
                isinstance(h.type, ast.Name)
                and h.type.id in ("ImportError", "ModuleNotFoundError") for h in child.handlers))
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield child.lineno, alias.name, [], func, guard
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")
                    base = ".".join(parts[:len(parts) - child.level + 1] + ([base] if base else []))
                names = []
                for alias in child.names:  # "from app import demo" imports the module app.demo
                    if f"{base}.{alias.name}" in modules:
                        yield child.lineno, f"{base}.{alias.name}", [], func, guard
                    else:
                        names.append(alias.name)
                if names:
                    yield child.lineno, base, names, func, guard
            yield from walk(child, func, guard)
    yield from walk(tree, False, False)


def check(root: Path, package: str = "app") -> list[str]:
    """Every broken rule under ``root`` (the directory of ``package``), one line each."""
    paths = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).with_suffix("")
        paths[".".join((package, *rel.parts)).removesuffix(".__init__")] = path
    problems = []
    for module, path in paths.items():
        mine = layer_of(module)
        for line, target, names, in_func, guarded in _imports(path, module, set(paths)):
            where = f"{path.relative_to(root.parent)}:{line} imports {target}"
            top = target.split(".")[0]
            top = "flask" if top.startswith("flask_") else top
            if top in ONLY_IN and not module.startswith(ONLY_IN[top]):
                problems.append(f"{where}: only {ONLY_IN[top]} may import {top}")
            if module.startswith("app.simulator") and top != "app" and top not in \
                    SIMULATOR_MAY_IMPORT and not _stdlib(top):
                problems.append(f"{where}: the simulator imports only stdlib, numpy, scipy")
            if top != package:
                continue
            if guarded:
                problems.append(f"{where}: no `except ImportError` around the project's own code")
            theirs = layer_of(target)
            if mine and theirs and target != package:
                if theirs[0] > mine[0] or (theirs[0] == mine[0] > 0 and theirs[1] != mine[1]):
                    problems.append(f"{where}: {mine[1]} (layer {mine[0]}) may not import "
                                    f"{theirs[1]} (layer {theirs[0]})")
            for name in names:
                if name.startswith("_") and not name.startswith("__"):
                    problems.append(f"{where}: {name} is private to {target}")
            if in_func and (module, target) not in ALLOWED_IN_FUNCTIONS:
                problems.append(f"{where} inside a function (not in ALLOWED_IN_FUNCTIONS)")
    return problems


def _stdlib(name: str) -> bool:
    import sys
    return name in sys.stdlib_module_names
