"""The validator: `validate_paths` checks corpus folders, document folders and annotations files.

It returns a `Report` of located, coded `Problem`s and never raises for bad
data (only for a path that does not exist or cannot be validated). The codes
and their documentation live in one registry, `CODES` (see docs/validation.md).
`require_valid` is the gate every writing command stands behind, and
`format_problems` the one way problems are printed.
"""

from .codes import CODES, ERROR, WARNING, Code
from .docs import render_docs
from .engine import validate_paths
from .gate import require_valid
from .report import FORMATS, Finding, Problem, Report, format_problems, format_report

__all__ = ["CODES", "Code", "ERROR", "WARNING", "FORMATS", "Finding", "Problem", "Report", "format_problems",
           "format_report", "render_docs", "require_valid", "validate_paths"]
