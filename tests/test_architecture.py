"""The package shows its layers (generator/*/__init__.py say what each holds), and imports run one way:

    cli -> tools -> publish -> outputs -> render -> reading -> rules -> model

A module imports only from its own layer or the layers below it, and no modules import each other,
however indirectly (imports inside functions count too). README's module table lists every module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "generator"
LAYERS = ("model", "rules", "reading", "render", "outputs", "publish", "tools", "cli")  # lowest first


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, known: set[str], name: str | None = None) -> set[str]:
    """The generator modules ``path`` (module ``name``) imports, wherever in the file (functions too)."""
    found: set[str] = set()
    name = name or module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in known}
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(path, known) - {name} for name, path in mods.items()}


def layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] in ("__main__", "cli"):
        return LAYERS.index("cli") if len(parts) >= 2 else None
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def test_every_module_is_in_a_layer():
    loose = [m for m in modules() if m != "generator" and layer(m) is None]
    assert loose == [], f"modules outside the layers {LAYERS}: {loose}"


def test_every_layer_says_what_it_holds():
    for name in LAYERS[:-1]:
        init = PACKAGE / name / "__init__.py"
        assert init.is_file() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), name


def test_imports_run_down_the_layers_only():
    wrong = [f"{m} ({LAYERS[layer(m)]}) imports {i} ({LAYERS[layer(i)]})"
             for m, targets in graph().items() for i in sorted(targets)
             if layer(m) is not None and layer(i) is not None and layer(i) > layer(m)]
    assert wrong == []


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges[node]):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target, stack + [target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_contract_sees_a_wrong_import(tmp_path):
    """The check itself works: a renderer importing the writer is caught, a function-level import too."""
    wrong = PACKAGE / "render" / "pages.py"
    source = wrong.read_text(encoding="utf-8") + "\n\ndef _x():\n    from ..publish import build\n"
    fake = tmp_path / "generator" / "render" / "pages.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(source, encoding="utf-8")
    found = imports_of(fake, set(modules()), "generator.render.pages")
    assert "generator.publish.build" in found and "generator.rules.dates" in found


def test_the_hook_imports_nothing_of_the_generator():
    """MkDocs runs the hook from build/ as a file of its own: it must stand alone."""
    hook = PACKAGE / "publish" / "mkdocs_hooks.py"
    assert not imports_of(hook, set(modules()))
    assert "generator" not in re.findall(r"^\s*(?:from|import) (\w+)", hook.read_text(encoding="utf-8"), re.M)
