"""Check that the e-paper tests can fail: break one thing at a time, run the tests that guard
it, expect red, restore the file.

    .venv/bin/python tests/epaper/check_mutations.py [NAME ...]

Each mutation is (name, file, text, replacement, tests). It prints RED (good: a test caught
the break) or GREEN (!) (nothing did). "no single-box merge" is expected to stay green: the
whole-box shortcut only saves the pairwise merging steps that reach the same box.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTATIONS = [
    (
        "user space as page space",
        "epaper/pdf.py",
        "        a, d = (x1 - x0) / width, (y1 - y0) / width\n",
        "        a, d = 1 / width, 0\n        x0, y0, x1, y1, x2, y2 = 0, 1, 1, 1, 0, 0\n",
        "tests/epaper/test_page_space.py",
    ),
    (
        "form space bounds",
        "epaper/pdf.py",
        "    container = obj.container\n",
        "    container = None\n",
        "tests/epaper/test_pdf_text.py",
    ),
    (
        "no points",
        "epaper/regions.py",
        "runs = tile(page, [f for f, _ in folded], points=points)",
        "runs = tile(page, [f for f, _ in folded])",
        "tests/epaper/test_regions_robust.py",
    ),
    (
        "no spillover trim",
        "epaper/regions.py",
        "        _trim_spillover(text, owner_of, label_of)\n",
        "",
        "tests/epaper/test_regions_unit.py",
    ),
    (
        "nfkc off",
        "epaper/pdf.py",
        'return unicodedata.normalize("NFKC", text)',
        "return text",
        "tests/epaper/test_pdf_text.py",
    ),
    (
        "no single-box merge",
        "epaper/regions.py",
        "    if _clear(whole, others):\n        return [whole]\n",
        "",
        "tests/epaper/test_regions_quality.py tests/epaper/test_regions_unit.py",
    ),
    (
        "no obstacle check",
        "epaper/regions.py",
        "    return all(\n        box.intersection_area",
        "    return True or all(\n        box.intersection_area",
        "tests/epaper/test_regions_quality.py",
    ),
    (
        "no piece separator",
        "epaper/align.py",
        "                parts.append(SEPARATOR)\n                position += 1\n",
        "                pass\n",
        "tests/epaper/test_regions_unit.py",
    ),
    (
        "keep strays",
        "epaper/align.py",
        "    return _drop_strays(state.accepted, page, owners, points)",
        "    return state.accepted",
        "tests/epaper/test_align.py",
    ),
    (
        "shortest first",
        "epaper/align.py",
        "    first = [c for c in candidates if unique(c[1], c[2], -c[0])]",
        "    candidates = [(-c[0], *c[1:]) for c in candidates]\n    first = [c for c in candidates if unique(c[1], c[2], c[0])]",
        "tests/epaper/test_align.py tests/epaper/test_regions_quality.py",
    ),
    (
        "ambiguity ignores distance",
        "epaper/align.py",
        "state.distance(o, i, j), o, i, j",
        "0, o, i, j",
        "tests/epaper/test_regions_unit.py",
    ),
    (
        "image order only",
        "epaper/regions.py",
        "    if above:\n        return max(0.0, caption.y0 - image.y1)\n    return 1.0 + caption.gap(image)",
        "    return 0.0",
        "tests/epaper/test_regions_unit.py tests/epaper/test_regions_quality.py",
    ),
    (
        "no object walk",
        "epaper/pdf.py",
        "        _inspect_objects(reader)\n",
        "",
        "tests/epaper/test_validate.py",
    ),
    (
        "no eof check",
        "epaper/pdf.py",
        '    if b"%%EOF" not in data[-1024:]:',
        "    if False:",
        "tests/epaper/test_validate.py",
    ),
    (
        "no encryption check",
        "epaper/pdf.py",
        "        if reader.is_encrypted:\n",
        "        if False:\n",
        "tests/epaper/test_validate.py",
    ),
    (
        "no line breaks",
        "epaper/pdf.py",
        "            line += 1\n",
        "            pass\n",
        "tests/epaper/test_hits.py tests/epaper/test_pdf_text.py",
    ),
    (
        "jump slice wrong",
        "backissues/epaper_inputs.py",
        "            yield paragraph[max(low - start, 0) : min(high, end) - start]",
        "            yield paragraph",
        "tests/epaper/test_jump.py",
    ),
    (
        "no jump parts",
        "backissues/epaper_inputs.py",
        "    pages = article.pages or [start_page]",
        "    pages = [start_page]",
        "tests/epaper/test_jump.py",
    ),
    (
        "hits not nfkc",
        "epaper/hits.py",
        'unicodedata.normalize("NFKC", text).casefold()',
        "text",
        "tests/epaper/test_hits.py",
    ),
    (
        "hits one box",
        "epaper/hits.py",
        "        by_line.setdefault(word.line, []).append",
        "        by_line.setdefault(0, []).append",
        "tests/epaper/test_hits.py",
    ),
    (
        "render wrong width",
        "epaper/render.py",
        "    height = max(1, round(image.height * width / image.width))",
        "    height = image.height",
        "tests/epaper/test_render.py",
    ),
    (
        "render png",
        "epaper/render.py",
        'image.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD)',
        'image.save(buffer, "PNG")',
        "tests/epaper/test_render.py",
    ),
    (
        "no text layer warning",
        "epaper/regions.py",
        "    if not text.chars:\n",
        "    if False:\n",
        "tests/epaper/test_no_text_layer.py",
    ),
    (
        "image extract rendered",
        "epaper/pdf.py",
        "        bitmap = image.get_bitmap(render=False)",
        "        bitmap = image.get_bitmap(render=True, scale_to_original=False)",
        "tests/epaper/test_photos.py",
    ),
    (
        "iou wrong",
        "epaper/geometry.py",
        "    return both / either if either else 0.0",
        "    return 1.0",
        "tests/epaper/test_geometry.py",
    ),
    (
        "no punctuation absorb",
        "epaper/regions.py",
        "    _absorb_punctuation(text, owner_of, label_of)\n",
        "",
        "tests/epaper/test_regions_unit.py",
    ),
]


def main() -> None:
    only = sys.argv[1:]
    for name, path, old, new, tests in MUTATIONS:
        if only and name not in only:
            continue
        file = ROOT / path
        original = file.read_text(encoding="utf-8")
        if old not in original:
            sys.exit(f"{name}: the text to break is no longer in {path}; update the mutation")
        file.write_text(original.replace(old, new, 1), encoding="utf-8")
        try:
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-x", *tests.split()],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=600,
            )
        finally:
            file.write_text(original, encoding="utf-8")
        lines = result.stdout.splitlines()
        failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
        verdict = "RED" if result.returncode else "GREEN (!)"
        print(f"{verdict} {name}: {failed[:1] or lines[-1:]}", flush=True)


if __name__ == "__main__":
    main()
