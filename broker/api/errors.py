"""One place that maps domain errors and failures to the API's JSON error format."""
import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from broker.errors import DomainError
from broker.extensions import api, db

log = logging.getLogger(__name__)


def error_body(code: int, message: str, errors: dict | None = None):
    body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = code
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


def register_error_handlers(app):
    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if not wants_json():
            from broker.web.errors import domain_error_page
            return domain_error_page(exc)
        errors = {"json": exc.errors} if exc.status == 422 and exc.errors else exc.errors
        return error_body(exc.status, exc.message, errors)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        """Every HTTP error, raised or from routing: JSON under /api/, a page anywhere else."""
        code = exc.code or 500
        if code >= 500:
            db.session.rollback()
        if not wants_json():
            from broker.web.errors import http_error_page
            return http_error_page(exc)
        if code == 405:
            response = error_body(405, "The method is not allowed for this URL.")
            if exc.valid_methods:
                response.headers["Allow"] = ", ".join(exc.valid_methods)
            return response
        if code == 413:
            limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
            return error_body(413, f"The request body is larger than {limit} MB.")
        if code >= 500:
            return error_body(500, "Internal error; it has been logged.")
        return _smorest_error(exc)


def _smorest_error(exc: HTTPException):
    """flask-smorest's body (with webargs' field errors), always with a `message`."""
    payload, code, headers = api.handle_http_exception(exc)
    errors = payload.get("errors")
    message = payload.get("message") or summarise(errors) or exc.description or payload["status"]
    response = error_body(code, message, errors)
    response.headers.update(headers)
    return response


def summarise(errors: dict | None) -> str | None:
    """One sentence naming what was wrong: the fields per location, or a location's own message
    (webargs reports invalid JSON as {"json": ["Invalid JSON body."]})."""
    if not errors:
        return None
    parts = []
    for location, found in errors.items():
        if isinstance(found, dict):
            where = "" if location == "json" else f" (in the {location})"
            parts.append(f"{', '.join(sorted(map(str, found)))}{where}")
        else:
            return " ".join(map(str, found)) if isinstance(found, list) else str(found)
    return f"Invalid input: {'; '.join(parts)} (see errors, field by field)."
