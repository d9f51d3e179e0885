"""Headless Chromium driven by Selenium, for the web chat's tests and its screenshot.

Debian's chromium and chromium-driver (`apt-get install chromium chromium-driver`); Selenium's
own browser download cannot work offline, so the system binaries are named explicitly.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium") or "",
                             shutil.which("chromium-browser") or "") if p and Path(p).exists()),
                "")
DRIVER = next((p for p in ("/usr/bin/chromedriver", shutil.which("chromedriver") or "")
               if p and Path(p).exists()), "")
MISSING = ("" if CHROMIUM and DRIVER else
           "no Chromium here: apt-get install chromium chromium-driver to run the browser tests")


def chromium(width: int = 1000, height: int = 900, dark: bool = False) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--hide-scrollbars"):
        options.add_argument(arg)
    if dark:
        options.add_argument("--force-dark-mode")
        options.add_argument("--blink-settings=preferredColorScheme=0")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(DRIVER))
