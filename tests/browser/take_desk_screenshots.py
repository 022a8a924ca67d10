"""Screenshots of desk pages as each role, at 1280 and 390 px, to look at by eye.

    python tests/browser/take_desk_screenshots.py http://127.0.0.1:8670 screenshots/desk \\
        PASSWORD tongxun bianji zuban zeren -- /admin/ /admin/articles/article/add/ ...

Each login (all with the same PASSWORD, e.g. the demo_staff logins after a reset) opens every
path; a page the role may not see is saved too (it shows what they get). Uses Debian's
Chromium (never a downloaded browser), as the browser tests do.
"""

import re
import sys
from pathlib import Path

from chromium import launch  # this folder is on sys.path when run as a script
from playwright.sync_api import sync_playwright


def main(base, out, password, logins, paths):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        for login in logins:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            page = context.new_page()
            page.goto(f"{base}/admin/login/")
            page.fill("#id_username", login)
            page.fill("#id_password", password)
            page.click("input[type=submit]")
            page.wait_for_url(f"{base}/admin/")
            for path in paths:
                page.goto(base + path)
                name = re.sub(r"[^0-9A-Za-z]+", "_", path.strip("/")) or "home"
                for width in (1280, 390):
                    page.set_viewport_size(
                        {"width": width, "height": 900 if width == 1280 else 844}
                    )
                    page.screenshot(path=str(out / f"{login}-{name}-{width}.png"), full_page=True)
                page.set_viewport_size({"width": 1280, "height": 900})
            context.close()
        browser.close()


if __name__ == "__main__":
    args = sys.argv[1:]
    split = args.index("--")
    main(args[0], args[1], args[2], args[3:split], args[split + 1 :])
