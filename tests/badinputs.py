"""Generators of bad input files: every fixture of the bad-input tests is made here, none is committed."""

from __future__ import annotations

import gzip
import json
import random
import zlib
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

GOOD = ("The harbour authority approved the new quay plan on Monday after long talks with the "
        "city council, officials said.")
GERMAN = "Grüße aus Köln: die Straßenbahn fährt wieder über die Brücke, sagte der Bürgermeister."
FRENCH = "Le café de la gare était fermé à cause de la grève générale des cheminots français."


WORDS = ("harbour council school railway water farm hospital police energy library museum bridge market "
         "budget tunnel ferry station airport river forest valley village mayor minister court judge union "
         "workers teachers doctors nurses farmers drivers pilots sailors engineers students tourists rain "
         "storm flood drought harvest election vote report plan cost delay strike protest repair opening "
         "closure expansion approved rejected delayed announced promised warned criticised welcomed").split()


# joined into the content words as English joins nouns: test articles read as prose to the
# quality filters (Gopher's stop-word rule), and stay distinct, as the content words are
CONNECTORS = ("", "of the", "", "and the", "", "to", "", "with the")


def prose(words: list[str]) -> str:
    """`words` with CONNECTORS between them, as one sentence."""
    joined = []
    for k, word in enumerate(words):
        if k and CONNECTORS[k % len(CONNECTORS)]:
            joined.append(CONNECTORS[k % len(CONNECTORS)])
        joined.append(word)
    return " ".join(joined).capitalize() + "."


def story(i: int) -> str:
    """A distinct short article per number (seeded words in sentences), so that only intended
    copies are duplicates."""
    rng = random.Random(i)
    return " ".join(prose([rng.choice(WORDS) for _ in range(12)]) for _ in range(6))


def page(body: str, title: str = "Quay Plan Approved", head: str = "") -> str:
    return (f"<html><head><title>{title}</title>{head}</head><body><nav>Home | News</nav>"
            f"<article><h1>{title}</h1><p>{body}</p></article></body></html>")


def entity_bomb(text: str, levels: int = 9) -> str:
    """Billion laughs: ten times more 'lol' per level, 10^9 of them at level 9 if expanded."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, levels + 1))
    return f"<!DOCTYPE html [{entities}]>" + page(f"{text} &lol{levels};")


def external_entity_page(target: str, server: str) -> str:
    """An external entity naming a local file, plus every kind of external resource a page can name."""
    head = (f'<link rel="stylesheet" href="{server}/style.css"><script src="{server}/app.js"></script>'
            f'<meta http-equiv="refresh" content="0; url={server}/refresh">')
    body = (f'{GOOD} &xxe; <img src="{server}/image.png"> <iframe src="{server}/frame"></iframe>'
            f'<object data="{server}/object"></object>')
    return (f'<!DOCTYPE html SYSTEM "{server}/page.dtd" [<!ENTITY xxe SYSTEM "{target}">]>'
            + page(body, head=head))


def deep_html(levels: int = 100_000) -> str:
    return "<html><body>" + "<div>" * levels + f"<p>{GOOD}</p>" + "</div>" * levels + "</body></html>"


def big_html(size: int) -> bytes:
    """A page of `size` bytes or a little more: many paragraphs of real-looking text."""
    paragraph = f"<p>{GOOD}</p>\n".encode()
    return b"<html><body><article>" + paragraph * (size // len(paragraph) + 1) + b"</article></body></html>"


def slow_html(paragraphs: int = 60_000) -> str:
    """A page trafilatura needs many seconds for (its work grows faster than the page)."""
    return "<html><body><article>" + f"<p>{GOOD}</p>\n" * paragraphs + "</article></body></html>"


def gzip_bomb(path: Path, inflated: int = 200 << 20, prefix: bytes = b"", fill: bytes = b"\0") -> None:
    """A small gzip file that inflates to `inflated` bytes of one repeated byte (written streaming)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    block = fill * (1 << 20)
    with open(path, "wb") as stream:
        stream.write(packer.compress(prefix))
        for _ in range(inflated >> 20):
            stream.write(packer.compress(block))
        stream.write(packer.flush())


def truncated_gzip(path: Path, data: bytes) -> None:
    packed = gzip.compress(data, mtime=0)
    path.write_bytes(packed[: len(packed) * 2 // 3])


def jsonl(path: Path, lines: list[str | dict]) -> None:
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))


def parquet_with_corrupt_data(path: Path, rows: int = 2000) -> None:
    """A Parquet file whose footer is intact (it plans fine) but whose data pages are garbage."""
    pl.DataFrame({"text": [f"{GOOD} Row {i}." for i in range(rows)]}).write_parquet(path, compression="zstd")
    data = bytearray(path.read_bytes())
    for i in range(8, min(len(data) // 2, 8000)):
        data[i] = (data[i] * 7 + 13) % 256
    path.write_bytes(bytes(data))


def parquet_with_a_corrupt_row_group(path: Path, rows: int = 1000, group: int = 100, damaged: int = 3,
                                     first_story: int = 0) -> None:
    """A Parquet file of row groups of `group` rows (row i: story(first_story + i)), the data of row
    group `damaged` overwritten with zeros; the footer and the other groups are intact."""
    texts = [f"{story(first_story + i)} Row {i}." for i in range(rows)]
    pq.write_table(pa.table({"text": texts}), path, row_group_size=group, compression="zstd")
    chunk = pq.ParquetFile(path).metadata.row_group(damaged).column(0)
    start = min(o for o in (chunk.dictionary_page_offset, chunk.data_page_offset) if o is not None)
    data = bytearray(path.read_bytes())
    data[start + 64:start + chunk.total_compressed_size - 64] = bytes(chunk.total_compressed_size - 128)
    path.write_bytes(bytes(data))
