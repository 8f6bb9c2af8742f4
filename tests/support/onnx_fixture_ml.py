"""ONNX-ML fixture models (tree ensembles, linear models, Scaler, Normalizer,
ZipMap) and their numpy reference; see make_onnx_fixtures.py."""

import numpy as np
from onnx import TensorProto, ValueInfoProto, helper, numpy_helper

from onnx_fixture_lib import (F32, init, inputs32, model, node, r32, rows,
                              weights)

BRANCHES = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ",
            "BRANCH_NEQ"]
K = 5


def logistic(z):
    """1 / (1 + exp(-z)), written so that exp never overflows."""
    with np.errstate(over="ignore"):
        return np.where(z >= 0, 1 / (1 + np.exp(-np.abs(z))),
                        np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))))


def out(name, elem=TensorProto.FLOAT):
    """A graph output: float scores [N, M], or labels [N]."""
    shape = ["N", "M"] if elem == TensorProto.FLOAT else ["N"]
    return helper.make_tensor_value_info(name, elem, shape)


def zipmap_out(name):
    """A ZipMap output: seq(map(int64, float))."""
    v = ValueInfoProto()
    v.name = name
    m = v.type.sequence_type.elem_type.map_type
    m.key_type = TensorProto.INT64
    m.value_type.tensor_type.elem_type = TensorProto.FLOAT
    return v


class Ensemble:
    """Random trees in ONNX's attribute form, and their numpy reference."""

    def __init__(self, rng, trees, depth, leaf, dtype=F32):
        self.pool = [np.unique(r32(rng.normal(size=12)).astype(dtype))
                     for _ in range(K)]
        self.trees = []  # (nodes, leaf entries); node 0 is the root
        for _ in range(trees):
            nodes = []
            self._grow(rng, nodes, depth)
            leaves = {i: leaf(rng) for i, n in enumerate(nodes) if n is None}
            self.trees.append((nodes, leaves))
        self.order = rng.permutation(trees)  # emission (= summation) order

    def _grow(self, rng, nodes, depth):
        i = len(nodes)
        nodes.append(None)
        if depth == 0 or rng.random() < 0.15:
            return i
        f = int(rng.integers(K))
        thr = self.pool[f][rng.integers(len(self.pool[f]))]
        mode = BRANCHES[rng.integers(len(BRANCHES))]
        yes = self._grow(rng, nodes, depth - 1)
        no = self._grow(rng, nodes, depth - 1)
        nodes[i] = (f, float(thr), mode, yes, no, int(rng.random() < 0.5))
        return i

    def attrs(self, rng, prefix, ids_key, as_tensor=False):
        """The node and weight attributes, with scrambled node ids, non-root
        nodes in random order and trees in `self.order`."""
        a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_modes",
                             "nodes_featureids", "nodes_values",
                             "nodes_truenodeids", "nodes_falsenodeids",
                             "nodes_missing_value_tracks_true",
                             prefix + "treeids", prefix + "nodeids", ids_key,
                             prefix + "weights"]}
        for t in self.order:
            nodes, leaves = self.trees[t]
            tid = int(7 * t + 3)
            ids = rng.permutation(1000)[:len(nodes)]
            order = [0] + list(rng.permutation(np.arange(1, len(nodes))))
            for i in order:
                n = nodes[i]
                f, thr, mode, yes, no, miss = n or (0, 0.0, "LEAF", 0, 0, 0)
                for key, v in zip(list(a)[:8], [tid, ids[i], mode, f, thr,
                                                ids[yes], ids[no], miss]):
                    a[key].append(v)
            for i in sorted(leaves):
                for target, w in leaves[i]:
                    a[prefix + "treeids"].append(tid)
                    a[prefix + "nodeids"].append(int(ids[i]))
                    a[ids_key].append(target)
                    a[prefix + "weights"].append(w)
        if as_tensor:
            for key in ["nodes_values", prefix + "weights"]:
                a[key + "_as_tensor"] = numpy_helper.from_array(
                    np.array(a.pop(key), dtype=np.float64), key)
        return a

    def leaf_of(self, t, x):
        nodes, leaves = self.trees[t]
        i = 0
        while nodes[i] is not None:
            f, thr, mode, yes, no, miss = nodes[i]
            v = x[f]
            go = {"BRANCH_LEQ": v <= thr, "BRANCH_LT": v < thr,
                  "BRANCH_GTE": v >= thr, "BRANCH_GT": v > thr,
                  "BRANCH_EQ": v == thr, "BRANCH_NEQ": v != thr}[mode]
            i = yes if go or (miss and np.isnan(v)) else no
        return leaves[i]

    def scores(self, x, n, agg="SUM"):
        """Raw scores per column for one float32 row, summed in float64 in
        emission order; None where no tree gave a weight (MIN, MAX)."""
        s = [None] * n
        for t in self.order:
            for target, w in self.leaf_of(t, x):
                if s[target] is None:
                    s[target] = w
                elif agg == "MIN":
                    s[target] = min(s[target], w)
                elif agg == "MAX":
                    s[target] = max(s[target], w)
                else:
                    s[target] += w
        return s

    def rows(self, rng):
        """Normal rows, then every threshold with its float32 neighbours,
        then NaN in each feature."""
        x = [rows(rng, K, nan=False)]
        for f in range(K):
            for thr in self.pool[f]:
                for v in [thr, np.nextafter(F32(thr), F32(-np.inf)),
                          np.nextafter(F32(thr), F32(np.inf))]:
                    row = rng.normal(size=K)
                    row[f] = v
                    x.append(row[None, :])
            row = rng.normal(size=(20, K))
            row[:, f] = np.nan
            x.append(row)
        return np.vstack(x)


def w32(rng, scale=1.0):
    return float(F32(rng.normal() * scale))


def tree_regressor(rng, agg, targets=1, as_tensor=False):
    def leaf(r):
        entries = [(t, w32(r)) for t in range(targets) if r.random() < 0.8]
        return entries if agg in ("MIN", "MAX") else entries or [(0, w32(r))]
    e = Ensemble(rng, 12, 5, leaf, np.float64 if as_tensor else F32)
    if as_tensor:
        # Thresholds and weights that float32 cannot hold.
        for nodes, leaves in e.trees:
            for i, n in enumerate(nodes):
                if n is not None:
                    nodes[i] = n[:1] + (n[1] + 1e-9,) + n[2:]
            for i in leaves:
                leaves[i] = [(t, w + 1e-12) for t, w in leaves[i]]
    base = [w32(rng) for _ in range(targets)]
    a = e.attrs(rng, "target_", "target_ids", as_tensor)
    n = node("TreeEnsembleRegressor", ["x"], ["y"], domain="ai.onnx.ml",
             n_targets=targets, aggregate_function=agg, base_values=base, **a)
    m = model([n], K, [], ml=True)
    x = e.rows(rng)
    expected = []
    for row in inputs32(x):
        s = e.scores(row, targets, agg)[0]
        s = 0.0 if s is None else s
        if agg == "AVERAGE":
            s = s / len(e.trees)
        expected.append(s + base[0])
    return m, x, r32(expected)


def tree_classifier(rng, kind):
    """binary: weights for both classes, ZipMap. single: one score column
    with LOGISTIC. multi: three string classes with SOFTMAX."""
    labels = 3 if kind == "multi" else 2
    trees = 10

    def leaf(r):
        if kind == "binary":
            p = r.random()
            return [(0, float(F32((1 - p) / trees))),
                    (1, float(F32(p / trees)))]
        if kind == "single":
            return [(0, w32(r, 0.5))]
        return [(c, w32(r)) for c in range(labels)]
    e = Ensemble(rng, trees, 4, leaf)
    base = [w32(rng)] if kind == "single" else (
        [w32(rng) for _ in range(labels)] if kind == "multi" else [])
    post = {"binary": "NONE", "single": "LOGISTIC", "multi": "SOFTMAX"}[kind]
    extra = ({"classlabels_strings": ["a", "b", "c"]} if kind == "multi"
             else {"classlabels_int64s": [0, 1]})
    a = e.attrs(rng, "class_", "class_ids")
    n = node("TreeEnsembleClassifier", ["x"], ["label", "proba"],
             domain="ai.onnx.ml", post_transform=post, **extra, **a)
    if base:
        n.attribute.append(helper.make_attribute("base_values", base))
    nodes, outs = [n], [out("label", TensorProto.INT64), out("proba")]
    if kind == "binary":
        nodes.append(node("ZipMap", ["proba"], ["probs"], domain="ai.onnx.ml",
                          classlabels_int64s=[0, 1]))
        outs = [out("label", TensorProto.INT64), zipmap_out("probs")]
    if kind == "multi":
        outs[0] = out("label", TensorProto.STRING)
    m = model(nodes, K, [], outputs=outs, ml=True)
    x = e.rows(rng)
    expected = []
    for row in inputs32(x):
        s = np.array(e.scores(row, 1 if kind == "single" else labels),
                     dtype=np.float64)
        if kind == "single":
            expected.append(logistic(s[0] + base[0]))
        elif kind == "multi":
            z = s + base
            p = np.exp(z - z.max())
            expected.append((p / p.sum())[1])
        else:
            expected.append(s[1])
    return m, x, r32(expected)


def linear_regressor(rng):
    coef, icpt = weights(rng, 6), w32(rng)
    n = node("LinearRegressor", ["x"], ["y"], domain="ai.onnx.ml",
             coefficients=list(coef), intercepts=[icpt], targets=1)
    x = rows(rng, 6)
    return model([n], 6, [], ml=True), x, r32(inputs32(x) @ coef + icpt)


def linear_classifier(rng, kind):
    """binary: two coefficient rows (as scikit-learn exports them), LOGISTIC,
    ZipMap. single: one row, LOGISTIC. multi: three rows, LOGISTIC, then
    Normalizer L1 and ZipMap."""
    c, b = weights(rng, 6), w32(rng)
    if kind == "binary":
        coef, icpt = np.concatenate([-c, c]), [-b, b]
    elif kind == "single":
        coef, icpt = c, [b]
    else:
        coef, icpt = weights(rng, 3, 6).ravel(), [w32(rng) for _ in range(3)]
    labels = [0, 1, 2] if kind == "multi" else [0, 1]
    nodes = [node("LinearClassifier", ["x"], ["label", "scores"],
                  domain="ai.onnx.ml", coefficients=list(coef),
                  intercepts=icpt, classlabels_ints=labels,
                  post_transform="LOGISTIC")]
    proba = "scores"
    if kind == "multi":
        nodes.append(node("Normalizer", ["scores"], ["norm"],
                          domain="ai.onnx.ml", norm="L1"))
        proba = "norm"
    outs = [out("label", TensorProto.INT64), out(proba)]
    if kind != "single":
        nodes.append(node("ZipMap", [proba], ["probs"], domain="ai.onnx.ml",
                          classlabels_int64s=labels))
        outs[1] = zipmap_out("probs")
    x = rows(rng, 6)
    z = inputs32(x) @ np.asarray(coef).reshape(-1, 6).T + icpt
    p = r32(logistic(z))
    if kind == "multi":
        with np.errstate(invalid="ignore"):
            p = r32(p / np.abs(p).sum(axis=1, keepdims=True))
    return (model(nodes, 6, [], outputs=outs, ml=True), x,
            p[:, 0] if kind == "single" else p[:, 1])


def scaler_normalizer(rng, norm):
    """Scaler (per-feature or single offset and scale), a Normalizer, and a
    LinearRegressor that mixes the columns. Some rows normalize to zero."""
    per = norm == "L2"
    offset = weights(rng, 6) if per else [w32(rng)]
    scale = (np.abs(weights(rng, 6)) + 0.5) if per else [w32(rng) + 2.0]
    coef = weights(rng, 6)
    nodes = [node("Scaler", ["x"], ["s"], domain="ai.onnx.ml",
                  offset=list(offset), scale=list(scale)),
             node("Normalizer", ["s"], ["n"], domain="ai.onnx.ml", norm=norm),
             node("LinearRegressor", ["n"], ["y"], domain="ai.onnx.ml",
                  coefficients=list(coef))]
    x = rows(rng, 6)
    x = np.vstack([x, np.tile(np.broadcast_to(offset, (6,)), (3, 1))])
    with np.errstate(over="ignore", invalid="ignore"):
        s = r32((inputs32(x) - np.asarray(offset)) * np.asarray(scale))
        d = (np.sqrt((s * s).sum(axis=1)) if per else s.max(axis=1))[:, None]
        n = r32(np.where(d != 0, s / np.where(d != 0, d, 1), s))
        return model(nodes, 6, [], ml=True), x, r32(n @ coef)


def input_count_4(rng):
    """A valid model with four inputs (nodes that give three must fail)."""
    w = weights(rng, 4, 1)
    x = rows(rng, 4)
    m = model([node("MatMul", ["x", "w"], ["y"])], 4, [init("w", w)])
    return m, x, r32(inputs32(x) @ w)[:, 0]


MODELS = {
    "tree_regressor_sum": lambda rng: tree_regressor(rng, "SUM"),
    "tree_regressor_average": lambda rng: tree_regressor(rng, "AVERAGE", 2),
    "tree_regressor_min": lambda rng: tree_regressor(rng, "MIN"),
    "tree_regressor_max": lambda rng: tree_regressor(rng, "MAX", 2),
    "tree_regressor_double": lambda rng: tree_regressor(rng, "SUM", 1, True),
    "tree_classifier_binary": lambda rng: tree_classifier(rng, "binary"),
    "tree_classifier_single": lambda rng: tree_classifier(rng, "single"),
    "tree_classifier_multi": lambda rng: tree_classifier(rng, "multi"),
    "linear_regressor": linear_regressor,
    "linear_classifier_binary": lambda rng: linear_classifier(rng, "binary"),
    "linear_classifier_single": lambda rng: linear_classifier(rng, "single"),
    "linear_classifier_multi": lambda rng: linear_classifier(rng, "multi"),
    "scaler_l2": lambda rng: scaler_normalizer(rng, "L2"),
    "scaler_max": lambda rng: scaler_normalizer(rng, "MAX"),
    "input_count_4": input_count_4,
}
