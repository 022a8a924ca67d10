"""Screenshots of the public views at small-phone, phone and desktop widths, to look at by eye.

    python tests/browser/take_screenshots.py http://127.0.0.1:8101 screenshots/ PATH...

Uses Debian's Chromium (never a downloaded browser), as the browser tests do.
"""

import sys
from pathlib import Path

from chromium import launch  # this folder is on sys.path when run as a script
from playwright.sync_api import sync_playwright


def main(base, out, paths):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        for width in (320, 390, 1280):
            page = browser.new_page(
                viewport={"width": width, "height": 900 if width == 1280 else 844}
            )
            for path in paths:
                page.goto(base + path)
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
