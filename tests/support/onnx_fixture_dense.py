"""Dense ONNX fixture models (Gemm, MatMul, arithmetic, activations,
Softmax, Clip, shape ops) and their numpy reference; see
make_onnx_fixtures.py."""

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from onnx_fixture_lib import (F32, init, inputs32, ints, model, node, r32,
                              rows, sigmoid, softmax, weights)

def mlp_gemm(rng, opset=13, inits_as_inputs=False):
    w1, b1 = weights(rng, 16, 8), weights(rng, 16)
    w2, b2 = weights(rng, 1, 16), weights(rng, 1)
    nodes = [node("Gemm", ["x", "w1", "b1"], ["h"], transB=1),
             node("Relu", ["h"], ["r"]),
             node("Gemm", ["r", "w2", "b2"], ["z"], transB=1),
             node("Sigmoid", ["z"], ["y"])]
    inits = [init("w1", w1), init("b1", b1), init("w2", w2), init("b2", b2)]
    ins = None
    if inits_as_inputs:
        # Old exporters list the initializers among the graph inputs.
        ins = [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                             ["N", 8])]
        ins += [helper.make_tensor_value_info(t.name, TensorProto.FLOAT,
                                              list(t.dims)) for t in inits]
    m = model(nodes, 8, inits, opset=opset, inputs=ins)
    if inits_as_inputs:
        m.ir_version = 3
    x = rows(rng, 8)
    h = np.maximum(r32(inputs32(x) @ w1.T + b1), 0)
    return m, x, r32(sigmoid(r32(h @ w2.T + b2)))[:, 0]


def mlp_matmul(rng):
    w1, b1 = weights(rng, 8, 16), weights(rng, 16)
    w2, b2 = weights(rng, 16, 1), weights(rng, 1)
    nodes = [node("MatMul", ["x", "w1"], ["a"]),
             node("Add", ["a", "b1"], ["h"]),
             node("Tanh", ["h"], ["t"]),
             node("MatMul", ["t", "w2"], ["o"]),
             node("Add", ["o", "b2"], ["y"])]
    m = model(nodes, 8, [init("w1", w1), init("b1", b1), init("w2", w2),
                         init("b2", b2)])
    x = rows(rng, 8)
    t = r32(np.tanh(r32(r32(inputs32(x) @ w1) + b1)))
    return m, x, r32(r32(t @ w2) + b2)[:, 0]


def gemm_variants(rng):
    """Gemm with alpha, beta, transA, transB, broadcast C; runtime B."""
    b1, c1 = weights(rng, 6, 5), weights(rng, 1, 5)
    b2, c2 = weights(rng, 4, 6), r32(0.75)
    b3 = weights(rng, 1, 3)
    w = weights(rng, 5 + 4 + 18 + 36 + 1, 1)
    nodes = [node("Gemm", ["x", "b1", "c1"], ["g1"], alpha=0.5, beta=2.0),
             node("Gemm", ["x", "b2", "c2"], ["g2"], transB=1),
             node("Gemm", ["x", "b3"], ["g3"], transA=1),
             node("Flatten", ["g3"], ["f3"], axis=0),
             node("Reshape", ["x", "col"], ["xc"]),
             node("MatMul", ["xc", "x"], ["outer"]),
             node("Flatten", ["outer"], ["f4"], axis=0),
             node("Gemm", ["x", "x"], ["dot"], transB=1),
             node("Concat", ["g1", "g2", "f3", "f4", "dot"], ["c"], axis=1),
             node("MatMul", ["c", "w"], ["y"])]
    inits = [init("b1", b1), init("c1", c1), init("b2", b2),
             numpy_helper.from_array(np.array(0.75, dtype=F32), "c2"),
             init("b3", b3), ints("col", [6, 1]), init("w", w)]
    m = model(nodes, 6, inits)
    x = rows(rng, 6)
    xs = inputs32(x)
    out = []
    for v in xs:
        v = v[None, :]
        g1 = r32(0.5 * (v @ b1) + 2.0 * c1)
        g2 = r32(v @ b2.T + c2)
        g3 = r32(v.T @ b3).reshape(1, -1)
        f4 = r32(v.T @ v).reshape(1, -1)
        dot = r32(v @ v.T)
        c = np.hstack([g1, g2, g3, f4, dot])
        out.append(r32(c @ w)[0, 0])
    return m, x, np.array(out)


def activations(rng):
    w1, w = weights(rng, 8, 8), weights(rng, 8, 1)
    nodes = [node("Gemm", ["x", "w1"], ["g"]),
             node("LeakyRelu", ["g"], ["l"], alpha=0.1),
             node("Softmax", ["l"], ["s"], axis=1),
             node("Clip", ["s", "lo", "hi"], ["c"]),
             node("MatMul", ["c", "w"], ["y"])]
    inits = [init("w1", w1), init("w", w),
             numpy_helper.from_array(np.array(0.05, dtype=F32), "lo"),
             numpy_helper.from_array(np.array(0.2, dtype=F32), "hi")]
    m = model(nodes, 8, inits)
    x = rows(rng, 8)
    g = r32(inputs32(x) @ w1)
    lr = r32(np.where(g < 0, r32(F32(0.1)) * g, g))
    with np.errstate(invalid="ignore"):
        s = r32(softmax(lr, 1))
    c = np.clip(s, r32(F32(0.05)), r32(F32(0.2)))
    return m, x, r32(c @ w)[:, 0]


def softmax_3d(rng, opset):
    """Softmax on [1, 2, 3] along axis 1: its meaning changed in opset 13."""
    w = weights(rng, 6, 1)
    nodes = [node("Reshape", ["x", "shape"], ["r"]),
             node("Softmax", ["r"], ["s"], axis=1),
             node("Flatten", ["s"], ["f"]),
             node("MatMul", ["f", "w"], ["y"])]
    m = model(nodes, 6, [ints("shape", [1, 2, 3]), init("w", w)], opset=opset)
    x = rows(rng, 6, nan=False)
    xs = inputs32(x)
    with np.errstate(invalid="ignore"):
        if opset >= 13:
            s = softmax(xs.reshape(-1, 2, 3), 1).reshape(-1, 6)
        else:
            s = softmax(xs, 1)
    return m, x, r32(r32(s) @ w)[:, 0]


def clip_old(rng):
    w = weights(rng, 5, 1)
    nodes = [node("Clip", ["x"], ["c"], min=-1.5, max=2.0),
             node("MatMul", ["c", "w"], ["y"])]
    m = model(nodes, 5, [init("w", w)], opset=6)
    x = rows(rng, 5)
    return m, x, r32(np.clip(inputs32(x), -1.5, 2.0) @ w)[:, 0]


def clip_max_only(rng):
    w = weights(rng, 5, 1)
    nodes = [node("Clip", ["x", "", "hi"], ["c"]),
             node("Mul", ["c", "two"], ["d"]),
             node("MatMul", ["d", "w"], ["y"])]
    inits = [numpy_helper.from_array(np.array(0.5, dtype=F32), "hi"),
             numpy_helper.from_array(np.array(2.0, dtype=F32), "two"),
             init("w", w)]
    m = model(nodes, 5, inits)
    x = rows(rng, 5)
    c = np.minimum(inputs32(x), 0.5)
    c[np.isnan(inputs32(x))] = np.nan
    return m, x, r32(r32(c * 2.0) @ w)[:, 0]


def arithmetic(rng):
    """Sub, Mul, Div, Add with broadcasting of constants and of two
    runtime tensors, Identity."""
    c1, c2 = weights(rng, 6), weights(rng, 1, 6)
    c3 = r32(1.7)
    w = weights(rng, 6 + 36, 1)
    nodes = [node("Sub", ["x", "c1"], ["a"]),
             node("Mul", ["a", "c2"], ["b"]),
             node("Div", ["b", "c3"], ["d"]),
             node("Add", ["d", "x"], ["e"]),
             node("Identity", ["e"], ["ei"]),
             node("Reshape", ["x", "col"], ["xc"]),
             node("Sub", ["xc", "x"], ["g"]),
             node("Flatten", ["g"], ["gf"], axis=0),
             node("Concat", ["ei", "gf"], ["c"], axis=-1),
             node("MatMul", ["c", "w"], ["y"])]
    inits = [init("c1", c1), init("c2", c2),
             numpy_helper.from_array(np.array(1.7, dtype=F32), "c3"),
             ints("col", [6, 1]), init("w", w)]
    m = model(nodes, 6, inits)
    x = rows(rng, 6)
    xs = inputs32(x)
    with np.errstate(over="ignore", invalid="ignore"):
        e = r32(r32(r32(r32(xs - c1) * c2) / c3) + xs)
        g = r32(xs[:, :, None] - xs[:, None, :]).reshape(-1, 36)
        out = r32(np.hstack([e, g]) @ w)[:, 0]
    return m, x, out


def reshape_constant(rng):
    """Reshape with 0 and -1, shapes and values from Constant nodes."""
    w = weights(rng, 8, 1)
    shift = weights(rng, 8)
    cval = numpy_helper.from_array(shift.astype(F32), "cv")
    cshape = numpy_helper.from_array(np.array([0, 2, -1], np.int64), "cs")
    nodes = [node("Constant", [], ["shift"], value=cval),
             node("Constant", [], ["shape"], value=cshape),
             node("Add", ["x", "shift"], ["a"]),
             node("Reshape", ["a", "shape"], ["r"]),
             node("Softmax", ["r"], ["s"], axis=-1),
             node("Reshape", ["s", "flat"], ["f"]),
             node("MatMul", ["f", "w"], ["y"])]
    m = model(nodes, 8, [ints("flat", [1, -1]), init("w", w)])
    x = rows(rng, 8, nan=False)
    with np.errstate(over="ignore", invalid="ignore"):
        a = r32(inputs32(x) + shift).reshape(-1, 2, 4)
        s = r32(softmax(a, 2)).reshape(-1, 8)
        return m, x, r32(s @ w)[:, 0]


MODELS = {
    "mlp_gemm": mlp_gemm,
    "mlp_matmul": mlp_matmul,
    "mlp_old_opset": lambda rng: mlp_gemm(rng, 9, True),
    "gemm_variants": gemm_variants,
    "activations": activations,
    "softmax_opset13": lambda rng: softmax_3d(rng, 13),
    "softmax_opset11": lambda rng: softmax_3d(rng, 11),
    "clip_opset6": clip_old,
    "clip_max_only": clip_max_only,
    "arithmetic": arithmetic,
    "reshape_constant": reshape_constant,
}
