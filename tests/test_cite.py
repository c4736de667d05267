"""CITATION.cff against the official CFF 1.2.0 schema, and `akhbar cite` parsed back with a real BibTeX parser."""

from __future__ import annotations

import json

import bibtexparser
import jsonschema
import pytest
import yaml

import akhbar
from akhbar.cite import apa, bibtex, citation_path, format_citation, load_citation
from akhbar.cli import main
from akhbar.release import read_version

from conftest import REPO

CITATION = REPO / "CITATION.cff"
CFF_SCHEMA = REPO / "tests" / "third_party" / "cff-1.2.0" / "schema.json"


def cff_errors(data: dict) -> list[jsonschema.ValidationError]:
    """Errors of a parsed CFF file against the vendored official schema (Draft 7, formats checked)."""
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return list(validator.iter_errors(data))


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def test_citation_cff_is_valid_cff_1_2_0():
    data = load_citation(CITATION)  # dates as strings, as the schema's note to implementers asks
    assert cff_errors(data) == []
    assert data["cff-version"] == "1.2.0" and data["type"] == "dataset"
    for key in ("title", "version", "date-released", "license", "authors", "keywords", "abstract", "preferred-citation"):
        assert data.get(key), key


def test_the_schema_check_can_fail():
    data = load_citation(CITATION)
    del data["authors"]
    data["preferred-citation"]["type"] = "not-a-type"
    data["date-released"] = "2026-13-01"
    failing = sorted((e.json_path, e.validator) for e in cff_errors(data))
    assert failing == [
        ("$", "required"),
        ("$['date-released']", "format"),
        ("$['date-released']", "pattern"),
        ("$['preferred-citation'].type", "enum"),
    ]


def test_invents_no_people_dois_or_urls():
    data = load_citation(CITATION)
    for work in (data, data["preferred-citation"]):
        assert [a for a in work["authors"]] == [{"name": "The Akhbar contributors"}]
        assert not {"doi", "url", "repository", "repository-code", "identifiers"} & set(work)


def test_every_statement_of_the_version_agrees():
    data = load_citation(CITATION)
    assert read_version(REPO) == akhbar.__version__
    assert data["version"] == data["preferred-citation"]["version"] == akhbar.__version__
    assert data["date-released"] == data["preferred-citation"]["date-released"]


def test_the_packaged_citation_is_this_checkout_s():
    assert citation_path() == CITATION


def test_bibtex_parses_with_the_fields_and_the_version():
    library = parse_bibtex(bibtex())
    assert len(library.entries) == 1
    entry = library.entries[0]
    assert entry.entry_type == "misc"
    assert entry.key == f"akhbar-v{akhbar.__version__}"
    fields = {f.key: f.value for f in entry.fields}
    assert {"author", "title", "year", "version", "note"} <= set(fields)
    assert fields["version"] == akhbar.__version__
    assert fields["year"] == load_citation()["date-released"][:4]
    assert fields["author"] == "{The Akhbar contributors}"  # braced: one organisation, not a person
    assert fields["title"].startswith("{Akhbar:")
    assert akhbar.__version__ in fields["note"]


def test_bibtex_escapes_latex_and_names_people_family_first():
    citation = {
        "title": "Data & tools: 100% of_it {really}",
        "authors": [{"given-names": "Ada", "family-names": "Lovelace"}, {"name": "R&D Lab"}],
        "version": "2.0.1",
        "date-released": "2030-01-02",
    }
    entry = parse_bibtex(bibtex(citation)).entries[0]
    fields = {f.key: f.value for f in entry.fields}
    assert fields["author"] == r"Lovelace, Ada and {R\&D Lab}"
    assert fields["title"] == r"{Data \& tools: 100\% of\_it \{really\}}"
    assert fields["year"] == "2030" and fields["version"] == "2.0.1"


def test_apa_names_author_year_title_version_and_type():
    text = apa()
    data = load_citation()
    assert text.startswith(f"The Akhbar contributors. ({data['date-released'][:4]}). {data['title']}")
    assert f"(Version {akhbar.__version__}) [Data set]." in text


def test_a_citation_without_version_or_date_says_n_d():
    text = apa({"title": "T", "authors": [{"given-names": "A", "family-names": "B"}]})
    assert text == "A B. (n.d.). T [Data set].\n"


@pytest.mark.parametrize("fmt", ["bibtex", "apa", "cff"])
def test_cli_prints_each_format(fmt, capsys):
    assert main(["cite", "--format", fmt]) == 0
    assert capsys.readouterr().out == format_citation(fmt)


def test_cli_cff_is_the_file_itself(capsys):
    assert main(["cite", "--format", "cff"]) == 0
    assert capsys.readouterr().out == CITATION.read_text(encoding="utf-8")


def test_cli_reads_another_citation_file(tmp_path, capsys):
    other = tmp_path / "CITATION.cff"
    data = yaml.safe_load(CITATION.read_text(encoding="utf-8"))
    data["preferred-citation"]["version"] = "9.9.9"
    other.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["cite", "--file", str(other)]) == 0
    entry = parse_bibtex(capsys.readouterr().out).entries[0]
    assert entry.key == "akhbar-v9.9.9"


@pytest.mark.parametrize("content", [None, b"title: [unclosed\n", b"\xff\xfe", b"just: a mapping\n"])
def test_cli_refuses_a_missing_or_unreadable_file_with_exit_2(tmp_path, capsys, content):
    path = tmp_path / "CITATION.cff"
    if content is not None:
        path.write_bytes(content)
    assert main(["cite", "--file", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(path) in err and "Traceback" not in err
