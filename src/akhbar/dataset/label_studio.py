"""The Label Studio export: tasks (one per document) and `labeling-config.xml` from schema/labels.yaml. Pure.

Label Studio counts `start`/`end` in UTF-16 code units (JavaScript string
indices); the corpus counts code points. Every offset written here is
converted (`utf16_offsets`); `akhbar import --format label-studio` converts
back.

A task's `data` holds `text`, `doc_id`, `text_version` and `text_sha256`
(the import matches the last two against the corpus and refuses a changed
text). The document's accepted annotations are the task's one annotation;
items waiting for review (suggestions, marks of `akhbar revise`) are its one
prediction, with the recommender as `model_version`. Region ids are the
corpus ids, and nesting is carried by a `parent` relation from the inner
region to its parent (`<Relations>` in the config); a region drawn in Label
Studio without one is nested by containment on import. Sentences are regions
of the `sentence` control; only suggested ones are exported (as
predictions), so an annotator sees entities, not sentence boxes.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ..format.labels import load_labels
from ..format.model import Annotations

__all__ = ["ENTITY_CONTROL", "SENTENCE_CONTROL", "SENTENCE_LABEL", "PARENT_RELATION", "TEXT_NAME",
           "labeling_config", "utf16_offsets", "to_task"]

ENTITY_CONTROL = "label"
SENTENCE_CONTROL = "sentence"
SENTENCE_LABEL = "Sentence"
PARENT_RELATION = "parent"
TEXT_NAME = "text"
_PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999")


def labeling_config() -> str:
    """Label Studio's labeling config: right-to-left text, the labels of schema/labels.yaml, sentences, `parent`."""
    labels = "\n".join(
        f"    <Label value={quoteattr(label.name)} background={quoteattr(_PALETTE[i % len(_PALETTE)])} "
        f"hint={quoteattr(label.definition)}/>" for i, label in enumerate(load_labels()))
    return f"""<View>
  <Style>.akhbar-text {{ direction: rtl; text-align: right; font-size: 1.2em; line-height: 2.2; }}</Style>
  <Header value="$doc_id (text version $text_version)"/>
  <Labels name="{ENTITY_CONTROL}" toName="{TEXT_NAME}">
{labels}
  </Labels>
  <Labels name="{SENTENCE_CONTROL}" toName="{TEXT_NAME}">
    <Label value="{SENTENCE_LABEL}" background="#BBBBBB"/>
  </Labels>
  <Relations>
    <Relation value="{PARENT_RELATION}"/>
  </Relations>
  <View className="akhbar-text" style="direction: rtl">
    <Text name="{TEXT_NAME}" value="$text" granularity="symbol"/>
  </View>
</View>
"""


def utf16_offsets(text: str) -> list[int]:
    """The UTF-16 offset of every code point offset of `text` (index len(text) included)."""
    out, units = [0], 0
    for ch in text:
        units += 2 if ord(ch) > 0xFFFF else 1
        out.append(units)
    return out


def _region(item, control: str, label: str, text: str, units: list[int]) -> dict:
    return {"id": item.id, "from_name": control, "to_name": TEXT_NAME, "type": "labels", "origin": "manual",
            "value": {"start": units[item.start], "end": units[item.end], "text": text[item.start:item.end],
                      "labels": [label]}}


def _results(text: str, sentences, entities, units) -> list[dict]:
    out = [_region(s, SENTENCE_CONTROL, SENTENCE_LABEL, text, units) for s in sentences]
    out += [_region(e, ENTITY_CONTROL, e.label, text, units) for e in entities]
    ids = {e.id for e in entities}
    out += [{"from_id": e.id, "to_id": e.parent, "type": "relation", "direction": "right", "labels": [PARENT_RELATION]}
            for e in entities if e.parent is not None and e.parent in ids]
    return out


def to_task(doc_id: str, text: str, annotations: Annotations) -> dict:
    """One Label Studio task: `data`, the accepted annotation and the pending suggestions as a prediction."""
    units = utf16_offsets(text)
    accepted = [e for e in annotations.entities if e.review is None]
    pending = [e for e in annotations.entities if e.review is not None]
    # a pending entity's parent may be accepted: the prediction carries the whole tree, so the relation holds
    pending_tree = pending + [e for e in accepted if any(p.parent == e.id for p in pending)] if pending else []
    task = {
        "data": {"text": text, "doc_id": doc_id, "text_version": annotations.text_version,
                 "text_sha256": annotations.text_sha256},
        "annotations": [],
        "predictions": [],
    }
    if accepted:
        task["annotations"].append({"result": _results(text, (), accepted, units), "was_cancelled": False,
                                    "ground_truth": False})
    pending_sentences = [s for s in annotations.sentences if s.review is not None]
    if pending_tree or pending_sentences:
        recommenders = sorted({x.review.split(": ", 1)[-1] for x in pending + pending_sentences})
        task["predictions"].append({"model_version": "akhbar suggest: " + ", ".join(recommenders),
                                    "result": _results(text, pending_sentences, pending_tree, units)})
    return task
