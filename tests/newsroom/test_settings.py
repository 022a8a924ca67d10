"""Production refuses to start without a secret, and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


class SettingsTests(SimpleTestCase):
    def test_production_without_a_secret_refuses_to_start(self):
        result = manage("check", DJANGO_DEBUG="off")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY must be set", result.stderr)

    def test_production_settings_pass_the_deploy_check(self):
        result = manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DJANGO_DEBUG="off",
            DJANGO_SECRET_KEY="x7$kq" * 12,
            DJANGO_ALLOWED_HOSTS="news.example.cn",
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_development_defaults_are_chinese_and_in_shanghai(self):
        self.assertEqual(settings.LANGUAGE_CODE, "zh-hans")
        self.assertEqual(settings.TIME_ZONE, "Asia/Shanghai")

    def test_compiled_translations_are_committed(self):
        self.assertTrue((ROOT / "locale/zh_Hans/LC_MESSAGES/django.mo").exists())
