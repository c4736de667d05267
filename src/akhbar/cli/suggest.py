"""`akhbar suggest`: pre-annotate a document (sentences, entities), train the CRF, evaluate the recommenders."""

from __future__ import annotations

from pathlib import Path

from ..format.text import escape_controls
from .options import add_corpus_option

__all__ = ["add_parser", "run"]


def add_parser(sub) -> None:
    p = sub.add_parser(
        "suggest",
        help="pre-annotate a document: suggested sentences and entities to accept or reject",
        description="Add suggested sentences (when the document has none) and entities to a document's "
        "annotations.json, each marked review: \"suggested: <recommender>\" so that `akhbar validate` refuses "
        "the file until you accept (`akhbar accept`) or reject (`akhbar reject`) them; look at them first with "
        "`akhbar show`. Existing annotations are never changed: a suggestion that overlaps one is left out and "
        "listed. Recommenders: gazetteer (the corpus's own annotated names) and crf (after `--train`). "
        "`--train` fits the CRF on the corpus into a cache outside it ($AKHBAR_MODELS, else "
        "$XDG_CACHE_HOME/akhbar/models); `--evaluate` prints cross-validated scores.",
    )
    p.add_argument("doc_id", nargs="?", metavar="DOC_ID", help="the document to pre-annotate, a folder of --corpus (default: none; "
                   "required unless --train or --evaluate)")
    p.add_argument("--sentences", action="store_true", help="suggest sentences only (default: both)")
    p.add_argument("--entities", action="store_true", help="suggest entities only (default: both)")
    p.add_argument("--recommender", action="append", metavar="NAME", choices=["gazetteer", "crf"],
                   help="an entity recommender to use (repeatable; default: gazetteer, and crf when trained)")
    p.add_argument("--model", type=Path, metavar="PATH", help="the CRF model file (default: the cache's, per corpus)")
    p.add_argument("--train", action="store_true", help="train the CRF on the corpus and save it")
    p.add_argument("--evaluate", action="store_true", help="cross-validate the recommenders and the sentence splitter")
    p.add_argument("--folds", type=int, default=5, metavar="K", help="folds for --evaluate (default 5)")
    p.add_argument("--dry-run", action="store_true", help="list what would be suggested; write nothing")
    p.add_argument("--include-rejected", action="store_true",
                   help="suggest again what `akhbar reject` removed before from this text (default: left out)")
    add_corpus_option(p)
    p.set_defaults(run=run)


def run(args) -> int:
    from ..annotate.suggest import default_model_path, read_corpus_texts, train
    from ..errors import UsageError

    if not args.corpus.is_dir():
        raise UsageError(f"{args.corpus}: no such corpus folder")
    modes = sum(map(bool, (args.train, args.evaluate, args.doc_id)))
    if modes != 1:
        raise UsageError("give a DOC_ID to pre-annotate, or --train, or --evaluate (one of them)")
    model = args.model or default_model_path(args.corpus)
    if args.train:
        path, n = train(read_corpus_texts(args.corpus), model)
        print(f"trained the CRF on {n} sentence(s); saved {path}")
        return 0
    if args.evaluate:
        from ..annotate.evaluate import evaluate_recommenders, evaluate_splitter, format_scores

        if args.folds < 2:
            raise UsageError("--folds must be at least 2")
        texts = read_corpus_texts(args.corpus)
        if not texts:
            raise UsageError(f"{args.corpus}: no annotated documents to evaluate on")
        has_entities = any(e.review is None for t in texts for e in t.annotations.entities)
        print(format_scores(evaluate_splitter(texts), evaluate_recommenders(texts, args.folds) if has_entities else None),
              end="")
        return 0
    return _suggest(args, model)


def _suggest(args, model: Path) -> int:
    from ..format.lock import document_lock

    if args.dry_run:
        return _suggest_locked(args, model)
    with document_lock(args.corpus, args.doc_id):  # read, add and write as one step
        return _suggest_locked(args, model)


def _suggest_locked(args, model: Path) -> int:
    from ..annotate.edit import load_state
    from ..annotate.suggest import RECOMMENDERS, iter_corpus_texts, suggest
    from ..annotate.rejections import rejected_spans
    from ..format.corpus import ANNOTATIONS_FILE, repo_root, write_annotations

    state = load_state(args.doc_id, args.corpus)
    rejected, note = set(), None
    if not args.include_rejected:
        rejected, note = rejected_spans(repo_root(args.corpus), args.doc_id, state.annotations.text_sha256)
    both = not (args.sentences or args.entities)
    recommenders = tuple(args.recommender or RECOMMENDERS)
    explicit_model = args.model if (args.model or (args.recommender and "crf" in args.recommender)) else None
    result = suggest(state, iter_corpus_texts(args.corpus), sentences=both or args.sentences,
                     entities=both or args.entities, recommenders=recommenders,
                     model=explicit_model or (model if model.is_file() else None), rejected=rejected)
    doc = escape_controls(args.doc_id)
    for line in result.notes + ([escape_controls(note)] if note else []):
        print(f"{doc}: {line}")
    if result.rejected:
        print(f"{doc}: left out {result.rejected} suggestion(s) rejected before (--include-rejected shows them)")
    for o in result.overlaps:
        s = o.suggestion
        print(f"{doc}: not suggested (overlaps {escape_controls(o.existing)} {escape_controls(o.existing_label)}): "
              f"{s.start}-{s.end} {s.label} {escape_controls(state.text[s.start:s.end])} ({s.recommender})")
    added = ", ".join(f"{n} by {name}" for name, n in result.added.items()) or "none"
    verb = "would add" if args.dry_run else "added"
    print(f"{doc}: {verb} {result.sentences_added} sentence(s) and entities: {added}")
    if not args.dry_run and (result.sentences_added or result.added):
        write_annotations(state.folder / ANNOTATIONS_FILE, result.annotations)
        print(f"{doc}: review them with `akhbar show {doc}`, then `akhbar accept` / `akhbar reject`")
    return 0
