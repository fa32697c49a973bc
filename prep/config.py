"""Typed run configuration: the one home of defaults.

`configs/default.toml` mirrors these defaults (a test keeps the two equal). Relative paths in a
config file are resolved against the current directory, like paths on the command line.
Unknown keys and wrong types are errors: a typo must never silently fall back to a default.
Types are strict (pydantic's strict mode: "4" is no number, 1 is no boolean; an integer is a
fine float), and every value a run would fail on later is refused here, before anything is
written: a seed numpy cannot take, a codec level the codec has not, a time limit no timer can
wait for. A file's problems are reported all at once, one line each.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import tomllib
from pathlib import Path, PurePosixPath
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class ConfigError(ValueError):
    """A config file that cannot be used; the message names the file and the problem."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


# a path is written as a string in TOML: the one type strict mode would otherwise refuse it as
PathValue = Annotated[Path, Field(strict=False)]


class FieldNames(_Section):
    """The fields of a record (JSON Lines, JSON, Parquet) that prep reads."""

    text_field: str = Field("text", description="JSONL/JSON/Parquet field holding plain text")
    html_field: str = Field("html", description="JSONL/JSON/Parquet field holding HTML (used unless null or blank)")
    id_field: str | None = Field("id", description="JSONL/JSON/Parquet field with the record's own id")
    url_field: str | None = Field("url", description="JSONL/JSON/Parquet field with the record's URL")
    title_field: str | None = Field("title", description="JSONL/JSON/Parquet field with a known title")
    date_field: str | None = Field("published", description="JSONL/JSON/Parquet field with a publication date")


class FieldRule(_Section):
    """Field names for the input files `match` fits; a name left unset is the one of [input]."""

    match: str = Field(description="a glob matched against a file's source_path from the right, as "
                                   "pathlib's PurePath.match does: '*.parquet', 'news/*.jsonl', 'crawl/a.jsonl.gz'")
    text_field: str | None = None
    html_field: str | None = None
    id_field: str | None = None
    url_field: str | None = None
    title_field: str | None = None
    date_field: str | None = None


class InputConfig(FieldNames):
    paths: list[PathValue] = Field(default=[Path("seeds")],
                                   description="files or folders to read when none are given on the command line")
    fields: list[FieldRule] = Field(
        default_factory=list, description="field names per input ([[input.fields]] entries): the first entry "
                                          "whose match fits a file's source_path names its fields")

    def names_for(self, source_path: str) -> FieldNames:
        """The field names of one input file."""
        base = FieldNames(**{name: getattr(self, name) for name in FieldNames.model_fields})
        for rule in self.fields:
            if PurePosixPath(source_path).match(rule.match):
                given = {name: getattr(rule, name) for name in FieldNames.model_fields}
                return base.model_copy(update={k: v for k, v in given.items() if v is not None})
        return base


# the levels each Parquet codec takes (polars' write_parquet); codecs without levels take none
CODEC_LEVELS = {"zstd": range(1, 23), "gzip": range(0, 10)}


class OutputConfig(_Section):
    dir: PathValue = Field(Path("out"), description="output directory")
    compression: Literal["zstd", "snappy", "lz4", "gzip", "uncompressed"] = "zstd"
    compression_level: int | None = Field(
        None, description="the codec's level (zstd 1 to 22, gzip 0 to 9; snappy, lz4 and uncompressed have "
                          "none); unset: 1 for zstd (fast to write, files well smaller than snappy's; 3 or "
                          "more gives smaller files, written slower), the codec's own default for gzip")

    @model_validator(mode="after")
    def _level_fits_codec(self) -> OutputConfig:
        if self.compression_level is None:
            return self
        levels = CODEC_LEVELS.get(self.compression)
        if levels is None:
            raise ValueError(f"compression_level: {self.compression} takes no level (got {self.compression_level})")
        if self.compression_level not in levels:
            raise ValueError(f"compression_level: {self.compression} takes {levels.start} to {levels.stop - 1} "
                             f"(got {self.compression_level})")
        return self


class RunConfig(_Section):
    workers: Annotated[int, Field(ge=0, le=4096)] = Field(0, description="worker processes; 0 means one per core")
    shard_records: Annotated[int, Field(ge=1)] = Field(
        5000, description="records per shard; a shard is the unit of parallel work, resume and output part "
                          "(in WARC files, records of every type count)")
    shard_pages: Annotated[int, Field(ge=1)] = Field(
        50, description="HTML pages per shard at most (HTML files, WARC documents, JSONL/Parquet records "
                        "with an html field): a page costs hundreds of times a text record to extract, so "
                        "pages are cut into smaller shards that spread over the workers; the last shards of "
                        "a folder of HTML files are smaller still, so that the workers finish together")
    engine: Literal["local", "ray"] = Field(
        "local", description="local: a pool of worker processes; ray: tasks on a Ray cluster (the ray extra)")
    address: str | None = Field(
        None, description="the Ray cluster to run on (host:port, ray://host:port or auto); unset: a local "
                          "cluster for the run. On several machines the inputs and output must be on a "
                          "filesystem every node mounts at the same path")


class LimitsConfig(_Section):
    max_record_bytes: Annotated[int, Field(ge=1, le=1 << 32)] = Field(
        50_000_000, description="records larger than this (decompressed) are dropped as too_large; "
                                "reading stops at the limit (at most 4 GiB)")
    max_compression_ratio: Annotated[float, Field(gt=1)] = Field(
        100.0, description="a compressed file (gzip, zstd, bzip2, xz) inflating past max_record_bytes and more "
                           "than this many times its compressed size is a compression bomb: the rest of it is "
                           "dropped as unreadable")
    extract_timeout_seconds: Annotated[float, Field(gt=0, le=86_400)] = Field(
        30.0, description="wall-clock time one HTML page may take to extract (at most a day); the parser "
                          "process is then killed and the record dropped as extract_timeout")
    max_text_chars: Annotated[int, Field(ge=1)] = Field(
        1_000_000, description="cleaned text longer than this is cut to this length, at a space; the cut "
                          "parts are listed in removed (rule max_text_chars)")
    min_words: Annotated[int, Field(ge=0)] = Field(
        5, description="cleaned documents with fewer words are dropped as too_short")


class ExtractConfig(_Section):
    """Options passed to trafilatura for HTML input."""

    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    include_comments: bool = False
    recall_fallback: Annotated[float, Field(ge=0)] = Field(
        1.1, description="also extract with favor_recall and take that text when it has more than this "
                         "many times the words, or when the default text is flat (one line) and it is not "
                         "(the text stages then clean it); 0 turns this off")


class RuleConfig(_Section):
    """Overrides for one named line rule, or a new rule when `pattern` is given for a new name."""

    enabled: bool | None = Field(None, description="on or off; unset: the rule's default (a new rule: on)")
    pattern: str | None = None
    max_words: Annotated[int, Field(ge=1)] | None = None


class HeadlinesConfig(_Section):
    """Detector for headlines of other stories interleaved in an article's body."""

    enabled: bool = True
    min_words: Annotated[int, Field(ge=1)] = Field(6, description="a teaser headline has at least this many words")
    max_words: Annotated[int, Field(ge=1)] = 20
    min_capitalised: Annotated[float, Field(ge=0, le=1)] = Field(
        0.6, description="... and at least this share of its words capitalised (headline style)")
    min_paragraph_words: Annotated[int, Field(ge=1)] = Field(
        15, description="... and sits between two paragraphs (sentences of at least this many words)")
    max_cohesion: Annotated[float, Field(ge=0, le=1)] = Field(
        0.5, description="... sharing at most this share of its content words with the rest of the article")
    max_local_cohesion: Annotated[float, Field(ge=0, le=1)] = Field(
        0.2, description="... and at most this share with the two lines after it")
    max_subheadings: Annotated[int, Field(ge=0)] = Field(
        1, description="a document with more subheadings of its own than this (headline lines between "
                       "paragraphs that share the article's words) keeps its other headline lines, unless "
                       "they outnumber its subheadings")


class BoilerplateConfig(_Section):
    """Lines a site repeats on many of its pages (site = URL host, else the input folder)."""

    enabled: bool = True
    min_site_docs: Annotated[int, Field(ge=2)] = Field(
        5, description="never judge a site with fewer pages than this")
    min_docs: Annotated[int, Field(ge=2)] = Field(3, description="a line must recur on at least this many pages")
    min_share: Annotated[float, Field(gt=0, le=1)] = Field(
        0.2, description="... and on at least this share of the site's pages")
    max_doc_repeat_share: Annotated[float, Field(gt=0, le=1)] = Field(
        0.5, description="pages whose lines mostly recur elsewhere are copies of one story, "
                         "not evidence of a template")


class ChromeModelConfig(_Section):
    """The line classifier for chrome the named rules do not describe (prep/clean/chrome/model.py)."""

    enabled: bool = True
    threshold: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.5, description="lines the model gives at least this probability of being chrome are removed ...")
    long_words: Annotated[int, Field(ge=1)] = Field(
        6, description="... and a line of at least this many words (a sentence of the article, if anything) ...")
    long_threshold: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.95, description="... only at this probability")
    html_threshold: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.9, description="in text extracted from HTML (the extractor took most of the chrome away already) a "
                         "line is removed only at this probability, and a line of long_words words or more never")
    path: PathValue | None = Field(None, description="a model trained by python -m prep.training.chrome; "
                                                     "default: the one shipped with prep")


class PageModelConfig(_Section):
    """Main-content extraction for page dumps: a plain-text document holding a page's whole visible
    text (prep/clean/page/model.py)."""

    enabled: bool = True
    min_lines: Annotated[int, Field(ge=1)] = Field(
        20, description="a page dump has at least this many lines ...")
    min_short_share: Annotated[float, Field(ge=0, le=1)] = Field(
        0.3, description="... and at least this share of them short (at most four words, no sentence end)")
    threshold: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.5, description="a line of a page dump the model gives at least this probability of being chrome is "
                         "removed ...")
    long_words: Annotated[int, Field(ge=1)] = Field(
        6, description="... and a line of at least this many words (a sentence of the article, if anything) ...")
    long_threshold: Annotated[float, Field(gt=0, lt=1)] = Field(
        0.8, description="... only at this probability")
    path: PathValue | None = Field(None, description="a model trained by python -m prep.training.page; "
                                                     "default: the one shipped with prep")


class CleanConfig(_Section):
    rules: dict[str, RuleConfig] = Field(default_factory=dict,
                                         description="per-rule overrides and extra rules, by rule name")
    headlines: HeadlinesConfig = HeadlinesConfig()
    boilerplate: BoilerplateConfig = BoilerplateConfig()
    model: ChromeModelConfig = ChromeModelConfig()
    page: PageModelConfig = PageModelConfig()


class DedupConfig(_Section):
    """Exact and near-duplicate grouping; docs/benchmarks.md shows how these
    defaults were measured."""

    exact: bool = True
    near: bool = True
    ngram: Annotated[int, Field(ge=1)] = Field(3, description="words per shingle")
    char_ngram: Annotated[int, Field(ge=1)] = Field(
        5, description="characters per shingle for scripts written without spaces (CJK, Thai)")
    num_perm: Annotated[int, Field(ge=16)] = Field(
        256, description="MinHash permutations: the Jaccard estimate's error shrinks as 1/sqrt(num_perm)")
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = Field(
        1, description="the MinHash permutations' seed (numpy's RandomState takes 0 to 2**32 - 1)")
    bands: Annotated[int, Field(ge=1)] = Field(
        128, description="LSH bands; num_perm / bands rows per band set how low a similarity still meets")
    threshold: Annotated[float, Field(gt=0, le=1)] = Field(
        0.3, description="estimated Jaccard to the kept document needed to join its group")
    containment: Annotated[float, Field(gt=0, le=1)] = Field(
        0.7, description="... or this share of the smaller document's shingles found in the kept one")
    min_shingles: Annotated[int, Field(ge=1)] = Field(
        50, description="documents with fewer shingles than this are grouped only with exact copies")
    keep: str = Field(
        "longest", description="which member of a group is kept (prep/dedup/keep.py): longest, first or newest; "
                               "ties go to the smaller doc_id")
    against: list[PathValue] = Field(
        default_factory=list,
        description="output directories of earlier runs: new documents that duplicate one of their kept "
                    "documents are dropped, the earlier outputs are never changed")

    @model_validator(mode="after")
    def _bands_divide_perms(self) -> DedupConfig:
        if self.num_perm % self.bands:
            raise ValueError(f"bands ({self.bands}) must divide num_perm ({self.num_perm})")
        return self


# --- the filter stages (prep/filter/): language, quality signals and filters, PII ----------------

Ratio = Annotated[float, Field(ge=0, le=1)]


class LanguageConfig(_Section):
    """Language identification (prep/filter/language.py): every judged document gets `language`
    (ISO 639-1 code, 'und' when undetermined) and `language_score`; those not kept are dropped
    with drop_reason 'language'."""

    enabled: bool = Field(True, description="identify the language of every document")
    keep: list[str] = Field(
        default_factory=list,
        description="ISO 639-1 codes of the languages to keep (e.g. ['en', 'pt']); empty: every language. "
                    "'und' keeps documents whose language could not be determined")
    min_score: Ratio = Field(
        0.0, description="documents whose language_score (share of the text the detector assigns to the "
                         "language it names) is below this are dropped; 0 drops none")
    sample_chars: Annotated[int, Field(ge=50)] = Field(
        300, description="the detector reads this many characters from the start of the text: its cost "
                         "grows with them (about 0.05 us each), its accuracy hardly past a few hundred "
                         "(docs/filters.md)")

    @field_validator("keep")
    @classmethod
    def _codes(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if code != code.lower() or not code.isalpha() or len(code) not in (2, 3):
                raise ValueError(f"{code!r} is not an ISO 639 code (two or three lowercase letters)")
        return codes


def _rules(default: list[str], family: str) -> list[str]:
    return Field(default_factory=lambda: list(default),
                 description=f"the rules applied, by the name of their threshold; the others are measured "
                             f"(signals) but drop nothing. Default: the {family} rules that drop none of the "
                             "development pages' articles (docs/filters.md)")


class _Family(_Section):
    @model_validator(mode="after")
    def _known_rules(self):
        known = set(type(self).model_fields) - {"enabled", "rules"} | set(getattr(self, "SWITCHES", ()))
        for rule in self.rules:
            if rule not in known:
                raise ValueError(f"unknown rule {rule!r}; the rules: {', '.join(sorted(known))}")
        return self


class GopherQualityConfig(_Family):
    """Gopher's quality rules (Rae et al. 2021, appendix A1.1); thresholds as published."""

    enabled: bool = Field(True, description="apply the rules listed in `rules`")
    rules: list[str] = _rules(["min_words", "max_words", "min_mean_word_length", "max_mean_word_length",
                               "max_hash_ratio", "max_ellipsis_ratio", "min_stop_words"], "Gopher quality")
    min_words: Annotated[int, Field(ge=0)] = Field(
        50, description="fewest words (tokens with a character that is not punctuation)")
    max_words: Annotated[int, Field(ge=1)] = Field(100_000, description="most words")
    min_mean_word_length: Annotated[float, Field(ge=0)] = Field(3.0, description="shortest mean word length")
    max_mean_word_length: Annotated[float, Field(ge=0)] = Field(10.0, description="longest mean word length")
    max_hash_ratio: Ratio = Field(0.1, description="most '#' characters per token")
    max_ellipsis_ratio: Ratio = Field(0.1, description="most ellipses ('...' or '…') per token")
    max_bullet_lines_ratio: Ratio = Field(
        0.9, description="largest share of lines starting with a bullet ('•' or '-')")
    max_ellipsis_lines_ratio: Ratio = Field(
        0.3, description="largest share of lines ending with an ellipsis")
    min_alpha_words_ratio: Ratio = Field(
        0.8, description="smallest share of tokens with at least one letter")
    min_stop_words: Annotated[int, Field(ge=0)] = Field(
        2, description="fewest distinct English stop words among the/be/to/of/and/that/have/with")


class GopherRepetitionConfig(_Family):
    """Gopher's repetition rules (Rae et al. 2021, table A1); thresholds as published."""

    enabled: bool = Field(True, description="apply the rules listed in `rules`")
    rules: list[str] = _rules(["max_dup_para_frac", "max_dup_para_char_frac", "max_top_2gram_char_frac",
                               "max_top_3gram_char_frac", "max_top_4gram_char_frac"], "Gopher repetition")
    max_dup_line_frac: Ratio = Field(0.3, description="largest share of lines that repeat an earlier line")
    max_dup_para_frac: Ratio = Field(
        0.3, description="largest share of paragraphs that repeat an earlier paragraph")
    max_dup_line_char_frac: Ratio = Field(
        0.2, description="largest share of the characters in repeated lines")
    max_dup_para_char_frac: Ratio = Field(
        0.2, description="largest share of the characters in repeated paragraphs")
    max_top_2gram_char_frac: Ratio = Field(
        0.2, description="largest share of the characters in the most frequent word 2-gram")
    max_top_3gram_char_frac: Ratio = Field(0.18, description="... 3-gram")
    max_top_4gram_char_frac: Ratio = Field(0.16, description="... 4-gram")
    max_dup_5gram_char_frac: Ratio = Field(
        0.15, description="largest share of the characters in word 5-grams that occur more than once")
    max_dup_6gram_char_frac: Ratio = Field(0.14, description="... 6-grams")
    max_dup_7gram_char_frac: Ratio = Field(0.13, description="... 7-grams")
    max_dup_8gram_char_frac: Ratio = Field(0.12, description="... 8-grams")
    max_dup_9gram_char_frac: Ratio = Field(0.11, description="... 9-grams")
    max_dup_10gram_char_frac: Ratio = Field(0.10, description="... 10-grams")


class C4Config(_Family):
    """C4's document rules (Raffel et al. 2020, section 2.2), judged on the lines C4's line rules
    keep (ending in . ? ! \" or ', at least 3 words, no word over 1000 characters, no 'javascript',
    no cookie or terms-of-use phrase). prep does not remove those lines: its own cleaning does that."""

    SWITCHES: ClassVar[tuple[str, ...]] = ("lorem_ipsum", "curly_bracket")  # rules without a threshold

    enabled: bool = Field(True, description="apply the rules listed in `rules` (lorem_ipsum, curly_bracket: "
                                            "'lorem ipsum' or '{' in a line C4 keeps drops the document)")
    rules: list[str] = _rules(["lorem_ipsum"], "C4")
    min_sentences: Annotated[int, Field(ge=0)] = Field(5, description="fewest sentences in the lines C4 keeps")


class FineWebConfig(_Family):
    """FineWeb's own quality rules (Penedo et al. 2024, section 3.3.4); thresholds as published."""

    enabled: bool = Field(True, description="apply the rules listed in `rules`")
    rules: list[str] = _rules(["max_list_ratio"], "FineWeb")
    min_line_punct_ratio: Ratio = Field(
        0.12, description="smallest share of lines ending in terminal punctuation")
    max_short_line_ratio: Ratio = Field(
        0.67, description="largest share of lines of at most 30 characters")
    max_char_dup_ratio: Ratio = Field(
        0.01, description="largest share of characters in lines that repeat an earlier line")
    max_list_ratio: Annotated[float, Field(ge=0)] = Field(
        0.3, description="most newlines per word (text made of short list items)")


class QualityConfig(_Section):
    """Heuristic quality filters over the `signals` columns (prep/filter/quality.py). Every
    document still kept gets `signals`; a document failing an enabled rule is dropped with
    drop_reason 'quality' and drop_detail naming the filter, the measure and its value."""

    enabled: bool = Field(True, description="measure the signals and apply the enabled filters")
    languages: list[str] = Field(
        default_factory=lambda: ["en", "und"],
        description="languages judged by every rule ('und': no language found, e.g. a dump of symbols or "
                    "numbers); documents of other languages are judged only by the rules that do not depend "
                    "on English words, spacing or punctuation (docs/filters.md lists them); ['*']: every "
                    "language by every rule. Without a language column every document is judged by every rule")
    gopher_quality: GopherQualityConfig = Field(GopherQualityConfig(), description="Gopher's quality rules")
    gopher_repetition: GopherRepetitionConfig = Field(GopherRepetitionConfig(),
                                                      description="Gopher's repetition rules")
    c4: C4Config = Field(C4Config(), description="C4's document rules")
    fineweb: FineWebConfig = Field(FineWebConfig(), description="FineWeb's own rules")


class PiiConfig(_Section):
    """Replacement of personal data by placeholders (prep/filter/pii.py), as FineWeb did with
    datatrove's PIIFormatter (e-mail and public IP addresses); prep also replaces phone and
    payment-card numbers. The placeholders keep the text's shape and are not personal data."""

    enabled: bool = Field(False, description="replace the kinds switched on below")
    email: bool = Field(True, description="e-mail addresses")
    ip: bool = Field(True, description="public IPv4 and IPv6 addresses (private, loopback, link-local and "
                                       "documentation addresses are left alone)")
    phone: bool = Field(True, description="phone numbers: '+' and a country code then 6-14 digits in groups, or "
                                          "(555) 123-4567, 555-123-4567, 555.123.4567")
    card: bool = Field(True, description="payment-card numbers: 13 to 19 digits from 2-6, whole or in groups, "
                                         "passing the Luhn check")
    email_placeholder: str = Field("email@example.com", description="what replaces an e-mail address")
    ip_placeholder: str = Field("192.0.2.1", description="what replaces an IP address (a documentation address)")
    phone_placeholder: str = Field("+1 555 0100", description="what replaces a phone number (a fictional one)")
    card_placeholder: str = Field("0000 0000 0000 0000", description="what replaces a card number")


class GatesConfig(_Section):
    """Quality gates, checked on the counts of every finished run (prep/review/gates.py): when one fails the
    output is still written, the summary names the gate and what was measured, and the exit code
    is 3. A gate left unset is not checked. Rates are shares of the records read, except
    max_removed_chars_rate. Gates judge the output, they do not shape it: changing one changes
    neither the output files nor the run's identity (a run can be resumed with other gates)."""

    min_records_read: Annotated[int, Field(ge=0)] | None = Field(
        None, description="fewest records the run must read: catches a missing or truncated crawl")
    min_docs_kept: Annotated[int, Field(ge=0)] | None = Field(
        None, description="fewest documents corpus/ must hold")
    max_drop_rate: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="largest share of records that may end in dropped/, for any reason")
    max_exact_duplicate_rate: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="largest share of records that may be dropped as exact_duplicate")
    max_near_duplicate_rate: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="largest share of records that may be dropped as near_duplicate")
    max_empty_rate: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="largest share of records that cleaning may leave empty or too_short: "
                          "a jump means extraction or a rule broke")
    max_removed_chars_rate: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="largest share of the extracted characters that cleaning may remove")
    max_errors: Annotated[int, Field(ge=0)] | None = Field(
        None, description="most input errors: files that yielded no record plus records dropped as "
                          "unreadable, too_large, extract_timeout or extract_failed")
    max_language_drop_rate: Ratio | None = Field(
        None, description="largest share of records that may be dropped as language")
    max_gopher_quality_drop_rate: Ratio | None = Field(
        None, description="largest share of records that may be dropped by the Gopher quality rules")
    max_gopher_repetition_drop_rate: Ratio | None = Field(
        None, description="... by the Gopher repetition rules")
    max_c4_drop_rate: Ratio | None = Field(None, description="... by the C4 rules")
    max_fineweb_drop_rate: Ratio | None = Field(None, description="... by the FineWeb rules")
    max_quality_drop_rate: Ratio | None = Field(
        None, description="... by the quality filters together")


class Config(_Section):
    input: InputConfig = InputConfig()
    output: OutputConfig = OutputConfig()
    run: RunConfig = RunConfig()
    limits: LimitsConfig = LimitsConfig()
    extract: ExtractConfig = ExtractConfig()
    clean: CleanConfig = CleanConfig()
    dedup: DedupConfig = DedupConfig()
    language: LanguageConfig = LanguageConfig()
    quality: QualityConfig = QualityConfig()
    pii: PiiConfig = PiiConfig()
    gates: GatesConfig = GatesConfig()

    def to_json(self) -> str:
        """Canonical JSON of the settings that decide the output: what Parquet footers carry and
        what is hashed. How the work is executed (workers, engine, address) and what it is judged by
        (gates) are left out, so runs that differ only in those write byte-identical files and
        can resume each other."""
        settings = self.model_dump(mode="json", exclude={"run": {"workers", "engine", "address"}, "gates": True})
        return json.dumps(settings, sort_keys=True, separators=(",", ":"))

    def sha256(self) -> str:
        return hashlib.sha256(self.to_json().encode()).hexdigest()


# keys renamed since they were introduced: a config that still uses one is told the new name
RENAMED = {"limits.max_gzip_ratio": "limits.max_compression_ratio"}


def load_config(path: Path | None) -> Config:
    """Read and validate a TOML config; None gives the defaults. ConfigError lists every problem
    of the file, a line each."""
    if path is None:
        return Config()
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read config {path}: {err}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"config {path} is not valid TOML: {err}") from None
    try:
        return Config.model_validate(raw)
    except ValidationError as err:
        raise ConfigError("\n".join(f"config {path}: {problem}" for problem in problems(err))) from None


def problems(err: ValidationError) -> list[str]:
    """Each problem pydantic found, on a line of its own."""
    return [_describe(problem) for problem in err.errors()]


def _describe(problem: dict) -> str:
    loc = [str(part) for part in problem["loc"]]
    where = ".".join(loc) or "(top level)"
    if problem["type"] == "extra_forbidden":
        return f"unknown key '{where}'{_suggestion(loc)}"
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "value_error":  # a check across keys: its message names them
        return f"'{where}': {message}" if loc else message
    return f"'{where}': {message} (got {problem.get('input')!r})"


def _suggestion(loc: list[str]) -> str:
    """'; did you mean ...?' for a misspelt key: the closest key of its section, or its new name."""
    where = ".".join(loc)
    if where in RENAMED:
        return f"; it is now '{RENAMED[where]}'"
    model: type[BaseModel] = Config
    for part in loc[:-1]:
        field = model.model_fields.get(part)
        annotation = field.annotation if field is not None else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return ""
        model = annotation
    close = difflib.get_close_matches(loc[-1], list(model.model_fields), n=1)
    return f"; did you mean '{'.'.join([*loc[:-1], close[0]])}'?" if close else ""
