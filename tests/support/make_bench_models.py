#!/usr/bin/python3
"""Writes the models that shoal-bench evaluates into a directory.

  bench_xgb_100x6.json   XGBoost, reg:squarederror, 100 trees of depth 6
                         over 16 features (every tree grown to full depth),
                         with missing values in training.
  bench_mlp_8_16_1.onnx  ONNX, an MLP 8-16-1: Gemm, Relu, Gemm, Sigmoid.

Run with Debian's python: /usr/bin/python3 make_bench_models.py --out DIR
"""

import argparse
import os

import numpy as np
import xgboost as xgb


def write_onnx_bench_model(out_dir):
    """bench_mlp_8_16_1.onnx: Gemm(8->16), Relu, Gemm(16->1), Sigmoid."""
    from onnx import TensorProto, checker, helper, numpy_helper
    rng = np.random.default_rng(7)

    def init(name, *shape):
        a = (rng.normal(size=shape) / np.sqrt(shape[-1])).astype(np.float32)
        return numpy_helper.from_array(a, name)
    nodes = [helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], transB=1),
             helper.make_node("Relu", ["h"], ["r"]),
             helper.make_node("Gemm", ["r", "w2", "b2"], ["z"], transB=1),
             helper.make_node("Sigmoid", ["z"], ["y"])]
    graph = helper.make_graph(
        nodes, "mlp_8_16_1",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1])],
        [init("w1", 16, 8), init("b1", 16), init("w2", 1, 16), init("b2", 1)])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    checker.check_model(m)
    with open(os.path.join(out_dir, "bench_mlp_8_16_1.onnx"), "wb") as f:
        f.write(m.SerializeToString())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    out = ap.parse_args().out
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(42)
    x = rng.normal(size=(20000, 16))
    x[rng.random(x.shape) < 0.05] = np.nan
    z = np.nan_to_num(x, nan=0.0)
    y = z @ rng.normal(size=16) + np.sin(3 * z[:, 0]) * z[:, 1] + rng.normal(
        scale=0.1, size=z.shape[0])
    b = xgb.train({"max_depth": 6, "eta": 0.1, "tree_method": "hist",
                   "seed": 1, "nthread": 1}, xgb.DMatrix(x, y), 100)
    b.save_model(os.path.join(out, "bench_xgb_100x6.json"))
    write_onnx_bench_model(out)


if __name__ == "__main__":
    main()
