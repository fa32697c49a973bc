import polars as pl

from prep.clean.boilerplate import line_keys
from prep.clean.spread import line_spread
from tests.clean.helpers import lines_of


def test_lines_on_several_sites_are_counted_once_per_site():
    lines = lines_of("Privacy Policy\n\nStory 1.", "Privacy Policy\n\nStory two.", "privacy policy\n\nStory 3.")
    docs = pl.DataFrame({"order": [0, 1, 2], "site": ["a.example", "a.example", "b.example"]},
                        schema={"order": pl.Int64, "site": pl.String})
    spread = line_spread(line_keys(lines, docs).lazy())
    got = lines.join(spread, on="key", how="left").select("line", pl.col("sites").fill_null(1))
    # case and digits do not matter: "Story 1." on one site and "Story 3." on another are one line
    assert dict(got.unique().iter_rows()) == {"Privacy Policy": 2, "privacy policy": 2, "Story 1.": 2,
                                              "Story two.": 1, "Story 3.": 2}


def test_key_slices_give_the_same_spread_as_one_pass():
    texts = [f"Menu\n\nLine {i % 5} of the corpus here.\n\nOwn line number {i}." for i in range(30)]
    lines = lines_of(*texts)
    docs = pl.DataFrame({"order": list(range(30)), "site": [f"s{i % 4}.example" for i in range(30)]},
                        schema={"order": pl.Int64, "site": pl.String})
    keys = line_keys(lines, docs).lazy()
    whole = line_spread(keys)
    assert len(whole) >= 2  # "Menu" and each shared line are on several sites
    for rows_per_slice in (1, 9, 50):
        assert line_spread(keys, rows_per_slice).equals(whole)
