from hypothesis import given
from hypothesis import strategies as st

from kpidesk.domain.hlc import COUNTER_LIMIT, Hlc, HybridClock, InvalidHlcError, is_too_far_ahead

DEV_A = "01a00000-0000-7000-8000-00000000000a"
DEV_B = "01a00000-0000-7000-8000-00000000000b"


class FakeWallClock:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_ticks_strictly_increase_even_when_the_wall_clock_stands_still_or_goes_back():
    wall = FakeWallClock(1_000_000)
    clock = HybridClock(DEV_A, now_ms=wall)
    stamps = [clock.tick()]
    for step in (0, 0, -500, 10, -10_000, 0):
        wall.ms += step
        stamps.append(clock.tick())
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_a_write_after_seeing_a_remote_stamp_orders_after_it_despite_a_slow_clock():
    fast = HybridClock(DEV_B, now_ms=FakeWallClock(5_000_000))
    slow = HybridClock(DEV_A, now_ms=FakeWallClock(1_000_000))  # 66 minutes behind
    remote = fast.tick()
    slow.observe(remote)
    assert slow.tick() > remote


def test_encoding_round_trips_and_text_order_is_clock_order():
    a = Hlc(1_700_000_000_000, 3, DEV_A)
    b = Hlc(1_700_000_000_000, 12, DEV_A)
    c = Hlc(1_700_000_000_001, 0, DEV_A)
    assert Hlc.decode(a.encode()) == a
    assert a.encode() < b.encode() < c.encode()


@given(
    st.integers(0, 9_999_999_999_999),
    st.integers(0, COUNTER_LIMIT),
    st.integers(0, 9_999_999_999_999),
    st.integers(0, COUNTER_LIMIT),
)
def test_text_order_matches_tuple_order(ms1, c1, ms2, c2):
    s1, s2 = Hlc(ms1, c1, DEV_A).encode(), Hlc(ms2, c2, DEV_A).encode()
    assert (s1 < s2) == ((ms1, c1) < (ms2, c2))


def test_counter_overflow_borrows_the_next_millisecond():
    wall = FakeWallClock(1000)
    clock = HybridClock(DEV_A, now_ms=wall)
    stamps = [clock.tick() for _ in range(COUNTER_LIMIT + 3)]
    assert stamps == sorted(stamps)
    assert Hlc.decode(stamps[-1]).physical_ms == 1001


def test_garbled_stamps_are_refused():
    for bad in ("", "12-0000-x", "abc", None, "1700000000000-zzzz-" + DEV_A):
        try:
            Hlc.decode(bad)  # type: ignore[arg-type]
        except InvalidHlcError:
            continue
        raise AssertionError(f"accepted {bad!r}")


def test_too_far_ahead_is_five_minutes():
    now = 10_000_000
    assert not is_too_far_ahead(Hlc(now + 5 * 60_000, 0, DEV_A).encode(), now)
    assert is_too_far_ahead(Hlc(now + 5 * 60_000 + 1, 0, DEV_A).encode(), now)
