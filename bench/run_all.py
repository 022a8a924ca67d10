"""make bench: run every benchmark in turn and print their figures.

Each benchmark is a script of its own (see its docstring for options); this only runs them
with their defaults. Results are recorded by hand in bench/RESULTS.md with the machine.
"""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = ["import_archive.py", "search.py", "serve.py"]


def main():
    failed = []
    for script in SCRIPTS:
        print(f"\n=== bench/{script}", flush=True)
        if subprocess.run([sys.executable, str(BENCH / script)], cwd=BENCH.parent).returncode:
            failed.append(script)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
