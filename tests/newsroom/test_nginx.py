"""deploy/nginx.conf.template, the config docker-compose's nginx runs, run by Debian's nginx on
loopback in front of a stand-in for gunicorn (a tiny HTTP server that records what reaches it):
login POSTs past the limit are refused in Chinese and never reach the app, the rest of the site
still does, static files come from disk with their cache headers, /media/ goes to the app.

Skipped without /usr/sbin/nginx; .ci/run installs Debian's nginx, so CI never skips them."""

import http.server
import socket
import tempfile
import threading
import unittest
import urllib.error
import urllib.request
from pathlib import Path

from django.test import SimpleTestCase

from bench import nginx

NGINX_MISSING = None if Path(nginx.NGINX).exists() else f"{nginx.NGINX} is not installed"
HASHED_CSS = "static/css/public.0123456789ab.css"
PLAIN_CSS = "static/css/public.css"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class App(http.server.ThreadingHTTPServer):
    """Answers every request with 200 "app <method> <path>" and keeps what it was sent."""

    daemon_threads = True

    def __init__(self):
        self.seen: list[tuple[str, str, dict]] = []
        super().__init__(("127.0.0.1", 0), AppHandler)


class AppHandler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.seen.append((self.command, self.path, dict(self.headers)))
        body = f"app {self.command} {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = answer

    def log_message(self, *args):
        pass


def fetch(url, data=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@unittest.skipIf(NGINX_MISSING, NGINX_MISSING)
class NginxConfigTests(SimpleTestCase):
    def test_the_config_compose_runs_passes_nginx_t(self):
        with tempfile.TemporaryDirectory() as folder:
            # As compose fills it in, but an upstream this machine can resolve.
            config = nginx.write_config(
                Path(folder), listen="80", upstream="127.0.0.1:8000", document_root="/srv/newsroom"
            )
            checked = nginx.check(config)
            self.assertEqual(checked.returncode, 0, checked.stderr)
            self.assertIn("test is successful", checked.stderr)
            # And a broken one does not (the check can fail).
            config.with_name("newsroom.conf").write_text("server { limit_req zone=nowhere; }")
            self.assertNotEqual(nginx.check(config).returncode, 0)


@unittest.skipIf(NGINX_MISSING, NGINX_MISSING)
class NginxInFrontTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.app = App()
        threading.Thread(target=cls.app.serve_forever, daemon=True).start()
        cls.addClassCleanup(cls.app.server_close)
        cls.addClassCleanup(cls.app.shutdown)
        folder = tempfile.TemporaryDirectory()
        cls.addClassCleanup(folder.cleanup)
        cls.folder = Path(folder.name)
        cls.static = cls.folder / "root"
        for name, text in [(HASHED_CSS, "body{}"), (PLAIN_CSS, "body{}")]:
            (cls.static / name).parent.mkdir(parents=True, exist_ok=True)
            (cls.static / name).write_text(text)

    def setUp(self):
        # A fresh nginx for each test: the limits' counters start at zero.
        self.app.seen.clear()
        port = free_port()
        server = nginx.Nginx(
            self.folder / self._testMethodName,
            port,
            f"127.0.0.1:{self.app.server_address[1]}",
            self.static,
        )
        self.enterContext(server)
        self.base = f"http://127.0.0.1:{port}"

    def test_login_posts_past_the_limit_get_a_chinese_429_and_never_reach_the_app(self):
        answers = [
            fetch(self.base + "/admin/login/", data=b"username=a&password=b") for _ in range(15)
        ]
        statuses = [status for status, _, _ in answers]
        # 10 a minute with a burst of 10: the first 11 pass (as the site's own limit, which
        # then answers), every later one is refused by nginx.
        self.assertEqual(statuses[:11], [200] * 11)
        self.assertEqual(statuses[11:], [429] * 4)
        posts = [seen for seen in self.app.seen if seen[0] == "POST"]
        self.assertEqual(len(posts), 11)
        status, headers, body = answers[-1]
        self.assertEqual(headers["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("登录尝试过于频繁", body)
        self.assertEqual(headers["Retry-After"], "60")
        self.assertEqual(headers["Cache-Control"], "no-store")
        # Meanwhile the form, the public pages and the rest of the site still reach the app.
        for path in ["/admin/login/", "/jinriluotang/issues/118/", "/"]:
            self.assertEqual(fetch(self.base + path)[:3:2], (200, f"app GET {path}"), path)

    def test_the_app_gets_the_host_and_the_address_nginx_saw(self):
        request = urllib.request.Request(
            self.base + "/jinriluotang/", headers={"X-Forwarded-For": "10.9.9.9"}
        )
        urllib.request.urlopen(request, timeout=10).read()
        _, path, headers = self.app.seen[-1]
        self.assertEqual(path, "/jinriluotang/")
        self.assertEqual(headers["Host"], self.base.removeprefix("http://"))
        # The last entry is nginx's own view (DJANGO_TRUSTED_PROXIES=1 takes it), whatever
        # the client claimed before it.
        self.assertEqual(headers["X-Forwarded-For"], "10.9.9.9, 127.0.0.1")
        self.assertEqual(headers["X-Forwarded-Proto"], "http")

    def test_a_flood_of_admin_requests_is_cut_but_public_pages_are_not(self):
        statuses = [fetch(self.base + "/admin/")[0] for _ in range(80)]
        self.assertIn(429, statuses)
        self.assertGreaterEqual(statuses.count(200), 51)  # the burst of 50, and the first
        status, headers, body = fetch(self.base + "/admin/")
        self.assertEqual(status, 429)
        self.assertIn("请求过于频繁", body)
        public = [fetch(self.base + "/jinriluotang/issues/118/")[0] for _ in range(80)]
        self.assertEqual(set(public), {200})

    def test_static_files_come_from_disk_with_whitenoises_cache_headers(self):
        status, headers, body = fetch(f"{self.base}/{HASHED_CSS}")
        self.assertEqual((status, body), (200, "body{}"))
        self.assertEqual(headers["Cache-Control"], "public, max-age=31536000, immutable")
        self.assertEqual(headers["Content-Type"], "text/css; charset=utf-8")
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        status, headers, _ = fetch(f"{self.base}/{PLAIN_CSS}")
        self.assertEqual((status, headers["Cache-Control"]), (200, "public, max-age=60"))
        self.assertEqual(self.app.seen, [])
        # A file not collected yet is asked of the app (WhiteNoise has the same files).
        self.assertEqual(
            fetch(f"{self.base}/static/new.0123456789ab.js")[2],
            "app GET /static/new.0123456789ab.js",
        )

    def test_media_is_the_apps_to_serve(self):
        path = "/media/renditions/0123456789abcdef/480.webp"
        self.assertEqual(fetch(self.base + path)[:3:2], (200, f"app GET {path}"))
