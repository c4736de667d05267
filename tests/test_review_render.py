"""The page builder without a browser: span nesting, crossings, escaping, tolerant loading."""

from __future__ import annotations

import review_fixtures as fx

from akhbar.review.render import Mark, build_tree, render_page
from akhbar.review.load import load_target, parse_pointer, resolve_annotations_path, show_page


def _entity(key, start, end, label="PERS"):
    return Mark("entity", key, f"a-{key}", start, end, badge=label, label=label)


def _shape(node):
    return [(c.mark.key, c.start, c.end, c.fragment, _shape(c)) for c in node.children]


def test_nesting_follows_spans_with_sentences_outside_same_span_entities():
    marks = [_entity("inner", 2, 4), _entity("outer", 0, 6), Mark("sentence", "s", "s0", 0, 6)]
    assert _shape(build_tree(10, marks)) == [("s", 0, 6, 0, [("outer", 0, 6, 0, [("inner", 2, 4, 0, [])])])]


def test_crossing_spans_are_cut_into_fragments_and_nothing_is_lost():
    tree = build_tree(10, [_entity("a", 0, 5), _entity("b", 3, 8)])
    assert _shape(tree) == [("a", 0, 5, 0, [("b", 3, 5, 1, [])]), ("b", 5, 8, 2, [])]
    page = render_page("0123456789", [_entity("a", 0, 5), _entity("b", 3, 8)], title="t")
    assert page.count('data-entity="b"') == 2 and page.count('id="a-b"') == 1


def test_text_and_attributes_are_escaped():
    mark = Mark("entity", '"><b>', "x", 0, 3, badge="<i>", title="<script>alert(1)</script>", label="<i>")
    page = render_page("<a>&bc", [mark], title="<t>")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;a&gt;" in page and "&amp;bc" in page and '"><b>' not in page


def test_pointer_parsing():
    assert parse_pointer("/entities/3/start") == ("entities", 3)
    assert parse_pointer("/sentences/0") == ("sentences", 0)
    assert parse_pointer("/text_sha256") is None and parse_pointer(None) is None


def test_invalid_shapes_never_crash(tmp_path):
    corpus = fx.write_corpus(tmp_path)
    path = corpus / fx.DOC_ID / "annotations.json"
    for content in ('[]', '{"entities": {"a": 1}}', '{"entities": [1, {"start": "x"}, {"start": 3, "end": 2}]}',
                    '{"text_version": 7, "entities": [{"id": "a", "start": 0, "end": 3}]}', "\xff"):
        path.write_bytes(content.encode("utf-8", "surrogateescape") if content != "\xff" else b"\xff")
        target = load_target(resolve_annotations_path(fx.DOC_ID, corpus), corpus)
        page = show_page(target)
        assert page.startswith("<!DOCTYPE html>") and fx.TEXT.split()[0] in page


def test_file_outside_the_corpus_finds_its_text_through_its_document(tmp_path):
    corpus = fx.write_corpus(tmp_path)
    loose = fx.write_annotations(tmp_path / "contribution.json", fx.relabelled())
    target = load_target(resolve_annotations_path(str(loose), corpus), corpus)
    assert (target.text, target.document, target.notes) == (fx.TEXT, fx.DOC_ID, ())
    assert show_page(target).count('class="ent ') == 4


def test_sentence_problem_is_marked_on_its_sentence(tmp_path):
    from akhbar.validate import validate_paths

    a = fx.annotations_a()
    a["sentences"][1]["end"] = len(fx.TEXT) + 5  # past the end: no place, listed at the top
    a["sentences"][0]["id"] = "bad id!"  # schema: id pattern, at /sentences/0/id
    corpus = fx.write_corpus(tmp_path, a)
    path = corpus / fx.DOC_ID / "annotations.json"
    problems = validate_paths([path], corpus=corpus).problems
    at_first = sorted({p.code for p in problems if (p.pointer or "").startswith("/sentences/0")})
    assert at_first
    page = show_page(load_target(path, corpus), problems)
    at = page.index('data-sentence="bad id!"')
    head = page[page.rindex("<span", 0, at):page.index(">", at)]
    assert 'class="sent problem"' in head and f'data-problems="{" ".join(at_first)}"' in head
    assert "sentence 1 has no place in the text" in page


def test_cli_show_default_output_and_stdout(tmp_path, monkeypatch, capsys):
    from akhbar.cli import main

    corpus = fx.write_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["show", fx.DOC_ID]) == 0
    assert (tmp_path / f"{fx.DOC_ID}.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    capsys.readouterr()
    assert main(["show", str(corpus / fx.DOC_ID), "-o", "-"]) == 0
    assert capsys.readouterr().out.count('class="ent ') == 4
    assert main(["show", "no-such-document"]) == 2
    assert "no-such-document" in capsys.readouterr().err


def test_browser_tests_fail_instead_of_skipping_under_ci(monkeypatch):
    import pytest
    from browser import unavailable_or_fail

    monkeypatch.setenv("PATH", "")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        unavailable_or_fail()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        unavailable_or_fail()
