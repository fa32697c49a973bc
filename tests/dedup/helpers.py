from pathlib import Path

import numpy as np
import polars as pl
from datasketch import MinHash

from prep.config import DedupConfig
from prep.dedup.features import compute_features
from prep.dedup.groups import ShardFeatures, group_documents
from prep.dedup.minhash import NO_SPACE_SHARE, SCHEME, shingle_hash_of_tokens
from prep.text.tokens import NO_SPACE, WORD, char_class, fold, reference_tokens

VOCAB = ("city council river bridge market school station harbour museum festival garden library farmer "
         "doctor teacher engineer budget storm election court police fire water power road rail airport "
         "report plan vote tax price wage health energy trade border army navy coast valley mountain").split()


def sentences(seed: int, n: int, vocab: list[str] = VOCAB, words: int = 14) -> list[str]:
    """n made-up sentences; different seeds share no run of five words but by rare chance."""
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(vocab, size=words)).capitalize() + "." for _ in range(n)]


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
