"""What chat notifications cost a sync, in requests to GitLab (and messages to a local chat):

    python -m benchmarks.notify [--learners 10] [--awards 3] [--latency 0.02]

The same world is measured without `notifications:` (a quiet sync must not change: 7 reads, no
write) and with two webhooks: the first sync starts the ledger (its issue, closed, and the
tool's comment: 3 writes), a quiet sync reads it (2 reads: the search and the comment), and k
awards cost one ledger edit per message sent (k per webhook that wants awards).
"""

from __future__ import annotations

import argparse
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from accred_ops.sandbox.people import Person
from benchmarks.run import FEW, PROJECT, Row, _synced, table

HOOKS = (
    "notifications:\n  webhooks:\n"
    "    - {url_variable: BENCH_SLACK_URL, format: slack, events: [award, path]}\n"
    "    - {url_variable: BENCH_JSON_URL, events: [award, assessment]}\n"
)


def _chat() -> tuple[ThreadingHTTPServer, list[bytes]]:
    got: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            got.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, got


def measure(n: int, awards: int, latency: float) -> tuple[list[Row], int]:
    """The rows, and the messages the chat took."""
    rows = []
    server, got = _chat()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    os.environ["BENCH_SLACK_URL"], os.environ["BENCH_JSON_URL"] = f"{url}/s", f"{url}/j"
    with _synced(n, latency) as (sandbox, b):
        sandbox.advance(hours=1)
        rows.append(b.run("quiet sync, no notifications", 4, (FEW, 0), "sync"))
        config = b.folder / "accred.yml"
        config.write_text(config.read_text() + HOOKS)
        sandbox.advance(hours=1)
        # the program files changed: a full pass (at 10 learners, the quiet sync's reads and the
        # record's edit), plus the ledger: a search and its comments; issue, close, comment
        first = "first sync with notifications (a full pass)"
        rows.append(b.run(first, 4, (FEW + 2, 1 + 3), "sync"))
        sandbox.advance(hours=1)
        rows.append(b.run("quiet sync with notifications", 4, (FEW + 2, 0), "sync"))
        for i in range(awards):
            name = f"learner{i:05d}"
            learner, sam = Person(sandbox.url, name, PROJECT), Person(sandbox.url, "sam", PROJECT)
            iid = learner.find_issue("Co-Selling with Partners", name)
            learner.tick(iid)
            sam.add_label(iid, "exam::passed")
            sam.add_label(iid, "practical::approved")
        sandbox.advance(hours=1)
        # an award: comment, issue, epic (3 each) + the sync record; one ledger edit a message
        bound = (FEW + 2, 3 * awards + 1 + 2 * awards)
        rows.append(b.run(f"sync, {awards} awards notified", 4, bound, "sync"))
    server.shutdown()
    return rows, len(got)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--learners", type=int, default=10)
    parser.add_argument("--awards", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.02)
    args = parser.parse_args()
    rows, messages = measure(args.learners, args.awards, args.latency)
    print(table(rows))
    print(f"\nmessages the chat took: {messages}")


if __name__ == "__main__":
    main()
