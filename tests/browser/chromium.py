"""Debian's Chromium for the browser tests and screenshots (never a downloaded browser)."""

import os
from pathlib import Path

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

# Mark a browser test module with this.
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium; CI does)",
    ),
]


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class ChromiumTestCase(StaticLiveServerTestCase):
    """A live server and one Chromium for the whole class.

    Each test ends with a flush of every table (a TransactionTestCase): a test that needs the
    desk's groups calls tests.factories.restore_desk_groups() in setUp. Do not use
    serialized_rollback: reloading the serialized database after another test's flush has
    re-created the content types under new ids collides with them.
    """

    @classmethod
    def setUpClass(cls):
        # Playwright's sync API keeps an event loop running in this thread; the tests' own
        # ORM calls are still plain synchronous code.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = launch(cls.playwright)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()
