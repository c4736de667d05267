"""`akhbar show` at size in a real headless Chromium (issue 15): a 819,000-character document, 10,097 entities.

The page draws the first piece of the text and adds the rest as the reader
scrolls, when a link names a mark further on, or on request. Asserted from
the DOM: what is drawn is exactly a prefix of the text, scrolling draws
more, an address naming the last entity draws up to it, the button draws the
whole text with every entity. The page's own timings (Navigation Timing,
the first contentful paint, and a forced layout measured with
performance.now) are printed for docs/benchmarks.md, never asserted.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from browser import start_chromium, unavailable_or_fail
from conftest import REPO

from akhbar.review.load import ReviewTarget, show_page

CHARS, ENTITIES = 819_000, 10_097


def _bench():
    spec = importlib.util.spec_from_file_location("bench_review", REPO / "scripts" / "bench_review.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TIMING_JS = """
var nav = performance.getEntriesByType('navigation')[0];
var fcp = performance.getEntriesByName('first-contentful-paint')[0];
var t = performance.now(); document.body.getBoundingClientRect(); var height = document.body.scrollHeight;
var layout = performance.now() - t;
return {domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: fcp ? fcp.startTime : null,
        layout: layout, height: height, drawn: document.querySelectorAll('main mark.ent[id]').length,
        pieces: +(document.querySelector('main').dataset.pieces || 1),
        drawnPieces: +(document.querySelector('main').dataset.drawn || 1)};
"""

DRAWN_TEXT_JS = """
var c = document.querySelector('main').cloneNode(true);
c.querySelectorAll('.lab, .sno, .prob, .chg').forEach(function (x) { x.remove(); });
return c.textContent;
"""


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    unavailable_or_fail()
    text, data = _bench().synthetic_document(CHARS, ENTITIES)
    folder = tmp_path_factory.mktemp("big")
    target = ReviewTarget(Path("big.json"), data, text, "big", 1)
    lazy, whole = folder / "lazy.html", folder / "whole.html"
    lazy.write_text(show_page(target), encoding="utf-8")
    from akhbar.review import render
    eager = render.CHUNK_CHARS
    try:
        render.CHUNK_CHARS = 10 ** 9  # the same page drawn at once, as before issue 15, for the figures
        whole.write_text(show_page(target), encoding="utf-8")
    finally:
        render.CHUNK_CHARS = eager
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver, text, data, lazy, whole
    driver.quit()


def test_a_long_document_is_drawn_piece_by_piece(big, capsys):
    driver, text, data, lazy, whole = big
    assert len(text) >= CHARS and len(data["entities"]) == ENTITIES

    driver.get(whole.as_uri())
    at_once = driver.execute_script(TIMING_JS)
    driver.get(lazy.as_uri())
    first = driver.execute_script(TIMING_JS)
    with capsys.disabled():
        for name, page, t in (("whole page at once", whole, at_once), ("piece by piece", lazy, first)):
            print(f"\nshow at size, {name}: {page.stat().st_size / 1e6:.1f} MB, {t['drawn']} entities drawn, "
                  f"DOMContentLoaded {t['domContentLoaded']:.0f} ms, load {t['load']:.0f} ms, "
                  f"first contentful paint {t['fcp'] or 0:.0f} ms, forced layout {t['layout']:.0f} ms")

    assert at_once["drawn"] == ENTITIES and at_once["pieces"] == 1
    assert first["pieces"] > 10 and 0 < first["drawn"] < ENTITIES
    drawn = driver.execute_script(DRAWN_TEXT_JS)
    assert 0 < len(drawn) < len(text) and text.startswith(drawn)  # exactly a prefix of the text, nothing lost

    # scrolling to the end of what is drawn draws more
    pieces = first["drawnPieces"]
    for _ in range(3):
        driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")
        driver.execute_script("return new Promise(function (r) { requestAnimationFrame(function () { setTimeout(r, 50); }); })")
    now = driver.execute_script(TIMING_JS)
    assert now["drawnPieces"] > pieces
    assert text.startswith(driver.execute_script(DRAWN_TEXT_JS))

    # an address naming the last entity draws up to it
    last = f"e{ENTITIES - 1}"
    driver.execute_script(f"location.hash = '#{last}'")
    assert driver.execute_script(f"return !!document.getElementById('{last}')")
    assert driver.execute_script(f"return document.getElementById('{last}').dataset.start") == str(data["entities"][-1]["start"])

    # the button draws everything: every entity, the whole text
    driver.get(lazy.as_uri())
    driver.execute_script("document.getElementById('all').click()")
    assert driver.execute_script(TIMING_JS)["drawn"] == ENTITIES
    assert driver.execute_script(DRAWN_TEXT_JS) == text
    assert driver.execute_script("return document.querySelectorAll('template.more').length") == 0
