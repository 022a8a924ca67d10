"""Photo benchmark: renditions of 12 MP phone photos, against a naive resize in the same run.

    python bench/photos.py [--photos 50] [--seed 12] [--baseline 50]

Makes (once; reused while the files exist) `--photos` synthetic phone photos in
bench/out/photos/: 4032×3024 JPEG at quality 90 with 4:2:0 chroma, as phones write them, with
the EXIF a phone writes (make and model, date, orientation 1 or 6 for portraits, GPS, artist)
and a Display P3 ICC profile like an iPhone's. The pictures are built to compress like real
photos: noise at five scales with a 1/f spectrum (sky, walls, foliage, gravel and sensor
grain), coloured by slow chroma fields, under a light gradient, with hard-edged shapes
(buildings, signs, people).

Then, for every photo, and in turns so that load from other work hits both alike:
- `imaging.verify_image` (the upload check: a full decode);
- `imaging.make_renditions` with its defaults (480, 720, 1100, 1600 × WebP, JPEG);
- for the first `--baseline` photos, the naive way: open, full decode, `exif_transpose`, and
  for each width a Lanczos resize of the full image and the same two encoders and settings
  (it does not convert colours to sRGB, so it does a little less than the engine);
- for the first `--variants` photos, the engine with WebP method 2 instead of 4, to show what
  that setting costs and saves.
CPU is the process's (user + system), wall is elapsed time. Sizes are the files a phone
downloads: a 390-px-wide phone (the photo 358 px wide) picks the 480 rendition at DPR 1, the
720 one at DPR 2, and at DPR 3 (1074 device px) the first one at least that wide: Chromium
takes the first candidate at least as dense as the screen (checked at 390 px, DPR 3).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageOps, features

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from imaging import renditions, validate  # noqa: E402

OUT = ROOT / "bench" / "out" / "photos"
SIZE = (4032, 3024)
QUALITY = 90
PORTRAIT_SHARE = 0.3
# Display P3 colorants adapted to D50 (as in Apple's profile), with a 2.2 gamma.
P3_RED = (0.5151, 0.2412, -0.0011)
P3_GREEN = (0.2920, 0.6922, 0.0419)
P3_BLUE = (0.1571, 0.0666, 0.7841)


# --- synthetic photos --------------------------------------------------------------------------


def noise(rng: random.Random, size: tuple[int, int], divisor: int) -> Image.Image:
    """Uniform noise drawn at 1/divisor of the size and enlarged smoothly: blobs of about
    `divisor` pixels."""
    width, height = size
    small = (max(2, width // divisor), max(2, height // divisor))
    img = Image.frombytes("L", small, rng.randbytes(small[0] * small[1]))
    return img if small == size else img.resize(size, Image.Resampling.BICUBIC)


def octaves(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """Noise at five scales, each with less contrast than the coarser one (a 1/f spectrum,
    as natural images have)."""
    acc = noise(rng, size, 512)
    weight = 1.0
    for divisor, amplitude in ((128, 0.55), (32, 0.3), (8, 0.16), (2, 0.08)):
        weight += amplitude
        acc = Image.blend(acc, noise(rng, size, divisor), amplitude / weight)
    return ImageOps.autocontrast(acc, cutoff=1)


def shapes(rng: random.Random, img: Image.Image) -> None:
    """Hard edges: walls, signs, poles and people-sized blobs, and hundreds of small ones."""
    draw = ImageDraw.Draw(img, "RGBA")
    width, height = img.size
    for _ in range(rng.randint(25, 60)):
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), rng.randint(90, 230))
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randint(20, width // 4), rng.randint(20, height // 3)
        kind = rng.random()
        if kind < 0.45:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
        elif kind < 0.75:
            draw.ellipse((x, y, x + w, y + h), fill=colour)
        elif kind < 0.9:
            points = [(x + rng.randint(-w, w), y + rng.randint(-h, h)) for _ in range(5)]
            draw.polygon(points, fill=colour)
        else:
            draw.line((x, y, x + w, y + h), fill=colour, width=rng.randint(3, 25))
    for _ in range(rng.randint(300, 600)):  # small detail: windows, leaves, faces, text
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256), rng.randint(60, 255))
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randint(4, 60), rng.randint(4, 60)
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
        else:
            draw.ellipse((x, y, x + w, y + h), fill=colour)


def synthetic_photo(rng: random.Random) -> Image.Image:
    luma = octaves(rng, SIZE)
    warm, cool = noise(rng, SIZE, 256), noise(rng, SIZE, 256)
    sky = Image.linear_gradient("L").resize(SIZE).point(lambda v: 255 - v)
    red = Image.blend(Image.blend(luma, warm, 0.35), sky, 0.15)
    green = Image.blend(luma, sky, 0.2)
    blue = Image.blend(Image.blend(luma, cool, 0.35), sky, 0.3)
    img = Image.merge("RGB", (red, green, blue))
    shapes(rng, img)
    grain = Image.merge("RGB", [noise(rng, SIZE, 1).point(lambda v: 122 + v // 20) for _ in "RGB"])
    return ImageChops.add(img, grain, 1.0, -128)


def phone_exif(rng: random.Random, index: int, portrait: bool) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 15 Pro"
    exif[0x0112] = 6 if portrait else 1
    exif[0x0132] = f"2026:11:{1 + index % 28:02d} 09:{index % 60:02d}:00"
    exif[0x013B] = "李书翔".encode()
    exif[0x010E] = "罗塘街道新桥社区".encode()
    exif.get_ifd(0x8825).update(
        {
            1: "N",
            2: (32.0, 30.0, round(rng.uniform(0, 59), 2)),
            3: "E",
            4: (120.0, 8.0, round(rng.uniform(0, 59), 2)),
            5: 0,
            6: round(rng.uniform(2, 30), 1),
        }
    )
    return exif


def p3_profile() -> bytes:
    from tests.imaging.samples import rgb_icc_profile

    return rgb_icc_profile("Display P3", P3_RED, P3_GREEN, P3_BLUE)


def make_photos(count: int, seed: int) -> list[Path]:
    """The photos of this seed, made only if missing."""
    folder = OUT / f"seed-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"IMG_{index:04d}.jpg" for index in range(count)]
    missing = [p for p in paths if not p.exists()]
    if missing:
        print(f"making {len(missing)} photos of {SIZE[0]}×{SIZE[1]} in {folder} …", flush=True)
    icc = p3_profile()
    for index, path in enumerate(paths):
        if path.exists():
            continue
        rng = random.Random(seed * 100_003 + index)
        portrait = rng.random() < PORTRAIT_SHARE
        img = synthetic_photo(rng)
        exif = phone_exif(rng, index, portrait)
        tmp = path.with_suffix(".part")
        img.save(tmp, "JPEG", quality=QUALITY, subsampling="4:2:0", exif=exif, icc_profile=icc)
        tmp.rename(path)
    return paths


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Timing:
    cpu: float
    wall: float


def timed(function, *args) -> tuple[Timing, object]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = function(*args)
    return Timing(time.process_time() - cpu, time.perf_counter() - wall), result


def naive_renditions(data: bytes) -> list[tuple[int, str, int]]:
    """What a first version would do: decode everything, then resize the full image to each
    width; same widths, formats and encoder settings as the engine."""
    img = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    made = []
    for width in renditions.plan_widths(img.width):
        height = round(width * img.height / img.width)
        small = img.resize((width, height), Image.Resampling.LANCZOS)
        for fmt in renditions.DEFAULT_FORMATS:
            made.append((width, fmt, len(renditions.encode(small, fmt))))
    return made


def stage_times(data: bytes) -> dict[str, float]:
    """CPU seconds of make_renditions' parts: decoding, turning, colours and resizing, then
    each encoder over all widths."""
    timing, images = timed(renditions.resized, data)
    result = {"decode, normalise, resize": timing.cpu}
    for fmt in renditions.DEFAULT_FORMATS:
        result[f"encode {fmt} (all widths)"] = sum(
            timed(renditions.encode, img, fmt)[0].cpu for img in images
        )
    return result


@contextmanager
def webp_method(method: int):
    """Encode WebP with another `method` (0 fastest … 6 smallest) for the `with` block."""
    saved = renditions.OUTPUT_FORMATS["webp"]
    options = {**saved.options, "method": method}
    renditions.OUTPUT_FORMATS["webp"] = dataclasses.replace(saved, options=options)
    try:
        yield
    finally:
        renditions.OUTPUT_FORMATS["webp"] = saved


def stats(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(values):.3f}  mean {statistics.fmean(values):.3f}  "
        f"p95 {p95:.3f}  max {max(values):.3f}"
    )


def machine() -> str:
    model = ""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = next(
            (line.split(":", 1)[1].strip() for line in lscpu.splitlines() if "Model name" in line),
            "",
        )
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({model or platform.processor() or 'unknown CPU'}), "
        f"Python {platform.python_version()}, Pillow {Image.__version__} "
        f"(libjpeg-turbo {features.version('libjpeg_turbo')}, libwebp {features.version('webp')})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=50)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--baseline", type=int, default=50, help="photos also done naively")
    parser.add_argument(
        "--variants", type=int, default=10, help="photos also done with WebP method 2"
    )
    args = parser.parse_args()

    paths = make_photos(args.photos, args.seed)
    print(machine())
    print(f"load average at start: {os.getloadavg()[0]:.2f}", flush=True)

    # Warm up the codecs and the ICC transform cache outside the measurements.
    warm = paths[0].read_bytes()
    renditions.make_renditions(warm)

    verify, engine, naive, method2, stages = [], [], [], [], []
    originals, served, portrait, method2_bytes, largest_widths = [], {}, [], [], []
    for index, path in enumerate(paths):
        data = path.read_bytes()
        originals.append(len(data))
        with Image.open(io.BytesIO(data)) as img:
            portrait.append(renditions.displayed_size(img)[0] < img.width)
        verify.append(timed(validate.verify_image, io.BytesIO(data))[0])
        timing, made = timed(renditions.make_renditions, data)
        engine.append(timing)
        largest = max(rendition.width for rendition in made)
        largest_widths.append(largest)
        for rendition in made:
            label = "largest" if rendition.width == largest else str(rendition.width)
            served.setdefault((label, rendition.format), []).append(
                (len(rendition.data), len(data))
            )
        if index < args.baseline:
            naive.append(timed(naive_renditions, data)[0])
        if index < args.variants:
            stages.append(stage_times(data))
            with webp_method(2):
                timing, made = timed(renditions.make_renditions, data)
            method2.append(timing)
            method2_bytes.append({r.width: len(r.data) for r in made if r.format == "webp"})

    mb = [size / 1e6 for size in originals]
    print(f"\n{len(paths)} photos, originals {stats(mb)} MB")
    print(f"load average at end: {os.getloadavg()[0]:.2f}\n")
    print("seconds per photo:")
    print(f"  verify_image (full decode)      CPU  {stats([t.cpu for t in verify])}")
    print(f"  make_renditions (4 widths × 2)  CPU  {stats([t.cpu for t in engine])}")
    print(f"                                  wall {stats([t.wall for t in engine])}")
    for label, wanted in (("landscape", False), ("portrait", True)):
        cpu = [t.cpu for t, turned in zip(engine, portrait, strict=True) if turned == wanted]
        if cpu:
            print(f"    {len(cpu):>2} {label:<27} CPU  {stats(cpu)}")
    if naive:
        print(f"  naive, {len(naive)} photos                CPU  {stats([t.cpu for t in naive])}")
        print(f"                                  wall {stats([t.wall for t in naive])}")
        speedup = statistics.median(t.wall for t in naive) / statistics.median(
            t.wall for t in engine[: len(naive)]
        )
        print(f"  engine vs naive: {speedup:.1f}× faster (median wall, same photos)")

    if stages:
        print(f"  where the CPU goes, {len(stages)} photos (medians):")
        for stage in stages[0]:
            print(f"    {stage:<34} {statistics.median(s[stage] for s in stages):.3f}")
    if method2:
        same = engine[: len(method2)]
        print(
            f"  WebP method 2 instead of 4, {len(method2)} photos: CPU median "
            f"{statistics.median(t.cpu for t in method2):.3f} "
            f"(method 4 on the same photos {statistics.median(t.cpu for t in same):.3f})"
        )
        for width in (480, 720, 1100):
            ratios = [
                sizes[width] / served[(str(width), "webp")][i][0]
                for i, sizes in enumerate(method2_bytes)
                if width in sizes
            ]
            if ratios:
                print(f"    {width} webp bytes: {100 * (statistics.median(ratios) - 1):+.1f} %")

    print("\nbytes served, as % of the original (kB in brackets):")
    for label in ("480", "720", "1100", "largest"):
        for fmt in renditions.DEFAULT_FORMATS:
            pairs = served.get((label, fmt), [])
            if not pairs:
                continue
            percent = [100 * size / original for size, original in pairs]
            kilobytes = statistics.median(size for size, _ in pairs) / 1000
            print(f"  {label:>7} {fmt:<4}  {stats(percent)}  (median {kilobytes:.0f} kB)")
    print(f"  largest widths made: {sorted(set(largest_widths))}")


if __name__ == "__main__":
    main()
