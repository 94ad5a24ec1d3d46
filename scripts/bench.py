"""Python baselines for `npm run bench` (scripts/bench.ts); not meant to be run by hand.

usage: bench.py {numpy,sklearn} DIR RUNS WARMUP

DIR holds A.bin (m*n float64, row-major m x n), X.bin (m*p, row-major m x p)
and setup.json ({"m", "n", "p", "sigma", "b"}). The solver runs WARMUP times
untimed, then RUNS times timed; the last S (n x p, row-major float64) goes to
DIR/S-<solver>.bin and one JSON line with the times (ms) goes to stdout.

numpy:   exact non-negative MAP by enumerating every support of size <= 2,
         vectorised over the points (one pass per support).
sklearn: sklearn.decomposition.sparse_encode(algorithm='lasso_cd',
         positive=True), whose objective 1/2 |x - D^T s|^2 + alpha |s|_1 (after
         its own 1/n_features scaling) is ours times sigma^2 with
         alpha = sigma^2 / b.
"""
import itertools
import json
import os
import sys
import time
import warnings

import numpy as np


def load(d):
    with open(os.path.join(d, "setup.json")) as f:
        s = json.load(f)
    A = np.fromfile(os.path.join(d, "A.bin"), dtype="<f8").reshape(s["m"], s["n"])
    X = np.fromfile(os.path.join(d, "X.bin"), dtype="<f8").reshape(s["m"], s["p"])
    return s, A, X


def numpy_exact(A, X, shrink):
    """Tries every support T with |T| <= 2 for all points at once and keeps,
    per point, the feasible stationary point of lowest objective."""
    n = A.shape[1]
    p = X.shape[1]
    G = A.T @ A
    C = A.T @ X
    best = np.zeros(p)  # objective relative to s = 0, times sigma^2
    S = np.zeros((n, p))
    for k in (1, 2):
        for T in itertools.combinations(range(n), k):
            T = list(T)
            Gt = G[np.ix_(T, T)]
            if k == 2 and abs(np.linalg.det(Gt)) <= 1e-12 * max(Gt[0, 0], Gt[1, 1]) ** 2:
                continue
            cT = C[T]
            sT = np.linalg.solve(Gt, cT - shrink)
            obj = -0.5 * np.einsum("ij,ij->j", sT, cT) + 0.5 * shrink * sT.sum(axis=0)
            take = (sT > 0).all(axis=0) & (obj < best)
            best = np.where(take, obj, best)
            S[:, take] = 0.0
            S[np.ix_(T, np.nonzero(take)[0])] = sT[:, take]
    return S


def sklearn_lasso(A, X, shrink):
    from sklearn.decomposition import sparse_encode

    with warnings.catch_warnings():
        # lasso_cd stops at its default tolerance on many points and says so
        # once per point; the objective column shows what that costs.
        warnings.simplefilter("ignore")
        code = sparse_encode(X.T, A.T, algorithm="lasso_cd", alpha=shrink, positive=True)
    return code.T


def timed_main(solvers, load_fn, uses_sklearn, prime=None):
    """The command line both bench scripts share: solver name, folder, runs,
    warm-up runs. Times the solver on the folder's problem, writes its last
    answer to S-<name>.bin and prints the times and the library versions.
    `prime`, when given, makes one untimed call first (a small one)."""
    which, d, runs, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    s, A, X = load_fn(d)
    shrink = s["sigma"] ** 2 / s["b"]
    solve = solvers[which]
    if prime is not None:
        prime(solve, A, X, shrink)
    for _ in range(warmup):
        solve(A, X, shrink)
    times = []
    S = None
    for _ in range(runs):
        t0 = time.perf_counter()
        S = solve(A, X, shrink)
        times.append((time.perf_counter() - t0) * 1000)
    np.ascontiguousarray(S, dtype="<f8").tofile(os.path.join(d, "S-%s.bin" % which))
    versions = {"numpy": np.__version__}
    if uses_sklearn(which):
        import sklearn

        versions["sklearn"] = sklearn.__version__
    print(json.dumps({"times": times, "versions": versions}), flush=True)


def main():
    timed_main({"numpy": numpy_exact, "sklearn": sklearn_lasso}, load, lambda which: which == "sklearn")


if __name__ == "__main__":
    main()
