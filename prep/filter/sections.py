"""Config sections of the filter stages: `[language]`, `[quality]`, `[pii]` and the filter gates.

These models are meant to move into prep's config module as they are (same conventions: unknown
keys and wrong types are errors, every field says what it does). Every rule has its published
threshold; each filter lists the rules it applies (`rules`): the others are still measured. The
defaults and why they were chosen: docs/filters.md.
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Ratio = Annotated[float, Field(ge=0, le=1)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


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


class FilterGatesConfig(_Section):
    """Gates on each filter's drop rate (drops by that filter / records read), to merge into
    `[gates]`: a jump means a filter, the language detector or the input changed."""

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


