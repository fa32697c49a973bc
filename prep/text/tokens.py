"""Compiled scanning of UTF-8 text into word tokens and their hashes.

Deduplication tokenises every word of every document, and the cohesion measures of the
cleaning stages every word of every line; done with string frames that means exploding tens
of millions of rows per shard. These kernels read the text's UTF-8 bytes once instead (numba),
which is what keeps a run at thousands of documents per second. They are hand-written
because no installed library tokenises into hashes without materialising every token.

A token is a run of letters, digits and combining marks (`\\p{L}`, `\\p{N}`, `\\p{M}`); in a
script written without spaces (Chinese, Japanese, Thai, Lao, Khmer, Myanmar, Tibetan) each
character is a token of its own. Tokens are lowercased as they are read (a per-character
table), and a token's hash is 64-bit FNV-1a over its lowercased
UTF-8 bytes (`token_hash` is the reference).
"""

from __future__ import annotations

import unicodedata
from functools import cache

import numpy as np
import polars as pl

from prep.compiled import kernel

SEPARATOR, WORD, NO_SPACE = 0, 1, 2
COMPATIBILITY = 4  # a flag on top of the class: NFKC would change this character
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
_MASK64 = 0xFFFFFFFFFFFFFFFF
_NO_SPACE_RANGES = (
    (0x0E00, 0x0EFF),    # Thai, Lao
    (0x0F00, 0x0FFF),    # Tibetan
    (0x1000, 0x109F),    # Myanmar
    (0x1780, 0x17FF),    # Khmer
    (0x3040, 0x30FF),    # Hiragana, Katakana
    (0x31F0, 0x31FF),    # Katakana extensions
    (0x3400, 0x4DBF),    # CJK extension A
    (0x4E00, 0x9FFF),    # CJK unified ideographs
    (0xF900, 0xFAFF),    # CJK compatibility ideographs
    (0xFF66, 0xFF9F),    # halfwidth Katakana
)


@cache
def char_classes() -> np.ndarray:
    """Class of every code point of the Basic Multilingual Plane (others are classed in `code_class`),
    with the COMPATIBILITY flag on letters and digits NFKC would rewrite (full-width forms,
    ligatures, super- and subscripts, ...)."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for code in range(0x10000):
        ch = chr(code)
        if unicodedata.category(ch)[0] in "LNM":
            table[code] = WORD
            if unicodedata.normalize("NFKC", ch) != ch:
                table[code] |= COMPATIBILITY
    for lo, hi in _NO_SPACE_RANGES:
        block = table[lo:hi + 1]
        block[(block & 3) == WORD] += NO_SPACE - WORD
    return table


@cache
def lower_table() -> np.ndarray:
    """The lowercase of every code point of the Basic Multilingual Plane, where it is one code point."""
    table = np.arange(0x10000, dtype=np.uint32)
    for code in range(0x10000):
        lower = chr(code).lower()
        if len(lower) == 1:
            table[code] = ord(lower)
    return table


def token_hash(token: str) -> int:
    """64-bit FNV-1a of a token's UTF-8 bytes: the reference the kernels must match."""
    h = FNV_OFFSET
    for byte in token.encode("utf-8"):
        h = ((h ^ byte) * FNV_PRIME) & _MASK64
    return h


def char_class(code: int) -> int:
    """The class of one code point, as the kernels see it."""
    if code < 0x10000:
        return int(char_classes()[code]) & 3
    if 0x20000 <= code <= 0x3FFFF:  # CJK extensions B-H
        return NO_SPACE
    if 0x1F000 <= code <= 0x1FFFF:  # emoji and other pictographs
        return SEPARATOR
    return WORD


def utf8_buffer(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(bytes, spans): the texts' UTF-8 bytes as one array, and for text i the [start, end) of
    its bytes in spans[i]; read from the Arrow buffers polars hands over, without a copy per text."""
    import pyarrow as pa

    array = texts.fill_null("").to_arrow()
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if array.type != pa.large_string():
        array = array.cast(pa.large_string())
    _, offsets, data = array.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)[array.offset:array.offset + len(array) + 1]
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return raw, np.stack([bounds[:-1], bounds[1:]], axis=1)


@kernel()
def decode_utf8(data, i):
    """(code point, byte length) of the UTF-8 character at data[i]. The bytes are widened before
    they are shifted: run as plain Python (prep/compiled.py), numpy would shift them as uint8."""
    b = np.int64(data[i])
    if b < 0x80:
        return b, 1
    if b >= 0xF0 and i + 3 < len(data):
        return ((b & 0x07) << 18) | ((np.int64(data[i + 1]) & 0x3F) << 12) | ((np.int64(data[i + 2]) & 0x3F) << 6) \
            | (np.int64(data[i + 3]) & 0x3F), 4
    if b >= 0xE0 and i + 2 < len(data):
        return ((b & 0x0F) << 12) | ((np.int64(data[i + 1]) & 0x3F) << 6) | (np.int64(data[i + 2]) & 0x3F), 3
    if b >= 0xC0 and i + 1 < len(data):
        return ((b & 0x1F) << 6) | (np.int64(data[i + 1]) & 0x3F), 2
    return b, 1  # a stray continuation byte: a separator of its own


@kernel()
def code_class(code, table):
    if code < 0x10000:
        return table[code] & 3
    if 0x20000 <= code <= 0x3FFFF:  # CJK extensions B-H
        return 2
    if 0x1F000 <= code <= 0x1FFFF:  # emoji and other pictographs
        return 0
    return 1


@kernel()
def hash_code(h, code, prime):
    """FNV-1a step over the UTF-8 bytes of one code point."""
    if code < 0x80:
        return (h ^ np.uint64(code)) * prime
    if code < 0x800:
        h = (h ^ np.uint64(0xC0 | (code >> 6))) * prime
    elif code < 0x10000:
        h = (h ^ np.uint64(0xE0 | (code >> 12))) * prime
        h = (h ^ np.uint64(0x80 | ((code >> 6) & 0x3F))) * prime
    else:
        h = (h ^ np.uint64(0xF0 | (code >> 18))) * prime
        h = (h ^ np.uint64(0x80 | ((code >> 12) & 0x3F))) * prime
        h = (h ^ np.uint64(0x80 | ((code >> 6) & 0x3F))) * prime
    return (h ^ np.uint64(0x80 | (code & 0x3F))) * prime


@kernel()
def tokenize(data, start, end, table, lower, out_hash, counts):
    """Hash the lowercased tokens of data[start:end] into out_hash (each no-space-script
    character a token of its own); returns how many. counts[0] and counts[1] receive the
    number of word and of no-space-script characters, counts[2] 1 if a character NFKC would
    rewrite was seen (the caller then normalises the text and tokenises it again)."""
    count = 0
    word_chars = 0
    no_space_chars = 0
    compatibility = 0
    h = np.uint64(FNV_OFFSET)
    length = 0
    i = start
    prime = np.uint64(FNV_PRIME)
    while i < end:
        b = data[i]
        if b < 0x80:
            code, size = np.int64(b), 1
            c = table[code]
            if 65 <= code <= 90:
                code += 32
        else:
            code, size = decode_utf8(data, i)
            if code < 0x10000:
                c = table[code]
                compatibility |= c & 4
                code = np.int64(lower[code])
            else:
                c = code_class(code, table)
        c &= 3
        if c == 1:
            word_chars += 1
            h = hash_code(h, code, prime)
            length += 1
        else:
            if length:
                out_hash[count] = h
                count += 1
                h = np.uint64(FNV_OFFSET)
                length = 0
            if c == 2:  # a character token of its own
                no_space_chars += 1
                out_hash[count] = hash_code(np.uint64(FNV_OFFSET), code, prime)
                count += 1
        i += size
    if length:
        out_hash[count] = h
        count += 1
    counts[0] = word_chars
    counts[1] = no_space_chars
    counts[2] = compatibility
    return count
