"""WARC input through the real readers: documents, skipped records, sharding, broken files."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import polars as pl
import pytest
from warcio.archiveiterator import ArchiveIterator

from prep.config import Config
from prep.sources import Plan, discover, plan_shards, read_shard
from tests import badinputs as bad
from tests.warcs import Capture, Warc, append_bomb, as_one_gzip_stream, chunked, html_page, member_starts


def plan_and_read(path: Path, tmp_path: Path, shard_records: int = 5000, **limits) -> tuple[Plan, pl.DataFrame]:
    config = Config.model_validate({"run": {"shard_records": shard_records}, "limits": limits})
    found = discover([path])
    plan = plan_shards(found.files, found.problems, config, tmp_path / f"chunks-{path.name}-{shard_records}")
    frames = [read_shard(shard, config).frame for shard in plan.shards]
    return plan, pl.concat(frames) if frames else pl.DataFrame()


def crawl(pages: int, metadata: bool = True) -> Warc:
    """A crawl as Common Crawl writes it: warcinfo, then request, response and metadata per page."""
    warc = Warc().warcinfo()
    for i in range(pages):
        warc.capture(Capture(f"https://news.example/story-{i}", html_page(f"Story {i}", [bad.story(i)]).encode(),
                             date=f"2024-05-0{1 + i % 9}T12:00:00Z", metadata=metadata))
    return warc


def payload_sha256(path: Path, index: int) -> str:
    """sha256 of a record's payload as stored, found with warcio alone: what source_sha256 claims."""
    with open(path, "rb") as stream:
        for number, rec in enumerate(ArchiveIterator(stream)):
            if number == index:
                return hashlib.sha256(rec.raw_stream.read()).hexdigest()
    raise IndexError(index)


def test_html_responses_become_documents_with_their_provenance(tmp_path: Path):
    warc = Warc().warcinfo()
    warc.capture(Capture("https://news.example/a", html_page("Quay plan", [bad.GOOD]).encode(), metadata=True))
    warc.capture(Capture("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png"))
    warc.capture(Capture("https://news.example/old", b"", status="301 Moved Permanently",
                         headers=[("Location", "https://news.example/a")]))
    warc.capture(Capture("https://news.example/gone", html_page("Not found", ["No such page."]).encode(),
                         status="404 Not Found"))
    warc.capture(Capture("https://news.example/report.pdf", b"%PDF-1.4 ...", content_type="application/pdf"))
    warc.resource("https://news.example/saved", html_page("Saved page", [bad.FRENCH]).encode())
    warc.revisit("https://news.example/a")
    path = warc.save(tmp_path / "crawl.warc.gz")

    plan, frame = plan_and_read(path, tmp_path)

    assert frame["source_index"].to_list() == [2, 12]  # warcinfo 0, request 1, response 2, metadata 3, ...
    assert frame["url"].to_list() == ["https://news.example/a", "https://news.example/saved"]
    assert frame["captured"].to_list() == ["2024-05-01T12:00:00Z", "2024-05-02T08:30:00Z"]
    assert frame["published"].to_list() == [None, None]  # the page's own date is looked for at extraction
    assert frame["kind"].to_list() == ["html", "html"]
    assert frame["source_format"].to_list() == ["warc", "warc"]
    assert frame["drop_reason"].to_list() == [None, None]
    assert bad.GOOD in frame["content"][0] and bad.FRENCH in frame["content"][1]
    assert frame["source_sha256"].to_list() == [payload_sha256(path, 2), payload_sha256(path, 12)]
    assert frame["order"].to_list() == [2, 12]

    [info] = plan.files
    assert info.records == 2
    assert info.warc == {"records": warc.records, "documents": 2, "skipped": {
        "metadata": 1, "request": 5, "response: application/pdf": 1, "response: image/png": 1,
        "response: status 301": 1, "response: status 404": 1, "revisit": 1, "warcinfo": 1}}
    assert info.warc["records"] == info.warc["documents"] + sum(info.warc["skipped"].values())


def test_http_charset_chunking_and_compression_are_undone(tmp_path: Path):
    russian = "Мэр открыл новый мост через реку, сообщили в городской администрации."
    polish = "Burmistrz otworzył nowy most na rzece. Żółta łódź przepłynęła pod nim."
    english = html_page("Bridge opens", [bad.GOOD]).encode()
    warc = Warc(gzipped=False)
    # without the header, detection takes both for other charsets (test_readers.py)
    warc.capture(Capture("https://a.example/ru", html_page("Мост", [russian]).encode("koi8_r"),
                         content_type="text/html; charset=KOI8-R"))
    warc.capture(Capture("https://a.example/pl", html_page("Most", [polish]).encode("iso8859_2"),
                         content_type='text/html; charset="iso-8859-2"'))
    warc.capture(Capture("https://a.example/quotes", html_page("Q", ["\u201cQuoted\u201d \u2014 said the mayor."])
                         .encode("cp1252"), content_type="text/html; charset=ISO-8859-1"))
    warc.capture(Capture("https://a.example/chunked", chunked(gzip.compress(english)),
                         headers=[("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")]))
    warc.capture(Capture("https://a.example/xhtml", english, content_type="application/xhtml+xml"))
    path = warc.save(tmp_path / "pages.warc")

    _, frame = plan_and_read(path, tmp_path)

    content = dict(zip(frame["url"], frame["content"], strict=True))
    assert russian in content["https://a.example/ru"]
    assert polish in content["https://a.example/pl"]
    assert "\u201cQuoted\u201d \u2014 said" in content["https://a.example/quotes"]  # Latin-1 means windows-1252
    assert content["https://a.example/chunked"] == english.decode()
    assert content["https://a.example/xhtml"] == english.decode()
    # the hash is of the payload as stored: chunked and gzipped, not of the page it decodes to
    assert frame["source_sha256"][3] == payload_sha256(path, 7) != hashlib.sha256(english).hexdigest()


@pytest.mark.parametrize("layout", ["gzip per record", "plain", "gzip as one stream"])
def test_shards_give_the_same_records_as_one_shard(tmp_path: Path, layout: str):
    data = crawl(7).bytes()
    path = tmp_path / ("crawl.warc" if layout == "plain" else "crawl.warc.gz")
    if layout == "plain":
        path.write_bytes(gzip.decompress(data))
    elif layout == "gzip as one stream":
        as_one_gzip_stream(path, data)
    else:
        path.write_bytes(data)

    whole_plan, whole = plan_and_read(path, tmp_path)
    split_plan, split = plan_and_read(path, tmp_path, shard_records=4)

    assert len(whole_plan.shards) == 1 and len(split_plan.shards) == 6  # 22 records: 1 + 7 * 3
    assert [(s.slices[0].start, s.slices[0].stop) for s in split_plan.shards][:2] == [(0, 4), (4, 8)]
    starts = [s.slices[0] for s in split_plan.shards]
    if layout == "gzip as one stream":  # no member starts at a later record: those slices come from chunks
        assert starts[0].chunk is None and all(s.chunk is not None for s in starts[1:])
    else:  # every shard seeks to its first record
        assert all(s.chunk is None for s in starts) and len({s.offset for s in starts}) == 6
    assert whole.height == 7
    assert split.equals(whole)
    assert split_plan.files == whole_plan.files


def test_gzipped_and_plain_files_give_the_same_documents(tmp_path: Path):
    data = crawl(3).bytes()
    gz = tmp_path / "gz" / "crawl.warc.gz"
    plain = tmp_path / "plain" / "crawl.warc"
    for path, content in ((gz, data), (plain, gzip.decompress(data))):
        path.parent.mkdir()
        path.write_bytes(content)
    columns = ["source_index", "url", "captured", "content", "source_sha256"]
    assert plan_and_read(gz, tmp_path)[1].select(columns).equals(plan_and_read(plain, tmp_path)[1].select(columns))


@pytest.mark.parametrize("layout", ["gzip per record", "plain", "gzip as one stream"])
def test_a_cut_off_file_keeps_the_records_before_the_break(tmp_path: Path, layout: str):
    data = crawl(4, metadata=False).bytes()  # 9 records; the last one is the response of story 3
    if layout == "plain":
        data = gzip.decompress(data)
    elif layout == "gzip as one stream":
        data = gzip.compress(gzip.decompress(data))
    path = tmp_path / ("cut.warc" if layout == "plain" else "cut.warc.gz")
    path.write_bytes(data[:-100])  # inside the last page

    for shard_records in (5000, 3):
        plan, frame = plan_and_read(path, tmp_path, shard_records)
        assert frame["source_index"].to_list() == [2, 4, 6, 8]
        assert frame["drop_reason"][:3].to_list() == [None, None, None]
        reason = frame["drop_reason"][3]
        if layout == "plain":
            assert reason.startswith("unreadable: truncated WARC record: ") and reason.endswith(" payload bytes")
        else:
            assert reason.startswith("unreadable: truncated gzip (member at byte ")
        assert frame["url"][3] == "https://news.example/story-3"
        assert plan.files[0].warc == {"records": 9, "documents": 4, "skipped": {"request": 4, "warcinfo": 1}}


def test_a_corrupt_member_is_reported_where_it_is(tmp_path: Path):
    data = bytearray(crawl(3).bytes())
    middle = len(data) // 2
    data[middle:middle + 8] = b"\xff" * 8
    path = tmp_path / "corrupt.warc.gz"
    path.write_bytes(bytes(data))
    plan, frame = plan_and_read(path, tmp_path, shard_records=2)
    last = frame.row(-1, named=True)
    assert last["drop_reason"].startswith("unreadable: corrupt gzip (")
    assert frame.height >= 2 and frame["drop_reason"][:-1].is_null().all()
    assert plan.files[0].warc["records"] == last["source_index"] + 1


def test_a_gzip_bomb_in_a_record_stops_the_file_there(tmp_path: Path):
    path = crawl(1).save(tmp_path / "bomb.warc.gz")  # warcinfo, request, response, metadata
    append_bomb(path, megabytes=20)
    plan, frame = plan_and_read(path, tmp_path, max_record_bytes=1 << 20)
    assert frame["source_index"].to_list() == [2, 4]
    assert frame["drop_reason"][0] is None
    assert frame["drop_reason"][1].startswith("unreadable: gzip bomb: ")
    assert frame["url"][1] == "https://bomb.example/"


def test_gzip_is_recognised_by_its_bytes_and_twice_gzipped_files_are_refused(tmp_path: Path):
    data = crawl(2).bytes()
    misnamed = tmp_path / "misnamed.warc"
    misnamed.write_bytes(data)
    assert plan_and_read(misnamed, tmp_path)[1]["source_index"].to_list() == [2, 5]
    twice = tmp_path / "twice.warc.gz"
    twice.write_bytes(gzip.compress(data))
    plan, frame = plan_and_read(twice, tmp_path)
    assert frame["drop_reason"].to_list() == ["unreadable: gzip inside gzip: a WARC file is gzipped once"]
    assert plan.files[0].warc["records"] == 1


def test_pages_over_the_size_limit_are_dropped_and_reading_goes_on(tmp_path: Path):
    warc = Warc()
    warc.capture(Capture("https://a.example/big", bad.big_html(20_000), request=False))
    warc.capture(Capture("https://a.example/small", html_page("Small", [bad.GOOD]).encode(), request=False))
    path = warc.save(tmp_path / "sizes.warc.gz")
    _, frame = plan_and_read(path, tmp_path, max_record_bytes=10_000)
    assert frame["drop_reason"].to_list() == ["too_large: record exceeds max_record_bytes (10000)", None]
    assert frame["source_sha256"][0] == payload_sha256(path, 0)


def test_files_that_are_no_warc_are_file_errors(tmp_path: Path):
    notes = "These are my notes about the crawl.\nNothing else.\n"
    (tmp_path / "notes.warc").write_text(notes)
    (tmp_path / "notes.arc").write_text(notes)  # a line of five words looks like an ARC record header
    reasons = []
    for name in ("notes.warc", "notes.arc"):
        plan, _ = plan_and_read(tmp_path / name, tmp_path)
        assert plan.shards == [] and plan.files == []
        reasons += [p.reason for p in plan.problems]
    assert reasons == ["not a WARC or ARC file (Invalid WARC record, first line: These are my notes about the crawl.)",
                       "not a WARC or ARC file (invalid WARC record: Content-Length 'crawl.')"]
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    plan, _ = plan_and_read(empty, tmp_path)
    assert plan.files[0].warc == {"records": 0, "documents": 0, "skipped": {}} and plan.problems == []


def test_arc_files_are_read_too(tmp_path: Path):
    """ARC, the format before WARC: warcio reads it; written by hand as warcio writes no ARC."""
    def arc_record(url: str, date: str, content_type: str, block: bytes) -> bytes:
        return f"{url} 10.0.0.1 {date} {content_type} {len(block)}\n".encode() + block + b"\n"

    page = html_page("Old story", [bad.GOOD]).encode()
    data = (arc_record("filedesc://old.arc", "20010101000000", "text/plain",
                       b"1 0 Archive\nURL IP-address Archive-date Content-type Archive-length\n") + b"\n"
            + arc_record("http://old.example/story", "20010203040506", "text/html",
                         b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page) + b"\n")
    path = tmp_path / "old.arc"
    path.write_bytes(data)
    plan, frame = plan_and_read(path, tmp_path)
    assert frame.select("source_index", "url", "captured").rows() == [
        (1, "http://old.example/story", "2001-02-03T04:05:06Z")]
    assert bad.GOOD in frame["content"][0]
    assert plan.files[0].warc["skipped"] == {"warcinfo": 1}


@pytest.mark.parametrize("damage", ["last member cut to 20 bytes", "zeroed bytes inside member 2"])
def test_a_member_that_breaks_before_yielding_anything_is_the_record_dropped(tmp_path: Path, damage: str):
    """Reading a record to its end reads on to the next record's first line: a member that breaks
    there is the next record's, and the record before it, intact, is kept."""
    warc = Warc()
    for i in range(3):
        warc.capture(Capture(f"https://a.example/{i}", html_page(f"Story {i}", [bad.story(i)]).encode(),
                             request=False))
    data = bytearray(warc.bytes())
    starts = member_starts(bytes(data))
    if damage == "last member cut to 20 bytes":
        data, broken = data[:starts[2] + 20], 2
    else:
        data[starts[1] + 30:starts[1] + 200] = bytes(170)
        broken = 1
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(bytes(data))
    for shard_records in (5000, 1):
        plan, frame = plan_and_read(path, tmp_path, shard_records)
        assert frame["source_index"].to_list() == list(range(broken + 1))
        assert frame["drop_reason"][:broken].to_list() == [None] * broken
        assert frame["drop_reason"][broken].startswith("unreadable: ")
        assert f"(member at byte {starts[broken]})" in frame["drop_reason"][broken]
        assert plan.files[0].warc["records"] == plan.files[0].records == broken + 1


def stored_records(path: Path) -> list[tuple[str, int]]:
    """(WARC-Record-ID, offset of the record as stored) of every record, found with warcio alone."""
    with open(path, "rb") as stream:
        records = ArchiveIterator(stream)
        return [(rec.rec_headers.get_header("WARC-Record-ID"), records.get_record_offset()) for rec in records]


@pytest.mark.parametrize("layout", ["gzip per record", "plain", "gzip as one stream"])
def test_documents_keep_their_record_id_and_offset_as_stored(tmp_path: Path, layout: str):
    data = crawl(5).bytes()
    path = tmp_path / ("crawl.warc" if layout == "plain" else "crawl.warc.gz")
    if layout == "plain":
        path.write_bytes(gzip.decompress(data))
    elif layout == "gzip as one stream":  # warcio reads no such file: its ids are read from the plain one
        as_one_gzip_stream(path, data)
        (tmp_path / "plain.warc").write_bytes(gzip.decompress(data))
    else:
        path.write_bytes(data)
    stored = stored_records(tmp_path / "plain.warc" if layout == "gzip as one stream" else path)
    for shard_records in (5000, 4):
        _, frame = plan_and_read(path, tmp_path, shard_records)
        indexes = frame["source_index"].to_list()
        assert frame["source_id"].to_list() == [stored[i][0] for i in indexes]
        assert all(value.startswith("<urn:uuid:") for value in frame["source_id"])
        # a record's own offset in a plain file, its gzip member's in a gzipped one (one stream: the only member)
        expected = [0] * len(indexes) if layout == "gzip as one stream" else [stored[i][1] for i in indexes]
        assert frame["source_offset"].to_list() == expected
