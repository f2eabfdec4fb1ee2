"""The command line and the desk reach the library only through `leaflets.api`."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import leaflets.api as api
from leaflets.config.defaults import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "leaflets"
# The stages below the door; `cli/` and `desk/` use them through `leaflets.api`.
BELOW_THE_DOOR = ("article", "checks", "html", "pdf", "press", "builder", "workers", "deliver")
# The one way through the wall besides the door: the `desk` command starts the desk.
ALLOWED = {("cli/desk.py", "leaflets.desk")}


# Worker code still kept in desk/ until the worker package takes it over; an entry whose file
# is gone fails, so this list cannot outlive its reason.
def _modules() -> list[Path]:
    return sorted([*(PACKAGE / "cli").rglob("*.py"), *(PACKAGE / "desk").rglob("*.py")])


def _imported(tree: ast.AST, package: str) -> list[tuple[int, str]]:
    """Every module an import statement names, anywhere in the tree, made absolute."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def _below(module: str) -> bool:
    return any(
        module == f"leaflets.{stage}" or module.startswith(f"leaflets.{stage}.")
        for stage in BELOW_THE_DOOR
    )


def _reached(path: Path) -> list[str]:
    relative = path.relative_to(PACKAGE).as_posix()
    package = "leaflets." + relative.rsplit("/", 1)[0].replace("/", ".")
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        f"leaflets/{relative}:{line}: {module}"
        for line, module in _imported(tree, package)
        if _below(module)
        and not any(
            relative == allowed and module.startswith(target) for allowed, target in ALLOWED
        )
    ]


def test_cli_and_desk_import_only_through_the_door() -> None:
    reached = [line for path in _modules() for line in _reached(path)]
    assert not reached, "imports past leaflets.api:\n" + "\n".join(reached)


def test_the_check_sees_imports_inside_functions_and_relative_ones() -> None:
    tree = ast.parse(
        "def run():\n    import leaflets.pdf.engine\n    from ..builder import job\n"
        "from leaflets.api import build_leaflet\n"
    )
    found = [name for _line, name in _imported(tree, "leaflets.cli") if _below(name)]
    assert found == ["leaflets.pdf.engine", "leaflets.builder.job"]


def test_every_name_the_door_lists_is_there() -> None:
    missing = [name for name in api.__all__ if not hasattr(api, name)]
    assert not missing


def _declared() -> list[tuple[str, str, str]]:
    """(name in api, module, name there) of each import api.py declares for type checking."""
    tree = ast.parse((PACKAGE / "api.py").read_text(encoding="utf-8"))
    guarded = [node for node in tree.body if isinstance(node, ast.If)]
    return [
        (alias.asname or alias.name, node.module or "", alias.name)
        for block in guarded
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    ]


def test_each_name_imported_on_first_use_is_the_one_declared() -> None:
    declared = _declared()
    assert len(declared) > 40
    for name, module, there in declared:
        assert name in api.__all__, name
        assert getattr(api, name) is getattr(importlib.import_module(module), there), name


def test_opening_the_door_loads_no_stage() -> None:
    stages = ", ".join(f"'leaflets.{stage}'" for stage in BELOW_THE_DOOR)
    probe = (
        "import sys, leaflets.api\n"
        f"print(sorted(m for m in sys.modules if m.startswith(({stages}))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"
