"""The layers of README "Architecture" are the ones the import contract enforces, the contract
holds, and no app-level import cycle or import of the composition root exists (every import,
at any depth, counted: including those made inside functions)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def _contract_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return contract["layers"]


def _readme_layers() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- layers:", 1)[1].split("```", 2)[1]
    layers = []
    for line in block.splitlines():
        match = re.match(r"^  ([a-z_]+(?: \| [a-z_]+)*)\s{2,}", line)
        if match:
            layers.append(match.group(1))
    return layers


def test_the_readme_diagram_lists_the_contracts_layers():
    assert _readme_layers() == _contract_layers()


def test_every_app_is_in_a_layer():
    in_layers = {name.strip() for layer in _contract_layers() for name in layer.split("|")}
    apps = {app.split(".")[0] for app in settings.INSTALLED_APPS if (ROOT / app.split(".")[0]).is_dir()}
    assert apps | {"ankang_jobs"} == in_layers


def test_the_layers_contract_holds():
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def _app_imports() -> dict[str, set[str]]:
    apps = {layer_app.strip() for layer in _contract_layers() for layer_app in layer.split("|")}
    edges: dict[str, set[str]] = {app: set() for app in apps}
    for app in apps:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import) else
                           [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                           else [])
                for module in modules:
                    top = module.split(".")[0]
                    if top in apps and top != app:
                        edges[app].add(top)
    return edges


def test_no_app_imports_the_composition_root_and_no_app_level_cycle():
    edges = _app_imports()
    assert not [app for app, targets in edges.items() if "ankang_jobs" in targets and app != "ankang_jobs"]
    # depth-first search for a cycle among the apps
    state: dict[str, int] = {}

    def visit(app: str, path: list[str]) -> list[str] | None:
        state[app] = 1
        for target in sorted(edges[app]):
            if state.get(target) == 1:
                return path + [app, target]
            if target not in state and (cycle := visit(target, path + [app])):
                return cycle
        state[app] = 2
        return None

    for app in sorted(edges):
        if app not in state:
            assert visit(app, []) is None
