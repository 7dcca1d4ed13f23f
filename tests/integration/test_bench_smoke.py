"""The SLA sweep benchmark still runs (tiny, SQLite only; the real numbers come from bench/)."""
import importlib.util
from pathlib import Path


def test_bench_runs_and_agrees_with_the_naive_loop(tmp_path):
    path = Path(__file__).resolve().parents[2] / "bench" / "sla_sweep.py"
    spec = importlib.util.spec_from_file_location("sla_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    stats = bench.run_on(f"sqlite:///{tmp_path / 'bench.db'}", 400)
    assert stats["tasks"] == 400 and stats["fired"] >= 0  # run_on asserts sweep == naive loop
