"""E-paper benchmark: CPU seconds to render a printed A3 page for the web and to find its
article regions, and the regions' quality against measured truth on every fixture.

    python bench/epaper_regions.py [--runs 5]

CPU time (``time.process_time``: this process, all threads) rather than wall time, because the
machine is shared and a busy neighbour stretches wall time but not our CPU seconds. Each figure
is the median of ``--runs`` runs on the A3 page 1 of issue 118 (841 × 1191 pt, 2,919 characters,
one 900 × 600 photo):

* renditions: PDFium rasterises the page at 2400 px, then WebP at 2400, 1600 and 800 px plus a
  240 px thumbnail (``epaper.render.render_page``); target ≤ 1.5 s;
* text: reading the text layer and image list (``PagePdf.text`` and ``images``);
* regions: aligning the issue text with the page text and building the rectangles
  (``find_regions``) from the text already read; target ≤ 0.3 s;
* validate: the upload checks (``validate_pdf``), for the record.

Then the IoU table: for each fixture (118 and the generated layouts in tests/epaper/fixtures/),
the median and minimum IoU of its article parts' regions against the truth boxes (targets:
median ≥ 0.95, every part ≥ 0.85), and how its photos were paired; then the same with the
PDF's lines scrambled and with typos in the issue text.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backissues.epaper_evaluate import score_bundle  # noqa: E402
from backissues.epaper_inputs import page_inputs, parse_issue  # noqa: E402
from epaper.pdf import PagePdf, validate_pdf  # noqa: E402
from epaper.regions import find_regions  # noqa: E402
from epaper.render import render_page  # noqa: E402
from tests.epaper.paths import BUNDLE_118, PAGE_118, bundles  # noqa: E402


def cpu_seconds(function, runs: int) -> tuple[float, object]:
    """The median CPU seconds of ``runs`` calls, and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.process_time()
        result = function()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def timings(runs: int) -> None:
    data = PAGE_118.read_bytes()
    page = page_inputs(parse_issue((BUNDLE_118 / "118.md").read_text(encoding="utf-8")))[1]

    def renditions():
        with PagePdf(data) as pdf:
            return render_page(pdf, 0)

    def text_and_images():
        with PagePdf(data) as pdf:
            return pdf.text(0), pdf.images(0)

    render_time, made = cpu_seconds(renditions, runs)
    text_time, (text, images) = cpu_seconds(text_and_images, runs)
    regions_time, _ = cpu_seconds(
        lambda: find_regions(text, page.parts, page.captions, images), runs
    )
    validate_time, _ = cpu_seconds(lambda: validate_pdf(data), runs)

    print(f"page: {PAGE_118.name} of {BUNDLE_118.name}")
    print(f"median CPU seconds of {runs} runs")
    print(f"  renditions (2400, 1600, 800 + 240 thumbnail) {render_time:6.3f}  (target <= 1.5)")
    print(f"  text layer and images                        {text_time:6.3f}")
    print(f"  regions (find_regions)                       {regions_time:6.3f}  (target <= 0.3)")
    print(f"  text + regions                               {text_time + regions_time:6.3f}")
    print(f"  upload checks (validate_pdf)                 {validate_time:6.3f}")
    print("renditions:")
    for rendition in made:
        size = len(rendition.data) / 1024
        print(f"  {rendition.kind:9} {rendition.width:5} x {rendition.height:5}  {size:7.1f} KB")


def quality() -> None:
    print()
    print("| fixture | pages | parts | median IoU | min IoU | photos paired (image IoU) |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, folder, truth in bundles():
        score = score_bundle(folder, truth)
        photos = ", ".join(f"{photo.image_iou:.3f}" for photo in score.photos) or "none"
        print(
            f"| {name} | {len(score.regions)} | {len(score.parts)} | {score.median:.4f} "
            f"| {score.minimum:.4f} | {photos} |"
        )


def robustness() -> None:
    """The same fixtures with the PDF's lines scrambled, and with typos and a missing sentence
    in the issue text (seed 0, as in tests/epaper/test_regions_robust.py)."""
    print()
    print("| fixture | lines scrambled: median / min | typos, sentence missing: median / min |")
    print("| --- | ---: | ---: |")
    for name, folder, truth in bundles():
        scrambled = score_bundle(folder, truth, scramble=0)
        edited = score_bundle(folder, truth, typos=0)
        print(
            f"| {name} | {scrambled.median:.3f} / {scrambled.minimum:.3f} "
            f"| {edited.median:.3f} / {edited.minimum:.3f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    timings(args.runs)
    quality()
    robustness()


if __name__ == "__main__":
    main()
