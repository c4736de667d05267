"""What a reviewer looks at: loading a target, the RTL page, diffs and agreement."""
