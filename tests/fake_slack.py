"""A fake Slack incoming-webhook server on 127.0.0.1 (real HTTP), whose answer tests switch:
200 "ok", 500, 429 with Retry-After, 404 (a revoked webhook), hang past the client timeout, or
"slow": 200 "ok" after `delay` seconds. It records every request it received, and whether it
answered it (a client killed while Slack holds its request never hears back)."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeSlack:
    def __init__(self):
        self.mode = "ok"
        self.retry_after = "30"
        self.delay = 1.0  # seconds the "slow" mode takes before answering
        self.received: list[dict] = []  # {"path", "body"} of every POST, answered or not
        self._release = threading.Event()
        self._lock = threading.Lock()
        self.server = None
        self.port = 0

    def url(self, name: str = "T000/B000/XXXXwXyZ") -> str:
        return f"http://127.0.0.1:{self.port}/services/{name}"

    def start(self):
        """Listen (again) on the same port as before, or a free one the first time."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                request = {"path": self.path, "body": body, "answered": False, "at": time.monotonic()}
                with fake._lock:
                    fake.received.append(request)
                fake._answer(self, request)

            def log_message(self, *args):
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self):
        """Go down: connections are refused until start() again."""
        self._release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def _answer(self, handler, request: dict):
        mode = self.mode
        if mode == "hang":
            self._release.wait(10)
            return
        if mode == "slow":
            threading.Event().wait(self.delay)  # Slack taking its time; the client waits
        status, text, headers = {"ok": (200, "ok", {}), "slow": (200, "ok", {}),
                                 "error": (500, "internal_error", {}),
                                 "rate_limited": (429, "rate_limited", {"Retry-After": self.retry_after}),
                                 "revoked": (404, "no_service", {})}[mode]
        request["answered"] = True  # from here on the client may hear back
        try:
            handler.send_response(status)
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", str(len(text)))
            handler.end_headers()
            handler.wfile.write(text.encode())
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client is gone (a killed process): nobody hears the answer

    def texts(self) -> list[str]:
        return [r["body"]["text"] for r in self.received]
