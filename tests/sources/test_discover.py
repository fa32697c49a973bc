import os
from pathlib import Path

import pytest

from prep.sources import InputError, discover


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_folders_are_walked_recursively_and_sorted(tmp_path: Path):
    root = tmp_path / "crawl"
    touch(root / "b.txt")
    touch(root / "a" / "z.html.gz")
    touch(root / "a" / "y.jsonl")
    touch(root / "notes.md")
    found = discover([root])
    files, problems, ignored = found.files, found.problems, found.ignored
    assert [f.source_path for f in files] == ["crawl/a/y.jsonl", "crawl/a/z.html.gz", "crawl/b.txt"]
    assert [(f.format, f.gzipped) for f in files] == [("jsonl", False), ("html", True), ("txt", False)]
    assert ignored == ["crawl/notes.md"]
    assert problems == []


def test_a_single_file_is_named_by_its_file_name(tmp_path: Path):
    path = touch(tmp_path / "deep" / "story.htm")
    files = discover([path]).files
    assert [(f.source_path, f.format) for f in files] == [("story.htm", "html")]


def test_roots_keep_the_order_given(tmp_path: Path):
    touch(tmp_path / "day2" / "a.txt")
    touch(tmp_path / "day1" / "a.txt")
    files = discover([tmp_path / "day2", tmp_path / "day1"]).files
    assert [f.source_path for f in files] == ["day2/a.txt", "day1/a.txt"]


def test_missing_input_is_a_usage_error(tmp_path: Path):
    with pytest.raises(InputError, match="input not found"):
        discover([tmp_path / "nope"])


def test_unsupported_file_named_directly_is_a_usage_error(tmp_path: Path):
    with pytest.raises(InputError, match="unsupported format"):
        discover([touch(tmp_path / "report.pdf")])


def test_same_file_given_twice_is_read_once(tmp_path: Path):
    path = touch(tmp_path / "a.txt")
    files = discover([path, path]).files
    assert len(files) == 1


def test_symlink_loop_is_reported_not_followed_forever(tmp_path: Path):
    root = tmp_path / "root"
    touch(root / "sub" / "a.txt")
    os.symlink(root, root / "sub" / "loop")
    found = discover([root])
    files, problems = found.files, found.problems
    assert [f.source_path for f in files] == ["root/sub/a.txt"]
    assert any("loop" in p.path and "already visited" in p.reason for p in problems)


def test_colliding_source_paths_are_refused(tmp_path: Path):
    touch(tmp_path / "x" / "data" / "a.txt")
    touch(tmp_path / "y" / "data" / "a.txt", "other")
    with pytest.raises(InputError, match="both map to source path data/a.txt"):
        discover([tmp_path / "x" / "data", tmp_path / "y" / "data"])
