"""How much a line shares with the article around it.

A subheading or a paragraph shares content words with the rest of its article and with the
lines right after it; another story's headline, a menu label or an ad shares next to nothing.
Content words are words of three or more letters that are not English function words, with
a plural or possessive 's' taken off ("attacks" meets "attack"); text in other languages keeps
its function words, which only makes the measures more lenient, never harsher.

Measured by a compiled kernel over the lines' UTF-8 bytes (prep/compiled.py): every word
of every line takes part, so exploding them into frame rows would dominate a run's time.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import polars as pl

from prep.compiled import kernel
from prep.text.tokens import FNV_OFFSET, FNV_PRIME, char_classes, code_class, decode_utf8, token_hash, utf8_buffer

LOCAL_SPAN = 2  # kept lines after a line that it would introduce
MIN_LETTERS = 3
STOPWORDS = """
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few first for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself new no nor not now of off on once one only or other our ours
ourselves out over own said same say says she should so some such than that the their theirs
them themselves then there these they this those through to too two under until up very was we
were what when where which while who whom why will with would you your yours yourself yourselves
""".split()


_STOP_SLOTS = 1024  # open addressing: a power of two well above the number of stopwords


@cache
def stopword_table() -> np.ndarray:
    """Stopword hashes in an open-addressing table (0 marks an empty slot)."""
    table = np.zeros(_STOP_SLOTS, dtype=np.uint64)
    for h in {token_hash(w) for w in STOPWORDS}:
        slot = h & (_STOP_SLOTS - 1)
        while table[slot]:
            slot = (slot + 1) & (_STOP_SLOTS - 1)
        table[slot] = h
    return table


def cohesion(kept: pl.DataFrame, targets: pl.Series, titles: pl.DataFrame | None = None) -> pl.DataFrame:
    """(n, shared, local) for each row of `kept` (zeros where `targets` is false).

    `kept` holds the kept lines (order, line) sorted by document and position; `n` is a line's
    count of distinct content words, `shared` how many of them another kept line of its
    document (or its title) also has, `local` how many the next LOCAL_SPAN lines have.
    """
    orders = kept["order"].to_numpy()
    doc_starts = np.flatnonzero(np.r_[True, orders[1:] != orders[:-1]]) if len(orders) else np.zeros(0, np.int64)
    doc_bounds = np.r_[doc_starts, len(orders)].astype(np.int64)
    if titles is not None and len(orders):
        doc_titles = (pl.DataFrame({"order": orders[doc_starts]}).join(titles, on="order", how="left",
                                                                       maintain_order="left")["title"])
    else:
        doc_titles = pl.Series([None] * len(doc_starts), dtype=pl.String)
    line_data, line_spans = utf8_buffer(kept["line"].str.to_lowercase())
    title_data, title_spans = utf8_buffer(doc_titles.str.to_lowercase())
    out = np.zeros((len(orders), 3), dtype=np.int64)
    _cohesion(line_data, line_spans, title_data, title_spans, doc_bounds, targets.to_numpy().astype(np.bool_),
              char_classes(), stopword_table(), LOCAL_SPAN, out)
    return pl.DataFrame({"n": out[:, 0], "shared": out[:, 1], "local": out[:, 2]})


@kernel()
def is_stopword(h, stops):
    slot = h & np.uint64(len(stops) - 1)
    while stops[slot]:
        if stops[slot] == h:
            return True
        slot = (slot + np.uint64(1)) & np.uint64(len(stops) - 1)
    return False


@kernel()
def _content_hashes(data, start, end, table, stops, out):
    """Hashes of the content words of data[start:end] into out; returns how many.

    One pass: each word's FNV-1a hash is built as its bytes are read, with the hash before
    its last byte kept for taking a plural 's' off."""
    count = 0
    prime = np.uint64(FNV_PRIME)
    h = before = np.uint64(FNV_OFFSET)
    length = 0
    last = previous = 0
    i = start
    while i <= end:
        if i < end:
            code, size = decode_utf8(data, i)
            letter = code_class(code, table) != 0
        else:
            size, letter = 1, False
        if letter:
            before = h
            for j in range(size):
                h = (h ^ np.uint64(data[i + j])) * prime
            previous, last = last, data[i + size - 1]
            length += 1
        elif length:
            if length >= MIN_LETTERS and not is_stopword(h, stops):
                out[count] = before if (last == 115 and previous != 115) else h  # 's' after another letter
                count += 1
            h = before = np.uint64(FNV_OFFSET)
            length = 0
            last = previous = 0
        i += size
    return count


@kernel()
def _cohesion(data, spans, title_data, title_spans, docs, targets, table, stops, span, out):
    """Per document, a hash table of its content words (each with the number of distinct lines,
    the title counting as one, that hold it) answers `shared`; the words of the next `span`
    lines, marked in the same table, answer `local`. Linear in the document's words (times
    `span`): no sorting, no word compared with another."""
    biggest = 1
    for d in range(len(docs) - 1):
        size = title_spans[d, 1] - title_spans[d, 0] + 1
        for i in range(docs[d], docs[d + 1]):
            size += spans[i, 1] - spans[i, 0] + 1
        biggest = max(biggest, size)
    hashes = np.empty(biggest, np.uint64)       # the document's words, line by line
    owner = np.empty(biggest, np.int64)         # line of each word, -1 for the title
    word_start = np.empty(spans.shape[0] + 1, np.int64)
    slots = 16
    while slots < 2 * biggest:
        slots *= 2
    keys = np.zeros(slots, np.uint64)
    lines_with = np.zeros(slots, np.int64)
    last_line = np.zeros(slots, np.int64)
    counted_for = np.zeros(slots, np.int64)  # the last line whose count took the word in
    near_for = np.zeros(slots, np.int64)     # the last line whose next `span` lines hold the word
    word_slot = np.empty(biggest, np.int64)
    for d in range(len(docs) - 1):
        first, last = docs[d], docs[d + 1]
        if not targets[first:last].any():
            continue
        count = _content_hashes(title_data, title_spans[d, 0], title_spans[d, 1], table, stops, hashes)
        owner[:count] = -1
        for i in range(first, last):
            word_start[i] = count
            got = _content_hashes(data, spans[i, 0], spans[i, 1], table, stops, hashes[count:])
            owner[count:count + got] = i
            count += got
        word_start[last] = count
        size = 16
        while size < 2 * count:
            size *= 2
        mask = np.uint64(size - 1)
        keys[:size] = 0
        counted_for[:size] = -1
        near_for[:size] = -1
        for w in range(count):
            slot = _slot(keys, hashes[w], mask)
            word_slot[w] = slot
            if keys[slot] == 0:
                keys[slot] = hashes[w]
                lines_with[slot] = 1
                last_line[slot] = owner[w]
            elif last_line[slot] != owner[w]:
                lines_with[slot] += 1
                last_line[slot] = owner[w]
        for i in range(first, last):
            if not targets[i]:
                continue
            for w in range(word_start[i + 1], word_start[min(i + 1 + span, last)]):
                near_for[word_slot[w]] = i
            distinct = shared = local = 0
            for w in range(word_start[i], word_start[i + 1]):
                slot = word_slot[w]
                if counted_for[slot] == i:  # a word already counted for this line
                    continue
                counted_for[slot] = i
                distinct += 1
                shared += lines_with[slot] > 1
                local += near_for[slot] == i
            out[i, 0] = distinct
            out[i, 1] = shared
            out[i, 2] = local


@kernel()
def _slot(keys, h, mask):
    """The slot of `h` in an open-addressing table: where it is, or the empty slot it would take."""
    slot = h & mask
    while keys[slot] != 0 and keys[slot] != h:
        slot = (slot + np.uint64(1)) & mask
    return slot
