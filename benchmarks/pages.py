"""What the sandbox's read-only pages cost after the demo: size and time per GET.

    python -m benchmarks.pages            # 20 GETs of each page after `demo --keep`'s story

The pages are for people (the demo, a browser test), not for accred-ops, which never reads
them: this is a check that a board of a demo-sized world answers in milliseconds.
"""

from __future__ import annotations

import re
import sys
import time
import urllib.request

from accred_ops.app.demo import PROJECT, run_demo

PAGES = ("/", f"/{PROJECT}/-/issues/1", "/groups/field-enablement/-/epics/1")


def main(rounds: int = 20) -> None:
    said: list[str] = []

    def measure() -> None:
        found = re.search(r"open (http://127\.0\.0\.1:\d+)/", said[-1])
        assert found, said[-1]
        print("| page | bytes | ms per GET |\n|---|---:|---:|")
        for path in PAGES:
            started = time.perf_counter()
            for _ in range(rounds):
                with urllib.request.urlopen(found[1] + path) as answer:
                    size = len(answer.read())
            took = (time.perf_counter() - started) / rounds * 1000
            print(f"| `{path}` | {size} | {took:.1f} |")

    run_demo(said.append, keep=True, wait=measure)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
