"""`akhbar suggest`: the sentence splitter, the gazetteer and CRF recommenders, merging, training, evaluation."""

from __future__ import annotations

import pytest

from akhbar.annotate.evaluate import evaluate_recommenders, evaluate_splitter
from akhbar.annotate.gazetteer import build_gazetteer, match_gazetteer
from akhbar.annotate.sentences import score_boundaries, split_sentences
from akhbar.annotate.suggest import SuggestResult, merge_suggestions, read_corpus_texts
from akhbar.annotate.gazetteer import Suggestion
from akhbar.cli import main
from akhbar.format.corpus import ANNOTATIONS_FILE, load_annotations
from akhbar.format.model import Annotations, Entity
from conftest import CORPUS, SEED_ID

ARTICLE = ("اجتماع في تونس لبحث الوضع في ليبيا\n"
           "قال مصدر أمني جزائري، أمس، إن تنظيم الدولة الإسلامية في العراق والشام (داعش) ينتقل إلى ليبيا. "
           "وأكدت صحيفة «الخبر» أن مصر وتونس والجزائر تنسق جهودها بنسبة 3.5 في المئة.\n")


def _spans_text(text, spans):
    return [text[s:e] for s, e in spans]


def test_splitter_on_line_breaks_marks_quotes_numbers_and_initials():
    text = "عنوان الخبر\nبلغ النمو 3.5 في 12.05.2015. وقال د. محمد: «انتهى الأمر.» ثم سأل: لماذا؟ لا أحد يعرف… حقاً!"
    assert _spans_text(text, split_sentences(text)) == [
        "عنوان الخبر", "بلغ النمو 3.5 في 12.05.2015.", "وقال د. محمد: «انتهى الأمر.»", "ثم سأل: لماذا؟",
        "لا أحد يعرف…", "حقاً!"]


def test_splitter_covers_all_text_trimmed():
    text = "  أولاً.   ثانياً  \n\n ثالثاً"
    spans = split_sentences(text)
    assert spans == [(2, 8), (11, 17), (22, 28)]
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


def test_splitter_matches_the_seed_gold_sentences():
    texts = read_corpus_texts(CORPUS)
    scores = evaluate_splitter(texts)
    seed = scores[SEED_ID]
    assert (seed.true_positives, seed.false_positives, seed.false_negatives) == (8, 0, 0)
    # UD's PUD segments occasionally hold two sentences (kept as gold): extra boundaries there, none missed
    assert scores["all"].false_negatives == 0


def test_boundary_score_counts():
    s = score_boundaries([(0, 5), (6, 10), (11, 15)], [(0, 5), (6, 8), (9, 15)])
    assert (s.true_positives, s.false_positives, s.false_negatives) == (1, 1, 1)
    assert s.f1 == pytest.approx(0.5)


def _entity(i, text, form, label, nth=0, parent=None, review=None):
    start = -1
    for _ in range(nth + 1):
        start = text.index(form, start + 1)
    return Entity(i, start, start + len(form), label, form, parent, review=review)


def test_gazetteer_longest_whole_word_after_proclitic_with_nested_children():
    train = "زار وزير الخارجية التونسي بغداد"
    ents = [_entity("e1", train, "وزير الخارجية التونسي", "OCC"), _entity("e2", train, "التونسي", "NORP", parent="e1"),
            _entity("e3", train, "بغداد", "GPE"), _entity("e4", train, "الخارجية", "ORG", review="suggested: crf")]
    gaz = build_gazetteer([(train, ents)])
    assert "الخارجية" not in gaz.forms  # a suggestion not accepted teaches nothing
    text = "ولوزير الخارجية التونسي رأي في بغداد وببغداد وبغدادي"
    found = match_gazetteer(text, gaz)
    assert [(text[s.start:s.end], s.label, s.parent) for s in found] == [
        ("وزير الخارجية التونسي", "OCC", None), ("التونسي", "NORP", 0), ("بغداد", "GPE", None), ("بغداد", "GPE", None)]
    assert found[0].start == 2  # after ول
    assert found[3].start == text.index("وببغداد") + 2


def test_merge_never_changes_existing_entities_and_lists_overlaps():
    text = "قال وزير الخارجية التونسي"
    existing = Entity("e7", 4, 8, "OCC", "وزير")
    a = Annotations("d", 1, "0" * 64, entities=(existing,))
    result = SuggestResult(a)
    suggestions = [Suggestion(4, 25, "OCC", "gazetteer"), Suggestion(18, 25, "NORP", "gazetteer", 0),
                   Suggestion(18, 25, "NORP", "crf")]
    merged = merge_suggestions(a, suggestions, result)
    assert merged.entities[0] == existing
    assert [(e.id, e.start, e.end, e.review) for e in merged.entities[1:]] == [(
        "e8", 18, 25, "suggested: crf")]
    assert [(o.existing, o.suggestion.start, o.suggestion.end) for o in result.overlaps] == [("e7", 4, 25)]
    assert result.added == {"crf": 1}


def _ingest(repo, monkeypatch, tmp_path):
    monkeypatch.chdir(repo)
    monkeypatch.setenv("AKHBAR_MODELS", str(tmp_path / "models"))
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE.encode("utf-8"))
    assert main(["ingest", str(article), "--id", "new-article"]) == 0


def test_suggest_cli_marks_every_suggestion_and_validate_refuses_until_accepted(repo_copy, monkeypatch, tmp_path, capsys):
    _ingest(repo_copy, monkeypatch, tmp_path)
    assert main(["suggest", "new-article"]) == 0
    a = load_annotations(repo_copy / "corpus" / "new-article" / ANNOTATIONS_FILE)
    assert len(a.sentences) == 3
    assert {s.review for s in a.sentences} == {"suggested: sentences"}
    assert {e.review for e in a.entities} == {"suggested: gazetteer"}
    texts = {(e.text, e.label) for e in a.entities}
    assert {("تونس", "GPE"), ("الشام", "LOC"), ("داعش", "ORG"), ("الجزائر", "GPE")} <= texts
    assert all(ARTICLE[e.start:e.end] == e.text for e in a.entities)
    nested = [e for e in a.entities if e.parent]
    assert nested and all(any(p.id == e.parent for p in a.entities) for e in nested)
    capsys.readouterr()
    assert main(["validate", "corpus"]) == 1
    assert "review-pending" in capsys.readouterr().out
    # a second run suggests nothing new and changes nothing
    before = (repo_copy / "corpus" / "new-article" / ANNOTATIONS_FILE).read_bytes()
    assert main(["suggest", "new-article"]) == 0
    assert (repo_copy / "corpus" / "new-article" / ANNOTATIONS_FILE).read_bytes() == before
    assert main(["accept", "new-article", "--all"]) == 0
    assert main(["validate", "corpus"]) == 0


def test_suggest_train_then_crf_suggestions(repo_copy, monkeypatch, tmp_path, capsys):
    _ingest(repo_copy, monkeypatch, tmp_path)
    assert main(["suggest", "new-article", "--entities", "--recommender", "crf"]) == 0  # no model yet: nothing
    assert load_annotations(repo_copy / "corpus" / "new-article" / ANNOTATIONS_FILE).is_empty
    assert main(["suggest", "--train"]) == 0
    models = list((tmp_path / "models").glob("*.crfsuite"))
    assert len(models) == 1 and not list((repo_copy / "corpus").rglob("*.crfsuite"))
    assert main(["suggest", "new-article", "--entities", "--recommender", "crf"]) == 0
    a = load_annotations(repo_copy / "corpus" / "new-article" / ANNOTATIONS_FILE)
    assert a.entities and {e.review for e in a.entities} == {"suggested: crf"}
    assert not a.sentences  # --entities only
    assert all(ARTICLE[e.start:e.end] == e.text for e in a.entities)


def test_suggest_usage_errors(repo_copy, monkeypatch, tmp_path):
    _ingest(repo_copy, monkeypatch, tmp_path)
    assert main(["suggest"]) == 2
    assert main(["suggest", "new-article", "--train"]) == 2
    assert main(["suggest", "no-such-doc"]) == 2
    assert main(["suggest", "new-article", "--model", str(tmp_path / "missing.crfsuite")]) != 0


def test_evaluate_cross_validates_per_label():
    seed = [t for t in read_corpus_texts(CORPUS) if t.id == SEED_ID]
    scores = evaluate_recommenders(seed, folds=3)
    assert scores.fold_unit == "sentence" and scores.folds == 3  # one document: folds over its sentences
    for name in ("gazetteer", "crf", "gazetteer+crf"):
        rows = scores.by_recommender[name]
        assert rows["overall"][3] == 83  # every gold entity is scored once
        assert 0 < rows["overall"][2] <= 1
        assert "GPE" in rows


def test_evaluate_cli_prints_the_tables(capsys):
    assert main(["suggest", "--evaluate", "--corpus", str(CORPUS), "--folds", "2"]) == 0
    out = capsys.readouterr().out
    assert "| gazetteer | overall |" in out and "| crf | overall |" in out


def test_rejected_suggestions_are_not_suggested_again_in_the_same_text(repo_copy, monkeypatch, tmp_path, capsys):
    """`akhbar reject` remembers what it removed (this clone's .akhbar/rejected.jsonl); the next `suggest` of the
    same text leaves those out, `--include-rejected` brings them back."""
    _ingest(repo_copy, monkeypatch, tmp_path)
    path = repo_copy / "corpus" / "new-article" / ANNOTATIONS_FILE
    assert main(["suggest", "new-article", "--entities"]) == 0
    first = load_annotations(path)
    wrong = [e for e in first.entities if e.parent is None][:2]
    assert len(wrong) == 2
    assert main(["reject", "new-article", *[e.id for e in wrong]]) == 0
    assert (repo_copy / ".akhbar" / "rejected.jsonl").is_file()
    spans = {(e.start, e.end, e.label) for e in wrong}
    assert not spans & {(e.start, e.end, e.label) for e in load_annotations(path).entities}

    assert main(["reject", "new-article", *[e.id for e in load_annotations(path).entities]]) == 0  # start afresh
    assert main(["suggest", "new-article", "--entities"]) == 0
    assert load_annotations(path).entities == ()  # every suggestion of this text was rejected: none comes back
    assert main(["suggest", "new-article", "--entities", "--include-rejected"]) == 0
    assert spans <= {(e.start, e.end, e.label) for e in load_annotations(path).entities}


def test_rejections_apply_to_their_document_and_text_only_and_bad_lines_are_skipped():
    from akhbar.annotate.rejections import parse_rejections, rejection_lines

    e = Entity("e1", 3, 7, "GPE", "تونس")
    data = (rejection_lines("doc-a", "a" * 64, [e]) + "not json\n" + '{"document": "doc-a"}\n' + "\n"
            + rejection_lines("doc-b", "a" * 64, [e]) + rejection_lines("doc-a", "b" * 64, [e])).encode()
    assert parse_rejections(data, "doc-a", "a" * 64) == ({(3, 7, "GPE")}, 2)
    assert parse_rejections(data, "doc-a", "c" * 64) == (set(), 2)  # a revised text starts afresh


def test_a_linked_rejection_folder_is_not_written_through(repo_copy, monkeypatch, tmp_path, tmp_path_factory, capsys):
    _ingest(repo_copy, monkeypatch, tmp_path)
    outside = tmp_path_factory.mktemp("outside-the-repository")
    (repo_copy / ".akhbar").symlink_to(outside)
    assert main(["suggest", "new-article", "--entities"]) == 0
    target = load_annotations(repo_copy / "corpus" / "new-article" / ANNOTATIONS_FILE).entities[0]
    capsys.readouterr()
    assert main(["reject", "new-article", target.id]) == 0  # the rejection itself is done
    assert "warning" in capsys.readouterr().err
    assert list(outside.iterdir()) == []


def test_gazetteer_reads_a_parent_cycle_and_a_deep_chain_without_recursion():
    """`suggest` reads the other documents without validating them: a parent cycle or a chain 1,500 deep in one
    of them must neither loop nor raise RecursionError."""
    n = 1500  # deeper than Python's recursion limit (1,000)
    text = "ab" * (n + 1)
    cycle = [Entity("a", 0, 2, "GPE", "ab", parent="b"), Entity("b", 0, 2, "LOC", "ab", parent="a")]
    chain = [Entity(f"c{i}", 0, 2 * (n + 1 - i), "ORG", text[: 2 * (n + 1 - i)], parent=f"c{i - 1}" if i else None)
             for i in range(n)]
    gazetteer = build_gazetteer([("ab", cycle), (text, chain)])
    assert gazetteer.forms[text][0] == "ORG" and len(gazetteer.forms[text][1]) == n - 1
