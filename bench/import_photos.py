"""Benchmark: import back issues with their pictures, against the same issues without them.

    python bench/import_photos.py [--issues 100] [--photos 5] [--large 1] [--seed 0]
                                  [--database-url URL] [--before REF] [--renditions-only]

Writes two archives of the same synthetic issues (bench/synth.py), each issue with exactly
`--photos` captioned photos: one as plain text (caption-only photos, the baseline), one with an
`![](photos/…)` line before every caption and the picture beside the text. Of each issue's
pictures, `--large` are 12 MP phone photos (4032×3024, ~2.3 MB, EXIF and a Display P3 profile:
bench/photos.py's, made once in bench/out/photos/) and the rest 2 MP (1632×1224, ~0.4 MB, the
size of a picture taken from a page PDF or a newsroom camera's web export). Every picture is a
distinct file (a pool of photos, each copy given its own JPEG comment), so nothing is rendered
from the content-hashed cache.

Then, each in its own child process (so that peak memory is the child's alone), into a fresh
database made by copying one migrated SQLite file (or `--database-url`, emptied first) and a
fresh media folder:

* `import_issues` of the text-only archive (baseline);
* `import_issues` of the archive with pictures;
* `import_issues` of the same archive again: `unchanged`, nothing decoded or rendered.

and, in the parent, the rendition CPU per 12 MP photo (`make_renditions` on each photo of the
pool) and per 2 MP photo, in turns with two baselines on the same pictures: today's code with
the three widths it had before 720 was added (480, 960, 1600), and `imaging/renditions.py` as
it was at git `--before` (loaded from git). `--renditions-only` measures only that (a minute,
not half an hour). Prints issues/s, CPU seconds (user + system of the child) and their
difference per photo, and peak RSS.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SMALL = (1632, 1224)
POOL = 4  # distinct pictures of each size; every use gets its own bytes


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- pictures


def pool(seed: int) -> tuple[list[bytes], list[bytes]]:
    """The 12 MP photos (bench/photos.py's, made once) and 2 MP copies of them."""
    from bench.photos import make_photos

    large = [path.read_bytes() for path in make_photos(POOL, seed)]
    small = []
    from PIL import Image

    for data in large:
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            exif = image.getexif()
            image.convert("RGB").resize(SMALL, Image.Resampling.LANCZOS).save(
                out, "JPEG", quality=88, exif=exif, icc_profile=image.info.get("icc_profile")
            )
        small.append(out.getvalue())
    return large, small


def unique(data: bytes, tag: str) -> bytes:
    """The same JPEG with a comment (COM segment) of its own: other bytes, same picture."""
    comment = tag.encode()
    return data[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + data[2:]


# --------------------------------------------------------------------------- archives


def write_archives(root: Path, count: int, photos: int, large: int, seed: int, pictures):
    """Two folders of the same issues: text only, and with pictures. Returns the two file
    listings and the number of bytes of pictures."""
    from backissues.textformat import render
    from bench.synth import _Writer, generate_issue

    big, small = pictures
    plain, illustrated = root / "plain", root / "illustrated"
    (illustrated / "photos").mkdir(parents=True)
    plain.mkdir()
    rng = random.Random(seed)
    plain_files, illustrated_files, picture_bytes = [], [], 0
    for n in range(1, count + 1):
        data = generate_issue(n, rng)
        writer = _Writer(rng, data.date)
        for page in data.pages:
            page.photos.clear()
            for article in page.articles:
                article.photos.clear()
        for index in range(photos):
            page = data.pages[index % len(data.pages)]
            target = page.photos if index % 2 else page.articles[index % 5].photos
            target.append(writer.photo())
        plain_path = plain / f"{n:05d}.md"
        plain_path.write_text(render(data), encoding="utf-8")
        plain_files.append(str(plain_path))
        index = 0
        for page in data.pages:
            for photo in [*page.photos, *(p for a in page.articles for p in a.photos)]:
                source = big if index < large else small
                picture = unique(source[(n + index) % len(source)], f"{n}-{index}")
                photo.image = f"photos/{n}-{index + 1}.jpg"
                (illustrated / photo.image).write_bytes(picture)
                picture_bytes += len(picture)
                index += 1
        path = illustrated / f"{n:05d}.md"
        path.write_text(render(data), encoding="utf-8")
        illustrated_files.append(str(path))
    return plain_files, illustrated_files, picture_bytes


# --------------------------------------------------------------------------- children


def child_import(files: list[str]) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.core.management import call_command

    from articles.models import Photo
    from issues.models import Issue

    cpu, started = cpu_seconds(), time.perf_counter()
    call_command("import_issues", *files, verbosity=0, prerender=False)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    rss = peak_rss_mb()
    again_cpu, again_started = cpu_seconds(), time.perf_counter()
    out = io.StringIO()
    call_command("import_issues", *files, verbosity=1, prerender=False, stdout=out)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "rss": rss,
        "issues": Issue.objects.count(),
        "photos": Photo.objects.count(),
        "with_images": Photo.objects.exclude(image="").count(),
        "again_seconds": time.perf_counter() - again_started,
        "again_cpu": cpu_seconds() - again_cpu,
        "again_summary": out.getvalue().strip().splitlines()[-1],
    }


def run_child(listing: Path, env: dict) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(listing)],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        sys.exit(f"child failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def migrate(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        env={**os.environ, **env},
        cwd=ROOT,
        check=True,
    )


def flush(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "flush", "--no-input", "-v0"],
        env={**os.environ, **env},
        cwd=ROOT,
        check=True,
    )


# --------------------------------------------------------------------------- parent


OLD_WIDTHS = (480, 960, 1600)


def module_at(ref: str | None):
    """imaging/renditions.py as it was at git `ref`, as a module of its own; None without
    git or the ref."""
    if not ref:
        return None
    import importlib.util

    try:
        source = subprocess.run(
            ["git", "show", f"{ref}:imaging/renditions.py"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    folder = Path(tempfile.mkdtemp(prefix="renditions-before-"))
    path = folder / "renditions_before.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("renditions_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def rendition_cpu(
    pictures: list[bytes], before_module, rounds: int = 2
) -> dict[str, list[list[float]]]:
    """CPU of `make_renditions` per picture (a list of runs for each), in turns on the same
    pictures: as it is ("now"), with the widths before 720 ("3 widths"), and the code at
    --before ("before")."""
    from imaging import renditions

    runs = {"now": lambda data: renditions.make_renditions(data)}
    runs["3 widths"] = lambda data: renditions.make_renditions(data, widths=OLD_WIDTHS)
    if before_module is not None:
        runs["before"] = lambda data: before_module.make_renditions(data)
    for function in runs.values():  # warm the codecs and the ICC transform cache
        function(pictures[0])
    times: dict[str, list[list[float]]] = {name: [[] for _ in pictures] for name in runs}
    for _round in range(rounds):
        for index, data in enumerate(pictures):
            for name, function in runs.items():
                cpu = cpu_seconds()
                function(data)
                times[name][index].append(cpu_seconds() - cpu)
    return times


def print_rendition_cpu(pictures, before_ref: str | None, rounds: int) -> None:
    from PIL import Image

    from imaging import renditions

    before = module_at(before_ref)
    for label, pool_part in (("12 MP", pictures[0]), ("2 MP", pictures[1])):
        times = rendition_cpu(pool_part, before, rounds)
        portrait = []
        for data in pool_part:
            with Image.open(io.BytesIO(data)) as image:
                width, height = renditions.displayed_size(image)
                portrait.append(height > width)
        print(f"make_renditions CPU per {label} photo ({rounds} rounds), load {loadavg()}:")
        for name, per_picture in times.items():
            made = {
                "now": renditions.make_renditions,
                "3 widths": lambda data: renditions.make_renditions(data, widths=OLD_WIDTHS),
                "before": before.make_renditions if before else None,
            }[name]
            for shape in (False, True):
                values = [
                    value
                    for runs, turned in zip(per_picture, portrait, strict=True)
                    if turned == shape
                    for value in runs
                ]
                if not values:
                    continue
                picture = pool_part[portrait.index(shape)]
                widths = sorted({r.width for r in made(picture)})
                what = {"now": "now", "3 widths": "today's code", "before": before_ref}[name]
                print(
                    f"  {what:<13} {'portrait' if shape else 'landscape':<9} {str(widths):<26} "
                    f"median {statistics.median(values):.3f} s "
                    f"(min {min(values):.3f}, max {max(values):.3f}, {len(values)} runs)"
                )
            everything = [value for runs in per_picture for value in runs]
            print(
                f"  {what:<13} all {len(everything)} runs: median {statistics.median(everything):.3f} s"
            )


def loadavg() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=100)
    parser.add_argument("--photos", type=int, default=5, help="pictures per issue")
    parser.add_argument("--large", type=int, default=1, help="of which 12 MP (the rest 2 MP)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--photo-seed", type=int, default=12, help="bench/photos.py's seed")
    parser.add_argument(
        "--database-url", help="a database to empty and use (default: fresh SQLite files)"
    )
    parser.add_argument(
        "--before", default="388a41f", help="git ref of the rendition code to compare with"
    )
    parser.add_argument("--rounds", type=int, default=3, help="rendition CPU: rounds per photo")
    parser.add_argument(
        "--renditions-only", action="store_true", help="measure the rendition CPU only"
    )
    parser.add_argument("--child", metavar="LISTING", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        files = Path(args.child).read_text().split("\n")
        print(json.dumps(child_import(files)))
        return

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    print(f"load average at the start: {loadavg()}", flush=True)
    pictures = pool(args.photo_seed)
    if args.renditions_only:
        print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}")
        print_rendition_cpu(pictures, args.before, args.rounds)
        print(f"load at the end {loadavg()}; target: 0.5 s CPU per 12 MP photo")
        return
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-photos-") as directory:
        root = Path(directory)
        started = time.perf_counter()
        plain, illustrated, picture_bytes = write_archives(
            root, args.issues, args.photos, args.large, args.seed, pictures
        )
        print(
            f"archives: {args.issues} issues × {args.photos} photos ({args.large} of 12 MP), "
            f"{picture_bytes / 1e6:.0f} MB of pictures, written in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        base_env = {"DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "on")}
        template = root / "migrated.sqlite3"
        if not args.database_url:
            migrate({**base_env, "DATABASE_URL": f"sqlite:///{template}"})
        else:
            migrate({**base_env, "DATABASE_URL": args.database_url})

        rows = {}
        for name, files in (("without pictures", plain), ("with pictures", illustrated)):
            listing = root / f"{name}.txt"
            listing.write_text("\n".join(files))
            media = root / f"media-{len(rows)}"
            env = {**base_env, "MEDIA_ROOT": str(media)}
            if args.database_url:
                env["DATABASE_URL"] = args.database_url
                flush(env)
            else:
                database = root / f"db-{len(rows)}.sqlite3"
                shutil.copy(template, database)
                env["DATABASE_URL"] = f"sqlite:///{database}"
            before = loadavg()
            rows[name] = run_child(listing, env)
            rows[name]["load"] = f"{before} → {loadavg()}"
            print(f"{name}: done, load {rows[name]['load']}", flush=True)

    count = args.issues
    photos = count * args.photos
    print(
        f"\nmachine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{count} issues, {photos} pictures, seed {args.seed}, load at the end {loadavg()}\n"
    )
    header = (
        f"{'import':<18} {'seconds':>8} {'issues/s':>9} {'CPU s':>7} {'peak RSS MB':>12} "
        f"{'again (unchanged) s':>20}"
    )
    print(header)
    print("-" * len(header))
    for name, row in rows.items():
        print(
            f"{name:<18} {row['seconds']:>8.1f} {count / row['seconds']:>9.2f} "
            f"{row['cpu']:>7.1f} {row['rss']:>12.0f} {row['again_seconds']:>20.1f}"
        )
        if row["issues"] != count:
            sys.exit(f"{name}: {row['issues']} issues imported, expected {count}")
    with_pictures = rows["with pictures"]
    if with_pictures["with_images"] != photos:
        sys.exit(f"{with_pictures['with_images']} photos with an image, expected {photos}")
    extra_cpu = with_pictures["cpu"] - rows["without pictures"]["cpu"]
    print(
        f"\npictures cost {extra_cpu:.1f} s CPU for {photos} photos: "
        f"{extra_cpu / photos:.3f} s CPU per photo (check, store, render), "
        f"{(with_pictures['seconds'] - rows['without pictures']['seconds']) / photos:.3f} s "
        "wall per photo"
    )
    print(f"re-import of the archive with pictures: {with_pictures['again_summary']}")
    print_rendition_cpu(pictures, args.before, args.rounds)
    print("target: 0.5 s CPU per 12 MP photo")


if __name__ == "__main__":
    main()
