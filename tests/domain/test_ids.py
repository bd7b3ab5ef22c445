import uuid

from kpidesk.domain.ids import is_uuid, uuid7, uuid7_from


def test_uuid7_has_version_7_and_rfc_variant():
    value = uuid.UUID(uuid7())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_ids_made_in_the_same_millisecond_keep_increasing():
    ids = [uuid7(now_ms=1_700_000_000_000) for _ in range(1000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 1000


def test_the_timestamp_is_the_first_48_bits():
    value = uuid.UUID(uuid7_from(1_700_000_000_123, 42))
    assert value.int >> 80 == 1_700_000_000_123


def test_is_uuid():
    assert is_uuid(uuid7())
    assert not is_uuid("not-an-id")
    assert not is_uuid(uuid7().upper())


def test_an_id_is_the_canonical_text_of_its_uuid():
    """The hand-formatted text is what the uuid module writes for the same 128 bits."""
    import random

    rng = random.Random(7)
    for _ in range(500):
        text = uuid7_from(rng.getrandbits(48), rng.getrandbits(74))
        assert text == str(uuid.UUID(text)) and is_uuid(text)
