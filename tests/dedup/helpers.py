from pathlib import Path

import numpy as np
import polars as pl

from prep.config import DedupConfig
from prep.dedup.features import compute_features
from prep.dedup.groups import ShardFeatures, group_documents


def docs_frame(texts: list[str], published: list[str | None] | None = None) -> pl.DataFrame:
    return pl.DataFrame({
        "order": list(range(len(texts))),
        "doc_id": [f"d{i:03d}" for i in range(len(texts))],
        "text": texts,
        "published": published or [None] * len(texts),
    }, schema={"order": pl.Int64, "doc_id": pl.String, "text": pl.String, "published": pl.String})


def group_texts(texts: list[str], tmp: Path, config: DedupConfig | None = None, shard_size: int = 1000,
                published: list[str | None] | None = None) -> pl.DataFrame:
    """Dedup decisions for texts, computed in shards of `shard_size` like a run does."""
    config = config or DedupConfig()
    docs = docs_frame(texts, published)
    shards = []
    for n, start in enumerate(range(0, len(texts), shard_size)):
        feats = compute_features(docs.slice(start, shard_size), config)
        paths = ShardFeatures(str(tmp / f"m{n}.parquet"), str(tmp / f"s{n}.npy"), str(tmp / f"b{n}.npy"))
        feats.meta.write_parquet(paths.meta)
        np.save(paths.signatures, feats.signatures)
        np.save(paths.bands, feats.bands)
        shards.append(paths)
    return group_documents(shards, config).sort("order").with_columns(doc_id=docs["doc_id"])
