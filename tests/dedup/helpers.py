import unicodedata
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl
from datasketch import MinHash

from prep.config import DedupConfig
from prep.dedup.features import compute_features
from prep.dedup.groups import group_documents
from prep.dedup.signatures import NO_SPACE_SHARE, SCHEME
from prep.dedup.store import ShardFeatures
from prep.text.tokens import COMPATIBILITY, NO_SPACE, WORD, char_class, char_classes, lower_table, token_hash
from tests.badinputs import prose

VOCAB = ("city council river bridge market school station harbour museum festival garden library farmer "
         "doctor teacher engineer budget storm election court police fire water power road rail airport "
         "report plan vote tax price wage health energy trade border army navy coast valley mountain").split()


def sentences(seed: int, n: int, vocab: list[str] = VOCAB, words: int = 14) -> list[str]:
    """n made-up sentences (`words` content words joined as prose); different seeds share no run
    of five words but by rare chance."""
    rng = np.random.default_rng(seed)
    return [prose(list(rng.choice(vocab, size=words))) for _ in range(n)]


def docs_frame(texts: list[str], published: list[str | None] | None = None) -> pl.DataFrame:
    return pl.DataFrame({
        "order": list(range(len(texts))),
        "doc_id": [f"d{i:03d}" for i in range(len(texts))],
        "text": texts,
        "published": published or [None] * len(texts),
    }, schema={"order": pl.Int64, "doc_id": pl.String, "text": pl.String, "published": pl.String})


def write_features(docs: pl.DataFrame, config: DedupConfig, tmp: Path, shard_size: int) -> list[ShardFeatures]:
    """Features of `docs` in shards of `shard_size`, written where group_documents reads them."""
    shards = []
    for n, start in enumerate(range(0, docs.height, shard_size)):
        feats = compute_features(docs.slice(start, shard_size), config)
        paths = ShardFeatures.in_folder(tmp, f"shard-{n}")
        paths.save(feats)
        shards.append(paths)
    return shards


def group_texts(texts: list[str], tmp: Path, config: DedupConfig | None = None, shard_size: int = 1000,
                published: list[str | None] | None = None) -> pl.DataFrame:
    """Dedup decisions for texts, computed in shards of `shard_size` like a run does."""
    config = config or DedupConfig()
    docs = docs_frame(texts, published)
    shards = write_features(docs, config, tmp, shard_size)
    return group_documents(shards, config).sort("order").with_columns(doc_id=docs["doc_id"])


def datasketch_minhash(text: str, config: DedupConfig) -> MinHash:
    """datasketch's own per-shingle loop over the reference tokens of the same text."""
    norm = fold(text)
    words = reference_tokens(norm)
    kinds = [char_class(ord(c)) for c in norm]
    no_space, letters = kinds.count(NO_SPACE), kinds.count(NO_SPACE) + kinds.count(WORD)
    chars = no_space > NO_SPACE_SHARE * letters and no_space > 0
    width = min(config.char_ngram if chars else config.ngram, len(words))
    m = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=shingle_hash_of_tokens, scheme=SCHEME)
    for i in range(len(words) - width + 1 if words else 0):
        m.update(tuple(words[i:i + width]))
    return m


# The references the compiled tokeniser and MinHash kernel must match, in plain Python.
POLY = 0x100000001B3
MASK32 = 0xFFFFFFFF
MASK64 = 0xFFFFFFFFFFFFFFFF


def fold(text: str) -> str:
    """The text as the tokens see it: NFKC where NFKC changes a letter or digit, then lowercased
    character by character (the reference for what the kernels hash)."""
    classes, lower = char_classes(), lower_table()
    if any(ord(ch) < 0x10000 and classes[ord(ch)] & COMPATIBILITY for ch in text):
        text = unicodedata.normalize("NFKC", text)
    return "".join(chr(lower[ord(ch)]) if ord(ch) < 0x10000 else ch for ch in text)


def reference_tokens(text: str) -> list[str]:
    """The tokens `tokenize` hashes (with character tokens), as strings: the reference."""
    tokens: list[str] = []
    current: list[str] = []
    for ch in text:
        kind = char_class(ord(ch))
        if kind == WORD:
            current.append(ch)
            continue
        if current:
            tokens.append("".join(current))
            current = []
        if kind == NO_SPACE:
            tokens.append(ch)
    if current:
        tokens.append("".join(current))
    return tokens


def shingle_hash(token_hashes: Sequence[int]) -> int:
    """Reference hash of one shingle from its tokens' 64-bit hashes (what the kernel computes)."""
    h = 0
    for value in token_hashes:
        h = (h * POLY + value) & MASK64
    return fmix64(h) & MASK32


def shingle_hash_of_tokens(shingle: Sequence[str]) -> int:
    """A datasketch `hashfunc`: a shingle given as its tokens."""
    return shingle_hash([token_hash(t) for t in shingle])


def fmix64(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK64
    return h ^ (h >> 33)


