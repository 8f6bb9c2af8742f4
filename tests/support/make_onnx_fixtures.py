#!/usr/bin/python3
"""Builds the ONNX models that onnx_tests load, and their expected outputs.

For every model NAME the output directory gets:
  NAME.onnx   the model, built with onnx.helper (and checked with
              onnx.checker where the model is valid ONNX);
  NAME.csv    header x0,...,x{k-1},expected: test rows (inputs as float64,
              printed exactly; nan for missing) and the prediction that
              Shoal must return for them, computed here with numpy.
Models whose name starts with reject_ have no CSV: Shoal must refuse them.

The numpy reference is independent of Shoal's code and follows ONNX's
semantics: every tensor is float32, so each operation computes in float64
from float32 operands and rounds its result to float32. The prediction is the
first element of the first output, or for classifiers (label output first)
the probability of class index 1. Rows include normal data, zeros, +-1e-40
(subnormal in float32), +-1e6 ... +-3e38, values beyond the float32 range
(which become +-inf), NaN, and for trees every split threshold with its
float32 neighbours. Run with Debian's python:
  /usr/bin/python3 make_onnx_fixtures.py --out DIR
"""

import argparse
import os

import numpy as np
from onnx import TensorProto, helper

import onnx_fixture_dense as dense
import onnx_fixture_ml as ml
from onnx_fixture_lib import init, model, node, weights, write
from onnx_fixture_ml import out

# The models themselves live in onnx_fixture_dense.py and onnx_fixture_ml.py;
# the ones Shoal must reject are below.


def tree_node(**extra):
    """A one-tree regressor: node 0 splits on feature 0, nodes 1 and 2 are
    leaves, unless `extra` says otherwise."""
    a = dict(nodes_treeids=[0, 0, 0], nodes_nodeids=[0, 1, 2],
             nodes_featureids=[0, 0, 0], nodes_values=[0.5, 0.0, 0.0],
             nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF"],
             nodes_truenodeids=[1, 0, 0], nodes_falsenodeids=[2, 0, 0],
             target_treeids=[0, 0], target_nodeids=[1, 2], target_ids=[0, 0],
             target_weights=[1.0, 2.0], n_targets=1)
    a.update(extra)
    return node("TreeEnsembleRegressor", ["x"], ["y"], domain="ai.onnx.ml",
                **a)


def rejected(rng):
    """Models Shoal must refuse at load; onnx_model_test.cpp names the
    reason it expects for each. Most are invalid ONNX, so unchecked."""
    w = init("w", weights(rng, 4, 2))
    info = helper.make_tensor_value_info
    cls = node("LinearClassifier", ["x"], ["label", "scores"],
               domain="ai.onnx.ml", coefficients=list(weights(rng, 8)),
               classlabels_ints=[0, 1])
    ext = init("w", np.zeros((4, 1)))
    ext.ClearField("raw_data")
    ext.data_location = TensorProto.EXTERNAL
    ext.external_data.add(key="location", value="weights.bin")
    unchecked = dict(check=False)
    return {
        "reject_conv": model([node("Conv", ["x", "w"], ["y"], name="conv1")],
                             4, [w], **unchecked),
        "reject_custom_domain": model(
            [node("FusedGemm", ["x", "w"], ["y"], name="f",
                  domain="com.microsoft")], 4, [w], **unchecked),
        "reject_two_inputs": model(
            [node("Add", ["a", "b"], ["y"])], 2, [],
            inputs=[info("a", TensorProto.FLOAT, ["N", 2]),
                    info("b", TensorProto.FLOAT, ["N", 2])]),
        "reject_int_input": model(
            [node("Identity", ["x"], ["y"])], 4, [],
            inputs=[info("x", TensorProto.INT64, ["N", 4])], **unchecked),
        "reject_unknown_k": model(
            [node("Identity", ["x"], ["y"])], 4, [],
            inputs=[info("x", TensorProto.FLOAT, ["N", "K"])]),
        "reject_batch32": model(
            [node("Identity", ["x"], ["y"])], 4, [],
            inputs=[info("x", TensorProto.FLOAT, [32, 4])]),
        "reject_matmul_shape": model(
            [node("MatMul", ["x", "w"], ["y"], name="mm")], 5, [w],
            **unchecked),
        "reject_zipmap_not_last": model(
            [cls, node("ZipMap", ["scores"], ["z"], domain="ai.onnx.ml",
                       classlabels_int64s=[0, 1]),
             node("Identity", ["z"], ["y"], name="after")], 4, [], ml=True,
            **unchecked),
        "reject_label_used": model(
            [cls, node("Identity", ["label"], ["y"], name="uses_label")], 4,
            [], ml=True, **unchecked),
        "reject_no_probability": model(
            [cls], 4, [], outputs=[out("label", TensorProto.INT64)], ml=True),
        "reject_tree_cycle": model(
            [tree_node(nodes_modes=["BRANCH_LEQ", "BRANCH_LEQ", "LEAF"],
                       nodes_truenodeids=[1, 0, 0],
                       nodes_falsenodeids=[2, 2, 0],
                       target_nodeids=[2, 2])], 5, [], ml=True),
        "reject_tree_feature": model(
            [tree_node(nodes_featureids=[7, 0, 0])], 5, [], ml=True),
        "reject_softmax_single_score": model(
            [node("LinearClassifier", ["x"], ["label", "scores"],
                  domain="ai.onnx.ml", coefficients=[1.0] * 4,
                  classlabels_ints=[0, 1], post_transform="SOFTMAX")],
            4, [], outputs=[out("label", TensorProto.INT64), out("scores")],
            ml=True),
        "reject_external_data": model(
            [node("MatMul", ["x", "w"], ["y"])], 4, [ext], **unchecked),
        "reject_clip_runtime_bound": model(
            [node("Clip", ["x", "", "x"], ["y"])], 1, [], **unchecked),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    out_dir = ap.parse_args().out
    # Extreme rows overflow float32 and meet inf - inf on purpose.
    np.seterr(all="ignore")
    os.makedirs(out_dir, exist_ok=True)
    for i, (name, build) in enumerate(sorted(dense.MODELS.items())):
        m, x, expected = build(np.random.default_rng(1000 + i))
        write(out_dir, name, m, x, expected)
    for i, (name, build) in enumerate(sorted(ml.MODELS.items())):
        m, x, expected = build(np.random.default_rng(2000 + i))
        write(out_dir, name, m, x, expected)
    for name, m in rejected(np.random.default_rng(3000)).items():
        write(out_dir, name, m)
    with open(os.path.join(out_dir, "reject_garbage.onnx"), "wb") as f:
        f.write(b"\x08\x07this is not a protobuf\xff\xff\xff")


if __name__ == "__main__":
    main()
