"""Lighthouse (mobile) on the reader's pages: issue, page (the printed page), article, archive
and person, each run several times, medians printed.

    python bench/lighthouse.py [--runs 3] [--issues 100] [--pages issue page article archive person]

Builds bench/out/lighthouse-site/ afresh: a SQLite database holding the e-paper bundle of issue
118 (tests/fixtures/epaper-118: text, page 1 as PDF and its renditions) and --issues synthetic
back issues (bench/synth.py) for the archive to list, collected static files and media; then
serves it with gunicorn (2 workers, DEBUG off, WhiteNoise, Redis page cache as in production)
and runs npm lighthouse (bench/serve.py's version, Debian's Chromium). Each page
is fetched once before Lighthouse so that the page cache is warm, as a reader finds it.

Lighthouse's performance score is computed from a trace taken under its own 4x CPU throttle,
so it is sensitive to other work on the machine: the load average is printed beside each run.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import serve  # noqa: E402 -- after the path is set, when run as a script

PORT = 8611
REDIS_DB = 11
SITE = ROOT / "bench" / "out" / "lighthouse-site"
PAGES = {
    "issue": "/jinriluotang/issues/118/",
    "page": "/jinriluotang/issues/118/pages/1/",
    "article": None,  # the first article of page 1, found after the import
    "archive": "/jinriluotang/issues/",
    "person": None,  # the photographer's page, with the photo grid
}


def site_env():
    env = serve.base_env(f"redis://127.0.0.1:6379/{REDIS_DB}")
    env.update(
        DATABASE_URL=f"sqlite:///{SITE / 'db.sqlite3'}",
        STATIC_ROOT=str(SITE / "static"),
        MEDIA_ROOT=str(SITE / "media"),
    )
    return env


def build(env, issues):
    from bench.synth import write_archive

    shutil.rmtree(SITE, ignore_errors=True)
    SITE.mkdir(parents=True)
    python = serve.PY
    serve.run([python, "manage.py", "migrate", "--no-input", "-v0"], env=env)
    serve.run([python, "manage.py", "collectstatic", "--no-input", "-v0"], env=env)
    serve.run(
        [python, "manage.py", "import_issues", "tests/fixtures/epaper-118", "-v0"],
        env=env,
    )
    # An archive to list: issues 总第1期 onwards, weekly, written by bench/synth.py.
    with tempfile.TemporaryDirectory() as folder:
        write_archive(folder, issues, seed=7)
        serve.run([python, "manage.py", "import_issues", folder, "-v0", "--no-prerender"], env=env)
    serve.flush_redis(REDIS_DB)


def find_paths(env, photo):
    """The first article of page 1, given a 12 MP phone photo (bench/photos.py) with its
    renditions and its credit (记者 丁小勇 摄), so that Lighthouse judges a photo's sizing and
    layout shift; and the photographer's page, which shows the photo in its grid."""
    code = (
        "from articles.models import Article, Photo; from people.models import Person;"
        "from articles.photos import attach_image;"
        "a = Article.objects.published().order_by('page__number', 'order').first();"
        "p, _ = Person.objects.get_or_create(name='丁小勇');"
        f"f = open({str(photo)!r}, 'rb');"
        "attach_image(Photo(article=a, caption='罗塘街道召开专题会议。', alt_text='会场',"
        " photographer=p, credit_role='reporter'), f);"
        "print(a.get_absolute_url()); print(p.get_absolute_url())"
    )
    out = subprocess.run(
        [serve.PY, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    # The shell may print its own lines first (Django 5.2 lists what it imported).
    return out[-2], out[-1]


def audit_notes(report):
    """Layout shift and the image-sizing audit, for the article with its photo."""
    audits = report["audits"]
    responsive = audits["uses-responsive-images"]
    return {
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "uses-responsive-images": responsive["score"],
        # What Lighthouse counts as too large, if anything: file, KiB wasted of KiB.
        "oversized": [
            f"{item['url'].rsplit('/', 2)[-1]} {item['wastedBytes'] / 1024:.1f}/"
            f"{item['totalBytes'] / 1024:.1f} KiB"
            for item in (responsive.get("details") or {}).get("items", [])
        ],
        "unsized-images": audits["unsized-images"]["score"],
        # The photos the page downloaded (renditions), with their sizes.
        "photos": [
            f"{item['url'].rsplit('/', 2)[-1]} {item['transferSize'] / 1024:.1f} KiB"
            for item in (audits["network-requests"].get("details") or {}).get("items", [])
            if "/renditions/" in item.get("url", "")
        ],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--issues", type=int, default=100, help="synthetic back issues")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    args = parser.parse_args()
    env = site_env()
    build(env, args.issues)
    from bench.photos import make_photos

    PAGES["article"], PAGES["person"] = find_paths(env, make_photos(1, seed=15)[0])
    results = {}
    with serve.Gunicorn("newsroom", serve.PY, serve.WSGI_APPLICATION, ROOT, env, PORT):
        for name in args.pages:
            path = PAGES[name]
            url = f"http://127.0.0.1:{PORT}{path}"
            with urllib.request.urlopen(url) as response:  # warm the page cache
                response.read()
            runs = []
            for _ in range(args.runs):
                load = serve.load1()
                scores, failing = serve.lighthouse(url)
                report = json.loads((ROOT / "bench/out/lighthouse/report.json").read_text())
                notes = audit_notes(report)
                runs.append({"load": load, "scores": scores, "failing": failing, **notes})
                print(f"{name:8} load {load:5.2f} {scores} {failing} {notes}", flush=True)
            results[name] = {
                "path": path,
                "runs": runs,
                "median": {
                    key: statistics.median(run["scores"][key] for run in runs)
                    for key in runs[0]["scores"]
                },
            }
    print()
    print(f"machine: {json.dumps(serve.machine())}")
    print("| page | performance | accessibility | best practices | SEO | runs (perf) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, result in results.items():
        median = result["median"]
        perf = ", ".join(str(run["scores"]["performance"]) for run in result["runs"])
        print(
            f"| {name} `{result['path']}` | {median['performance']:g} | "
            f"{median['accessibility']:g} | {median['best-practices']:g} | {median['seo']:g} "
            f"| {perf} |"
        )
    (ROOT / "bench" / "out" / "lighthouse.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    main()
