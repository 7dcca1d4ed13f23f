"""The HTTP adapter of webhook delivery: one POST, no redirects followed, the status decides."""
import urllib.error
import urllib.request

from notifications.backoff import retry_after_seconds
from notifications.sinks import Outcome


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is the endpoint's answer, not somewhere else to post the event


class HttpWebhookSink:
    """POSTs through urllib (the stdlib: one request, nothing to pool); any 2xx is delivered."""

    def __init__(self, timeout: float = 10):
        self.timeout = timeout
        self.opener = urllib.request.build_opener(_NoRedirects)

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        """One attempt; refused, reset, timed out or non-2xx are failures to retry."""
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Outcome(ok=True, status=response.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
            text = exc.read(200).decode("utf-8", "replace") if exc.fp else ""
            return Outcome(ok=False, status=status, error=f"HTTP {status}: {text}"[:300],
                           retry_after=retry_after_seconds(exc.headers.get("Retry-After"))
                           if status in (429, 503) else None)
        except Exception as exc:  # urllib raises several types (URLError, timeouts, resets)
            return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:300])
