"""A chat's incoming webhook on 127.0.0.1, over real HTTP: it keeps every message it takes, and
can be told to refuse the next ones (as a chat that is down)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Chat:
    def __init__(self) -> None:
        self.messages: list[tuple[str, Any]] = []  # (path, body)
        self.refuse = 0  # answer the next N posts with `status`
        self.status = 500
        self._lock = threading.Lock()
        chat = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with chat._lock:
                    if chat.refuse:
                        chat.refuse -= 1
                        code = chat.status
                    else:
                        chat.messages.append((self.path, json.loads(raw)))
                        code = 200
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def at(self, path: str) -> list[Any]:
        with self._lock:
            return [body for p, body in self.messages if p == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
