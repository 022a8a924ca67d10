"""Where the e-paper fixtures are, for the tests and the benchmark."""

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
BUNDLE_118 = TESTS / "fixtures" / "epaper-118"
TRUTH_118 = TESTS / "fixtures" / "epaper-118-truth"
PAGE_118 = BUNDLE_118 / "pages" / "1.pdf"
LAYOUTS = Path(__file__).resolve().parent / "fixtures"
LAYOUT_NAMES = ("cols2", "cols3-reversed", "cols4-lshape", "cols6-photo", "jump", "long")


def bundles() -> list[tuple[str, Path, Path]]:
    """(name, bundle folder, truth file) for 118 and every generated layout."""
    found = [("epaper-118", BUNDLE_118, TRUTH_118 / "truth.json")]
    found += [(name, LAYOUTS / name, LAYOUTS / name / "truth.json") for name in LAYOUT_NAMES]
    return found
