"""Write the label enum of schema/annotations.schema.json from schema/labels.yaml.

labels.yaml is the one source of the tag set; run this after editing it
(tests/test_format.py fails until you do). Usage: python scripts/sync_labels.py [--check]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "schema" / "annotations.schema.json"
LABELS = ROOT / "schema" / "labels.yaml"


def main(argv: list[str]) -> int:
    names = [label["name"] for label in yaml.safe_load(LABELS.read_text(encoding="utf-8"))["labels"]]
    raw = SCHEMA.read_text(encoding="utf-8")
    schema = json.loads(raw)
    prop = schema["properties"]["entities"]["items"]["properties"]["label"]
    if prop["enum"] == names:
        print("schema label enum is up to date")
        return 0
    if "--check" in argv:
        print("schema label enum differs from labels.yaml; run python scripts/sync_labels.py", file=sys.stderr)
        return 1
    old = json.dumps(prop["enum"], ensure_ascii=False)
    new = json.dumps(names, ensure_ascii=False)
    # Replace the one line in place so the hand-written layout of the schema is kept.
    assert raw.count(old.replace('", "', '", "')) == 1, "label enum not found in the expected form"
    tmp = SCHEMA.with_suffix(".tmp")
    tmp.write_text(raw.replace(old, new), encoding="utf-8")
    tmp.replace(SCHEMA)
    print(f"wrote {len(names)} labels into {SCHEMA.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
