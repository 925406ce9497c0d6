"""Run the accred-ops CLI and report the process's own peak memory (for the benchmark).

The peak is VmHWM from /proc/self/status: unlike getrusage's ru_maxrss, which Linux carries
over across exec from the (large) benchmark process that forked us, it is this program's own.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from accred_ops.cli import main


def peak_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024  # type: ignore[index]


if __name__ == "__main__":
    try:
        main(sys.argv[1:], standalone_mode=False)
    finally:
        print(f"PEAK_MB={peak_mb():.1f}", file=sys.stderr)
