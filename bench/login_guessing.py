"""Password guessing at /admin/login/ (issue 11): do cached public pages keep their speed, and
how many guesses are checked before django-axes locks the login?

    python bench/login_guessing.py [--database-url URL] [--redis-url URL] [--port 8644]
                                   [--seconds 15] [--rounds 2] [--attackers 4] [--readers 4]
                                   [--nginx [--guess-rate 20]]

It makes (once) a PostgreSQL database with the sample issue and a staff login, then runs three
gunicorns with 2 sync workers each on loopback, DEBUG off, Redis as the page cache, the real
password hasher (PBKDF2): one as in production (django-axes on and the login rate limit,
newsroom/ratelimit.py, LOGIN_POST_RATE a minute), one with axes on but the rate limit off
(LOGIN_POST_RATE=0), one with both off (what issue 11 found: every guess is checked). In each
round, for --seconds each:

1. baseline: wrk with --readers connections on the cached issue page, nothing else;
2. limit on: --attackers clients POST wrong passwords to /admin/login/ (each GETs the form
   once for its CSRF cookie and token), cycling over four user names; once the login answers
   429 (locked), the same wrk runs while they go on guessing;
3. axes only: the same on the server without the rate limit;
4. axes off: the same guessing on the last server (nothing ever locks), with the same wrk.

It prints the readers' requests/s, p50 and p99 in each phase, and of the guesses: how many
were checked (the form came back: 200) before the first 429 and in all, refused as locked
(429; of those, by the rate limit: the ones with Retry-After), how long the lock-out took to
come, and how long an attempt took. After each axes-on phase the right password is tried once: locked, it gets a 429.
The lock-outs are reset (axes_reset) before each phase. Figures are relative to the baseline
of the same round, on the same loaded machine.

With --nginx it measures the production shape of docker-compose instead: one gunicorn (2 sync
workers, axes and the login rate limit on, DJANGO_TRUSTED_PROXIES=1) on --port, and Debian's
nginx on --port + 1 running deploy/nginx.conf.template rendered as compose renders it
(bench/nginx.py; prefix, pid, logs and temporary files in bench/out/nginx-login). Each phase
has the readers alone right before and right after it (their mean is its baseline: the
machine is shared), and in between the readers while the attackers guess (from the first 429
on): through nginx, then straight at gunicorn (the state before nginx). The attackers send back
to back but at most --guess-rate guesses a second each (20: one round trip of 50 ms, as
clients elsewhere on the network; on loopback a Python client answered by nginx in a fraction
of a millisecond would otherwise burn the machine's CPU itself), and, through nginx, once
more flat out. It prints the readers against their baseline, which layer refused the
guesses: nginx (its 429 says 一分钟), the site's rate limit or axes, how many were checked,
and the CPU the attackers and nginx used.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.nginx import Nginx  # noqa: E402
from bench.project import WSGI_APPLICATION  # noqa: E402
from bench.serve import Gunicorn, cycle, psql  # noqa: E402

PY = sys.executable
SAMPLE = ROOT / "backissues" / "fixtures" / "jinri-luotang-118.md"
PAGE = "/jinriluotang/issues/118/"
USER, PASSWORD = "zeren", "right-password-" + "r" * 20
USERNAMES = [USER, "admin", "bianji", "zuban"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# nginx's own 429 (deploy/nginx.conf.template); the site's says how many seconds.
NGINX_REFUSAL = "一分钟"


def environment(args, axes: bool, rate_limit: bool = True, proxies: int = 0) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY="benchmark-only-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="off",
        DATABASE_URL=args.database_url,
        CACHE_URL=args.redis_url,
        STATIC_ROOT=str(ROOT / "bench" / "out" / "static"),
        TASKS_BACKEND="immediate",
        DJANGO_LOG_LEVEL="ERROR",
        BENCH_AXES_OFF="0" if axes else "1",
        LOGIN_POST_RATE=str(args.rate) if rate_limit else "0",
        DJANGO_TRUSTED_PROXIES=str(proxies),
        # X-Bench-Queries on every response (bench/serve.py's probe reads it; 0 when cached).
        BENCH_QUERY_HEADER="1",
    )
    return env


def manage(env, *command):
    subprocess.run(
        [PY, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def prepare(args, env):
    name = args.database_url.rsplit("/", 1)[1]
    if not psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        psql(f'CREATE DATABASE "{name}"')
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "import_issues", str(SAMPLE), "-v0")
    script = (
        "from django.contrib.auth import get_user_model; U = get_user_model(); "
        f"u, _ = U.objects.get_or_create(username={USER!r}, defaults={{'is_staff': True}}); "
        f"u.set_password({PASSWORD!r}); u.save()"
    )
    manage(env, "shell", "-c", script)


class Attacker(threading.Thread):
    """A client guessing passwords as a script would: GET the form once (CSRF cookie and
    token, which Django accepts again and again with the same cookie), then POST guess after
    guess, until told to stop. Every answer goes into the shared, time-ordered `log`."""

    def __init__(self, port, index, stop, log, rate=0.0):
        super().__init__(daemon=True)
        self.interval = 1 / rate if rate else 0.0  # at most `rate` guesses a second
        self.base = f"http://127.0.0.1:{port}/admin/login/"
        self.index = index
        self.stop = stop
        self.log = log  # [(seconds since the epoch, status)], appended by every attacker
        self.seconds: list[float] = []
        self.limited = 0  # 429s from the rate limit (they carry Retry-After; axes' do not)
        self.by_nginx = 0  # of those, nginx's own (before gunicorn)
        self.cookie = self.token = ""

    def fetch_form(self):
        with urllib.request.urlopen(self.base, timeout=60) as form:
            html = form.read().decode()
            self.cookie = "; ".join(
                value.split(";", 1)[0] for value in form.headers.get_all("Set-Cookie") or []
            )
        token = CSRF.search(html)
        self.token = token.group(1) if token else ""

    def attempt(self, username, password) -> int:
        if not self.token:
            self.fetch_form()
        data = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.token,
                "next": "/admin/",
            }
        ).encode()
        request = urllib.request.Request(
            self.base, data=data, headers={"Cookie": self.cookie, "Referer": self.base}
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            body = error.read().decode(errors="replace")
            if status == 429 and error.headers.get("Retry-After"):
                self.limited += 1
                if NGINX_REFUSAL in body:
                    self.by_nginx += 1
        self.seconds.append(time.perf_counter() - started)
        if status == 403:  # the CSRF cookie went stale: a new form next time
            self.token = ""
        self.log.append((time.time(), status))
        return status

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            username = USERNAMES[(self.index + n) % len(USERNAMES)]
            sent = time.perf_counter()
            self.attempt(username, f"guess-{self.index}-{n}")
            if self.interval:
                # As a client far away, back to back: the next guess one round trip after
                # this one was sent at the soonest (a slow answer is not made up for).
                wait = sent + self.interval - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def phase(port, readers, seconds, attackers, attack_port=None, until_locked=0, rate=0.0):
    """wrk on the cached page for `seconds`, with `attackers` guessing at `attack_port`.

    With `until_locked`, wrk starts only once the login answered a 429 (or after that many
    seconds): the figures are those of a guessing run the lock-out has stopped, and the
    guesses checked before it are counted apart."""
    stop = threading.Event()
    log: list[tuple[float, int]] = []
    threads = [Attacker(attack_port or port, i, stop, log, rate) for i in range(attackers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()

    def statuses():
        return [status for _, status in list(log)]

    to_lock = None
    if until_locked:
        while time.perf_counter() - started < until_locked and 429 not in statuses():
            time.sleep(0.05)
        if 429 in statuses():
            to_lock = time.perf_counter() - started
    elif attackers:
        # Guessing under way (each attacker has sent a guess) before the readers start.
        while time.perf_counter() - started < 120 and len(statuses()) < attackers:
            time.sleep(0.05)
    before = statuses()
    window_start = time.time()
    cpu_start = time.process_time()  # the attackers' threads (wrk is another process)
    rps, p50, p99, errors = cycle(port, [PAGE], seconds, readers)
    window = time.time() - window_start
    attackers_cpu = time.process_time() - cpu_start
    during = statuses()[len(before) :]
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    after = statuses()
    attempt_seconds = [s for t in threads for s in t.seconds]
    return {
        "elapsed": time.perf_counter() - started,
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "errors": errors,
        # Every guess answered 200 had its password checked; 429: refused as locked.
        "checked": after.count(200),
        "checked_before_lock": before.count(200) if until_locked else None,
        "to_lock": to_lock,
        "during": len(during),
        "guesses_per_s": len(during) / window if window else 0.0,
        "during_checked": during.count(200),
        "locked": after.count(429),
        "limited": sum(t.limited for t in threads),
        "by_nginx": sum(t.by_nginx for t in threads),
        "other": len(after) - after.count(200) - after.count(429),
        "attackers_cpu": attackers_cpu / window if window else 0.0,
        "attempt_ms": 1000 * statistics.median(attempt_seconds) if attempt_seconds else 0.0,
    }


def sequential_costs(port, repeats=20) -> tuple[float, float]:
    """Median ms of a refused (locked) guess and of the cached page, one at a time."""
    attacker = Attacker(port, 0, threading.Event(), [])
    guesses, pages = [], []
    for n in range(repeats):
        started = time.perf_counter()
        attacker.attempt(USER, f"sequential-{n}")
        guesses.append(time.perf_counter() - started)
        started = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{port}{PAGE}", timeout=60).read()
        pages.append(time.perf_counter() - started)
    return 1000 * statistics.median(guesses), 1000 * statistics.median(pages)


def right_password_status(port) -> int:
    urllib.request.install_opener(urllib.request.build_opener(NoRedirect))
    attacker = Attacker(port, 0, threading.Event(), [])
    status = attacker.attempt(USER, PASSWORD)
    urllib.request.install_opener(urllib.request.build_opener())
    return status


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_bench_login"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/4")
    parser.add_argument("--port", type=int, default=8644, help="and the next one")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--attackers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4, help="wrk connections")
    parser.add_argument("--rate", type=int, default=10, help="LOGIN_POST_RATE of the first server")
    parser.add_argument(
        "--nginx", action="store_true", help="gunicorn behind deploy/nginx.conf.template"
    )
    parser.add_argument(
        "--guess-rate",
        type=float,
        default=20,
        help="with --nginx: at most this many guesses a second per client in the paced phases "
        "(20: back to back over a 50 ms round trip)",
    )
    args = parser.parse_args()
    if args.nginx:
        return main_nginx(args)

    on_env = environment(args, axes=True)
    axes_env = environment(args, axes=True, rate_limit=False)
    off_env = environment(args, axes=False, rate_limit=False)
    prepare(args, on_env)
    rows = []
    with (
        Gunicorn("limit on", PY, WSGI_APPLICATION, ROOT, on_env, args.port) as on,
        Gunicorn("axes only", PY, WSGI_APPLICATION, ROOT, axes_env, args.port + 1) as axes,
        Gunicorn("axes off", PY, WSGI_APPLICATION, ROOT, off_env, args.port + 2) as off,
    ):
        urllib.request.urlopen(f"http://127.0.0.1:{on.port}{PAGE}").read()  # cached now
        for n in range(1, args.rounds + 1):
            manage(on_env, "axes_reset")
            base = phase(on.port, args.readers, args.seconds, 0)
            manage(on_env, "axes_reset")
            limited = phase(on.port, args.readers, args.seconds, args.attackers, until_locked=300)
            limited_ms, page_ms = sequential_costs(on.port)
            manage(on_env, "axes_reset")
            guarded = phase(axes.port, args.readers, args.seconds, args.attackers, until_locked=300)
            locked_out_right = right_password_status(axes.port)
            refused_ms, _ = sequential_costs(axes.port)
            manage(on_env, "axes_reset")
            unguarded = phase(off.port, args.readers, args.seconds, args.attackers)
            manage(on_env, "axes_reset")
            for name, figures in [
                ("baseline", base),
                ("limit on", limited),
                ("axes only", guarded),
                ("axes off", unguarded),
            ]:
                rows.append((n, name, figures))
            print(
                f"round {n}: the right password after the lock-out answered {locked_out_right}; "
                f"one at a time (median of 20, the form once before), a guess refused by the "
                f"rate limit takes {limited_ms:.1f} ms, one refused by axes {refused_ms:.1f} ms, "
                f"the cached page {page_ms:.1f} ms",
                flush=True,
            )

    print()
    print(
        f"cached page {PAGE}, wrk {args.readers} connections, {args.seconds} s a phase; "
        f"{args.attackers} guessing clients; gunicorn 2 sync workers each"
    )
    print(
        f"{'round':>5} {'phase':<9} {'req/s':>7} {'vs base':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'guesses (checked)':>18} {'in wrk window (checked)':>24} {'guesses/s':>9} "
        f"{'429 (limit)':>14} "
        f"{'to lock-out':>11} {'attempt ms':>10}"
    )
    baseline = {}
    for n, name, f in rows:
        if name == "baseline":
            baseline[n] = f["rps"]
        ratio = f["rps"] / baseline[n] if baseline.get(n) else 0
        total = f["checked"] + f["locked"] + f["other"]
        lock = f"{f['to_lock']:.1f} s" if f["to_lock"] is not None else "-"
        print(
            f"{n:>5} {name:<9} {f['rps']:>7.0f} {ratio:>7.2f}x {f['p50']:>8.1f} {f['p99']:>8.1f} "
            f"{total:>9} ({f['checked']:>5}) {f['during']:>15} ({f['during_checked']:>5}) "
            f"{f['guesses_per_s']:>9.1f} {f['locked']:>6} ({f['limited']:>5}) {lock:>11} {f['attempt_ms']:>10.0f}"
            + (f"  ({f['other']} other)" if f["other"] else "")
        )
        if f["checked_before_lock"] is not None:
            print(f"{'':>15}guesses checked before the first 429: {f['checked_before_lock']}")
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def pace(rate: float) -> str:
    return f"guessing {rate:g}/s each" if rate else "guessing flat out"


def main_nginx(args):
    env = environment(args, axes=True, proxies=1)
    prepare(args, env)
    prefix = ROOT / "bench" / "out" / "nginx-login"
    rows = []
    with (
        Gunicorn("production", PY, WSGI_APPLICATION, ROOT, env, args.port) as app,
        Nginx(prefix, args.port + 1, f"127.0.0.1:{app.port}", ROOT / "bench" / "out") as proxy,
    ):
        print(f"nginx: {proxy.config} (from deploy/nginx.conf.template)", flush=True)
        for port in (proxy.port, app.port):
            urllib.request.urlopen(f"http://127.0.0.1:{port}{PAGE}").read()  # cached now
        for n in range(1, args.rounds + 1):
            for name, port, rates in (
                ("nginx", proxy.port, (args.guess_rate, 0.0)),
                ("no nginx", app.port, (args.guess_rate,)),
            ):
                for rate in rates:
                    # The baseline right before and right after: the machine is shared.
                    manage(env, "axes_reset")
                    before = phase(port, args.readers, args.seconds, 0)
                    manage(env, "axes_reset")
                    cpu = proxy.cpu_seconds()
                    guessing = phase(
                        port,
                        args.readers,
                        args.seconds,
                        args.attackers,
                        until_locked=300,
                        rate=rate,
                    )
                    guessing["nginx_cpu"] = (proxy.cpu_seconds() - cpu) / guessing["elapsed"]
                    locked_out_right = right_password_status(port)
                    manage(env, "axes_reset")
                    after = phase(port, args.readers, args.seconds, 0)
                    base = {key: (before[key] + after[key]) / 2 for key in ("rps", "p50", "p99")}
                    rows.append((n, name, rate, base, guessing))
                    print(
                        f"round {n}, {name}, {pace(rate)}: {guessing['rps']:.0f} req/s against "
                        f"{before['rps']:.0f} before and {after['rps']:.0f} after; the right "
                        f"password after the lock-out answered {locked_out_right}",
                        flush=True,
                    )
    print()
    print(
        f"cached page {PAGE}, wrk {args.readers} connections, {args.seconds} s a phase; "
        f"{args.attackers} guessing clients (from the first 429 on); gunicorn 2 sync workers, "
        f"LOGIN_POST_RATE {args.rate}/min, axes on; nginx: deploy/nginx.conf.template"
    )
    print(
        f"{'round':>5} {'path':<9} {'phase':<20} {'req/s':>7} {'vs base':>8} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'guesses':>8} {'guesses/s':>9} {'checked':>8} {'by nginx':>9} "
        f"{'by site':>8} {'other':>6} {'to 1st 429':>10} {'guessers CPU':>12} {'nginx CPU':>9}"
    )
    ratios: dict[str, list[float]] = {}
    for n, name, rate, base, f in rows:
        ratio = f["rps"] / base["rps"] if base["rps"] else 0.0
        ratios.setdefault(f"{name}, {pace(rate)}", []).append(ratio)
        print(
            f"{n:>5} {name:<9} {'baseline (mean)':<20} {base['rps']:>7.0f} {1:>7.2f}x "
            f"{base['p50']:>8.1f} {base['p99']:>8.1f}"
        )
        total = f["checked"] + f["locked"] + f["other"]
        lock = f"{f['to_lock']:.1f} s" if f["to_lock"] is not None else "-"
        print(
            f"{n:>5} {name:<9} {pace(rate):<20} {f['rps']:>7.0f} {ratio:>7.2f}x "
            f"{f['p50']:>8.1f} {f['p99']:>8.1f} {total:>8} {f['guesses_per_s']:>9.1f} "
            f"{f['checked']:>8} {f['by_nginx']:>9} {f['locked'] - f['by_nginx']:>8} "
            f"{f['other']:>6} {lock:>10} {f['attackers_cpu']:>11.0%} "
            f"{f['nginx_cpu'] if name == 'nginx' else 0:>8.0%}"
        )
    for name, values in ratios.items():
        print(
            f"readers while {args.attackers} clients guess, {name}: "
            + ", ".join(f"{v:.0%}" for v in values)
            + " of the baseline"
        )
    print(
        "baseline: the mean of the readers alone right before and right after the phase; "
        "guessers CPU, nginx CPU: the guessing clients' (this process) and nginx's CPU time "
        "over the phase, in cores (of 2: what the clients burn is taken from the server)"
    )
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
