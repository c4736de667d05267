"""Regenerate docs/show-seed.png: the `akhbar show` page of the seed document in headless Chromium.

    python scripts/show_screenshot.py [--doc ID] [--out docs/show-seed.png]

Needs Debian's chromium and chromium-driver and selenium (the dev extra);
nothing is downloaded. Run from the repository root.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

# This checkout's package, even when another checkout is installed editable.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from akhbar.cli import main as akhbar  # noqa: E402

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1000,1250")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", default="000-2a47d67380bc8a8f")
    parser.add_argument("--corpus", type=Path, default=Path("corpus"))
    parser.add_argument("--out", type=Path, default=Path("docs/show-seed.png"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.html"
        if akhbar(["show", args.doc, "-o", str(page), "--corpus", str(args.corpus)]) != 0:
            return 1
        options = Options()
        options.binary_location = shutil.which("chromium")
        for flag in FLAGS + (f"--user-data-dir={tmp}/profile",):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            driver.get(page.resolve().as_uri())
            driver.save_screenshot(str(args.out))
        finally:
            driver.quit()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
