"""The API records through magnum.objects and hands off over RPC.

No module under magnum/api imports magnum.db (state goes through objects) or
magnum.drivers (what the drivers serve is read from the conductors'
declarations in the database).
"""

from __future__ import annotations

import ast
import pathlib

import magnum.api

FORBIDDEN = ("magnum.db", "magnum.drivers")
API_ROOT = pathlib.Path(magnum.api.__file__).parent


def imported_modules(source: str) -> set[str]:
    """Every module an import statement names, ``from X import Y`` giving X and X.Y."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def test_the_scan_sees_each_import_form() -> None:
    for source in (
        "import magnum.db.api",
        "from magnum import db",
        "from magnum.db import api",
        "from magnum.drivers import registry",
        "from magnum import drivers",
    ):
        assert any(forbidden(n) for n in imported_modules(source)), source
    assert not any(forbidden(n) for n in imported_modules("from magnum import objects"))
    assert not forbidden("magnum.dbx")


def test_no_api_module_imports_the_database_or_driver_layers() -> None:
    files = sorted(API_ROOT.rglob("*.py"))
    assert len(files) > 10  # the scan really walks the API package
    offenders = {
        str(path.relative_to(API_ROOT)): sorted(
            n for n in imported_modules(path.read_text()) if forbidden(n)
        )
        for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}
