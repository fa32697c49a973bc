import polars as pl

from prep.clean.keyslices import key_slices, repeated, site_hash, site_key


def test_repeated_counts_values_wherever_they_stand():
    values = pl.DataFrame({"key": [7, 3, 7, 9, 3, 7, 1]}, schema={"key": pl.UInt64}).lazy()
    assert repeated(values, 2).rows() == [(3, 2), (7, 3)]
    assert repeated(values, 3).rows() == [(7, 3)]
    assert repeated(values, 1)["count"].sum() == 7


def test_repeated_of_no_rows_is_empty_with_the_column_named():
    found = repeated(pl.DataFrame(schema={"site_key": pl.UInt64}).lazy(), 2)
    assert found.is_empty() and found.columns == ["site_key", "count"]


def test_site_key_tells_apart_one_line_on_two_sites_and_two_lines_on_one():
    keys = pl.DataFrame({"site": ["a.example", "b.example", "a.example"], "order": [0, 1, 2],
                         "key": [11, 11, 12]}, schema={"site": pl.String, "order": pl.Int64, "key": pl.UInt64})
    pairs = keys.select(site_hash(), "key").select(site_key())["site_key"]
    assert pairs.n_unique() == 3


def test_slices_hold_every_row_once_and_each_key_in_one_slice():
    keys = pl.DataFrame({"site": ["s"] * 50, "order": list(range(50)), "key": [n % 13 for n in range(50)]},
                        schema={"site": pl.String, "order": pl.Int64, "key": pl.UInt64}).lazy()
    slices = [part.collect() for part in key_slices(keys, rows_per_slice=10)]
    assert len(slices) == 5
    assert sum(part.height for part in slices) == 50
    homes = [set(part["key"]) for part in slices]
    assert all(a.isdisjoint(b) for i, a in enumerate(homes) for b in homes[i + 1:])
