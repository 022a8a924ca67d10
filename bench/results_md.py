"""Print the last serving and in-process runs (bench/out/serve.json, inprocess.json) as the
Markdown tables of bench/RESULTS.md, so that figures are copied, not retyped.

    python bench/results_md.py
"""

import json
import statistics
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def serve_tables(data):
    print(f"machine: {data['machine']}; load (1 min) during the run: {data['load']}")
    print(f"options: {data['args']}\n")
    print("Queries per request (X-Bench-Queries), min–max:\n")
    print("| page | uncached | requests | cached (warm) | requests |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, counts in data["queries"].items():
        print(
            f"| {name} | {spread(counts['uncached'])} | {len(counts['uncached'])} "
            f"| {spread(counts['cached'])} | {len(counts['cached'])} |"
        )
    print("\n| case | req/s | p50 ms | p99 ms | × bare | bare req/s | Newsroom / Wagtail |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, row in data["results"].items():
        versus = f"{row['vs_wagtail']:.2f}" if "vs_wagtail" in row else ""
        print(
            f"| {name} | {row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['ratio']:.2f} | {row['bare']['rps']:.0f} | {versus} |"
        )
    errors = sum(row["errors"] for row in data["results"].values())
    print(
        f"\nerrors in the rounds: {errors}; stale after the rounds: {data.get('stale_after_rounds')}"
    )
    print("\nUncached, one connection per worker:\n")
    print("| page | req/s | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: |")
    for name, (rps, p50, p99, _errors) in data["latency"].items():
        print(f"| {name} | {rps:.0f} | {p50:.1f} | {p99:.1f} |")
    if data["crawl"]:
        print("\nCrawl:\n")
        print("| site | run | requests | req/s | p50 ms | p99 ms | from the cache | errors |")
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for site, runs in data["crawl"].items():
            for name, row in runs.items():
                print(
                    f"| {site} | {name} | {row['requests']} | {row['rps']:.0f} "
                    f"| {row['p50']:.1f} | {row['p99']:.1f} | {row['hit_share']:.1%} "
                    f"| {row['errors']} |"
                )
    for page, (scores, failing) in data["lighthouse"].items():
        print(f"\nlighthouse {page}: {scores} {failing}")


def inprocess_table(data):
    print(f"\nin-process: {data['args']}; load (1 min): {data['load']}\n")
    print("| page | median ms | p90 ms | round medians | CPU ms | queries | Wagtail / Newsroom |")
    print("| --- | ---: | ---: | --- | ---: | ---: | ---: |")
    medians = data["medians"]
    for name, rounds in data["timings"].items():
        wall = [row[0] for measured in rounds for row in measured]
        cpu = [row[2] for measured in rounds for row in measured]
        queries = sorted({row[1] for measured in rounds for row in measured})
        per_round = " ".join(f"{statistics.median(row[0] for row in m):.1f}" for m in rounds)
        site, kind = name.split()
        peer = medians.get(f"wagtail {kind}")
        versus = f"{peer / medians[name]:.2f}×" if site == "newsroom" and peer else ""
        print(
            f"| {name} | {statistics.median(wall):.1f} "
            f"| {statistics.quantiles(wall, n=10)[-1]:.1f} | {per_round} "
            f"| {statistics.median(cpu):.1f} | {'–'.join(map(str, queries))} | {versus} |"
        )


def spread(counts):
    return f"{min(counts)}" if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}"


def main():
    serve = OUT / "serve.json"
    if serve.exists():
        serve_tables(json.loads(serve.read_text()))
    inprocess = OUT / "inprocess.json"
    if inprocess.exists():
        inprocess_table(json.loads(inprocess.read_text()))


if __name__ == "__main__":
    main()
