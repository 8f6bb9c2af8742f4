"""Helpers shared by the ONNX fixture scripts (see make_onnx_fixtures.py)."""

import os

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper

F32 = np.float32
ROWS = 2000
EXTREMES = [0.0, -0.0, 1e-40, -1e-40, 1e-30, -1e-30, 1e6, -1e6, 1e15, -1e15,
            1e30, -1e30, 3e38, -3e38, 1e300, -1e300]


def r32(x):
    """Rounds float64 results to float32 (and back), as an ONNX tensor is."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(x, dtype=np.float64).astype(F32).astype(np.float64)


def rows(rng, k, nan=True):
    """Test inputs: normal rows of mixed scale, then rows with extremes."""
    scale = rng.uniform(0.2, 5.0, size=k)
    x = rng.normal(size=(ROWS, k)) * scale
    extra = []
    for v in EXTREMES:
        row = rng.normal(size=k)
        row[rng.integers(k)] = v
        extra.append(row)
        extra.append(np.full(k, v))
    if nan:
        row = rng.normal(size=k)
        row[rng.integers(k)] = np.nan
        extra.append(row)
    return np.vstack([x, np.array(extra)])


def init(name, a):
    return numpy_helper.from_array(np.asarray(a, dtype=F32), name)


def ints(name, a):
    return numpy_helper.from_array(np.asarray(a, dtype=np.int64), name)


def model(nodes, k, inits, outputs=None, opset=13, ml=False, check=True,
          inputs=None):
    """A model with input x [N, k] (unless `inputs`) and output y."""
    inputs = inputs or [
        helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", k])]
    outputs = outputs or [
        helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", "M"])]
    graph = helper.make_graph(nodes, "g", inputs, outputs, inits)
    ops = [helper.make_opsetid("", opset)]
    if ml:
        ops.append(helper.make_opsetid("ai.onnx.ml", 3))
    m = helper.make_model(graph, opset_imports=ops, producer_name="shoal")
    if check:
        checker.check_model(m)
    return m


def node(op, ins, outs, **attrs):
    return helper.make_node(op, ins, outs, **attrs)


def write(out, name, m, x=None, expected=None):
    with open(os.path.join(out, name + ".onnx"), "wb") as f:
        f.write(m.SerializeToString())
    if x is None:
        return
    k = x.shape[1]
    with open(os.path.join(out, name + ".csv"), "w") as f:
        f.write(",".join(["x%d" % i for i in range(k)] + ["expected"]) + "\n")
        for row, e in zip(x, expected):
            f.write(",".join(repr(float(v)) for v in row)
                    + "," + repr(float(e)) + "\n")


def inputs32(x):
    """What Shoal feeds the model: the inputs as float32."""
    with np.errstate(over="ignore"):
        return x.astype(F32).astype(np.float64)


def sigmoid(z):
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def softmax(z, axis):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def weights(rng, *shape):
    return r32(rng.normal(size=shape) / np.sqrt(shape[0]))
