"""Errors on the pages render as pages (the API's handlers answer JSON)."""
from flask import make_response, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

FRIENDLY = {
    400: "The request could not be understood. Go back, reload the page and try again.",
    403: "You do not have access to this page.",
    404: "There is nothing at this address.",
    405: "This page cannot be used that way.",
    429: "Too many attempts from your address. Wait a minute, then try again.",
    500: "Something went wrong on our side; it has been logged. Please try again.",
}
CSRF_MESSAGE = ("This form was sent without a valid security token (it may have expired). "
                "Go back, reload the page and send it again.")


def error_page(code: int, message: str, title: str | None = None):
    return make_response(render_template("error.html", code=code, title=title, message=message), code)


def domain_error_page(exc):
    return error_page(exc.status, exc.message)


def http_error_page(exc: HTTPException):
    """An HTTP error answered with a page (abort(), CSRF, 404, 405, uncaught errors)."""
    if isinstance(exc, CSRFError):
        message = CSRF_MESSAGE
    elif exc.code == 429:
        message = FRIENDLY[429]
    elif exc.description and exc.description != type(exc).description:
        message = exc.description
    else:
        message = FRIENDLY.get(exc.code, exc.description)
    response = error_page(exc.code or 500, message, exc.name)
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    if getattr(exc, "retry_after", None):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response
