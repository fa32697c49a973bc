import numpy as np

from prep.clean.chrome.trees import as_arrays, predict_logit

# Two stumps: tree 1 splits feature 0 at 0.5 (NaN goes left), tree 2 splits feature 1 at 2.0.
ENSEMBLE = {
    "baseline": -1.0,
    "roots": [0, 3],
    "feature": [0, 0, 0, 1, 0, 0],
    "threshold": [0.5, 0.0, 0.0, 2.0, 0.0, 0.0],
    "left": [1, 0, 0, 4, 0, 0],
    "right": [2, 0, 0, 5, 0, 0],
    "missing_left": [True, False, False, False, False, False],
    "value": [0.0, 0.25, 1.5, 0.0, -0.5, 2.0],
    "leaf": [False, True, True, False, True, True],
}


def test_each_row_walks_every_tree():
    x = np.array([[0.0, 1.0], [1.0, 3.0], [0.5, 2.0], [np.nan, 5.0]])
    got = predict_logit(x, as_arrays(ENSEMBLE))
    assert np.allclose(got, [-1 + 0.25 - 0.5, -1 + 1.5 + 2.0, -1 + 0.25 - 0.5, -1 + 0.25 + 2.0])


def test_no_rows_no_scores():
    assert predict_logit(np.empty((0, 2)), as_arrays(ENSEMBLE)).shape == (0,)


def test_a_row_sums_its_trees_before_adding_the_baseline():
    # the first tree listed three times: (0.1 + 0.1 + 0.1) - 1 is -0.7 in floating point, but
    # ((-1 + 0.1) + 0.1) + 0.1 is -0.7000000000000001; the scores must be the trained model's to
    # the last bit, so that a line on the threshold falls on the same side
    ensemble = {**ENSEMBLE, "roots": [0, 0, 0], "value": [0.0, 0.1, 0.7, 0.0, 0.0, 0.0]}
    assert predict_logit(np.array([[0.0, 0.0]]), as_arrays(ensemble)).tolist() == [(0.1 + 0.1 + 0.1) - 1.0]
