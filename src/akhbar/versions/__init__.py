"""Text versions: ingest a seed, revise a text, align two versions and migrate annotations."""
