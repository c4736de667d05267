"""Walk-through 1 of docs/contributing.md, end to end: ingest → suggest → show → reject/markup/accept → validate.

No offset is typed anywhere: ids come from `akhbar show`'s page and from
`akhbar find`, the markup file is edited as text.
"""

from __future__ import annotations

import re

from akhbar.cli import main
from akhbar.format.corpus import ANNOTATIONS_FILE, load_annotations

ARTICLE = ("اجتماع في تونس لبحث الوضع في ليبيا\n"
           "قال مصدر أمني جزائري، أمس، إن تنظيم الدولة الإسلامية في العراق والشام (داعش) ينتقل إلى ليبيا. "
           "وأكدت صحيفة «الخبر» أن مصر وتونس والجزائر تنسق جهودها مع وزير الداخلية.\n")


def _page_marks(html: str) -> list[tuple[str, str, str]]:
    """(entity id, classes, badge kind) of every entity drawn on a show page."""
    out = []
    for m in re.finditer(r'<mark class="([^"]*)"[^>]*data-entity="([^"]*)"[^>]*>(?:<span class="lab">[^<]*</span>)?'
                         r'(?:<span class="rev" data-kind="([^"]*)">)?', html):
        out.append((m.group(2), m.group(1), m.group(3) or ""))
    return out


def test_walkthrough_suggest_show_accept_validate(repo_copy, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(repo_copy)
    monkeypatch.setenv("AKHBAR_MODELS", str(tmp_path / "models"))
    article = tmp_path / "article.txt"
    article.write_bytes(ARTICLE.encode("utf-8"))
    folder = repo_copy / "corpus" / "walk-one"

    assert main(["ingest", str(article), "--id", "walk-one"]) == 0
    assert main(["suggest", "--train"]) == 0
    assert main(["suggest", "walk-one"]) == 0
    suggested = load_annotations(folder / ANNOTATIONS_FILE)
    assert suggested.sentences and suggested.entities

    # show draws every suggestion apart: a `suggested` class and badge on each
    assert main(["show", "walk-one", "-o", str(tmp_path / "page.html")]) == 0
    marks = _page_marks((tmp_path / "page.html").read_text(encoding="utf-8"))
    assert {m[0] for m in marks} == {e.id for e in suggested.entities}
    assert all("suggested" in m[1].split() and m[2] == "suggested" for m in marks)
    assert main(["validate", "corpus"]) == 1

    # reject one suggestion by id, add a missing entity in the markup file, accept the rest
    gpe = [e for e in suggested.entities if e.label == "GPE"]
    assert main(["reject", "walk-one", gpe[0].id]) == 0
    assert main(["markup", "walk-one", "-o", str(tmp_path / "walk.txt")]) == 0
    markup = (tmp_path / "walk.txt").read_text(encoding="utf-8")
    assert "وزير الداخلية" in markup
    (tmp_path / "walk.txt").write_text(markup.replace("وزير الداخلية", "[OCC وزير الداخلية]", 1), encoding="utf-8")
    assert main(["unmarkup", str(tmp_path / "walk.txt")]) == 0
    capsys.readouterr()
    assert main(["find", "walk-one", "الداخلية"]) == 0
    assert "OCC" in capsys.readouterr().out  # the new entity covers it
    assert main(["accept", "walk-one", "--all"]) == 0

    final = load_annotations(folder / ANNOTATIONS_FILE)
    assert all(x.review is None for x in final.sentences + final.entities)
    assert gpe[0].id not in {e.id for e in final.entities}
    assert len(final.entities) == len(suggested.entities)  # one rejected, one added
    assert main(["validate", "corpus"]) == 0
    assert main(["show", "walk-one", "-o", str(tmp_path / "after.html")]) == 0
    assert not any("suggested" in m[1].split() for m in _page_marks((tmp_path / "after.html").read_text("utf-8")))
