"""The SLA sweep benchmark still runs (tiny, SQLite only; the real numbers come from bench/)."""
import importlib.util
from pathlib import Path

import pytest

from tests.factories import SLEEPING_SERVERS_REASON, UNDER_FAKETIME


def test_bench_runs_and_agrees_with_the_naive_loop(tmp_path):
    path = Path(__file__).resolve().parents[2] / "bench" / "sla_sweep.py"
    spec = importlib.util.spec_from_file_location("sla_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    stats = bench.run_on(f"sqlite:///{tmp_path / 'bench.db'}", 400)
    assert stats["tasks"] == 400 and stats["fired"] >= 0  # run_on asserts sweep == naive loop


@pytest.mark.skipif(UNDER_FAKETIME, reason=SLEEPING_SERVERS_REASON)
def test_load_bench_runs_tiny(tmp_path):
    """bench/load.py end to end, tiny: seed, `make serve` and the ceiling app on free ports, every
    phase for a moment, the report; no request may fail. PostgreSQL when the suite runs on it (a
    database of its own beside the suite's), else a SQLite file."""
    import os

    from sqlalchemy.engine import make_url

    path = Path(__file__).resolve().parents[2] / "bench" / "load.py"
    spec = importlib.util.spec_from_file_location("load_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    suite_db = os.environ.get("TEST_DATABASE_URL", "")
    url = (str(make_url(suite_db).set(database=make_url(suite_db).database + "_load_smoke"))
           if suite_db.startswith("postgresql") else f"sqlite:///{tmp_path / 'load.db'}")
    opts = bench.Options(seconds=2, users=3, workers=1, think=(0.0, 0.1), queued=12,
                         burst_seconds=1, burst_users=2, database_url=url,
                         port=bench.free_port(), ceiling_port=bench.free_port(),
                         logs=str(tmp_path / "logs"))
    result = bench.run(opts)
    mixed = result["mixed"]
    assert mixed["all"]["errors"] == 0, result["mixed_errors"]
    assert mixed["POST /briefs"]["requests"] and mixed["GET /tasks/available"]["requests"]
    assert result["ceiling"]["requests"] and result["posting"]["requests"]
    assert result["ceiling"]["errors"] == result["posting"]["errors"] == 0, result["burst_errors"]
    assert "Goals:" in bench.report(result)
