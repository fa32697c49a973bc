"""MinHash signatures, computed in bulk, equal to datasketch.MinHash for the same shingles.

datasketch is the library of record: its permutation parameters are used as they are, and a
test checks that `signatures` gives exactly the hash values of `datasketch.MinHash(num_perm,
seed, hashfunc=shingle_hash_of_tokens, scheme="affine32")` updated with the same shingles.
datasketch's per-shingle `update` costs a Python call per shingle; the kernel below does
the same arithmetic (murmur3 finaliser, then a*h+b mod 2^32, then the minimum) for all
documents of a shard in one compiled loop, which is what makes 10,000+ documents/s possible.

A shingle is a run of `ngram` consecutive tokens (all tokens for a shorter document); its
32-bit hash is a polynomial over the 64-bit token hashes, finalised with murmur3's fmix64.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from datasketch import MinHash
from numba import njit

from prep.dedup.tokens import token_hash

_MASK32 = 0xFFFFFFFF
_MASK64 = 0xFFFFFFFFFFFFFFFF
_POLY = 0x100000001B3  # the 64-bit FNV prime: odd, so the polynomial keeps every bit in play
SCHEME = "affine32"


def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's own (a, b) permutation parameters for this num_perm and seed."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    return np.ascontiguousarray(a, dtype=np.uint32), np.ascontiguousarray(b, dtype=np.uint32)


def shingle_hash(token_hashes: Sequence[int]) -> int:
    """Reference hash of one shingle from its tokens' 64-bit hashes (what the kernel computes)."""
    h = 0
    for value in token_hashes:
        h = (h * _POLY + value) & _MASK64
    return _fmix64_py(h) & _MASK32


def shingle_hash_of_tokens(shingle: Sequence[str]) -> int:
    """A datasketch `hashfunc`: a shingle given as its tokens."""
    return shingle_hash([token_hash(t) for t in shingle])


def _fmix64_py(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    return h ^ (h >> 33)


def signatures(token_hashes: np.ndarray, starts: np.ndarray, ngrams: np.ndarray, num_perm: int,
               seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(signatures uint32[docs, num_perm], distinct shingles per doc int64[docs]).

    `token_hashes` holds all documents' token hashes back to back; document d owns
    token_hashes[starts[d]:starts[d + 1]] and is shingled `ngrams[d]` tokens at a time (words
    and characters call for different widths). A document without tokens keeps the all-max
    signature of an empty datasketch.MinHash and a shingle count of 0.
    """
    a, b = permutations(num_perm, seed)
    n_docs = len(starts) - 1
    out = np.full((n_docs, num_perm), _MASK32, dtype=np.uint32)
    sizes = np.zeros(n_docs, dtype=np.int64)
    _kernel(np.ascontiguousarray(token_hashes, dtype=np.uint64), np.ascontiguousarray(starts, dtype=np.int64),
            np.ascontiguousarray(ngrams, dtype=np.int64), a, b, out, sizes)
    return out, sizes


@njit(cache=True, inline="always")
def _fmix64(h):
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xFF51AFD7ED558CCD)
    h ^= h >> np.uint64(33)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


@njit(cache=True, inline="always")
def _fmix32(h):
    m = np.uint64(_MASK32)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x85EBCA6B)) & m
    h ^= h >> np.uint64(13)
    h = (h * np.uint64(0xC2B2AE35)) & m
    return h ^ (h >> np.uint64(16))


@njit(cache=True, nogil=True)
def _kernel(hashes, starts, ngrams, a, b, out, sizes):
    num_perm = a.shape[0]
    mask = np.uint64(_MASK32)
    poly = np.uint64(_POLY)
    for d in range(len(starts) - 1):
        first = starts[d]
        n = starts[d + 1] - first
        if n == 0:
            continue
        width = min(ngrams[d], n)
        count = n - width + 1
        shingles = np.empty(count, dtype=np.uint64)
        for i in range(count):
            h = np.uint64(0)
            for j in range(width):
                h = h * poly + hashes[first + i + j]
            shingles[i] = _fmix64(h) & mask
        shingles.sort()
        distinct = 0
        for i in range(count):
            if i == 0 or shingles[i] != shingles[i - 1]:
                shingles[distinct] = shingles[i]
                distinct += 1
        sizes[d] = distinct
        row = out[d]
        for i in range(distinct):
            hv = _fmix32(shingles[i])
            for p in range(num_perm):  # branch-free, so that the compiler vectorises it
                row[p] = min(row[p], np.uint32((np.uint64(a[p]) * hv + np.uint64(b[p])) & mask))
