"""Benchmark: the back-issue parser (backissues/textformat.py) takes time linear in its input.

    python bench/parse_linear.py [--quick]

Feeds ``parse()`` hostile but well-formed shapes at doubling sizes and prints the seconds for
each size and the ratio per doubling (about 2.0 is linear; 4.0 is quadratic):

* a date line with N × "第" (10k/20k/40k);
* one block of N soft-wrapped lines (100k/200k);
* N paragraphs without a full stop, joined as column breaks (100k/200k);
* N articles jumping from page 1 to page 2, continued there (10k/20k/40k);
* N long numbers (总第<5000 digits>期 and friends) are refused, not parsed (one case).

A shape passes when each doubling costs at most 2.6× (linear with some noise). The figures
are in bench/RESULTS.md, section "Parsing hostile input". No database, pure Python; --quick
halves every size.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backissues.textformat import FormatError, parse  # noqa: E402

HEADER = "# 今日罗塘\n\n罗塘街道党工委  \n罗塘街道办事处\n\n主办\n\n"
DATE = "2024年11月28日 星期四 | 第11期 总第118期\n\n"
MAX_RATIO = 2.6


def date_line_of_di(n: int) -> str:
    return (
        HEADER
        + "2024年11月28日 星期四 | "
        + "第" * n
        + " 总第118期\n\n第1版\n\n## 标题\n\n正文。\n"
    )


def one_block_of_lines(n: int) -> str:
    return (
        HEADER
        + DATE
        + "第1版\n\n## 标题\n\n"
        + "\n".join("罗塘街道开展消防演练" for _ in range(n))
        + "。\n"
    )


def paragraphs_without_full_stop(n: int) -> str:
    return (
        HEADER
        + DATE
        + "第1版\n\n## 标题\n\n"
        + "\n\n".join("罗塘街道开展消防演练" for _ in range(n))
        + "。\n"
    )


def many_continuations(n: int) -> str:
    first = "".join(f"## 标题{i}\n\n第{i}段文字。\n\n(下转2版)\n\n" for i in range(n))
    second = "".join(f"## 标题{i}\n\n(上接1版)\n\n续文{i}。\n\n" for i in range(n))
    return HEADER + DATE + "第1版\n\n" + first + "第2版\n\n" + second


SHAPES = [
    ("date line of N × 第", date_line_of_di, [10_000, 20_000, 40_000]),
    ("one block of N lines", one_block_of_lines, [100_000, 200_000]),
    ("N paragraphs without a full stop", paragraphs_without_full_stop, [100_000, 200_000]),
    ("N articles continued on page 2", many_continuations, [10_000, 20_000, 40_000]),
]


def timed(text: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        parse(text)
        outcome = "parsed"
    except FormatError as error:
        outcome = f"refused at line {error.line}"
    return time.perf_counter() - started, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="half the sizes")
    args = parser.parse_args()
    print(f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    failures = []
    for name, build, sizes in SHAPES:
        previous = None
        for size in sizes:
            size = size // 2 if args.quick else size
            text = build(size)
            seconds, outcome = timed(text)
            ratio = f"{seconds / previous:.2f}×" if previous else "—"
            mb = len(text.encode()) / 1e6
            print(
                f"{name:36} N={size:>7,} {mb:6.2f} MB {seconds:8.3f} s  ratio {ratio:>6}  {outcome}",
                flush=True,
            )
            if previous and seconds / previous > MAX_RATIO and seconds > 0.05:
                failures.append(f"{name} at N={size}: {seconds / previous:.2f}× per doubling")
            previous = seconds
    for what, text in [
        ("总第<5000 digits>期", HEADER + f"2024年11月28日 | 第11期 总第{'9' * 5000}期\n"),
        ("第<5000 digits>版", HEADER + DATE + f"第{'9' * 5000}版\n"),
        (
            "(下转<5000 digits>版)",
            HEADER + DATE + f"第1版\n\n## 标题\n\n正文。(下转{'9' * 5000}版)\n",
        ),
    ]:
        seconds, outcome = timed(text)
        print(f"{what:36} {seconds:8.4f} s  {outcome}")
    if failures:
        print("MISS: " + "; ".join(failures))
        sys.exit(1)
    print("PASS: every shape grows linearly (≤ 2.6× per doubling)")


if __name__ == "__main__":
    main()
