"""The API reads JSON bodies only: a body of any other type is a 415 with a message, never a
422 that lists every field as missing because the form or text was silently ignored."""
from flask import request
from flask_smorest import abort


def carries_body() -> bool:
    """True when the request has a body (a length above zero, or chunked)."""
    chunked = "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    return bool(request.content_length) or chunked


def refuse_non_json_body():
    """before_request: under /api/, answer 415 to a body that is not JSON."""
    if request.path.startswith("/api/") and carries_body() and not request.is_json:
        sent = request.mimetype or "no Content-Type"
        abort(415, message=f"Send the body as JSON with 'Content-Type: application/json' "
                           f"(this request sent {sent}).")
