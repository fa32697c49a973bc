"""Groups: exact copies, syndicated rewrites, no chaining, the keep rules, determinism."""

from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from prep.config import DedupConfig
from prep.dedup.clusters import similar
from prep.dedup.features import compute_features
from prep.dedup.groups import group_documents
from prep.dedup.lsh import candidate_pairs
from prep.dedup.signatures import SCHEME
from prep.dedup.store import ShardFeatures
from tests.dedup.helpers import docs_frame, group_texts, sentences


def test_exact_and_trivial_copies_group_with_the_original(tmp_path: Path):
    base = " ".join(sentences(1, 8))
    texts = [base, base, base.replace(" ", "\n", 3), base.upper(), " ".join(sentences(2, 8))]
    got = group_texts(texts, tmp_path)
    assert got["cluster_id"].to_list() == ["d000"] * 4 + ["d004"]
    assert got["dup_reason"].to_list() == [None, "exact_duplicate", "exact_duplicate", "exact_duplicate", None]
    assert got["cluster_size"].to_list() == [4, 4, 4, 4, 1]
    assert got["similarity"].to_list() == [None, 1.0, 1.0, 1.0, None]


def test_curly_and_straight_quotes_are_the_same_text(tmp_path: Path):
    got = group_texts(['He said "yes" to the plan\'s cost today and left.',
                       "He said \u201cyes\u201d to the plan\u2019s cost today and left."], tmp_path)
    assert got["dup_reason"].to_list() == [None, "exact_duplicate"]


def test_rewrite_sharing_half_its_sentences_groups(tmp_path: Path):
    s = sentences(3, 12)
    rewrite = s[:6] + sentences(4, 5)
    got = group_texts([" ".join(s), " ".join(rewrite), " ".join(sentences(5, 12))], tmp_path)
    assert got["cluster_id"].to_list() == ["d000", "d000", "d002"]
    assert got["dup_reason"][1] == "near_duplicate"
    assert 0.25 < got["similarity"][1] < 0.6


def test_truncated_copy_groups_by_containment(tmp_path: Path):
    s = sentences(6, 20)
    got = group_texts([" ".join(s), " ".join(s[:5])], tmp_path)
    assert got["similarity"][1] < DedupConfig().threshold  # it is in by containment, not Jaccard
    assert got["cluster_id"].to_list() == ["d000", "d000"]


def test_groups_do_not_chain_and_similarity_is_to_the_kept_document(tmp_path: Path):
    s = sentences(7, 10)
    a = " ".join(s[0:6] + sentences(8, 1))  # A ~ B and B ~ C, but A and C are not similar
    b = " ".join(s[2:8])
    c = " ".join(s[4:10])
    config = DedupConfig()
    got = group_texts([a, b, c], tmp_path)
    sig = compute_features(docs_frame([a, b, c]), config).signatures
    assert (sig[1] == sig[2]).mean() >= config.threshold  # B ~ C: transitive linking would pull C in
    assert (sig[0] == sig[2]).mean() < config.threshold
    assert got["cluster_id"].to_list() == ["d000", "d000", "d002"]
    assert got["cluster_size"].to_list() == [2, 2, 1]
    assert got["similarity"].to_list() == [None, (sig[1] == sig[0]).mean(), None]


def test_every_member_is_similar_to_its_kept_document(tmp_path: Path):
    texts, s = [], sentences(20, 30)
    for i in range(0, 24, 2):  # overlapping windows: a chain of neighbours across the whole story
        texts.append(" ".join(s[i:i + 8]))
    config = DedupConfig()
    got = group_texts(texts, tmp_path)
    feats = compute_features(docs_frame(texts), config)
    index = {f"d{i:03d}": i for i in range(len(texts))}
    kept = np.array([index[c] for c in got["cluster_id"]])
    members = np.flatnonzero(kept != np.arange(len(texts)))
    assert len(members) > 0 and got["cluster_id"].n_unique() > 1
    sig, sizes = feats.signatures, feats.meta["shingles"].to_numpy()
    estimate = (sig[members] == sig[kept[members]]).mean(axis=1)
    assert similar(estimate, sizes[members], sizes[kept[members]], config).all()
    assert np.array_equal(got["similarity"].to_numpy()[members], estimate)


@pytest.mark.parametrize("keep,expected", [("longest", "d001"), ("first", "d000"), ("newest", "d002")])
def test_keep_rules(tmp_path: Path, keep: str, expected: str):
    s = sentences(9, 10)
    texts = [" ".join(s), " ".join(s) + " And one more closing sentence here.", " ".join(s[:9] + s[9:]) + " Coda."]
    got = group_texts(texts, tmp_path, DedupConfig(keep=keep),
                      published=["2024-01-01", None, "2024-06-01"])
    assert set(got["cluster_id"]) == {expected}


def test_newest_puts_undated_documents_last(tmp_path: Path):
    s = sentences(12, 10)
    texts = [" ".join(s) + " First.", " ".join(s) + " Second one.", " ".join(s) + " Third."]
    got = group_texts(texts, tmp_path, DedupConfig(keep="newest"), published=[None, "2023-05-01", None])
    assert set(got["cluster_id"]) == {"d001"}


def test_longest_ties_go_to_the_smaller_doc_id(tmp_path: Path):
    base = " ".join(sentences(10, 6))
    got = group_texts([base, base], tmp_path)
    assert got["cluster_id"].to_list() == ["d000", "d000"]


def test_groups_do_not_depend_on_shard_size(tmp_path: Path):
    texts = []
    for i in range(12):
        s = sentences(100 + i, 8)
        texts += [" ".join(s), " ".join(s[:5] + sentences(200 + i, 3)), " ".join(s[2:] + sentences(300 + i, 2))]
    results = []
    for size in (1000, 7, 1):
        (tmp_path / str(size)).mkdir()
        results.append(group_texts(texts, tmp_path / str(size), shard_size=size))
    assert results[0].equals(results[1]) and results[0].equals(results[2])
    assert 12 <= results[0]["cluster_id"].n_unique() < 24  # every story grouped, not always whole


def test_candidate_pairs_equal_datasketch_lsh(tmp_path: Path):
    texts = []
    for i in range(30):
        s = sentences(300 + i, 8)
        texts += [" ".join(s), " ".join(s[:4] + sentences(400 + i, 4))]
    config = DedupConfig()
    feats = compute_features(docs_frame(texts), config)
    paths = ShardFeatures.in_folder(tmp_path, "shard")
    paths.save(feats)
    ours = {tuple(p) for p in candidate_pairs([paths], np.arange(len(texts)), config.bands, quick_check=False)}
    checked = {tuple(p) for p in candidate_pairs([paths], np.arange(len(texts)), config.bands)}
    lsh = MinHashLSH(num_perm=config.num_perm, params=(config.bands, config.num_perm // config.bands))
    sketches = [MinHash(seed=config.seed, hashvalues=sig, scheme=SCHEME) for sig in feats.signatures]
    for i, m in enumerate(sketches):
        lsh.insert(i, m)
    theirs = {(min(i, j), max(i, j)) for i, m in enumerate(sketches) for j in lsh.query(m) if i != j}
    assert ours == theirs
    assert len(ours) >= 30
    # the quick check only ever removes candidates, and never a pair of copies (i, i + 1)
    assert checked <= ours and {(i, i + 1) for i in range(0, len(texts), 2)} <= checked


def test_candidate_pairs_do_not_depend_on_how_many_threads_search_the_bands(tmp_path: Path, monkeypatch):
    from prep.dedup import lsh

    texts = []
    for i in range(20):
        s = sentences(500 + i, 8)
        texts += [" ".join(s), " ".join(s[:4] + sentences(600 + i, 4)), " ".join(s[3:])]
    config = DedupConfig()
    paths = ShardFeatures.in_folder(tmp_path, "shard")
    paths.save(compute_features(docs_frame(texts), config))
    found = []
    for threads in (1, 3):
        monkeypatch.setattr(lsh, "BAND_THREADS", threads)
        found.append(candidate_pairs([paths], np.arange(len(texts)), config.bands))
    assert len(found[0]) >= 40
    assert np.array_equal(found[0], found[1])


def test_no_near_dedup_keeps_rewrites_apart(tmp_path: Path):
    s = sentences(11, 10)
    got = group_texts([" ".join(s), " ".join(s[:7] + sentences(12, 3))], tmp_path, DedupConfig(near=False))
    assert got["cluster_id"].to_list() == ["d000", "d001"]


def test_empty_input_gives_empty_decisions():
    assert group_documents([], DedupConfig()).is_empty()



def test_newest_compares_moments_not_strings(tmp_path: Path):
    """As text, each later moment here sorts first: an offset west of UTC, and a space for the 'T'
    (which prep writes for Parquet timestamp columns read by older versions)."""
    s = sentences(12, 10)
    texts = [" ".join(s) + " First.", " ".join(s) + " Second one.", " ".join(s) + " Third."]
    published = ["2025-03-04T01:00:00+00:00", "2025-03-03T23:00:00-05:00", "2025-03-03"]  # 04:00 UTC is latest
    got = group_texts(texts, tmp_path, DedupConfig(keep="newest"), published=published)
    assert set(got["cluster_id"]) == {"d001"}
    spaced = ["2025-03-05 08:00:00", "2025-03-05T07:00:00", None]
    got = group_texts(texts, tmp_path / "spaced", DedupConfig(keep="newest"), published=spaced)
    assert set(got["cluster_id"]) == {"d000"}



def test_pairs_that_share_no_document_are_components_as_scipy_finds_them():
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from prep.dedup.clusters import _components

    rng = np.random.default_rng(3)
    n = 50
    docs = rng.permutation(n)[:20]
    a, b = docs[:10], docs[10:]
    ours = _components(a, b, n, disjoint=True)
    theirs = connected_components(coo_matrix((np.ones(10, dtype=np.int8), (a, b)), shape=(n, n)), directed=False)[1]
    # the same partition: two documents share a label in one exactly when they do in the other
    assert ((ours[:, None] == ours[None, :]) == (theirs[:, None] == theirs[None, :])).all()
    chained = _components(np.array([0, 1]), np.array([1, 2]), 4, disjoint=False)
    assert chained[0] == chained[1] == chained[2] != chained[3]
