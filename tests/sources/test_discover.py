import os
import re
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
    assert [(f.format, f.codec) for f in files] == [("jsonl", None), ("html", "gzip"), ("txt", None)]
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


def test_a_link_back_to_an_ancestor_is_not_followed_forever(tmp_path: Path):
    root = tmp_path / "root"
    touch(root / "sub" / "a.txt")
    os.symlink(root, root / "sub" / "loop")
    found = discover([root])
    assert [f.source_path for f in found.files] == ["root/sub/a.txt"]
    assert found.aliases == [{"path": "root/sub/loop", "same_as": "root"}] and found.problems == []


def test_colliding_source_paths_are_refused(tmp_path: Path):
    touch(tmp_path / "x" / "data" / "a.txt")
    touch(tmp_path / "y" / "data" / "a.txt", "other")
    with pytest.raises(InputError, match="both map to source path data/a.txt"):
        discover([tmp_path / "x" / "data", tmp_path / "y" / "data"])


def test_names_that_are_not_utf8_or_hold_control_characters_are_escaped_losslessly(tmp_path: Path):
    root = tmp_path / "crawl"
    names = {b"bad\xff\xfe.txt": "crawl/bad\\xff\\xfe.txt",
             b"osc\x1b]0;title\x07.txt": "crawl/osc\\x1b]0;title\\x07.txt",
             b"back\\slash \xc3\xa9t\xc3\xa9.txt": "crawl/back\\\\slash \u00e9t\u00e9.txt"}
    for name in names:
        touch(root / os.fsdecode(name))
    found = discover([root])
    assert sorted(f.source_path for f in found.files) == sorted(names.values())
    for f in found.files:  # the path to read is the name itself
        assert Path(f.path).exists()
        assert f.source_path.encode("utf-8")  # storable anywhere


def name_bytes(escaped: str) -> bytes:
    """The inverse of the escaping: \\\\ a backslash, \\xNN a byte, \\uNNNN a character."""
    def one(match: re.Match) -> bytes:
        token = match[0]
        if token == "\\\\":
            return b"\\"
        if token.startswith("\\x"):
            return bytes([int(token[2:], 16)])
        if token.startswith(("\\u", "\\U")):
            return chr(int(token[2:], 16)).encode()
        return token.encode()
    tokens = re.finditer(r"\\\\|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}|\\U[0-9a-f]{8}|.", escaped, re.DOTALL)
    return b"".join(one(m) for m in tokens)


@pytest.mark.parametrize("raw", [b"plain.txt", b"bad\xff\xfe.txt", b"tab\there", b"\\x41 is not A",
                                 b"caf\xc3\xa9 \x85 \xc2\x85 \x1b]0;x\x07", b"\\u0085",
                                 "zero\u200bwidth \U000e0001 line\u2028".encode()])
def test_escaped_names_map_back_to_the_bytes_of_the_name(raw: bytes):
    from prep.sources.names import source_name

    escaped = source_name(os.fsdecode(raw))
    assert escaped.isprintable()
    assert name_bytes(escaped) == raw


def test_a_folder_reached_twice_is_an_alias_not_an_error(tmp_path: Path):
    root = tmp_path / "crawl"
    touch(root / "2024-11-21" / "a.txt")
    os.symlink("2024-11-21", root / "latest")
    os.symlink(".", root / "2024-11-21" / "again")  # a link back up: reached twice too, nothing lost
    found = discover([root])
    assert [f.source_path for f in found.files] == ["crawl/2024-11-21/a.txt"]
    assert found.problems == []
    assert found.aliases == [{"path": "crawl/2024-11-21/again", "same_as": "crawl/2024-11-21"},
                             {"path": "crawl/latest", "same_as": "crawl/2024-11-21"}]
