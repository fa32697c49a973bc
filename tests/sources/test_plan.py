"""Planning: a file that turns out unreadable half-way leaves none of its slices in the plan."""

from __future__ import annotations

from prep.sources.base import InputFile, Slice
from prep.sources.plan import ShardFiller


def test_restore_forgets_the_slices_of_a_file_given_up_half_way():
    first = InputFile("a.jsonl", "in/a.jsonl", "jsonl", False, 10, 0)
    broken = InputFile("b.jsonl", "in/b.jsonl", "jsonl", False, 10, 0)
    filler = ShardFiller(records=3, pages=50)
    filler.add(Slice(first, 0, 2))
    before = filler.state()
    filler.add(Slice(broken, 0, 1))  # closes shard 0, which now holds a slice of the broken file
    filler.add(Slice(broken, 1, 3))
    filler.restore(before)
    filler.add(Slice(first, 2, 4))
    filler.close()
    assert [[(s.file.path, s.start, s.stop) for s in shard.slices] for shard in filler.shards] == [
        [("a.jsonl", 0, 2), ("a.jsonl", 2, 4)]]
    assert [shard.first_order for shard in filler.shards] == [0]
