"""Python baselines of W6 in `npm run bench` (scripts/bench-wide.ts); not meant to be run by hand.

usage: bench-wide.py {lars,cd,fista} DIR RUNS WARMUP

DIR holds setup.json ({"m", "n", "p", "sigma", "b"}), A.bin and X.bin: the
basis and the data as the library holds them, column-major float64, that is
row-major n x m (the dictionary, one atom a row) and p x m (one point a row).
The solver runs WARMUP times untimed, then RUNS times timed; the last code
(p x n row-major float64, which is the library's column-major n x p) goes to
DIR/S-<method>.bin and one JSON line with the times (ms) goes to stdout.

Our objective is L(s) = |x - A s|^2 / (2 sigma^2) + |s|_1 / b. sparse_encode
with lasso_lars or lasso_cd divides alpha by n_features (= m) and its
LassoLars / Lasso minimises 1/(2m) |x - A s|^2 + (alpha/m) |s|_1, which is
sigma^2 L / m when alpha = sigma^2 / b (scikit-learn 1.2,
sklearn/decomposition/_dict_learning.py, _sparse_encode). So the same alpha
gives the same minimiser.

lars:  sparse_encode(algorithm='lasso_lars', positive=True): the LARS-lasso
       homotopy, the reference (its code may hold values like -1e-19, which the
       bench scores as 0).
cd:    sparse_encode(algorithm='lasso_cd', positive=True), default tolerance
       and 1,000 iterations at most per point.
fista: non-negative FISTA (Beck and Teboulle 2009, no restart), 500
       iterations from s = 0, step 1/|A|_2^2 in units of sigma^2, vectorised
       over the points: each iteration is two matrix products (A and A^T) or
       one with the Gram matrix, whichever costs fewer operations.
"""
import json
import os
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import timed_main  # noqa: E402  (the command line both bench scripts share)

FISTA_ITERATIONS = 500


def load(d):
    with open(os.path.join(d, "setup.json")) as f:
        s = json.load(f)
    D = np.fromfile(os.path.join(d, "A.bin"), dtype="<f8").reshape(s["n"], s["m"])
    X = np.fromfile(os.path.join(d, "X.bin"), dtype="<f8").reshape(s["p"], s["m"])
    return s, D, X


def sklearn_code(algorithm):
    def solve(D, X, shrink):
        # Imported before any timed call (main primes every solver once), so no timing includes the import.
        from sklearn.decomposition import sparse_encode

        with warnings.catch_warnings():
            # lasso_cd warns once per point it stops short on; the KKT column
            # of the bench shows what that costs.
            warnings.simplefilter("ignore")
            return sparse_encode(X, D, algorithm=algorithm, alpha=shrink, positive=True)

    return solve


def numpy_fista(D, X, shrink):
    """Minimises 1/2 |x - A s|^2 + shrink |s|_1 with s >= 0 for every row x of X (A = D^T)."""
    n, m = D.shape
    L = np.linalg.norm(D, 2) ** 2
    gram = n <= 2 * m
    G = D @ D.T if gram else None
    C = X @ D.T  # p x n: A^T x for every point
    S = np.zeros((X.shape[0], n))
    Y = S.copy()
    t = 1.0
    for _ in range(FISTA_ITERATIONS):
        grad = (Y @ G if gram else (Y @ D) @ D.T) - C
        S_next = np.maximum(Y - (grad + shrink) / L, 0.0)
        t_next = (1.0 + np.sqrt(1.0 + 4.0 * t * t)) / 2.0
        Y = S_next + ((t - 1.0) / t_next) * (S_next - S)
        S, t = S_next, t_next
    return S


SOLVERS = {"lars": sklearn_code("lasso_lars"), "cd": sklearn_code("lasso_cd"), "fista": numpy_fista}


def main():
    # Every solver is primed with an untimed call on the first 10 points: scikit-learn's and scipy's imports
    # (seconds) and any first-call set-up are then outside the timed runs, as they are for ours.
    timed_main(SOLVERS, load, lambda method: method != "fista", prime=lambda solve, D, X, shrink: solve(D, X[:10], shrink))


if __name__ == "__main__":
    main()
