"""What a write changed, and which views it concerns."""

from kpidesk.domain.changes import EVERYTHING, NOTHING, Changes, Kind, View, Written


def test_views_are_told_only_about_the_kinds_they_read():
    contact = Changes.of(contact=["c1"])
    assert contact.affects(View.ACCOUNTS)
    assert not contact.affects(View.JOURNAL)
    assert not contact.affects(View.INDICATORS)  # no indicator counts contacts
    assert Changes.of([Kind.SUGGESTION]).affects(View.TODAY)
    assert not Changes.of([Kind.SUGGESTION]).affects(View.PIPELINE)
    assert Changes.of([Kind.SETTING]).affects(View.INDICATORS)
    assert all(EVERYTHING.affects(view) for view in View)
    assert not any(NOTHING.affects(view) for view in View)


def test_changes_combine_ids_per_kind():
    both = Changes.of(activity=["a1"]) | Changes.of([Kind.CONFLICT], activity=["a2"], offer=["o"])
    assert both.ids == {"activity": {"a1", "a2"}, "offer": {"o"}, "conflict": set()}
    assert both.kinds == {Kind.ACTIVITY, Kind.OFFER, Kind.CONFLICT}


def test_a_write_that_changed_nothing_is_falsy():
    assert not Written(NOTHING, "r1")
    assert Written(Changes.of(account=["r1"]), "r1")
