"""Work shared by the stories of a run (dateline/batch.py): done once, never lost, never late."""

from __future__ import annotations

import pytest

from dateline import batch

DONE: list[list] = []


def group(items: list) -> None:
    DONE.append(items)


@pytest.fixture(autouse=True)
def fresh():
    DONE.clear()


def test_outside_a_run_the_caller_does_the_work():
    assert batch.defer(group, 1) is False
    assert DONE == []


def test_a_run_does_each_item_once_in_one_call_when_it_ends():
    with batch.run(size=100, seconds=None):
        for item in (3, 1, 3, 2):
            assert batch.defer(group, item)
            batch.story_done()
        assert DONE == []
    assert DONE == [[3, 1, 2]]


def test_a_run_flushes_every_size_stories():
    with batch.run(size=2, seconds=None):
        batch.defer(group, "a")
        batch.story_done()
        assert DONE == []
        batch.defer(group, "b")
        batch.story_done()
        assert DONE == [["a", "b"]]
        batch.defer(group, "c")
    assert DONE == [["a", "b"], ["c"]]


def test_a_run_flushes_once_its_oldest_item_has_waited_long_enough():
    with batch.run(size=1000, seconds=0):
        batch.defer(group, "a")
        batch.story_done()
        assert DONE == [["a"]]


def test_what_was_deferred_is_done_even_when_the_run_fails():
    with pytest.raises(RuntimeError), batch.run():
        batch.defer(group, "committed story")
        raise RuntimeError("the next file could not be read")
    assert DONE == [["committed story"]]


def test_a_failing_group_does_not_cost_the_others():
    def broken(items):
        raise ConnectionError("CDN down")

    with pytest.raises(ConnectionError), batch.run():
        batch.defer(broken, 1)
        batch.defer(group, 2)
    assert DONE == [[2]]


def test_what_is_remembered_lasts_until_the_flush_and_not_after_a_failure():
    reads: list[str] = []

    def read(value):
        def compute():
            reads.append(value)
            return value

        return compute

    assert batch.remember("rules", read("outside")) == "outside"  # no run: read every time
    with batch.run(size=1, seconds=None):
        assert batch.remember("rules", read("first")) == "first"
        assert batch.remember("rules", read("second")) == "first"
        assert batch.remember("missing", read(None)) is None
        assert batch.remember("missing", read(None)) is None  # "not there" is asked again
        batch.story_done()  # a flush
        assert batch.remember("rules", read("third")) == "third"
        batch.forget()  # a story failed: its rows may be gone
        assert batch.remember("rules", read("fourth")) == "fourth"
    assert reads == ["outside", "first", None, None, "third", "fourth"]
