"""The layering holds without tricks: no module of Roer imports another part of Roer inside a function
(the way to dodge an import cycle), and the import-linter contract in pyproject.toml (run by `make lint`)
covers every app."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "roer"


def _type_checking_blocks(tree: ast.Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (types only, never run)."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            for child in ast.walk(node):
                lines.add(getattr(child, "lineno", 0))
    return lines


def test_no_module_imports_roer_inside_a_function():
    hidden = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        types_only = _type_checking_blocks(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom) or id(node) in top_level:
                continue
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [alias.name for alias in node.names]
            if any(name.startswith("roer") for name in names) and node.lineno not in types_only:
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert hidden == []


def test_the_layers_contract_names_every_app():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    [layers] = [contract for contract in config["contracts"] if contract["name"].startswith("Apps import")]
    named = {module.strip() for layer in layers["layers"] for module in layer.split("|")}
    apps = {f"roer.{path.parent.name}" for path in PACKAGE.glob("*/__init__.py")}
    assert named == apps
