#!/usr/bin/python3
"""Trains the models that xgboost_tests load, and their expected outputs.

For every model NAME the output directory gets:
  NAME.json, NAME.ubj   the model as XGBoost's save_model writes it;
  NAME.csv              header f0,...,f{k-1},pred,margin: test rows (inputs as
                        float64, printed with %.17g, nan for missing) and what
                        XGBoost's predict() returns for them (output_margin
                        False and True), float32 values printed exactly.
and manifest.csv lists name,features,iteration_end,objective of every model
(iteration_end 0: all trees; else the end of the iteration range used for
the expected predictions, as XGBoost's scikit-learn predict() does for a model
trained with early stopping).

Models that Shoal must reject (no CSV): multiclass, gblinear, dart,
categorical. Test rows include values exactly at split thresholds read from
the model, their float32 and float64 neighbours, NaN, +-1e30, +-0,
subnormals and the float32 extremes. Run with Debian's python:
  /usr/bin/python3 make_xgboost_fixtures.py --out DIR
"""

import argparse
import json
import os

import numpy as np
import xgboost as xgb

ROWS = 3000
F32 = np.float32


def data(rng, n, k, nan_share):
    """Training inputs: mixed scales, some NaN (so default directions vary)."""
    scale = rng.uniform(0.1, 100.0, size=k)
    x = rng.normal(size=(n, k)) * scale
    x[rng.random(x.shape) < nan_share] = np.nan
    return x


def signal(x):
    """A target that uses every feature and treats NaN as its own case."""
    z = np.nan_to_num(x / np.nanstd(x, axis=0), nan=-1.5)
    w = np.linspace(1.0, 0.2, x.shape[1])
    return z @ w + 0.5 * np.sin(3 * z[:, 0]) + (z[:, -1] > 0.3)


def thresholds(model_json):
    """Every (feature, split threshold) pair of a saved model, as float32."""
    learner = json.loads(model_json)["learner"]
    pairs = []
    for tree in learner["gradient_booster"]["model"]["trees"]:
        for left, f, c in zip(tree["left_children"], tree["split_indices"],
                              tree["split_conditions"]):
            if left != -1:
                pairs.append((f, F32(c)))
    return pairs


def test_rows(rng, train_x, pairs):
    """Rows around the model's thresholds plus extreme and missing values."""
    n, k = ROWS, train_x.shape[1]
    base = train_x[rng.integers(0, train_x.shape[0], size=n)].copy()
    base[rng.random(base.shape) < 0.05] = np.nan
    by_feature = {}
    for f, c in pairs:
        by_feature.setdefault(f, []).append(c)
    specials = np.array([1e30, -1e30, 0.0, -0.0, 1e-40, -1e-40, 1.4e-45,
                         float(np.finfo(F32).max), -float(np.finfo(F32).max),
                         float(np.finfo(F32).tiny), np.nan], dtype=np.float64)
    third = n // 3
    u = rng.random((n, k))
    # First third: exactly at a threshold of the feature, or one float32 or
    # float64 step away from it.
    for f, ts in by_feature.items():
        rows = np.nonzero(u[:third, f] < 0.6)[0]
        t = np.array(ts, dtype=F32)[rng.integers(len(ts), size=rows.size)]
        step = rng.integers(5, size=rows.size)
        t = np.where(step == 1, np.nextafter(t, F32(np.inf)), t)
        t = np.where(step == 2, np.nextafter(t, F32(-np.inf)), t)
        v = t.astype(np.float64)
        v = np.where(step == 3, np.nextafter(v, np.inf), v)
        v = np.where(step == 4, np.nextafter(v, -np.inf), v)
        base[rows, f] = v
    # Second third: extreme, signed-zero, subnormal and missing values.
    mid = base[third:2 * third]
    pick = u[third:2 * third] < 0.3
    mid[pick] = specials[rng.integers(len(specials), size=pick.sum())]
    base[-1, :] = np.nan
    base[-2, :] = 0.0
    return base


def write_model(out, name, booster, train_x, rng, iteration_end=0):
    booster.save_model(os.path.join(out, name + ".json"))
    booster.save_model(os.path.join(out, name + ".ubj"))
    with open(os.path.join(out, name + ".json")) as f:
        pairs = thresholds(f.read())
    x = test_rows(rng, train_x, pairs)
    d = xgb.DMatrix(x, nthread=1)  # float64 in, made float32 by XGBoost
    rng_it = (0, iteration_end)
    pred = booster.predict(d, iteration_range=rng_it)
    margin = booster.predict(d, output_margin=True, iteration_range=rng_it)
    k = x.shape[1]
    cols = [x, pred.astype(np.float64)[:, None],
            margin.astype(np.float64)[:, None]]
    header = ",".join([f"f{i}" for i in range(k)] + ["pred", "margin"])
    np.savetxt(os.path.join(out, name + ".csv"), np.hstack(cols),
               fmt="%.17g", delimiter=",", header=header, comments="")
    objective = json.loads(booster.save_config())["learner"]["objective"]
    return f"{name},{k},{iteration_end},{objective['name']}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20240601)
    manifest = ["name,features,iteration_end,objective"]

    def fit(name, params, rounds, k=6, n=2000, nan_share=0.1, label=None,
            **kw):
        x = data(rng, n, k, nan_share)
        s = signal(x)
        y = s if label is None else label(s)
        p = {"seed": 7, "nthread": 1, **params}
        b = xgb.train(p, xgb.DMatrix(x, y, nthread=1), rounds, **kw)
        manifest.append(write_model(out, name, b, x, rng))

    prob = lambda s: 1 / (1 + np.exp(-(s - s.mean()) / s.std()))
    binary = lambda s: (s > np.median(s)).astype(float)
    positive = lambda s: np.exp((s - s.mean()) / s.std())
    counts = lambda s: rng.poisson(positive(s))

    fit("sqerr_d1_t1", {"max_depth": 1}, 1, k=3)
    fit("sqerr_d6_t100", {"max_depth": 6, "eta": 0.1}, 100, k=8)
    fit("sqerr_d8_t200_exact", {"max_depth": 8, "eta": 0.05,
                                "tree_method": "exact"}, 200, k=5)
    # Pruning (gamma) leaves deleted nodes in the saved trees.
    fit("sqerr_pruned_d8_t40", {"max_depth": 8, "eta": 0.05, "gamma": 20,
                                "tree_method": "exact"}, 40, k=5)
    fit("sqerr_wide_d6_t30", {"max_depth": 6, "tree_method": "approx"}, 30,
        k=40)
    fit("sqerr_mostly_missing", {"max_depth": 4}, 25, nan_share=0.5)
    fit("lossguide_deep", {"tree_method": "hist", "grow_policy": "lossguide",
                           "max_depth": 0, "max_leaves": 300, "eta": 0.3}, 8)
    fit("forest_p4_t3", {"num_parallel_tree": 4, "subsample": 0.8,
                         "colsample_bynode": 0.8, "max_depth": 5}, 3)
    fit("reg_logistic_d3_t50", {"objective": "reg:logistic",
                                "max_depth": 3}, 50, label=prob)
    fit("binary_logistic_d4_t80", {"objective": "binary:logistic",
                                   "max_depth": 4}, 80, label=binary)
    fit("binary_logistic_base03", {"objective": "binary:logistic",
                                   "base_score": 0.3, "max_depth": 2}, 10,
        label=binary)
    fit("binary_logitraw_d5_t40", {"objective": "binary:logitraw",
                                   "max_depth": 5}, 40, label=binary)
    fit("binary_hinge_d3_t20", {"objective": "binary:hinge",
                                "max_depth": 3}, 20, label=binary)
    fit("poisson_d5_t60", {"objective": "count:poisson", "max_depth": 5},
        60, label=counts)
    fit("gamma_d3_t30", {"objective": "reg:gamma", "max_depth": 3}, 30,
        label=positive)
    fit("tweedie_d4_t30", {"objective": "reg:tweedie", "max_depth": 4}, 30,
        label=counts)
    fit("absolute_d3_t20", {"objective": "reg:absoluteerror",
                            "max_depth": 3}, 20)
    fit("huber_d3_t20", {"objective": "reg:pseudohubererror",
                         "max_depth": 3}, 20)
    fit("sqlog_d3_t20", {"objective": "reg:squaredlogerror",
                         "max_depth": 3}, 20, label=positive)

    # Early stopping: the file holds every tree, predict() of the
    # scikit-learn wrapper uses the first best_iteration + 1 rounds.
    x = data(rng, 1200, 6, 0.1)
    s = signal(x)
    y = (s + rng.normal(scale=s.std(), size=s.size) > np.median(s)) * 1.0
    dtrain = xgb.DMatrix(x[:800], y[:800], nthread=1)
    dval = xgb.DMatrix(x[800:], y[800:], nthread=1)
    b = xgb.train({"objective": "binary:logistic", "max_depth": 6, "eta": 0.1,
                   "seed": 7, "nthread": 1}, dtrain, 200,
                  evals=[(dval, "val")], early_stopping_rounds=5,
                  verbose_eval=False)
    assert b.best_iteration + 1 < b.num_boosted_rounds()
    manifest.append(write_model(out, "early_stopping", b, x, rng,
                                b.best_iteration + 1))

    # Models Shoal rejects.
    x = data(rng, 300, 4, 0.1)
    y = signal(x)
    classes = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    rejected = {
        "multiclass": ({"objective": "multi:softprob", "num_class": 3},
                       classes),
        "gblinear": ({"booster": "gblinear"}, y),
        "dart": ({"booster": "dart", "rate_drop": 0.1, "max_depth": 3}, y),
    }
    for name, (params, label) in rejected.items():
        b = xgb.train({"nthread": 1, **params},
                      xgb.DMatrix(x, label, nthread=1), 5)
        b.save_model(os.path.join(out, name + ".json"))
        b.save_model(os.path.join(out, name + ".ubj"))
    xc = x.copy()
    xc[:, 3] = rng.integers(0, 5, size=xc.shape[0])
    d = xgb.DMatrix(xc, y, nthread=1, feature_types=["q", "q", "q", "c"],
                    enable_categorical=True)
    b = xgb.train({"tree_method": "hist", "max_cat_to_onehot": 1,
                   "nthread": 1}, d, 5)
    b.save_model(os.path.join(out, "categorical.json"))
    b.save_model(os.path.join(out, "categorical.ubj"))

    with open(os.path.join(out, "manifest.csv"), "w") as f:
        f.write("\n".join(manifest) + "\n")


if __name__ == "__main__":
    main()
