"""Saves screenshots of the web chat after a question and its follow-up (docs/web-chat.png).

    python tools/web_screenshot.py [--out docs/web-chat.png] [--width 1000] [--dark]

Uses the browser tests' own helpers: a real `taxobot serve` on 127.0.0.1 and headless
Chromium (apt-get install chromium chromium-driver).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import MISSING, chromium  # noqa: E402
from live_server import serving  # noqa: E402
from test_web_chat import type_question, wait_for_answers  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "web-chat.png"))
    ap.add_argument("--width", type=int, default=1000)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--dark", action="store_true", help="prefers-color-scheme: dark")
    args = ap.parse_args()
    if MISSING:
        print(MISSING, file=sys.stderr)
        return 1
    with serving() as live:
        driver = chromium(args.width, args.height, dark=args.dark)
        try:
            driver.get(live.url + "/")
            wait_for_answers(driver, 1)
            type_question(driver, "what type of model is BERT?")
            type_question(driver, "is it open source?")
            Path(args.out).parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(args.out)
        finally:
            driver.quit()
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
