"""A real headless Chromium (Debian's chromium + chromedriver) driven by selenium, for the review pages.

Where the browser is absent the tests using it skip with the reason; when
the environment variable CI is set they fail instead: CI must run them.
Nothing is ever downloaded: the driver and the browser are named by path.
"""

from __future__ import annotations

import os
import shutil

import pytest

# The flags that work in a container as root with no network.
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1100,1400",
)


def _missing() -> str | None:
    for name in ("chromium", "chromedriver"):
        if shutil.which(name) is None:
            return f"{name} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


def unavailable_or_fail() -> None:
    """Skip the calling test (or fail it under CI) when the browser cannot run."""
    why = _missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {why}")
        pytest.skip(why)


def start_chromium(profile_dir):
    """A selenium WebDriver on Debian's chromium with a fresh profile in `profile_dir`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium")
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
