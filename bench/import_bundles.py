"""Benchmark: import e-paper bundles (issue text + 4 page PDFs each) with ``import_issues``.

    python bench/import_bundles.py [--issues 100] [--pages 4]

Writes N synthetic bundles into a temporary folder from ``tests/fixtures/epaper-118``: issue
118's text with its own number and date, its five articles repeated on 第1版 to 第N版 (without their jump line), and
``pages/<n>.pdf`` the fixture's A3 page with a comment naming the issue and page after its
``%%EOF``, so every page file has its own bytes and is validated, rendered (2400/1600/800 px
WebP and a thumbnail), read for its text layer and regions, and has its photo extracted.

Then, each in a child process of its own (peak RSS is the child's alone), into a fresh SQLite
database and media folder:

* **baseline**: the same N issue texts without their ``pages/`` folders (text import only);
* **bundles**: the N bundles;
* **again**: the N bundles once more, which must be ``unchanged`` and render nothing.

Prints issues/s (wall and CPU of the child) and peak RSS against the baseline. Target (issue
13): peak RSS <= 500 MB for 100 bundles of 4 PDF pages.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURE = ROOT / "tests" / "fixtures" / "epaper-118"
TARGET_RSS_MB = 500
FIRST_NUMBER = 1000
FIRST_DATE = datetime.date(2001, 1, 4)


def write_bundles(folder: Path, issues: int, pages: int, with_pages: bool) -> None:
    text = (FIXTURE / "118.md").read_text("utf-8")
    head = re.split(r"(?m)^(?=## )", text, maxsplit=1)[0]
    body = text[len(head) :]
    # The copies on later pages keep no jump line (下转3版 on page 3 would point backwards).
    copy = re.sub(r"[(（]下转\d+版[)）]", "", body)
    source = (FIXTURE / "pages" / "1.pdf").read_bytes()
    for index in range(issues):
        number = FIRST_NUMBER + index
        date = FIRST_DATE + datetime.timedelta(days=7 * index)
        weekday = "一二三四五六日"[date.weekday()]
        masthead = re.sub(
            r"\d{4}年\d{1,2}月\d{1,2}日 星期. \| 第\d+期 总第\d+期",
            f"{date.year}年{date.month}月{date.day}日 星期{weekday} | 第{index % 50 + 1}期 "
            f"总第{number}期",
            head,
        )
        parts = [masthead, body]
        for page in range(2, pages + 1):
            parts.append(f"\n\n第{page}版\n\n{copy}")
        bundle = folder / str(number)
        bundle.mkdir(parents=True)
        (bundle / f"{number}.md").write_text("".join(parts), "utf-8")
        if not with_pages:
            continue
        (bundle / "pages").mkdir()
        for page in range(1, pages + 1):
            # A comment after %%EOF: other bytes (so the page is rendered), the same PDF.
            marker = f"\n% bench issue {number} page {page}\n".encode()
            (bundle / "pages" / f"{page}.pdf").write_bytes(source + marker)


def child(folder: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from issues.models import Issue, Page

    started = time.perf_counter()
    out = io.StringIO()
    call_command(
        "import_issues", folder, verbosity=1, prerender=False, stdout=out, stderr=sys.stderr
    )
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": usage.ru_utime + usage.ru_stime,
                "rss": usage.ru_maxrss / 1024,
                "issues": Issue.objects.count(),
                "pages_with_images": Page.objects.exclude(renditions={}).count(),
                "summary": out.getvalue().strip().splitlines()[-1:],
            }
        )
    )


def run_child(folder: Path, env: dict) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(folder)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        sys.exit(f"child failed:\n{output.stdout[-2000:]}\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def fresh_site(directory: Path, name: str) -> dict:
    site = directory / f"site-{name}"
    site.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=f"sqlite:///{site / 'db.sqlite3'}",
        MEDIA_ROOT=str(site / "media"),
        CACHE_URL="locmemcache://",
        TASKS_BACKEND="immediate",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True
    )
    return env


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=100)
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="newsroom-bundles-") as name:
        directory = Path(name)
        started = time.perf_counter()
        write_bundles(directory / "texts", args.issues, args.pages, with_pages=False)
        write_bundles(directory / "bundles", args.issues, args.pages, with_pages=True)
        size = sum(p.stat().st_size for p in (directory / "bundles").rglob("*.pdf"))
        print(
            f"{args.issues} bundles of {args.pages} PDF pages ({size / 1e6:.0f} MB of PDF) "
            f"written in {time.perf_counter() - started:.0f} s; load {load()}",
            flush=True,
        )
        rows = []
        env = fresh_site(directory, "baseline")
        rows.append(("baseline: texts only", run_child(directory / "texts", env), load()))
        print(rows[-1], flush=True)
        env = fresh_site(directory, "bundles")
        rows.append(("bundles", run_child(directory / "bundles", env), load()))
        print(rows[-1], flush=True)
        rows.append(("bundles again (unchanged)", run_child(directory / "bundles", env), load()))
        print(rows[-1], flush=True)
        shutil.rmtree(directory / "bundles", ignore_errors=True)
    print(
        f"\nmachine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.machine()}; {args.issues} issues x {args.pages} pages\n"
    )
    print("| run | wall s | CPU s | issues/s (wall) | issues/s (CPU) | peak RSS MB | load after |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for title, row, after in rows:
        print(
            f"| {title} | {row['seconds']:.1f} | {row['cpu']:.1f} | "
            f"{args.issues / row['seconds']:.2f} | {args.issues / row['cpu']:.2f} | "
            f"{row['rss']:.0f} | {after} |"
        )
    for title, row, _after in rows:
        print(f"{title}: {row['summary']}, pages with images {row['pages_with_images']}")
    bundles = rows[1][1]
    if bundles["issues"] != args.issues or bundles["pages_with_images"] != args.issues * args.pages:
        sys.exit("the bundles did not all import with their page images")
    verdict = "met" if bundles["rss"] <= TARGET_RSS_MB else "MISSED"
    print(f"\ntarget: peak RSS <= {TARGET_RSS_MB} MB: {verdict} ({bundles['rss']:.0f} MB)")


if __name__ == "__main__":
    main()
