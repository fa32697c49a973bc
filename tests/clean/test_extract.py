import polars as pl

from prep.clean.extract.page import is_flat
from prep.clean.extract.records import extract, site_of
from prep.config import Config, ExtractConfig
from prep.schema import RECORD_SCHEMA

PARAGRAPH = ("The regional council approved a new transport plan on Monday, promising more buses and "
             "safer cycle lanes across the city within three years. ")

PAGE = f"""<html><head><title>Council Backs Transport Plan | City News</title>
<meta property="og:title" content="Council Backs Transport Plan">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://citynews.example/transport-plan"></head>
<body><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article><h1>Council Backs Transport Plan</h1><p>{PARAGRAPH * 3}</p><p>{PARAGRAPH * 2}</p></article>
<footer>© 2024 City News. All rights reserved.</footer></body></html>"""

DEFAULTS = Config()
TIMEOUT = DEFAULTS.limits.extract_timeout_seconds


def records(**row) -> pl.DataFrame:
    base = {name: None for name in RECORD_SCHEMA.names()}
    base.update(doc_id="d", source_path="in/a.html", source_index=0, source_format="html",
                source_sha256="0" * 64, order=0)
    base.update(row)
    return pl.DataFrame([base], schema={**RECORD_SCHEMA, "order": pl.Int64})


def test_html_is_extracted_with_title_url_and_date():
    extraction = extract(records(content=PAGE, kind="html"), DEFAULTS.extract, TIMEOUT)
    assert extraction.pages == 1 and extraction.trafilatura_seconds > 0
    row = extraction.docs.row(0, named=True)
    assert row["extractor"].startswith("trafilatura ")
    assert "approved a new transport plan" in row["text"]
    assert "All rights reserved" not in row["text"]
    assert row["title"] == "Council Backs Transport Plan"
    assert row["url"] == "https://citynews.example/transport-plan"
    assert row["published"] == "2024-03-05"
    assert row["site"] == "citynews.example"


def test_text_passes_through():
    extraction = extract(records(content="Plain text.", kind="text", source_format="txt"), DEFAULTS.extract, TIMEOUT)
    assert extraction.pages == 0 and extraction.trafilatura_seconds == 0
    docs = extraction.docs
    assert docs.row(0, named=True)["text"] == "Plain text."
    assert docs.row(0, named=True)["extractor"] == "text"


def test_dropped_records_stay_dropped_without_text():
    docs = extract(records(kind="text", drop_reason="unreadable: x"), DEFAULTS.extract, TIMEOUT).docs
    assert docs.row(0, named=True)["text"] is None
    assert docs.row(0, named=True)["drop_reason"] == "unreadable: x"


def test_site_is_host_or_folder():
    frame = pl.DataFrame({"url": ["https://www.Example.com/a", None, "http://user@news.example:8080/x", "nonsense"],
                          "path": ["x/y.txt", "crawl/site-a/page.txt", "a.jsonl", "top.txt"]})
    assert frame.select(site_of(pl.col("url"), pl.col("path")))["url"].to_list() == [
        "example.com", "folder:crawl/site-a", "news.example", "folder:."]


# The article sits in an unclosed <button> of the header, as on pages whose menu markup is
# broken: trafilatura's default extraction discards the header and falls back to a flat copy of
# the body text; favouring recall finds the paragraphs, with as many words.
BRIDGE = [f"Paragraph {i} tells how the river town rebuilt its bridge after the spring flood, with "
          "volunteers carrying stones and the council paying for new steel beams." for i in range(12)]
BROKEN_MENU_PAGE = ("<html><head><title>Town Rebuilds Bridge</title></head><body><header class='site-header'><div>"
                    "<button class='menu-button'>Menu<main><article>" + "".join(f"<p>{p}</p>" for p in BRIDGE)
                    + "</article></main></div></header><footer>Contact us</footer></body></html>")


def test_a_flat_extraction_gives_way_to_one_with_its_paragraphs():
    flat = extract(records(content=BROKEN_MENU_PAGE, kind="html"), ExtractConfig(recall_fallback=0), TIMEOUT
                   ).docs["text"][0]
    assert is_flat(flat)  # what the page gives without the fallback
    text = extract(records(content=BROKEN_MENU_PAGE, kind="html"), DEFAULTS.extract, TIMEOUT).docs["text"][0]
    assert text.splitlines() == BRIDGE


def test_flat_means_one_long_line_holding_the_text():
    sentence = "word " * 250
    assert is_flat(sentence)
    assert is_flat(f"Title\n{sentence}")
    assert not is_flat("word " * 150)  # too short to tell lost breaks from a long paragraph
    assert not is_flat(f"{sentence}\n{sentence}")  # two long paragraphs
