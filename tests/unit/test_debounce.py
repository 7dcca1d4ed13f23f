"""The wake-up debounce over an explicit clock: a burst is one run, soon; a run is never back to
back with the last one."""
from broker.debounce import Debounce


def test_a_burst_of_requests_is_one_run_soon_after_the_first():
    d = Debounce(delay=0.25, rest=0.5)
    assert d.wait(0.0) is None and not d.start(0.0)  # nothing asked for
    assert d.request(10.0) == 10.25
    for i in range(200):  # 200 briefs posted within the next 0.2 s
        assert d.request(10.0 + i * 0.001) == 10.25
    assert abs(d.wait(10.1) - 0.15) < 1e-9
    assert not d.start(10.2)
    assert d.start(10.25)
    assert not d.start(10.26)  # served: no second run for the same burst
    d.finish(10.4)
    assert d.wait(11.0) is None and not d.start(11.0)


def test_a_request_during_a_run_asks_for_one_more_after_a_rest():
    d = Debounce(delay=0.25, rest=0.5)
    d.request(0.0)
    assert d.start(0.25)
    assert d.request(0.3) == 0.55     # asked while the run is under way
    assert d.wait(0.6) is None        # never while it runs
    assert not d.start(0.6)
    d.finish(0.35)                    # a 0.1 s run: rest the minimum, 0.5 s
    assert d.due_at == 0.85
    assert not d.start(0.84) and d.start(0.85)


def test_a_long_run_rests_as_long_as_it_took():
    d = Debounce(delay=0.25, rest=0.5)
    d.request(0.0)
    assert d.start(0.25)
    d.finish(3.25)                     # a 3 s round
    assert d.request(3.3) == 6.25      # the next one starts 3 s after it ended
    assert abs(d.wait(4.25) - 2.0) < 1e-9
    assert d.start(6.25)


def test_a_quiet_job_runs_a_new_request_after_the_delay_only():
    d = Debounce(delay=0.25, rest=0.5)
    d.request(0.0)
    assert d.start(0.25)
    d.finish(0.3)
    assert d.request(100.0) == 100.25  # long after the rest: just the delay
