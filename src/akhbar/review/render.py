"""Self-contained right-to-left HTML pages of an annotated text (`akhbar show`, `akhbar diff -o`).

The page is one file: inline CSS, a few lines of inline JS, no network, no
fonts. The text is drawn as a tree of nested elements built from the span
nesting: sentences hold entities, entities hold the entities nested in them,
to any depth. Offsets are Unicode code points of the text, 0-based, end
exclusive: a `Mark(start, end)` draws `text[start:end]`.

A long text is drawn in pieces of about `CHUNK_CHARS` characters, cut
between top-level marks (sentences): the first is in the page's `<main>`,
the others wait in inert `<template>`s and are added as the reader scrolls
near the end of what is drawn, or at once when a link or the address names
a mark further on, or when the reader asks for the whole text (for the
browser's find). The page stays one self-contained file; the browser lays
out only what is drawn (issue 15: a 819,000-character document).

Everything that comes from a file (the text, ids, labels, notes, problem
messages) goes through `html.escape`: annotation text is data, never markup.
Spans that cross each other (invalid, but a reviewer still needs to see them)
are drawn in fragments sharing one `data-entity`; spans that cannot be placed
at all belong in the page's notices instead.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field
from html import escape

from ..format.labels import label_names, load_labels

__all__ = ["Mark", "Notice", "Node", "build_tree", "label_style", "render_page", "PALETTE", "BORDER_STYLES", "CHUNK_CHARS"]

# Characters drawn per piece of a long text; the first piece is drawn at load, the rest as the reader scrolls.
CHUNK_CHARS = 20_000

# Okabe & Ito's colour-blind-safe palette; with three border styles it gives
# 24 distinct looks, more than there are labels in schema/labels.yaml (a test checks it), and the
# label is always written out.
PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
BORDER_STYLES = ("solid", "dashed", "dotted")
_DARK = {"#0072B2", "#D55E00", "#000000", "#009E73", "#CC79A7"}  # badges on these get white text

_KIND_RANK = {"sentence": 0, "entity": 1}  # a sentence holds an entity of the same span


@dataclass(frozen=True)
class Mark:
    """One span to draw, `text[start:end]`: a sentence or an entity.

    `key` is the id from the file (a data attribute), `anchor` a unique HTML
    id, `badge` the visible text at its start (label or sentence number),
    `title` the details shown on hover and focus, `classes` extra CSS classes
    (label, change, problem), `attrs` extra `data-*` attributes.
    """

    kind: str
    key: str
    anchor: str
    start: int
    end: int
    badge: str = ""
    title: str = ""
    label: str = ""
    classes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Notice:
    """A line of the page's header list: a problem, a change or a fact, optionally linked to a mark's anchor."""

    severity: str  # error | warning | info | added | removed | changed
    message: str
    anchor: str | None = None


@dataclass
class Node:
    """A mark placed in the tree; `fragment` is its piece number when it was cut at a crossing (0: whole)."""

    mark: Mark | None
    start: int
    end: int
    fragment: int = 0
    children: list["Node"] = field(default_factory=list)


def build_tree(text_length: int, marks: list[Mark]) -> Node:
    """The marks nested by span under a root covering `[0, text_length)`.

    A mark inside another (same span included: sentence outside entity,
    then the longer first, then file order) becomes its child. A mark that
    crosses the end of an enclosing one is cut there and the rest placed
    after it, so every mark is drawn and the HTML stays well nested.
    """
    root = Node(None, 0, text_length)
    # One sort (marks arrive as runs already in order: sentences, then entities, so it is near linear), and a
    # heap only for the rest of a mark cut at a crossing, which is rare: no heap operation per mark.
    order = sorted(range(len(marks)), key=lambda k: (marks[k].start, -marks[k].end, _KIND_RANK.get(marks[k].kind, 2), k))
    cut: list[tuple] = []  # (start, -end, rank, seq, start, end, piece, mark) of the rest of cut marks
    stack = [root]
    pos, count = 0, len(order)
    while pos < count or cut:
        if pos < count:
            seq = order[pos]
            mark = marks[seq]
            item = (mark.start, -mark.end, _KIND_RANK.get(mark.kind, 2), seq)
            if cut and cut[0][:4] < item:
                _, _, rank, seq, start, end, piece, mark = heapq.heappop(cut)
            else:
                pos += 1
                rank, start, end, piece = item[2], mark.start, mark.end, 0
        else:
            _, _, rank, seq, start, end, piece, mark = heapq.heappop(cut)
        while True:
            top = stack[-1]
            if top.start <= start and end <= top.end:
                break
            if start >= top.end:
                stack.pop()
                continue
            # Crosses the end of `top`: draw the part inside now, the rest later.
            piece = piece or 1
            heapq.heappush(cut, (top.end, -end, rank, seq, top.end, end, piece + 1, mark))
            end = top.end
        node = Node(mark, start, end, piece)
        stack[-1].children.append(node)
        stack.append(node)
    return root


def label_style(label: str) -> tuple[str, str, str]:
    """(colour, border style, badge text colour) of a label, fixed by its place in the tag set."""
    names = label_names()
    i = names.index(label) if label in names else len(names)
    colour = PALETTE[i % len(PALETTE)]
    style = BORDER_STYLES[(i // len(PALETTE)) % len(BORDER_STYLES)]
    return colour, style, ("#fff" if colour in _DARK else "#000")


def _tint(colour: str, keep: float = 0.22) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = lambda c: round(255 - (255 - c) * keep)  # noqa: E731
    return f"#{mix(r):02x}{mix(g):02x}{mix(b):02x}"


def _css(labels: list[str]) -> str:
    rules = []
    for label in labels:
        colour, style, ink = label_style(label)
        cls = _label_class(label)
        rules.append(
            f"mark.{cls}{{background:{_tint(colour)};border:2px {style} {colour}}}"
            f"mark.{cls}>.lab,.legend .{cls}{{background:{colour};color:{ink}}}"
        )
    return _BASE_CSS + "\n".join(rules)


def _label_class(label: str) -> str:
    return "l-" + "".join(ch if ch.isalnum() else "_" for ch in label)


_BASE_CSS = """
body{font-family:"Noto Naskh Arabic","Amiri","Arial",sans-serif;margin:1.5rem auto;max-width:60rem;
 padding:0 1rem;color:#111;background:#fff;line-height:2.6}
header{line-height:1.6}
h1{font-size:1.3rem}
.text{white-space:pre-wrap;font-size:1.25rem;border-top:1px solid #999;padding-top:1rem}
.sent{border-inline-end:3px double #767676;padding-inline-end:.2em}
.sno{font:bold .7rem sans-serif;color:#fff;background:#555;border-radius:.6em;padding:0 .35em;
 margin-inline-end:.2em;user-select:none;vertical-align:super}
mark{color:inherit;border-radius:.3em;padding:.05em .15em;box-decoration-break:clone;
 -webkit-box-decoration-break:clone}
mark:focus{outline:3px solid #000;outline-offset:1px}
.lab{font:bold .62rem sans-serif;padding:0 .25em;border-radius:.25em;margin-inline-end:.2em;
 user-select:none;vertical-align:super;direction:ltr;unicode-bidi:isolate}
.frag>.lab{opacity:.7}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
.legend li span{font:bold .75rem sans-serif;padding:.05em .35em;border-radius:.25em}
.notices{line-height:1.6;padding-inline-start:1.2rem}
.notices .error,.prob{color:#a00000}
.notices .warning{color:#7a4b00}
.prob{font:bold .7rem sans-serif;user-select:none;vertical-align:super;margin-inline-end:.15em;
 direction:ltr;unicode-bidi:isolate}
mark.problem,.sent.problem{outline:3px dashed #a00000;outline-offset:1px}
mark.suggested,mark.review{outline:2px dashed #5a2ca0;outline-offset:2px;background-image:
 repeating-linear-gradient(135deg,transparent 0 6px,rgba(90,44,160,.12) 6px 9px)}
.sent.suggested,.sent.review{outline:1px dashed #5a2ca0;outline-offset:3px}
.rev{font:bold .58rem sans-serif;user-select:none;vertical-align:super;margin-inline-end:.15em;color:#fff;
 background:#5a2ca0;border-radius:.25em;padding:0 .25em;direction:ltr;unicode-bidi:isolate}
mark.chg-added{box-shadow:0 0 0 3px #009E73}
mark.chg-removed{text-decoration:line-through;opacity:.75;border-style:dashed}
mark.chg-relabelled,mark.chg-respanned,mark.chg-edited{box-shadow:0 0 0 3px #D55E00}
.sent.chg-split,.sent.chg-merged,.sent.chg-moved,.sent.chg-added{background:#fff1cc}
.chg{font:bold .62rem sans-serif;user-select:none;vertical-align:super;margin-inline-end:.15em;color:#7a2e00;
 direction:ltr;unicode-bidi:isolate}
#info{position:sticky;bottom:0;background:#f4f4f4;border-top:1px solid #999;padding:.3rem .6rem;
 font:.85rem/1.5 sans-serif;direction:ltr;text-align:left;min-height:1.5em;white-space:pre-wrap}
"""

# Shows the details of the innermost mark under the pointer or with the keyboard focus.
# textContent only: the details are data, never parsed as markup.
_SCRIPT = """
(function(){var info=document.getElementById('info');
function show(e){var m=e.target.closest&&e.target.closest('[data-tip]');if(m){info.textContent=m.getAttribute('data-tip');}}
document.addEventListener('mouseover',show);document.addEventListener('focusin',show);})();
"""

# Draws the pieces of a long text kept in <template class="more">: the next one when the reader scrolls
# near the end of what is drawn, all up to a mark named by a link or the address, or all on request.
_LAZY_SCRIPT = """
(function(){var main=document.querySelector('main.text'),end=document.getElementById('more');
function next(){var t=document.querySelector('template.more');if(!t)return false;
main.appendChild(t.content);t.remove();main.setAttribute('data-drawn',+main.getAttribute('data-drawn')+1);
if(!document.querySelector('template.more')){end.hidden=true;}return true;}
function near(){return end.getBoundingClientRect().top<innerHeight+1500;}
function fill(){while(!end.hidden&&near()&&next()){}}
function reveal(id){while(id&&!document.getElementById(id)&&next()){}}
function all(){while(next()){}}
new IntersectionObserver(function(es){if(es.some(function(e){return e.isIntersecting;}))fill();},
 {rootMargin:'1500px 0px'}).observe(end);
document.getElementById('all').addEventListener('click',all);
document.addEventListener('click',function(e){var a=e.target.closest&&e.target.closest('a[href^="#"]');
if(a)reveal(decodeURIComponent(a.getAttribute('href').slice(1)));},true);
function fromHash(){var id=decodeURIComponent(location.hash.slice(1));if(id&&!document.getElementById(id)){
reveal(id);var m=document.getElementById(id);if(m)m.scrollIntoView();}}
addEventListener('hashchange',fromHash);fromHash();})();
"""


def _chunks(text: str, root: Node, size: int) -> list[str]:
    """The HTML of the text in pieces of about `size` characters, each cut between two top-level marks."""
    pieces, group, start = [], [], 0
    for child in root.children:
        group.append(child)
        if child.end - start >= size:
            pieces.append(Node(None, start, child.end, children=group))
            group, start = [], child.end
    if group or start < root.end or not pieces:
        pieces.append(Node(None, start, root.end, children=group))
    html = []
    for piece in pieces:
        body: list[str] = []
        _render_node(text, piece, body)
        html.append("".join(body))
    return html


# A run of right-to-left words (Arabic script, with the spaces and guillemets
# between them) inside a left-to-right line: isolated in <bdi> so that the
# numbers and arrows around it keep their order.
_RTL_RUN = re.compile(
    "[\u00ab\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+(?:[ \u00bb\u00ab]+[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+)*\u00bb?"
)


def _escape_mixed(text: str) -> str:
    """`text` escaped for HTML, each right-to-left run in a `<bdi>`."""
    return _RTL_RUN.sub(lambda m: f"<bdi>{m.group(0)}</bdi>", escape(text))


def _open_tag(node: Node) -> str:
    m = node.mark
    if m.kind == "sentence":
        tag, classes = "span", ["sent", *m.classes]
        attrs = [("data-sentence", m.key)]
    else:
        tag, classes = "mark", ["ent", _label_class(m.label), *m.classes]
        attrs = [("data-entity", m.key), ("data-label", m.label)]
        if node.fragment <= 1:  # one keyboard stop per entity, on its first piece
            attrs.append(("tabindex", "0"))
    review = dict(m.attrs).get("data-review")
    if review is not None:  # waiting for a person: a suggestion, or a mark `akhbar revise` left
        classes.append("suggested" if review.startswith("suggested: ") else "review")
    if node.fragment:
        classes.append("frag")
        attrs.append(("data-fragment", str(node.fragment)))
    if node.fragment <= 1:
        attrs.insert(0, ("id", m.anchor))
    attrs += [("data-start", str(m.start)), ("data-end", str(m.end))]
    attrs += list(m.attrs)
    if m.title:
        attrs += [("title", m.title), ("data-tip", m.title)]
    parts = " ".join(f'{name}="{escape(value, quote=True)}"' for name, value in attrs)
    head = f'<{tag} class="{escape(" ".join(classes), quote=True)}" {parts}>'
    badge = ""
    if m.kind == "sentence":
        badge = f'<span class="sno">{escape(m.badge)}</span>' if m.badge and node.fragment <= 1 else ""
    elif m.badge:
        badge = f'<span class="lab">{escape(m.badge)}</span>'
    return head + badge + (_extra_badges(m) if node.fragment <= 1 else "")


def _extra_badges(m: Mark) -> str:
    out = ""
    for name, value in m.attrs:
        if name == "data-change":
            out += f'<span class="chg">{escape(value)}</span>'
        elif name == "data-review":
            kind = "suggested" if value.startswith("suggested: ") else "review"
            out += f'<span class="rev" data-kind="{kind}">{escape(kind)}</span>'
        elif name == "data-problems":
            out += f'<span class="prob" aria-label="problem">\u26a0 {escape(value)}</span>'
    return out


def _render_node(text: str, node: Node, out: list[str]) -> None:
    """The HTML of `node`'s span with its children drawn inside (iterative: nesting depth costs no stack)."""
    stack = [(node, 0, node.start)]  # (node, index of the next child, cursor)
    while stack:
        current, index, cursor = stack.pop()
        if index < len(current.children):
            child = current.children[index]
            out.append(escape(text[cursor : child.start], quote=False))
            out.append(_open_tag(child))
            stack.append((current, index + 1, child.end))
            stack.append((child, 0, child.start))
            continue
        out.append(escape(text[cursor : current.end], quote=False))
        if current is not node:
            out.append("</span>" if current.mark.kind == "sentence" else "</mark>")


def render_page(
    text: str | None,
    marks: list[Mark],
    *,
    title: str,
    notices: list[Notice] = (),
    subtitle: str = "",
    chunk_chars: int | None = None,
) -> str:
    """The whole HTML page: header (title, notices, legend), the marked-up text, the info bar.

    A text longer than `chunk_chars` (default `CHUNK_CHARS`) is drawn piece by piece (see the module docstring).
    `show_page` and `diff_page` call it with the cyclic GC paused (gcpause.py).
    """
    chunk_chars = chunk_chars or CHUNK_CHARS
    used = []
    for m in marks:
        if m.kind == "entity" and m.label not in used:
            used.append(m.label)
    order = {name: i for i, name in enumerate(label_names())}
    used.sort(key=lambda name: (order.get(name, len(order)), name))
    counts = {label: len({m.key for m in marks if m.kind == "entity" and m.label == label}) for label in used}
    out = [
        "<!DOCTYPE html>",
        '<html dir="rtl" lang="ar">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No network at all: not even an image or a font may be fetched.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">",
        f"<title>{escape(title)}</title>",
        f"<style>{_css(used)}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
    ]
    if subtitle:
        out.append(f'<p class="subtitle" dir="ltr">{_escape_mixed(subtitle)}</p>')
    if notices:
        out.append('<ul class="notices" dir="ltr">')
        for n in notices:
            link = f' <a href="#{escape(n.anchor, quote=True)}">(at its place)</a>' if n.anchor else ""
            out.append(f'<li class="{escape(n.severity, quote=True)}">{_escape_mixed(n.message)}{link}</li>')
        out.append("</ul>")
    out.append('<ul class="legend" aria-label="labels">')
    definitions = {label.name: label.definition for label in load_labels()}
    for label in used:
        meaning = definitions.get(label, "not a label of schema/labels.yaml")
        out.append(
            f'<li data-legend="{escape(label, quote=True)}" title="{escape(meaning, quote=True)}">'
            f'<span class="{_label_class(label)}">{escape(label)}</span> {counts[label]}</li>'
        )
    out.append("</ul>")
    out.append("</header>")
    rest: list[str] = []
    if text is None:
        out.append('<main class="text"><p>The text could not be read: see the problems above.</p></main>')
    else:
        tree = build_tree(len(text), [m for m in marks if 0 <= m.start < m.end <= len(text)])
        first, *rest = _chunks(text, tree, chunk_chars)
        more = f' data-pieces="{len(rest) + 1}" data-drawn="1"' if rest else ""
        out.append(f'<main class="text" dir="rtl" lang="ar"{more}>{first}</main>')
        if rest:
            out.append('<p id="more" dir="ltr">The rest of the text is drawn as you scroll. '
                       '<button id="all" type="button">Draw the whole text now (for find in page)</button></p>')
            out += [f'<template class="more">{piece}</template>' for piece in rest]
    out.append('<div id="info" role="status" aria-live="polite">Point at or tab to an entity for its details.</div>')
    out.append(f"<script>{_SCRIPT}</script>")
    if text is not None and rest:
        out.append(f"<script>{_LAZY_SCRIPT}</script>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
