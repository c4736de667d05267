"""`python -m akhbar`: the `akhbar` command."""

import sys

from .cli import main

__all__: list[str] = []

sys.exit(main())
