"""A shard of HTML pages read part by part while the parser process extracts the parts read.

trafilatura takes about a tenth of a second per page in the parser process; reading a page
(decompressing, hashing, decoding) takes this process a few milliseconds. Read in full before
the first page is sent, a shard's pages would leave the parser idle all that time; read in a
thread, part after part while the first parts are extracted, they keep it busy. The reading
thread spends most of its time in zlib and hashlib, which release the GIL, and this process
mostly waits for the parser. The thread reads ahead as far as it gets: the shard's records
are all held in the end either way.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from itertools import repeat

import polars as pl

from prep.clean.extract.records import Extraction, extract
from prep.config import Config
from prep.sources import Shard, ShardRecords, read_shard

PART_RECORDS = 10  # records read (and then extracted) together
FIRST_PART_RECORDS = 1  # the parser waits for the first part: it starts on the shard's first page at once


def read_and_extract(shard: Shard, config: Config,
                     on_pages: Callable[[int], None]) -> tuple[ShardRecords, Extraction]:
    """What `read_shard` and then `extract` would give, with reading and extracting overlapped;
    `on_pages(1)` after each page extracted."""
    reader = ThreadPoolExecutor(1, thread_name_prefix="prep-read")
    try:
        done = [(records, extract(records.frame, config.extract, config.limits.extract_timeout_seconds, on_pages))
                for records in reader.map(read_shard, shard.parts(PART_RECORDS, FIRST_PART_RECORDS), repeat(config))]
    finally:  # after a failure, the parts not read yet are not read at all
        reader.shutdown(cancel_futures=True)
    records = ShardRecords(pl.concat([r.frame for r, _ in done]),
                           [f for r, _ in done for f in r.files], [p for r, _ in done for p in r.problems])
    extraction = Extraction(pl.concat([e.docs for _, e in done]), sum(e.pages for _, e in done),
                            sum(e.trafilatura_seconds for _, e in done), sum(e.unreadable_dates for _, e in done))
    return records, extraction
