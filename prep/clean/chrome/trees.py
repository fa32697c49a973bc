"""Evaluate an exported gradient-boosted tree ensemble.

The chrome model is trained with scikit-learn, but prep must run without it: the training
script exports each tree as flat arrays (feature, threshold, children, leaf value) and this
compiled loop walks them. It is written here because no installed library evaluates such
exported trees; the training script checks that its output equals scikit-learn's.
"""

from __future__ import annotations

import numpy as np

from prep.compiled import kernel

BLOCK = 128  # rows walked through every tree before the next rows


def predict_logit(x: np.ndarray, ensemble: dict) -> np.ndarray:
    """Raw scores (log-odds) for the rows of `x` (float64[rows, features])."""
    out = np.full(len(x), ensemble["baseline"], dtype=np.float64)
    _walk(np.ascontiguousarray(x, dtype=np.float64), ensemble["roots"], ensemble["feature"],
          ensemble["threshold"], ensemble["left"], ensemble["right"], ensemble["missing_left"],
          ensemble["value"], ensemble["leaf"], out)
    return out


def as_arrays(exported: dict) -> dict:
    """The JSON form of an ensemble as the typed arrays `predict_logit` walks."""
    return {
        "baseline": float(exported["baseline"]),
        "roots": np.asarray(exported["roots"], dtype=np.int64),
        "feature": np.asarray(exported["feature"], dtype=np.int64),
        "threshold": np.asarray(exported["threshold"], dtype=np.float64),
        "left": np.asarray(exported["left"], dtype=np.int64),
        "right": np.asarray(exported["right"], dtype=np.int64),
        "missing_left": np.asarray(exported["missing_left"], dtype=np.bool_),
        "value": np.asarray(exported["value"], dtype=np.float64),
        "leaf": np.asarray(exported["leaf"], dtype=np.bool_),
    }


@kernel(nogil=True)
def _walk(x, roots, feature, threshold, left, right, missing_left, value, leaf, out):
    # rows in blocks of BLOCK, every tree over a block before the next block: the block's rows
    # and a tree's nodes stay in cache (a wide feature matrix streamed once per tree costs
    # more than the walk itself); each row still sums its trees in order, so the scores are the
    # same to the last bit
    totals = np.zeros(x.shape[0])
    for start in range(0, x.shape[0], BLOCK):
        stop = min(start + BLOCK, x.shape[0])
        for root in roots:
            for row in range(start, stop):
                node = root
                while not leaf[node]:
                    v = x[row, feature[node]]
                    if np.isnan(v):
                        node = left[node] if missing_left[node] else right[node]
                    elif v <= threshold[node]:
                        node = left[node]
                    else:
                        node = right[node]
                totals[row] += value[node]
    out += totals
