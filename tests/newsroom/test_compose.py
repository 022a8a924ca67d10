"""docker-compose.yml cannot be run here (no Docker engine), so it is checked by reading it."""

import re
from pathlib import Path

import yaml
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]


class ComposeFileTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        cls.services = cls.compose["services"]

    def test_the_services_are_there(self):
        self.assertEqual(set(self.services), {"db", "cache", "web", "nginx", "worker", "scheduler"})
        self.assertTrue(self.services["db"]["image"].startswith("postgres:17"))
        self.assertTrue(self.services["cache"]["image"].startswith("redis:7"))
        self.assertEqual(self.services["web"]["build"], ".")

    def test_web_waits_for_a_healthy_database_and_cache(self):
        depends = self.services["web"]["depends_on"]
        self.assertEqual(depends["db"]["condition"], "service_healthy")
        self.assertEqual(depends["cache"]["condition"], "service_healthy")
        self.assertIn("healthcheck", self.services["db"])
        self.assertIn("healthcheck", self.services["cache"])

    def test_web_gets_every_setting_it_needs(self):
        env = self.services["web"]["environment"]
        for name in [
            "DATABASE_URL",
            "CACHE_URL",
            "DJANGO_DEBUG",
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOWED_HOSTS",
            "MEDIA_ROOT",
            "STATIC_ROOT",
        ]:
            self.assertTrue(env.get(name), name)
        self.assertTrue(env["DATABASE_URL"].startswith("postgres://"))
        self.assertIn("@db:5432/", env["DATABASE_URL"])
        self.assertEqual(env["CACHE_URL"], "redis://cache:6379/0")
        self.assertEqual(env["DJANGO_DEBUG"], "off")
        # The secret comes from outside and compose refuses to start without it.
        self.assertRegex(env["DJANGO_SECRET_KEY"], r"^\$\{DJANGO_SECRET_KEY:\?")

    def test_the_worker_runs_the_task_queue_with_the_web_settings(self):
        worker = self.services["worker"]
        self.assertEqual(worker["build"], ".")
        self.assertEqual(worker["environment"], self.services["web"]["environment"])
        self.assertEqual(worker["environment"]["TASKS_BACKEND"], "database")
        self.assertEqual(
            worker["entrypoint"] + worker["command"][:1], ["python", "manage.py", "db_worker"]
        )
        self.assertEqual(worker["depends_on"]["db"]["condition"], "service_healthy")

    def test_redis_is_bounded_and_evicts_the_least_recently_used_keys(self):
        command = self.services["cache"]["command"]
        self.assertRegex(
            command[command.index("--maxmemory") + 1], r"^\$\{REDIS_MAXMEMORY:-\d+mb\}$"
        )
        self.assertEqual(command[command.index("--maxmemory-policy") + 1], "allkeys-lru")
        self.assertIn("REDIS_MAXMEMORY", (ROOT / "README.md").read_text())

    def test_the_scheduler_publishes_scheduled_issues_with_the_web_settings(self):
        scheduler = self.services["scheduler"]
        self.assertEqual(scheduler["build"], ".")
        self.assertEqual(scheduler["environment"], self.services["web"]["environment"])
        self.assertEqual(
            scheduler["command"][:4], ["python", "manage.py", "publish_scheduled", "--loop"]
        )
        # web migrates on start; the scheduler starts after it and restarts if it stops.
        self.assertIn("web", scheduler["depends_on"])
        self.assertEqual(scheduler["restart"], "unless-stopped")

    def test_every_process_with_the_web_settings_sees_the_same_media(self):
        env = self.services["web"]["environment"]
        self.assertEqual(env["MEDIA_STORAGE"], "${MEDIA_STORAGE:-files}")
        self.assertIn("media", self.compose["volumes"])
        for name in ("web", "worker", "scheduler"):
            service = self.services[name]
            self.assertEqual(service["environment"], env, name)
            self.assertIn(f"media:{env['MEDIA_ROOT']}", service["volumes"], name)
        # Django serves /media/ itself with debug off (nginx only passes it on): no static().
        self.assertEqual(env["DJANGO_DEBUG"], "off")
        self.assertNotIn("static(", (ROOT / "newsroom/urls.py").read_text())

    def test_the_database_data_is_on_a_volume(self):
        self.assertIn("db-data", self.compose["volumes"])
        self.assertTrue(any(v.startswith("db-data:") for v in self.services["db"]["volumes"]))

    def test_every_variable_the_settings_read_is_documented_and_compose_sets_no_unknown_one(self):
        settings_source = (ROOT / "newsroom/settings.py").read_text()
        read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings_source))
        readme = (ROOT / "README.md").read_text()
        # README's configuration table: rows such as | `MEDIA_ROOT`, `STATIC_ROOT` | … |
        documented = {
            name
            for row in re.findall(r"(?m)^\| (`[A-Z][A-Z0-9_]+`(?:, `[A-Z][A-Z0-9_]+`)*) \|", readme)
            for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", row)
        }
        self.assertEqual(read - documented, set(), "read by the settings, not in README")
        self.assertEqual(documented - read, set(), "in README, never read by the settings")
        compose_env = set(self.services["web"]["environment"])
        self.assertEqual(compose_env - read, set(), "set by compose, never read by the settings")
        required_in_production = {"DJANGO_SECRET_KEY", "DATABASE_URL", "CACHE_URL"}
        self.assertLessEqual(required_in_production, compose_env)

    def test_the_image_runs_as_a_non_root_user_and_starts_gunicorn(self):
        dockerfile = (ROOT / "Dockerfile").read_text()
        self.assertRegex(dockerfile, r"(?m)^USER newsroom$")
        self.assertIn("gunicorn", dockerfile)
        entrypoint = (ROOT / "docker-entrypoint.sh").read_text()
        self.assertIn("migrate --no-input", entrypoint)
        self.assertIn("collectstatic --no-input", entrypoint)

    def test_nginx_is_the_only_way_in_and_runs_the_committed_config(self):
        published = {name for name, service in self.services.items() if service.get("ports")}
        self.assertEqual(published, {"nginx"})
        nginx = self.services["nginx"]
        self.assertTrue(nginx["image"].startswith("nginx:"))
        self.assertEqual(nginx["ports"], ["8000:80"])
        self.assertEqual(self.services["web"]["expose"], ["8000"])
        # The template the image fills in and includes; every variable it uses is set.
        self.assertIn(
            "./deploy/nginx.conf.template:/etc/nginx/templates/default.conf.template:ro",
            nginx["volumes"],
        )
        template = (ROOT / "deploy/nginx.conf.template").read_text()
        self.assertEqual(set(re.findall(r"\$\{(\w+)\}", template)), set(nginx["environment"]))
        self.assertEqual(nginx["environment"]["NEWSROOM_LISTEN"], "80")
        self.assertEqual(nginx["environment"]["NEWSROOM_UPSTREAM"], "web:8000")
        # It serves the static files web collects, from the same volume.
        web_env = self.services["web"]["environment"]
        self.assertIn(f"static:{web_env['STATIC_ROOT']}", self.services["web"]["volumes"])
        root = nginx["environment"]["NEWSROOM_DOCUMENT_ROOT"]
        self.assertIn(f"static:{root}/static:ro", nginx["volumes"])
        self.assertIn("static", self.compose["volumes"])
        # Django counts the address nginx saw, not nginx's own.
        self.assertEqual(web_env["DJANGO_TRUSTED_PROXIES"], "${DJANGO_TRUSTED_PROXIES:-1}")

    def test_nginx_limits_login_posts_and_answers_in_chinese(self):
        template = (ROOT / "deploy/nginx.conf.template").read_text()
        login = re.search(r"location = /admin/login/ \{(.*?)\}", template, re.S).group(1)
        self.assertRegex(login, r"limit_req zone=newsroom_login burst=\d+ nodelay;")
        self.assertIn("error_page 429 @newsroom_login_too_many;", login)
        self.assertIn("proxy_pass http://newsroom_app;", login)
        # The zone counts POSTs only, per address.
        zone = re.search(r"limit_req_zone \$(\w+) zone=newsroom_login:\S+ rate=(\d+)r/m;", template)
        self.assertIsNotNone(zone)
        key = re.search(
            rf"map \$request_method \${zone.group(1)} \{{(.*?)\}}", template, re.S
        ).group(1)
        self.assertRegex(key, r"POST\s+\$binary_remote_addr;")
        self.assertRegex(key, r'default\s+"";')
        answer = re.search(r"location @newsroom_login_too_many \{(.*?)\}", template, re.S)
        self.assertRegex(answer.group(1), r'return 429 "[^"]*登录[^"]*";')
        self.assertIn("limit_req_status 429;", template)
        # nginx serves no media: Django decides who gets which file.
        self.assertNotRegex(template, r"location[^{]*/media")
