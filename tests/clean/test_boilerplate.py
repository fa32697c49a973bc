import polars as pl

from prep.clean.boilerplate import find_template_lines, line_keys, mark_template_lines
from prep.config import BoilerplateConfig
from tests.clean.helpers import lines_of, verdicts

TEMPLATE = "Daily Planet Weekly Digest Edition"


WORDS = "river market council school harbour orchard bridge museum festival station garden library".split()


def unique_sentence(i: int, salt: str) -> str:
    return f"The {WORDS[i % 12]} {salt} near the {WORDS[(i // 12) % 12]} {WORDS[(i * 5 + 3) % 12]} reopened."


def corpus(n: int, site: str = "planet.example", template: bool = True, copies: int = 0):
    texts = [f"{unique_sentence(i, 'story')}\n\n{unique_sentence(i, 'report')}"
             + (f"\n\n{TEMPLATE} {2020 + i % 3}" if template else "") for i in range(n)]
    texts += [texts[0]] * copies
    docs = pl.DataFrame({"order": list(range(len(texts))), "site": [site] * len(texts)},
                        schema={"order": pl.Int64, "site": pl.String})
    return lines_of(*texts), docs


def template_of(lines, docs, config: BoilerplateConfig | None = None):
    return find_template_lines(line_keys(lines, docs).lazy(), config or BoilerplateConfig())


def test_line_on_every_page_of_a_site_is_removed_even_with_changing_digits():
    lines, docs = corpus(10)
    marked = mark_template_lines(lines, docs, template_of(lines, docs))
    for order in range(10):
        got = verdicts(marked, order)
        assert got[f"{TEMPLATE} {2020 + order % 3}"] == "site_boilerplate"
        assert list(got.values())[:2] == [None, None]


def test_too_few_pages_of_a_site_decide_nothing():
    lines, docs = corpus(4)
    assert template_of(lines, docs).is_empty()


def test_copies_of_one_story_do_not_make_its_lines_template():
    lines, docs = corpus(6, template=False, copies=4)  # story 0 five times among 10 pages
    assert template_of(lines, docs).is_empty()


def test_sites_are_judged_separately():
    lines, docs = corpus(10)
    docs = docs.with_columns(site=pl.when(pl.col("order") < 2).then(pl.lit("a.example")).otherwise(pl.lit("b.example")))
    template = template_of(lines, docs)
    assert template["site"].unique().to_list() == ["b.example"]


def test_key_slices_give_the_same_template_as_one_pass():
    """The reduce cuts a large corpus's line keys into slices by key; the result must not change."""
    parts = [corpus(12, site=f"s{n}.example", template=n % 2 == 0, copies=n % 3) for n in range(4)]
    lines = pl.concat([lns.with_columns(pl.col("order") + 100 * n) for n, (lns, _) in enumerate(parts)])
    docs = pl.concat([d.with_columns(pl.col("order") + 100 * n) for n, (_, d) in enumerate(parts)])
    keys = line_keys(lines, docs).lazy()
    whole = find_template_lines(keys, BoilerplateConfig())
    assert sorted(whole["site"].unique()) == ["s0.example", "s2.example"]
    for rows_per_slice in (1, 7, 40):
        assert find_template_lines(keys, BoilerplateConfig(), rows_per_slice).equals(whole)
