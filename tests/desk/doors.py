"""A hostile staff member's browser: a client that checks CSRF like production, logged in as
one role, posting with the token the admin gave it."""

import re

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
