"""Run the accred-ops CLI and report the process's own peak memory (for the benchmark)."""

from __future__ import annotations

import resource
import sys

from accred_ops.cli import main

if __name__ == "__main__":
    try:
        main(sys.argv[1:], standalone_mode=False)
    finally:
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"PEAK_MB={peak_kib / 1024:.1f}", file=sys.stderr)
