"""`prep run --against`: a day's crawl deduplicated against the outputs of earlier days, through
the real CLI on generated news."""

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest
from datasketch import LeanMinHash, MinHash

from prep.config import DedupConfig
from tests.behaviour.test_faults import finish, start_prep
from tests.conftest import read_table, run_prep
from tests.dedup.helpers import datasketch_minhash, sentences

FIRST = '[dedup]\nkeep = "first"\n'


def article(sents: list[str]) -> str:
    """Paragraphs of five sentences, as news text reads."""
    return "\n\n".join(" ".join(sents[k:k + 5]) for k in range(0, len(sents), 5))


def two_days(seed: int = 5, stories: int = 70, unique: int = 60) -> tuple[list[dict], list[dict]]:
    """About 300 articles over two days: each story in overlapping versions (neighbours are
    near-duplicates, versions two apart are not: chains), exact copies (case and spacing
    changed), and stories told once; every document lands on a random day, in random order."""
    rng = np.random.default_rng(seed)
    docs = []
    for story in range(stories):
        s = sentences(10_000 + story, 22)
        versions = [article(s[k:k + 10]) for k in (0, 4, 8, 12)]
        chosen = [versions[v] for v in sorted(rng.choice(4, size=int(rng.integers(1, 5)), replace=False))]
        copies = [text.lower().replace("\n\n", "\n\n\n") for text in chosen if rng.random() < 0.4]
        docs += [(f"story{story}", text) for text in chosen + copies]
    docs += [(f"once{i}", article(sentences(20_000 + i, 10))) for i in range(unique)]
    days: tuple[list[dict], list[dict]] = ([], [])
    for n in rng.permutation(len(docs)):
        day = int(rng.integers(0, 2))
        title, text = docs[n]
        days[day].append({"id": f"a{n}", "title": title.title(), "text": text, "published": f"2026-11-2{day + 1}"})
    return days


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))


def rows_of(out: Path) -> pl.DataFrame:
    return pl.concat([read_table(out, "corpus"), read_table(out, "dropped")], how="diagonal").sort("doc_id")


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def prep_ok(*args, cwd: Path) -> None:
    result = run_prep(*args, "-w", "1", cwd=cwd)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def days(tmp_path_factory) -> dict:
    """day1; day2 against day1; one run over both days; all with keep = "first"."""
    root = tmp_path_factory.mktemp("days")
    day1, day2 = two_days()
    write_jsonl(root / "day1" / "news.jsonl", day1)
    write_jsonl(root / "day2" / "news.jsonl", day2)
    (root / "first.toml").write_text(FIRST)
    prep_ok("run", "day1", "--out", "out1", "-c", "first.toml", cwd=root)
    before = digests(root / "out1")
    prep_ok("run", "day2", "--out", "out2", "-c", "first.toml", "--against", "out1", cwd=root)
    prep_ok("run", "day1", "day2", "--out", "both", "-c", "first.toml", cwd=root)
    return {"root": root, "before": before, "records": (len(day1), len(day2))}


@pytest.mark.slow
def test_day2_against_day1_keeps_what_one_run_over_both_days_keeps(days):
    root = days["root"]
    both, out1, out2 = rows_of(root / "both"), rows_of(root / "out1"), rows_of(root / "out2")
    assert (out1.height, out2.height) == days["records"]
    assert pl.concat([out1, out2]).sort("doc_id")["text"].equals(both["text"])  # cleaned alike: what dedup sees
    kept = lambda rows: set(rows.filter(pl.col("drop_reason").is_null())["doc_id"])  # noqa: E731
    assert kept(both) == kept(out1) | kept(out2)
    columns = ["doc_id", "drop_reason", "cluster_id", "similarity"]
    assert pl.concat([out1, out2]).sort("doc_id").select(columns).equals(both.select(columns))
    reasons = out2["drop_reason"].value_counts()
    assert set(reasons["drop_reason"].drop_nulls()) == {"exact_duplicate", "near_duplicate"}


@pytest.mark.slow
def test_copies_of_day1_documents_are_dropped_naming_them(days):
    root = days["root"]
    day1_kept = read_table(root / "out1", "corpus")
    out2 = rows_of(root / "out2")
    against = out2.filter(pl.col("cluster_id").is_in(day1_kept["doc_id"].implode()))
    assert against.height > 10
    assert against["drop_reason"].is_in(["exact_duplicate", "near_duplicate"]).all()
    assert (against["similarity"] >= 0.3).all()
    manifest = json.loads((root / "out2" / "manifest.json").read_text())
    [entry] = manifest["against"]
    assert entry["path"] == "out1" and entry["documents"] == day1_kept.height
    assert entry["manifest_sha256"] == hashlib.sha256((root / "out1" / "manifest.json").read_bytes()).hexdigest()
    assert entry["run_fingerprint"] == json.loads((root / "out1" / "manifest.json").read_text())["run_fingerprint"]
    assert entry["dropped"] == dict(sorted(against["drop_reason"].value_counts().iter_rows()))
    assert manifest["config"]["dedup"]["against"] == ["out1"]


@pytest.mark.slow
def test_inspect_and_explain_count_the_earlier_kept_document_in_its_group(days):
    """A group kept in day 1 shows in day 2's inspect with its full size, and explain lists its
    kept document (only its doc_id is in day 2's output)."""
    import duckdb

    root, out2 = days["root"], days["root"] / "out2"
    day1_kept = read_table(root / "out1", "corpus")["doc_id"].implode()
    rows = rows_of(out2)
    earlier = rows.filter(pl.col("cluster_id").is_in(day1_kept))
    result = run_prep("inspect", "out2", "--json", "--top", "1000", cwd=root)
    assert result.returncode == 0, result.stderr
    groups = json.loads(result.stdout)["duplicate_groups"]
    sizes = dict(duckdb.sql(f"SELECT cluster_id, max(cluster_size) FROM read_parquet('{out2}/*/*.parquet') "
                            "WHERE cluster_size > 1 GROUP BY 1").fetchall())
    assert {g["cluster_id"]: g["size"] for g in groups["largest"]} == sizes
    assert groups["kept_earlier"] == earlier["cluster_id"].n_unique() > 0
    assert {g["cluster_id"] for g in groups["largest"] if g["kept_earlier"]} == set(earlier["cluster_id"])
    assert all(g["title"] is None for g in groups["largest"] if g["kept_earlier"])
    doc = earlier.row(0, named=True)
    result = run_prep("explain", "out2", doc["doc_id"], "--json", cwd=root)
    assert result.returncode == 0, result.stderr
    group = json.loads(result.stdout)["group"]
    assert group["kept_earlier"] and group["size"] == doc["cluster_size"]
    members = earlier.filter(pl.col("cluster_id") == doc["cluster_id"])["doc_id"]
    assert sorted(m["doc_id"] for m in group["members"]) == sorted(members) and len(members) < doc["cluster_size"]
    result = run_prep("explain", "out2", doc["doc_id"], cwd=root)
    assert result.returncode == 0, result.stderr
    assert f"({doc['cluster_size']} documents)" in result.stdout and "None" not in result.stdout
    assert "an earlier output (below)" in result.stdout  # readable off a terminal too (80 columns)


@pytest.mark.slow
def test_the_earlier_output_is_not_changed(days):
    assert digests(days["root"] / "out1") == days["before"]


@pytest.mark.slow
def test_signatures_are_the_kept_documents_and_load_into_datasketch(days):
    out = days["root"] / "out1"
    config = DedupConfig()
    corpus = read_table(out, "corpus")
    sigs = pl.read_parquet(out / "dedup" / "signatures" / "*.parquet")
    assert sigs.schema["signature"] == pl.Array(pl.UInt32, config.num_perm)
    assert sigs["doc_id"].to_list() == corpus["doc_id"].to_list()
    manifest = json.loads((out / "manifest.json").read_text())
    for part in manifest["outputs"]["signatures"]:
        path = out / part["file"]
        assert pq.read_metadata(path).num_rows == part["rows"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == part["sha256"]
        params = json.loads(pl.read_parquet_metadata(path)["prep.signature"])
        assert params | {"hash": None} == {"num_perm": config.num_perm, "seed": config.seed, "ngram": config.ngram,
                                           "char_ngram": config.char_ngram, "scheme": "affine32",
                                           "bands": config.bands, "hash": None, "view": "prose-lines-v1"}
    texts = dict(zip(corpus["doc_id"], corpus["text"], strict=True))
    dropped = read_table(out, "dropped").filter(pl.col("drop_reason") == "near_duplicate").head(20)
    assert dropped.height
    stored = dict(zip(sigs["doc_id"], sigs["signature"].to_numpy(), strict=True))
    for row in dropped.iter_rows(named=True):
        persisted = LeanMinHash(MinHash(num_perm=params["num_perm"], seed=params["seed"], scheme=params["scheme"],
                                        hashvalues=stored[row["cluster_id"]]))
        own = datasketch_minhash(texts[row["cluster_id"]], config)
        other = datasketch_minhash(row["text"], config)
        assert np.array_equal(persisted.hashvalues, own.hashvalues)
        assert persisted.jaccard(LeanMinHash(other)) == own.jaccard(other) > 0.3


@pytest.mark.slow
def test_reading_day1_again_drops_every_kept_document_as_its_own_exact_duplicate(days):
    root = days["root"]
    prep_ok("run", "day1", "--out", "again", "-c", "first.toml", "--against", "out1", cwd=root)
    assert read_table(root / "again", "corpus").is_empty()
    day1_kept = read_table(root / "out1", "corpus")["doc_id"]
    again = rows_of(root / "again").filter(pl.col("doc_id").is_in(day1_kept.implode()))
    assert again.height == len(day1_kept)
    assert (again["drop_reason"] == "exact_duplicate").all() and (again["cluster_id"] == again["doc_id"]).all()


@pytest.mark.slow
def test_a_third_day_against_two_earlier_outputs_from_the_config(days):
    root = days["root"]
    one, two = read_table(root / "out1", "corpus"), read_table(root / "out2", "corpus")
    copies = [{"id": f"c{i}", "text": text.lower()} for i, text in enumerate([*one["text"][:5], *two["text"][:7]])]
    fresh = [{"id": f"f{i}", "text": article(sentences(30_000 + i, 10))} for i in range(4)]
    write_jsonl(root / "day3" / "news.jsonl", copies + fresh)
    (root / "day3.toml").write_text(FIRST + 'against = ["out1", "out2"]\n')
    prep_ok("run", "day3", "--out", "out3", "-c", "day3.toml", cwd=root)
    rows = rows_of(root / "out3").sort("source_index")
    assert rows["cluster_id"].to_list()[:12] == [*one["doc_id"][:5], *two["doc_id"][:7]]
    assert rows["drop_reason"].to_list() == ["exact_duplicate"] * 12 + [None] * 4
    manifest = json.loads((root / "out3" / "manifest.json").read_text())
    assert [(e["path"], e["dropped"]) for e in manifest["against"]] == [
        ("out1", {"exact_duplicate": 5}), ("out2", {"exact_duplicate": 7})]


@pytest.mark.slow
def test_other_minhash_parameters_are_refused(days):
    root = days["root"]
    for name, dedup in (("perms", "num_perm = 128\nbands = 64\n"), ("seed", "seed = 2\n")):
        (root / f"{name}.toml").write_text(FIRST + dedup)
        result = run_prep("run", "day2", "--out", f"bad-{name}", "-c", f"{name}.toml", "--against", "out1", cwd=root)
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert "cannot deduplicate against out1" in line
        assert ("num_perm=256 there, 128 here" if name == "perms" else "seed=1 there, 2 here") in line
        assert not (root / f"bad-{name}").exists()


@pytest.mark.slow
def test_an_against_directory_that_is_no_finished_output_is_refused(days):
    root = days["root"]
    (root / "empty").mkdir()
    (root / "unfinished" / ".prep").mkdir(parents=True)
    shutil.copytree(root / "out1", root / "old")
    manifest = json.loads((root / "old" / "manifest.json").read_text())
    del manifest["outputs"]["signatures"]
    (root / "old" / "manifest.json").write_text(json.dumps(manifest))
    shutil.copytree(root / "out1", root / "self")
    shutil.copytree(root / "out1", root / "crawl" / "earlier")
    cases = [("missing", "day2", "is not a directory"), ("empty", "day2", "no manifest.json"),
             ("unfinished", "day2", "unfinished run"), ("old", "day2", "has no dedup/signatures/"),
             ("self", "day2", "this run's own output directory"), ("crawl/earlier", "crawl", "inside input crawl")]
    for against, source, message in cases:
        out = "self" if against == "self" else "never"
        result = run_prep("run", source, "--out", out, "--against", against, "--overwrite", cwd=root)
        assert result.returncode == 2, (against, result.stderr)
        [line] = result.stderr.strip().splitlines()
        assert f"cannot deduplicate against {against}" in line and message in line, line
        assert not (root / "never").exists()


@pytest.mark.slow
def test_a_run_against_an_earlier_output_resumes_after_a_kill(days):
    root = days["root"]
    args = ("run", "day2", "--out", "resumed", "-c", "first.toml", "--against", "out1", "-w", "1")
    for point in ("finish-done:0", "decisions-written", "published:corpus"):
        code, err = finish(start_prep(*args, cwd=root, crash_at=point))
        assert code == -9, (point, err)
    code, err = finish(start_prep(*args, cwd=root))
    assert code == 0, err
    assert digests(root / "resumed") == digests(root / "out2") | {
        "manifest.json": digests(root / "resumed")["manifest.json"]}
