from hypothesis import given
from hypothesis import strategies as st

from kpidesk.domain.merge import (
    DEFAULT_CLOCK,
    clock_of,
    deleted_cl,
    is_alive,
    merge_fields,
    undeleted_cl,
)


def test_larger_stamp_wins_per_field():
    current = {"name": "0000000000002-0000-a", "city": "0000000000005-0000-a"}
    incoming = {"name": ("New", "0000000000003-0000-b"), "city": ("Old", "0000000000004-0000-b")}
    result = merge_fields(current, incoming)
    assert result.values == {"name": "New"}
    assert result.clocks["name"] == "0000000000003-0000-b"
    assert result.clocks["city"] == "0000000000005-0000-a"
    assert result.lost == {"city": "0000000000005-0000-a"}


def test_default_clock_applies_to_fields_without_their_own():
    clocks = {DEFAULT_CLOCK: "0000000000002-0000-a", "name": "0000000000009-0000-a"}
    assert clock_of(clocks, "city") == "0000000000002-0000-a"
    assert clock_of(clocks, "name") == "0000000000009-0000-a"
    result = merge_fields(clocks, {"city": ("Lyon", "0000000000003-0000-b")})
    assert result.values == {"city": "Lyon"}


def test_equal_stamp_is_not_a_change():
    stamp = "0000000000002-0000-a"
    assert not merge_fields({"name": stamp}, {"name": ("x", stamp)}).changed


def test_causal_length():
    assert is_alive(1) and not is_alive(2)
    assert deleted_cl(1) == 2 and deleted_cl(2) == 2
    assert undeleted_cl(2) == 3 and undeleted_cl(3) == 3


stamps = st.builds(
    lambda ms, dev: f"{ms:013d}-0000-{dev}", st.integers(0, 50), st.sampled_from("abc")
)
# A stamp is issued once, for one value: the value is derived from it.
writes = st.dictionaries(
    st.sampled_from(["a", "b", "c"]), stamps.map(lambda stamp: (f"value@{stamp}", stamp))
)


@given(st.lists(writes, min_size=1, max_size=6), st.randoms())
def test_merging_in_any_order_converges(batches, rnd):
    def apply_all(order):
        clocks, values = {}, {}
        for batch in order:
            result = merge_fields(clocks, batch)
            clocks, values = result.clocks, {**values, **result.values}
        return clocks, values

    shuffled = list(batches)
    rnd.shuffle(shuffled)
    assert apply_all(batches) == apply_all(shuffled)
