"""docs/validation.md is generated from the code registry and must be up to date."""

from __future__ import annotations

import re
from pathlib import Path

from akhbar.validate import CODES, render_docs
from akhbar.validate.codes import ERROR, WARNING

DOC = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def test_validation_page_is_generated_from_the_registry():
    assert DOC.read_text(encoding="utf-8") == render_docs(), "run scripts/gen_validation_docs.py"


def test_every_code_is_kebab_case_and_fully_documented():
    for name, code in CODES.items():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name
        assert code.name == name
        assert code.severity in (ERROR, WARNING)
        assert code.title and code.description and code.bad and code.fix, name
        assert f"### {name}\n" in render_docs()
