"""A webhook receiver on 127.0.0.1 (real HTTP) that checks Broker's signatures with the very code
the README gives integrators (read from README.md and run), and records what it got."""
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_verifier():
    """verify_broker_signature as the README's Python snippet defines it."""
    code = re.search(r"```python\n(.*?def verify_broker_signature.*?)```", README.read_text(), re.S)
    namespace: dict = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)  # noqa: S102 (our own README)
    return namespace["verify_broker_signature"]


class WebhookReceiver:
    def __init__(self, secret: str | None = None):
        self.secret = secret
        self.status = 204  # what it answers; 500 to fail on purpose
        self.refuse: set[str] = set()  # event types it answers 500 to
        self.received: list[dict] = []  # {"headers", "body", "json", "verified"} per request
        self.verify = readme_verifier()
        self._lock = threading.Lock()
        self.server = None
        self.port = 0

    def url(self, path: str = "/hooks/broker") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self):
        """Listen (again) on the same port as before, or a free one the first time."""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                verified = receiver.verify(receiver.secret, self.headers, body)
                event = self.headers.get("X-Broker-Event")
                status = 500 if event in receiver.refuse else receiver.status if verified else 401
                with receiver._lock:
                    receiver.received.append({"headers": dict(self.headers), "body": body,
                                              "json": json.loads(body), "verified": verified,
                                              "status": status})
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

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
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def delivered(self) -> list[dict]:
        """The requests it accepted (verified, answered 2xx), in the order they came."""
        return [r for r in self.received if r["verified"] and 200 <= r["status"] < 300]
