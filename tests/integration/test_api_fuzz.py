"""schemathesis against /api/v1/openapi.json, served on loopback by a thread, with a token of each role:
no 5xx, responses match their documented schemas, every status returned is documented.

A bounded number of examples per operation keeps this part of `make test`; `make fuzz` runs the
same checks much longer against a served app (tests/fuzz/deep.py).
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tests.fuzz.hooks import error_status_documented
from tests.fuzz.world import ROLES, SKIPPED_CHECKS, build_world, openapi_document, serve, with_real_ids

# Checks the API against its own schema, whatever the date; libfaketime slows hypothesis
# several times over, so .ci/run's runs at other dates leave it out (-m "not fuzz").
pytestmark = pytest.mark.fuzz

EXAMPLES = 8  # per operation; each example is sent with each role's token

schema = schemathesis.openapi.from_dict(openapi_document())


@pytest.fixture(scope="module")
def served(app):
    """The test app on a loopback port, for schemathesis' HTTP client and its own probes."""
    with serve(app) as base_url:
        yield base_url


@pytest.fixture
def world(app, make):
    return build_world(app, make)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented(case, served, world):
    """Each generated request is sent with the token of each role in turn."""
    with_real_ids(case, world)
    for role in ROLES:
        case.call_and_validate(base_url=served, headers=world.auth(case, role),
                               additional_checks=[error_status_documented],
                               excluded_checks=SKIPPED_CHECKS)
