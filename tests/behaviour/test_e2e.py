"""The real `prep` command on real files, read back with polars, DuckDB and pyarrow."""

import gzip
import json
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from prep.schema import COLUMN_DOCS, OUTPUT_SCHEMA
from tests.conftest import read_table, run_prep

# What a reader of the two seed articles would call chrome: none of it may survive.
SEED_CHROME = [
    "Russia-China Strengthen Their Political, Diplomatic and People to People Relations",
    "ISIS Claims Responsibility For Suicide Attacks in Pakistan",
    "More News at EurAsian Times",
    "Exit mobile version",
    "News / Syria / Military / Russia",
    "File photo shows a convoy of US military vehicles illegally entering Syria from Iraq.",
    "File photo of US advisers preparing for another night of fire missions at an outpost near Dashisha, Syria.",
    "Press TV’s website can also be accessed at the following alternate addresses:",
    "Press TV News Roku",
]


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory) -> Path:
    import shutil

    from tests.conftest import SEEDS

    work = tmp_path_factory.mktemp("seeds-run")
    shutil.copytree(SEEDS, work / "seeds")
    result = run_prep("run", "seeds", "--out", "out", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "out"


def article_lines(text: str) -> list[str]:
    lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return [line for line in lines if line not in SEED_CHROME]


def test_seeds_make_one_group_of_two(seeds_run: Path):
    corpus, dropped = read_table(seeds_run, "corpus"), read_table(seeds_run, "dropped")
    assert corpus.height == 1 and dropped.height == 1
    kept, other = corpus.row(0, named=True), dropped.row(0, named=True)
    assert other["drop_reason"] == "near_duplicate"
    assert other["cluster_id"] == kept["doc_id"] == kept["cluster_id"]
    assert kept["cluster_size"] == other["cluster_size"] == 2
    assert kept["similarity"] is None and 0.3 <= other["similarity"] <= 1


def test_seed_text_is_clean_and_complete(seeds_run: Path, seed_texts: dict[str, str]):
    for table in ("corpus", "dropped"):
        row = read_table(seeds_run, table).row(0, named=True)
        source = seed_texts[Path(row["source_path"]).name]
        for chrome in SEED_CHROME:
            assert chrome not in row["text"]
        assert article_lines(row["text"]) == article_lines(source)  # every paragraph, in order
        assert row["title"] == article_lines(source)[0]
        removed = {r["line"] for r in row["removed"]}
        assert removed == {line for line in SEED_CHROME
                           if line in " ".join(source.split()) or line in source}
        assert all(r["rule"] for r in row["removed"])


def test_provenance_columns(seeds_run: Path):
    both = pl.concat([read_table(seeds_run, "corpus"), read_table(seeds_run, "dropped")])
    assert sorted(both["source_path"]) == ["seeds/000_530a23dd92787d8a.txt", "seeds/001_141602d8a8b4a113.txt"]
    assert set(both["source_format"]) == {"txt"} and set(both["extractor"]) == {"text"}
    assert set(both["source_index"]) == {0}
    assert all(len(s) == 64 for s in both["source_sha256"])
    assert both["doc_id"].n_unique() == 2


def test_schema_is_the_contract_in_every_reader(seeds_run: Path):
    assert read_table(seeds_run, "corpus").schema == OUTPUT_SCHEMA
    assert read_table(seeds_run, "dropped").schema == OUTPUT_SCHEMA
    con = duckdb.connect()
    columns = [r[0] for r in con.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{seeds_run}/dropped/*.parquet')").fetchall()]
    assert columns == list(OUTPUT_SCHEMA.names())
    kept_id, n = con.execute(
        f"SELECT doc_id, cluster_size FROM read_parquet('{seeds_run}/corpus/*.parquet')").fetchone()
    dropped_cluster = con.execute(
        f"SELECT cluster_id FROM read_parquet('{seeds_run}/dropped/*.parquet')").fetchone()[0]
    assert dropped_cluster == kept_id and n == 2
    rules = con.execute(f"""SELECT r.rule, count(*) FROM read_parquet('{seeds_run}/*/*.parquet', union_by_name=true),
                            unnest(removed) AS t(r) GROUP BY 1""").fetchall()
    assert sum(count for _, count in rules) == len(SEED_CHROME)


def test_footer_metadata_with_pyarrow(seeds_run: Path):
    path = next((seeds_run / "corpus").glob("part-*.parquet"))
    meta = {k.decode(): v.decode() for k, v in pq.read_metadata(path).metadata.items()}
    assert meta["prep.table"] == "corpus"
    assert json.loads(meta["prep.config"])["dedup"]["keep"] == "longest"
    assert json.loads(meta["prep.columns"]) == {name: COLUMN_DOCS[name] for name in OUTPUT_SCHEMA.names()}
    manifest = json.loads((seeds_run / "manifest.json").read_text())
    assert meta["prep.version"] == manifest["prep_version"]
    assert meta["prep.config_sha256"] == manifest["config_sha256"]


def test_manifest_accounts_for_everything(seeds_run: Path):
    manifest = json.loads((seeds_run / "manifest.json").read_text())
    counts = manifest["counts"]
    assert counts["records_read"] == counts["kept"] + counts["dropped"] == 2
    assert counts["drop_reasons"] == {"near_duplicate": 1}
    assert counts["removed_lines_by_rule"]["foreign_headline"] == 2
    assert sum(counts["removed_lines_by_rule"].values()) == len(SEED_CHROME)
    assert [f["records"] for f in manifest["inputs"]["files"]] == [1, 1]
    assert all(len(f["sha256"]) == 64 for f in manifest["inputs"]["files"])
    for table in ("corpus", "dropped"):
        for part in manifest["outputs"][table]:
            assert pq.read_metadata(seeds_run / part["file"]).num_rows == part["rows"]
    assert manifest["status"] == "complete"
    assert not (seeds_run / ".prep").exists()


TOPICS = ("harbour authority", "city council", "school board", "rail operator", "water utility", "farm union",
          "hospital trust", "port police", "energy regulator", "library service", "bus company", "museum board",
          "fire brigade", "housing agency", "tax office", "weather service")


def story(i: int) -> str:
    """A distinct short article per number, so only intended copies are duplicates."""
    a, b = TOPICS[i % len(TOPICS)], TOPICS[(i * 7 + 3) % len(TOPICS)]
    return (f"The {a} approved plan number {i} on Monday after talks with the {b}. "
            f"Critics of the {a} said the {b} had not been consulted about the cost of plan {i}. "
            f"A final vote by the {b} is expected within {i + 2} weeks, officials said. "
            f"The {a} and the {b} will publish the details of plan {i} to the public next month.")


def write_inputs(folder: Path) -> int:
    """One folder with every supported format; returns the number of records in it."""
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("Harbour Plan Approved\n\n" + story(0))
    (folder / "b.html").write_text(f"<html><head><title>Quay Works</title></head><body><article><p>"
                                   f"{story(1)}</p><p>{story(2)}</p></article></body></html>")
    with gzip.open(folder / "c.htm.gz", "wt") as f:
        f.write(f"<html><body><article><p>{story(3)}</p><p>{story(4)}</p></article></body></html>")
    with gzip.open(folder / "d.txt.gz", "wt") as f:
        f.write(story(5))
    rows = [{"text": story(6 + i), "id": i} for i in range(5)]
    (folder / "e.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with gzip.open(folder / "f.jsonl.gz", "wt") as f:
        f.write(json.dumps({"html": f"<p>{story(11)}</p><p>{story(12)}</p>"}) + "\nnot json\n")
    pl.DataFrame({"text": [story(13), "", None]}).write_parquet(folder / "g.parquet")
    (folder / "README.md").write_text("not an input")
    return 4 + 5 + 2 + 3


def test_every_format_through_the_cli_with_conservation(tmp_path: Path):
    records = write_inputs(tmp_path / "mixed")
    result = run_prep("run", "mixed", "--out", "out", "--workers", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    corpus, dropped = read_table(tmp_path / "out", "corpus"), read_table(tmp_path / "out", "dropped")
    assert corpus.height + dropped.height == records
    assert set(pl.concat([corpus.select("source_format"), dropped.select("source_format")])["source_format"]) == {
        "txt", "html", "jsonl", "parquet"}
    assert corpus.filter(pl.col("source_path") == "mixed/a.txt")["title"].to_list() == ["Harbour Plan Approved"]
    assert corpus.filter(pl.col("source_path") == "mixed/b.html")["title"].to_list() == ["Quay Works"]
    reasons = dict(dropped.group_by("drop_reason").len().iter_rows())
    assert reasons.get("unreadable") == 2  # the broken JSON line and the null Parquet text
    assert reasons.get("empty") == 1
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["counts"]["records_read"] == records
    assert manifest["inputs"]["ignored"] == ["mixed/README.md"]
    assert manifest["counts"]["files_seen"] == manifest["counts"]["files_read"] == 7


def test_two_runs_are_byte_identical_whatever_the_worker_count(tmp_path: Path):
    write_inputs(tmp_path / "mixed")
    (tmp_path / "mixed" / "seeds").mkdir()
    for i, text in enumerate([story(20) + " " + story(21), story(20) + " " + story(22)]):
        (tmp_path / "mixed" / "seeds" / f"{i}.txt").write_text(text)
    outputs = []
    for name, workers in (("one", "1"), ("two", "2")):
        result = run_prep("run", "mixed", "--out", name, "--workers", workers, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outputs.append({p.relative_to(tmp_path / name): p.read_bytes()
                        for p in sorted((tmp_path / name).glob("*/part-*.parquet"))})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) >= 2
