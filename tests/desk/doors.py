"""A hostile staff member's browser: a client that checks CSRF like production, logged in as
one role, posting with the token the admin gave it."""

import re
from html.parser import HTMLParser

from django.test import Client, TestCase

from tests import factories

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class DoorTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.desk = factories.desk()

    def setUp(self):
        self.client = Client(enforce_csrf_checks=True)

    def as_(self, role):
        self.client.force_login(getattr(self.desk, role))
        # The admin's home page carries a token in its log-out form.
        page = self.client.get("/admin/")
        self.token = _TOKEN.search(page.content.decode()).group(1)

    def post(self, url, data=None, **kwargs):
        return self.client.post(url, {**(data or {}), "csrfmiddlewaretoken": self.token}, **kwargs)

    @staticmethod
    def formset(prefix, rows=(), initial=0):
        data = {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = "" if value is None else str(value)
        return data


class _FormReader(HTMLParser):
    """The values a browser would post from the page's main form (#content-main form)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None
        self._forms = 0

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self._forms += 1
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(name, attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._add(name, "")

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            if self._textarea:
                # Browsers drop the newline right after <textarea>.
                value = self.data[self._textarea][-1]
                self.data[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None


def form_values(response) -> dict:
    """What the page's forms would post unchanged (the admin's log-out form only adds
    nothing: it has no named fields besides the token)."""
    reader = _FormReader()
    reader.feed(response.content.decode())
    return {
        name: values if len(values) > 1 else (values[0] if values else "")
        for name, values in reader.data.items()
    }
