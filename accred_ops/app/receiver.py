"""A tiny webhook receiver on 127.0.0.1, for `demo --reactive` and the tests.

On GitLab the webhook calls a pipeline trigger URL and each event becomes one CI job running
`sync --event "$TRIGGER_PAYLOAD"`, one at a time (`resource_group`). This receiver plays that
part locally: it answers each delivery at once, checks its `X-Gitlab-Token`, and hands the body
to one worker thread, which runs the handler on the events one after another, in order.
"""

from __future__ import annotations

import hmac
import queue
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Serve on 127.0.0.1; `handle(body)` runs for every delivery carrying the secret token."""

    def __init__(self, handle: Callable[[bytes], None], token: str) -> None:
        self.handle = handle
        self.token = token
        self.errors: list[str] = []
        self._queue: queue.Queue[bytes] = queue.Queue()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the demo prints what matters."""

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                given = self.headers.get("X-Gitlab-Token") or ""
                ok = hmac.compare_digest(given.encode(), owner.token.encode())
                if ok:  # queued before the answer, as a trigger makes its pipeline first: once
                    owner._queue.put(body)  # GitLab saw the delivery answered, the event is owed
                self.send_response(200 if ok else 401)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/hook"
        self._threads = [
            threading.Thread(target=self._httpd.serve_forever, daemon=True),
            threading.Thread(target=self._work, daemon=True),
        ]

    def __enter__(self) -> Receiver:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def idle(self) -> bool:
        return self._queue.unfinished_tasks == 0

    def _work(self) -> None:
        while True:
            body = self._queue.get()
            try:
                self.handle(body)
            except Exception as err:  # one bad event must not stop the next ones
                self.errors.append(f"{type(err).__name__}: {err}")
            finally:
                self._queue.task_done()
