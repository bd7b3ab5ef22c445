"""The server-capacity search of bench_sync_load (doubling, then bisecting), on made-up trials:
no server, no timing."""

from __future__ import annotations

from tests.benchmarks.bench_sync_load import Trial, reps_for, search


def _trials(capacity: int, log: list[int]):
    def measure(devices: int) -> Trial:
        log.append(devices)
        p99 = 100.0 if devices <= capacity else 400.0
        return Trial(devices, p99, 20.0, devices * 8, 0, 5.0, (1.0, 1.0, 1.0))

    return measure


def test_it_doubles_then_bisects_to_within_a_tenth_of_the_capacity():
    log: list[int] = []
    best, trials = search(_trials(333, log), start=100, budget_s=1e9)
    assert log[:3] == [100, 200, 400]  # doubling until one fails
    assert best is not None and best.held
    assert 333 * 0.9 <= best.devices <= 333  # within a tenth, never above
    assert all(t.devices > 333 for t in trials if not t.held)
    assert best.devices == max(t.devices for t in trials if t.held)


def test_an_error_fails_a_trial_whatever_its_latency():
    assert not Trial(10, 50.0, 10.0, 80, 1, 5.0, (1.0, 1.0, 1.0)).held
    assert not Trial(10, 250.0, 10.0, 80, 0, 5.0, (1.0, 1.0, 1.0)).held  # p99 must be < 250


def test_it_stops_when_the_budget_is_spent_and_says_what_held():
    now = iter(range(0, 10_000, 100))
    log: list[int] = []
    best, _ = search(_trials(10_000, log), start=50, budget_s=250, clock=lambda: next(now))
    assert log == [50, 100, 200]  # out of time after the third: a lower bound
    assert best is not None and best.devices == 200


def test_a_first_trial_that_fails_bisects_downwards():
    log: list[int] = []
    best, _ = search(_trials(30, log), start=100, budget_s=1e9)
    assert log[:2] == [100, 50]
    assert best is not None and 27 <= best.devices <= 30


def test_devices_every_5_s_are_sixty_times_as_many_laptops_every_5_minutes():
    assert reps_for(200) == 12_000
