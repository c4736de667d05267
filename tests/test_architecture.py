"""The package's structure (docs/architecture.md): import arrows run one way, and shared plumbing exists once.

The layers, bottom to top. A module may import its own package and any
package of a lower layer, never one above; `review` may also use
`versions.align` and `versions.migrate` (it carries annotations across text
versions the way revise does); and no module imports a command module
(ingest, revise, build, export, release) for a shared helper.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "akhbar"

# Lowest first. Packages of one layer do not import each other (except as allowed below).
LAYERS = [
    {"akhbar.errors", "akhbar.spans", "akhbar.arabic"},
    {"akhbar.format"},
    {"akhbar.cite"},
    {"akhbar.validate"},
    {"akhbar.versions", "akhbar.dataset", "akhbar.review", "akhbar.annotate", "akhbar.imports"},
    {"akhbar.release"},
    {"akhbar.cli"},
    {"akhbar.__main__"},
]
ALLOWED_SIDEWAYS = {("akhbar.review", "akhbar.versions.align"), ("akhbar.review", "akhbar.versions.migrate")}
COMMANDS = {"akhbar.versions.ingest", "akhbar.versions.revise", "akhbar.dataset.build", "akhbar.dataset.export",
            "akhbar.release"}
# Who may use a command module itself (not a helper inside it): the CLI, and `load`, which builds the dataset.
COMMAND_USERS = {"akhbar.cli", "akhbar.dataset.loading"}


def _module_name(path: Path) -> tuple[str, str]:
    """(module, package the module's relative imports start from)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def _imports() -> list[tuple[str, str, int]]:
    """(importing module, imported akhbar module, line) for every import in src/akhbar, at any depth."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module, package = _module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                names = [f"{target}.{a.name}" for a in node.names]
                # `from . import x` names a submodule when there is one
                targets = [n for n in names if _exists(n)] or [target]
                out += [(module, t, node.lineno) for t in targets if t.split(".")[0] == "akhbar"]
            elif isinstance(node, ast.Import):
                out += [(module, a.name, node.lineno) for a in node.names if a.name.split(".")[0] == "akhbar"]
    return out


def _exists(module: str) -> bool:
    rel = Path(*module.split("."))
    return (SRC / rel).with_suffix(".py").is_file() or (SRC / rel / "__init__.py").is_file()


def _unit(module: str) -> str:
    """The package of LAYERS a module belongs to ("akhbar" itself for the top-level __init__)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def _layer(unit: str) -> int | None:
    for i, layer in enumerate(LAYERS):
        if unit in layer:
            return i
    return None


def test_every_module_belongs_to_a_layer():
    units = {_unit(_module_name(p)[0]) for p in PACKAGE.rglob("*.py")} - {"akhbar"}
    assert {u for u in units if _layer(u) is None} == set()


def test_imports_run_down_the_layers():
    against = []
    for module, target, line in _imports():
        source, dest = _unit(module), _unit(target)
        if source == "akhbar" or dest == "akhbar" or source == dest:  # the public API re-exports; __version__
            continue
        if (source, target) in ALLOWED_SIDEWAYS:
            continue
        if _layer(dest) >= _layer(source):
            against.append(f"{module}:{line} -> {target}")
    assert against == []


def test_no_module_reaches_into_a_command_module():
    reaching = [f"{module}:{line} -> {target}" for module, target, line in _imports()
                if target in COMMANDS and module != target and _unit(module) not in COMMAND_USERS
                and module not in COMMAND_USERS]
    assert reaching == []


def test_modules_stay_readable_in_one_sitting():
    long = {str(p.relative_to(SRC)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_import_akhbar_stays_light():
    code = "import sys, akhbar; print(sorted(m for m in ('datasets', 'pyarrow', 'jsonschema') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC)}).stdout.strip()
    assert out == "[]"


# ---------------------------------------------------------------- one of each


def test_build_and_export_print_problems_exactly_as_validate_does(tmp_path, capsys):
    import json as _json

    from corpus_fixture import DOCUMENTS, write_corpus

    from akhbar.cli import main

    corpus = write_corpus(tmp_path / "repo", {"t01-alpha": DOCUMENTS["t01-alpha"]})
    path = corpus / "t01-alpha" / "annotations.json"
    data = _json.loads(path.read_text(encoding="utf-8"))
    data["entities"][0]["label"] = "NOT-A-LABEL"
    path.write_text(_json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["validate", str(corpus)]) == 1
    validate_lines = capsys.readouterr().out.splitlines()[:-1]  # less the summary
    assert validate_lines and any("label-unknown" in line for line in validate_lines)
    for argv in (["build", "--corpus", str(corpus), "--out", str(tmp_path / "ds"), "-q"],
                 ["export", "--corpus", str(corpus), "--format", "jsonl", "--out", str(tmp_path / "ex")]):
        assert main(argv) == 1
        err = capsys.readouterr().err.splitlines()
        assert err[:-1] == validate_lines and err[-1].startswith(f"akhbar {argv[0]}: error: ")


def test_the_export_table_is_the_cli_choices():
    from akhbar.cli import build_parser
    from akhbar.dataset.export import EXPORT_FORMATS

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    fmt = next(a for a in sub.choices["export"]._actions if a.dest == "format")
    assert list(fmt.choices) == list(EXPORT_FORMATS)


def test_a_folder_is_replaced_only_when_it_is_ours(tmp_path):
    from akhbar.errors import UsageError
    from akhbar.format.atomic import FolderMark, atomic_write, require_replaceable, staged_folder

    mark = FolderMark(".made-by", "test writer", "akhbar test")
    target = tmp_path / "out"
    require_replaceable(target, mark)  # absent
    with staged_folder(target, "writing") as tmp:
        atomic_write(tmp / mark.file, "made by the test writer\n")
        atomic_write(tmp / "a.txt", "one")
    assert (target / "a.txt").read_text() == "one"
    require_replaceable(target, mark)  # ours
    with pytest.raises(RuntimeError), staged_folder(target, "writing") as tmp:
        atomic_write(tmp / "a.txt", "two")
        raise RuntimeError("interrupted")
    assert (target / "a.txt").read_text() == "one" and sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="is not an akhbar test"):
        require_replaceable(foreign, mark)


def test_label_counts_are_derived_never_typed():
    """Facts of schema/labels.yaml (how many labels) are computed from it, never written into the code."""
    import re

    from akhbar.format.labels import label_names
    from akhbar.review.render import BORDER_STYLES, PALETTE

    n = len(label_names())
    typed = [f"{p.relative_to(SRC)}:{i}" for p in PACKAGE.rglob("*.py")
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(rf"\b{n}\b[^\n]*\b(labels?|types?|tags?)\b", line, re.IGNORECASE)]
    assert typed == []
    assert len(PALETTE) * len(BORDER_STYLES) >= n  # every label gets a look of its own
