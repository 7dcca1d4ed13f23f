"""The digest benchmark runs (tiny size; the real numbers come from bench/digests.py)."""
import importlib.util
from pathlib import Path


def test_bench_digests_runs_small(capsys):
    path = Path(__file__).resolve().parents[2] / "bench" / "digests.py"
    spec = importlib.util.spec_from_file_location("bench_digests", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--users", "20", "--items", "5"]) < 5
    assert "peak memory (MB)" in capsys.readouterr().out
