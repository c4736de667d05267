"""`akhbar show` and `akhbar diff -o` pages checked in a real headless Chromium.

Everything is asserted from the rendered DOM and computed styles: every
entity drawn with its label and its exact text, nested entities inside their
parents, right-to-left direction, keyboard focus showing the details, a
`<script>` in a note shown as text and never run, problems at their place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import review_fixtures as fx
from browser import start_chromium, unavailable_or_fail
from conftest import CORPUS, SEED_ID

from akhbar.cli import main

# Each drawn entity's first piece: its id, visible label badge, own text
# without any badge, and the entity drawn around it.
ENTITIES_JS = """
return Array.from(document.querySelectorAll('mark.ent[id]')).map(function (m) {
  var c = m.cloneNode(true);
  c.querySelectorAll('.lab, .sno, .prob, .chg').forEach(function (x) { x.remove(); });
  var lab = m.querySelector(':scope > .lab');
  var outer = m.parentElement.closest('mark.ent');
  return {id: m.dataset.entity, label: lab ? lab.textContent : null,
          labelShown: !!lab && lab.getBoundingClientRect().width > 0 && getComputedStyle(lab).visibility === 'visible',
          text: c.textContent, parent: outer ? outer.dataset.entity : null,
          start: +m.dataset.start, end: +m.dataset.end, fragment: m.dataset.fragment || null,
          classes: m.className, problems: m.dataset.problems || null, change: m.dataset.change || null,
          title: m.getAttribute('title'), tabindex: m.getAttribute('tabindex')};
});
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    unavailable_or_fail()
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


def _open(browser, page: Path) -> list[dict]:
    browser.get(page.resolve().as_uri())
    return browser.execute_script(ENTITIES_JS)


def _show(target: str, out: Path, corpus: Path) -> Path:
    assert main(["show", target, "-o", str(out), "--corpus", str(corpus)]) == 0
    return out


def test_seed_page_draws_every_entity_with_its_label_inside_its_parent(browser, tmp_path):
    page = _show(SEED_ID, tmp_path / "seed.html", CORPUS)
    drawn = {d["id"]: d for d in _open(browser, page)}
    data = json.loads((CORPUS / SEED_ID / "annotations.json").read_text(encoding="utf-8"))
    assert data["entities"], "the seed's gold annotations are missing"
    assert len(drawn) == len(data["entities"])
    for e in data["entities"]:
        d = drawn[e["id"]]
        assert (d["label"], d["labelShown"], d["text"], d["start"], d["end"]) == (
            e["label"], True, e["text"], e["start"], e["end"]
        ), e["id"]
        assert d["parent"] == e.get("parent"), e["id"]  # nested exactly inside its declared parent
        assert d["fragment"] is None and d["tabindex"] == "0"
    assert any(e.get("parent") for e in data["entities"])  # the seed really has nesting

    direction = browser.execute_script(
        "return [document.documentElement.dir, document.documentElement.lang,"
        " getComputedStyle(document.querySelector('main')).direction,"
        " getComputedStyle(document.body).direction]"
    )
    assert direction == ["rtl", "ar", "rtl", "rtl"]
    numbers = browser.execute_script(
        "return Array.from(document.querySelectorAll('.sent')).map(function (s) {"
        " return [s.dataset.sentence, s.querySelector('.sno').textContent]; })"
    )
    assert numbers == [[s["id"], str(i + 1)] for i, s in enumerate(data["sentences"])]
    # self-contained: the page fetched nothing
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    legend = browser.execute_script(
        "return Array.from(document.querySelectorAll('.legend li')).map(function (li) { return li.dataset.legend; })"
    )
    assert sorted(legend) == sorted({e["label"] for e in data["entities"]})


def test_nesting_to_any_depth(browser, tmp_path):
    a = fx.annotations_a()
    start, end = a["entities"][2]["start"], a["entities"][2]["end"]  # القاهرة, inside جامعة القاهرة
    a["entities"].append({"id": "e5", "start": start + 2, "end": end, "label": "LOC", "text": fx.TEXT[start + 2:end],
                          "parent": "e3"})
    a["entities"].append({"id": "e6", "start": start + 3, "end": end - 1, "label": "CURR",
                          "text": fx.TEXT[start + 3:end - 1], "parent": "e5"})
    corpus = fx.write_corpus(tmp_path, a)
    drawn = {d["id"]: d for d in _open(browser, _show(fx.DOC_ID, tmp_path / "deep.html", corpus))}
    chain = browser.execute_script(
        "var m = document.querySelector('mark[data-entity=\"e6\"]'), ids = [];"
        "while (m) { ids.push(m.dataset.entity); m = m.parentElement.closest('mark.ent'); } return ids;"
    )
    assert chain == ["e6", "e5", "e3", "e2"]
    assert drawn["e6"]["text"] == fx.TEXT[start + 3:end - 1]


def test_details_on_keyboard_focus_and_hover(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    a = fx.annotations_a()
    a["entities"][0]["kb"] = "Q123"
    corpus = fx.write_corpus(tmp_path, a)
    _open(browser, _show(fx.DOC_ID, tmp_path / "focus.html", corpus))
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    focused = browser.execute_script("return document.activeElement.dataset.entity")
    info = browser.find_element(By.ID, "info").text
    assert focused == "e1"
    assert "e1" in info and "PERS" in info and "4\u201317" in info and "Q123" in info
    ActionChains(browser).send_keys(Keys.TAB).perform()
    assert browser.execute_script("return document.activeElement.dataset.entity") == "e2"
    ActionChains(browser).move_to_element(browser.find_element(By.CSS_SELECTOR, 'mark[data-entity="e4"]')).perform()
    assert "DATE" in browser.find_element(By.ID, "info").text


def test_markup_in_annotations_is_shown_as_text_and_never_runs(browser, tmp_path):
    a = fx.annotations_a()
    evil = '<script>window.__akhbarPwned = 1</script><img src=x onerror="window.__akhbarPwned = 2">"\'>'
    a["entities"][0]["note"] = evil
    a["entities"][1]["id"] = 'x"><script>window.__akhbarPwned=3</script>'
    corpus = fx.write_corpus(tmp_path, a)
    drawn = _open(browser, _show(fx.DOC_ID, tmp_path / "evil.html", corpus))
    assert browser.execute_script("return window.__akhbarPwned === undefined") is True
    assert browser.execute_script("return document.querySelectorAll('script').length") == 1  # only the page's own
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    by_text = {d["text"]: d for d in drawn}
    assert evil in by_text["محمد بن سلمان"]["title"]
    assert by_text["جامعة القاهرة"]["id"] == 'x"><script>window.__akhbarPwned=3</script>'


def test_invalid_file_is_drawn_with_problems_at_their_place(browser, tmp_path):
    from akhbar.validate import validate_paths

    a = fx.annotations_a()
    a["entities"][1]["text"] = "غلط"  # not text[start:end]
    a["entities"].append({"id": "far", "start": 5, "end": 9999, "label": "PERS", "text": "x"})
    corpus = fx.write_corpus(tmp_path, a)
    path = corpus / fx.DOC_ID / "annotations.json"
    report = validate_paths([path], corpus=corpus)
    assert not report.valid
    located = {p.pointer.split("/")[2] for p in report.problems if (p.pointer or "").startswith("/entities/1")}
    assert located == {"1"}
    drawn = {d["id"]: d for d in _open(browser, _show(str(path), tmp_path / "invalid.html", corpus))}
    codes = sorted({p.code for p in report.problems if (p.pointer or "").startswith("/entities/1")})
    assert "problem" in drawn["e2"]["classes"].split()
    assert sorted(drawn["e2"]["problems"].split()) == codes
    assert drawn["e1"]["problems"] is None  # only the faulty entity is marked
    assert "far" not in drawn  # no place in the text: listed at the top instead
    notices = browser.execute_script(
        "return Array.from(document.querySelectorAll('.notices li')).map(function (li) { return li.textContent; })"
    )
    assert any("entity 4" in n and "no place" in n for n in notices)
    assert len(notices) >= len(report.problems)


def test_unreadable_file_still_renders(browser, tmp_path):
    corpus = fx.write_corpus(tmp_path)
    path = corpus / fx.DOC_ID / "annotations.json"
    path.write_text('{"entities": [', encoding="utf-8")
    drawn = _open(browser, _show(str(path), tmp_path / "broken.html", corpus))
    assert drawn == []
    text = browser.execute_script("return document.querySelector('main').textContent")
    assert text == fx.TEXT  # the text itself is shown, exactly
    assert browser.execute_script("return document.querySelectorAll('.notices li.error').length") >= 1


def test_diff_page_marks_changes(browser, tmp_path):
    corpus = fx.write_corpus(tmp_path)
    new = fx.missing_nested()
    new["entities"][0]["label"] = "ORG"
    new_path = fx.write_annotations(tmp_path / "new.json", new)
    out = tmp_path / "diff.html"
    assert main(["diff", fx.DOC_ID, str(new_path), "-o", str(out), "--corpus", str(corpus)]) == 0
    drawn = _open(browser, out)
    changes = sorted((d["id"], d["change"]) for d in drawn if d["change"])
    assert changes == [("e1", "relabelled"), ("e3", "removed")]
    removed = next(d for d in drawn if d["change"] == "removed")
    assert removed["parent"] == "e2"  # drawn where it was, inside its old parent
    assert browser.execute_script("return getComputedStyle(document.querySelector('main')).direction") == "rtl"
