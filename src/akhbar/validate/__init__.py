"""The validator: `validate_paths` checks corpus folders, document folders and annotations files.

It returns a `Report` of located, coded `Problem`s and never raises for bad
data (only for a path that does not exist or cannot be validated). The codes
and their documentation live in one registry, `CODES` (see docs/validation.md).
"""

from .codes import CODES, Code, render_docs
from .engine import validate_paths
from .report import FORMATS, Problem, Report, format_report

__all__ = ["CODES", "Code", "FORMATS", "Problem", "Report", "format_report", "render_docs", "validate_paths"]
