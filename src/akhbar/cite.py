"""How to cite the corpus: BibTeX, APA and CFF, all generated from `CITATION.cff`.

`CITATION.cff` (Citation File Format 1.2.0) is the one source of the citation;
its `preferred-citation` (or, without one, its top level) gives the authors,
title, version and release date. The dataset card embeds `bibtex()`, so the
card and `akhbar cite` always print the same entry.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import NotFoundError, UsageError
from .format.resources import packaged_path
from .format.text import read_utf8

__all__ = ["FORMATS", "citation_path", "load_citation", "parse_citation", "bibtex", "apa", "cff_text", "format_citation"]

FORMATS = ("bibtex", "apa", "cff")

# Characters that mean something to LaTeX, and how to write them literally.
_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


@lru_cache(maxsize=None)
def citation_path() -> Path:
    """The packaged `CITATION.cff`: the checkout's top-level file, or the copy a wheel carries."""
    path = packaged_path("CITATION.cff", "CITATION.cff")
    if path is not None:
        return path
    raise NotFoundError("CITATION.cff is missing from this installation")


def load_citation(path: Path | None = None) -> dict:
    """`CITATION.cff` parsed (dates as YYYY-MM-DD strings, versions as strings); the packaged one by default."""
    path = Path(path) if path is not None else citation_path()
    return parse_citation(read_utf8(path, "citation file"), str(path))



def parse_citation(text: str, name: str = "CITATION.cff") -> dict:
    """The text of a CFF file parsed as `load_citation` does; `name` is for the error message."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise UsageError(f"{name}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or "title" not in data or "authors" not in data:
        raise UsageError(f"{name}: not a CFF file (no title or authors)")
    return _stringify(data)


def _stringify(value):
    """YAML dates and numbers become the strings CFF means (`version: 1.0` is "1.0", not 1.0)."""
    if isinstance(value, dict):
        return {k: _stringify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify(v) for v in value]
    if isinstance(value, (_dt.date, int, float)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    return value


def _work(citation: dict) -> dict:
    """The cited work: `preferred-citation`, falling back to the top level for missing keys."""
    preferred = citation.get("preferred-citation") or {}
    return {**citation, **preferred}


def _author_name(author: dict) -> str:
    """An entity's `name`, or a person's 'Given Family' (with particle and suffix)."""
    if "name" in author:
        return author["name"]
    parts = [author.get(k) for k in ("given-names", "name-particle", "family-names", "name-suffix")]
    return " ".join(p for p in parts if p)


def _latex(text: str) -> str:
    return "".join(_LATEX_ESCAPES.get(ch, ch) for ch in text)


def _bibtex_author(author: dict) -> str:
    if "name" in author:  # an organisation: braced so BibTeX never splits it into first/last names
        return "{" + _latex(author["name"]) + "}"
    family = " ".join(p for p in (author.get("name-particle"), author.get("family-names")) if p)
    given = author.get("given-names")
    suffix = author.get("name-suffix")
    return ", ".join(_latex(p) for p in (family, suffix, given) if p)


def _year(work: dict) -> str | None:
    if work.get("year"):
        return str(work["year"])
    date = work.get("date-released")
    return str(date)[:4] if date else None


def _key(work: dict) -> str:
    """`akhbar-v0.1.0`: the title's first word and the version (the year without a version)."""
    word = re.sub(r"[^a-z0-9]+", "", work["title"].split()[0].lower()) or "work"
    version = work.get("version")
    return f"{word}-v{version}" if version else f"{word}-{_year(work) or 'nd'}"


def bibtex(citation: dict | None = None) -> str:
    """A BibTeX `@misc` entry for the cited version of the corpus (ends with a newline).

    Organisation authors are braced; the title is braced so styles keep its
    capitals; `version` is a field of its own and repeated in `note` for
    styles that ignore unknown fields.
    """
    work = _work(citation if citation is not None else load_citation())
    version = work.get("version")
    year = _year(work)
    fields: list[tuple[str, str]] = [
        ("author", " and ".join(_bibtex_author(a) for a in work["authors"])),
        ("title", "{" + _latex(work["title"]) + "}"),
    ]
    if year:
        fields.append(("year", year))
    if version:
        fields.append(("version", _latex(version)))
    note = []
    if version:
        note.append(f"Version {version}")
    if work.get("date-released"):
        note.append(f"released {work['date-released']}")
    if note:
        fields.append(("note", _latex(", ".join(note))))
    if work.get("doi"):
        fields.append(("doi", work["doi"]))
    if work.get("url"):
        fields.append(("url", work["url"]))
    if work.get("keywords"):
        fields.append(("keywords", _latex(", ".join(work["keywords"]))))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{_key(work)},\n{body}\n}}\n"


def apa(citation: dict | None = None) -> str:
    """An APA 7 reference for a data set: Author. (Year). Title (Version X) [Data set]. (plain text, one line)."""
    work = _work(citation if citation is not None else load_citation())
    names = [_author_name(a) for a in work["authors"]]
    authors = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    year = _year(work) or "n.d."
    version = f" (Version {work['version']})" if work.get("version") else ""
    tail = ""
    if work.get("doi"):
        tail = f" https://doi.org/{work['doi']}"
    elif work.get("url"):
        tail = f" {work['url']}"
    stop = "" if authors.endswith(".") else "."
    return f"{authors}{stop} ({year}). {work['title']}{version} [Data set].{tail}\n"


def cff_text(path: Path | None = None) -> str:
    """The `CITATION.cff` file itself, as text."""
    path = Path(path) if path is not None else citation_path()
    text = read_utf8(path, "citation file")
    parse_citation(text, str(path))  # refuse a file that is not CFF
    return text


def format_citation(fmt: str = "bibtex", path: Path | None = None) -> str:
    """The citation in one of `FORMATS`."""
    if fmt == "cff":
        return cff_text(path)
    citation = load_citation(path)
    if fmt == "bibtex":
        return bibtex(citation)
    if fmt == "apa":
        return apa(citation)
    raise UsageError(f"unknown citation format {fmt!r}; choose one of {', '.join(FORMATS)}")
