"""Checks of our own for schemathesis, in the suite and in `make fuzz` (SCHEMATHESIS_HOOKS)."""
import schemathesis

# Any route may answer these (the method, the body's size or type), as the `default` response says.
ANY_ROUTE = {405, 413, 415}


@schemathesis.check
def error_status_documented(ctx, response, case):
    """Every error a view answers is documented for it by status, with the error schema (the
    catch-all `default` response alone would let an undocumented 403 or 409 pass)."""
    status = response.status_code
    if status < 400 or status in ANY_ROUTE:
        return None
    documented = case.operation.definition.raw.get("responses", {})
    if str(status) not in documented:
        raise AssertionError(f"{case.operation.label} answered {status}, which its OpenAPI "
                             f"responses do not document (documented: {', '.join(sorted(documented))}).")
    return None
