"""Screenshots of the public views at phone and desktop widths, to look at by eye.

    python tests/browser/take_screenshots.py http://127.0.0.1:8101 screenshots/ PATH...

Uses Debian's Chromium (never a downloaded browser), as the browser tests do.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def main(base, out, paths):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in (390, 1280):
            page = browser.new_page(
                viewport={"width": width, "height": 844 if width == 390 else 900}
            )
            for path in paths:
                page.goto(base + path)
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
