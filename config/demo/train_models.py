#!/usr/bin/python3
"""Trains the demo's pump fault detectors with XGBoost, numpy and ONNX.

Writes models/pump_fault.ubj (XGBoost) and models/pump_fault_mlp.onnx (a
small MLP in ONNX), the models of `pumpNN.fault_xgb` and `pumpNN.fault_mlp`.

The whole path from training to serving, with the real libraries:

1. Simulate pumps with the physics of runtime/sim/plant_sim.cpp
   (plant_physics.py, numpy) and write their readings as a replay CSV,
   one file for the training pumps and one for the held-out pumps.
2. Replay each file with `shoal-node --graph G --replay IN --out OUT` through
   the demo's own pump template (pump.toml) plus one probe per model
   input: a `linear` model with weight 1 that fires when the fault models
   fire (on the wear index, once a second) and emits the as-of value of its
   feature. So a training row is exactly what a fault model sees when it
   fires, computed by Shoal itself.
3. Label each row with the simulator's ground truth: 1 for a developed
   fault (bearing wear at least WEAR_MIN of its way, or cavitation at least
   CAV_MIN strong), 0 for no wear or cavitation (a glitching sensor counts
   as healthy), and leave out the onsets in between.
4. Fit an XGBoost classifier (binary:logistic) and a k-16-1 MLP (k inputs,
   16 ReLU units, a sigmoid; numpy gradient descent with Adam steps), save
   them, and print both models' held-out accuracy.
5. Replay the held-out file again through the pump template with the new
   models in it, and check that Shoal serves what the libraries predict.

Run with Debian's interpreter (python3-xgboost, python3-onnx, python3-numpy)
after building shoal-node:

    /usr/bin/python3 config/demo/train_models.py
    /usr/bin/python3 config/demo/train_models.py --hours 1 --out /tmp/models

Deterministic: the same arguments give the same model files.
"""

import argparse
import functools
import pathlib
import shutil
import subprocess
import sys
import tempfile
import tomllib

import numpy as np
import onnx
import xgboost as xgb
from onnx import TensorProto, helper, numpy_helper

import plant_physics
from plant_physics import SEC

HERE = pathlib.Path(__file__).resolve().parent
PUMP_TEMPLATE = HERE / "pump.toml"


def fault_inputs():
    """The fault models' inputs in their order, and their trigger, as the
    pump template gives them (without the pump's `${id}.`)."""
    with open(PUMP_TEMPLATE, "rb") as f:
        pump = tomllib.load(f)["template"][0]
    model = next(m for m in pump["model"] if m["name"] == "${id}.fault_xgb")

    def strip(n):
        return n.removeprefix("${id}.")
    return [strip(n) for n in model["needs"]], strip(model["trigger"][0])


FEATURES, TRIGGER = fault_inputs()
WEAR_MIN = 0.3  # vibration +0.9 mm/s, temperature +3.6 degC
CAV_MIN = 0.5  # head ratio about 0.83
START = 1_700_000_000 * SEC + 30 * 86_400 * SEC  # a month after the tests' t0
XGB_PARAMS = {
    "objective": "binary:logistic",
    "max_depth": 5,
    "eta": 0.2,
    "tree_method": "hist",
    "nthread": 1,
    "seed": 7,
}
XGB_TREES = 80
HIDDEN = 16


# -- rows: simulate, replay through Shoal, label ------------------------------

def probe_tables():
    """Per input of the fault models, a node of the pump template that emits
    its as-of value whenever the fault models fire."""
    out = []
    for f in FEATURES:
        needs = [f] if f == TRIGGER else [f, TRIGGER]
        weights = ", ".join(["1.0", "0.0"][:len(needs)])
        out.append(f"""
[[template.model]]
name = "${{id}}.row.{f}"
kind = "linear"
needs = [{", ".join(f'"${{id}}.{x}"' for x in needs)}]
weights = [{weights}]
bias = 0.0
link = "identity"
trigger = ["${{id}}.{TRIGGER}"]
emit = true
""")
    return "".join(out)


def without_models(text):
    """The pump template without its models: the training rows need only the
    features, and the models' files may not exist yet."""
    out, keep = [], True
    for line in text.splitlines(keepends=True):
        if line.startswith("[["):
            keep = not line.startswith("[[template.model]]")
        if keep:
            out.append(line)
    return "".join(out)


def write_graph(root, pumps, numbers, models_dir=None):
    """A graph of the demo's pump template plus probes, with one row per
    pump in its device list, under `root`; with the fault models (loaded from
    `models_dir`) if it is given."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(HERE / "lua", root / "lua", dirs_exist_ok=True)
    if models_dir is not None:
        shutil.copytree(models_dir, root / "models", dirs_exist_ok=True)
    text = PUMP_TEMPLATE.read_text()
    if models_dir is None:
        text = without_models(text)
    (root / "pump.toml").write_text(text + probe_tables())
    rows = ["id,model,rated_bar,rated_amp"]
    for pump, n in zip(pumps, numbers):
        name, bar, _, amp = plant_physics.PUMP_MODELS[(n - 1) % 3]
        rows.append(f"{pump.tag},{name},{bar},{amp}")
    (root / "pumps.csv").write_text("\n".join(rows) + "\n")
    (root / "plant.toml").write_text(
        'include = ["pump.toml"]\n\n[[instances]]\ntemplate = "pump"\n'
        'csv = "pumps.csv"\n')
    return root / "plant.toml"


def write_samples(path, pumps):
    """All readings of `pumps` as a replay CSV, in time order."""
    sensors = [f"{p.tag}.{k}" for p in pumps for k in plant_physics.KINDS]
    index, ts, values = [], [], []
    for pump in pumps:
        for k in range(len(plant_physics.KINDS)):
            t, v = pump.readings(k)
            index.append(np.full(len(t), len(index)))
            ts.append(t)
            values.append(v)
    sensor = np.concatenate(index)
    ts = np.concatenate(ts)
    values = np.concatenate(values)
    order = np.lexsort((sensor, ts))
    with open(path, "w") as f:
        f.write("sensor,ts,value\n")
        for lo in range(0, len(order), 500_000):
            i = order[lo:lo + 500_000]
            f.write("".join(map("{},{},{:.6g}\n".format,
                                (sensors[s] for s in sensor[i]), ts[i],
                                values[i])))
    return len(order)


def replay(shoal_node, graph, samples, out):
    cmd = [str(shoal_node), "--graph", str(graph), "--replay", str(samples),
           "--out", str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"train_models: {' '.join(cmd)} failed:\n{run.stderr}")
    return run.stderr


def read_outputs(path):
    """node -> (ts array, value array) from a shoal-node output CSV."""
    cols = {}
    with open(path) as f:
        next(f)
        for line in f:
            node, ts, value = line.rstrip("\n").split(",")
            cols.setdefault(node, ([], []))
            cols[node][0].append(int(ts))
            cols[node][1].append(float(value))
    return {n: (np.array(t), np.array(v)) for n, (t, v) in cols.items()}


def rows(outputs, pumps, node=None):
    """Feature rows (X), labels (y) and, if `node` is given, that node's
    outputs at the same times, for every pump. Rows of fault onsets are left
    out."""
    xs, ys, served = [], [], []
    for pump in pumps:
        cols = [outputs[f"{pump.tag}.row.{f}"] for f in FEATURES]
        ts = functools.reduce(np.intersect1d, (t for t, _ in cols))
        x = np.column_stack([v[np.searchsorted(t, ts)] for t, v in cols])
        wear, cav, _ = pump.levels(ts)
        y = ((wear >= WEAR_MIN) | (cav >= CAV_MIN)).astype(np.int64)
        keep = (y == 1) | ((wear == 0) & (cav == 0))
        xs.append(x[keep])
        ys.append(y[keep])
        if node is not None:
            t, v = outputs[f"{pump.tag}.{node}"]
            common, _, j = np.intersect1d(ts[keep], t, return_indices=True)
            if len(common) != keep.sum():
                sys.exit(f"train_models: {pump.tag}.{node} did not fire "
                         "whenever its inputs did")
            served.append(v[j])
    result = (np.concatenate(xs), np.concatenate(ys))
    return result + (np.concatenate(served),) if node else result


# -- models -------------------------------------------------------------------

def train_xgboost(x, y):
    data = xgb.DMatrix(x.astype(np.float32), label=y, feature_names=FEATURES)
    return xgb.train(XGB_PARAMS, data, num_boost_round=XGB_TREES)


def predict_xgboost(booster, x):
    data = xgb.DMatrix(x.astype(np.float32), feature_names=FEATURES)
    return booster.predict(data)


def train_mlp(x, y, seed=11, epochs=60, batch=256, lr=3e-3):
    """A len(FEATURES)-16-1 network with ReLU and a sigmoid output on
    standardised inputs, fitted to the log loss by mini-batch gradient
    descent with Adam steps. Returns (mean [k], sd [k], w1 [k, 16], b1 [16],
    w2 [16, 1], b2 [1])."""
    rng = np.random.default_rng(seed)
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mu) / sd
    k = x.shape[1]
    params = [rng.normal(0, np.sqrt(2 / k), (k, HIDDEN)), np.zeros(HIDDEN),
              rng.normal(0, np.sqrt(1 / HIDDEN), (HIDDEN, 1)),
              np.array([np.log(y.mean() / (1 - y.mean()))])]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(z))
        for lo in range(0, len(z), batch):
            i = order[lo:lo + batch]
            w1, b1, w2, b2 = params
            h = z[i] @ w1 + b1
            a = np.maximum(h, 0)
            p = 1 / (1 + np.exp(-(a @ w2 + b2)))
            dz = (p[:, 0] - y[i])[:, None] / len(i)  # d logloss / d logit
            da = dz @ w2.T * (h > 0)
            grads = [z[i].T @ da, da.sum(axis=0), a.T @ dz, dz.sum(axis=0)]
            step += 1
            for j, g in enumerate(grads):
                m[j] = 0.9 * m[j] + 0.1 * g
                v[j] = 0.999 * v[j] + 0.001 * g * g
                mh = m[j] / (1 - 0.9**step)
                vh = v[j] / (1 - 0.999**step)
                params[j] -= lr * mh / (np.sqrt(vh) + 1e-8)
    return [mu, sd] + params


def predict_mlp(net, x):
    """The ONNX graph's computation in numpy, in float32 like Shoal."""
    mu, sd, w1, b1, w2, b2 = (np.asarray(p, np.float32) for p in net)
    z = (x.astype(np.float32) - mu) / sd
    h = np.maximum(z @ w1 + b1, 0)
    return (1 / (1 + np.exp(-(h @ w2 + b2))))[:, 0]


def mlp_onnx(net):
    """The network as an ONNX model: x [1, k] -> Sub mean -> Div sd -> Gemm
    -> Relu -> Gemm -> Sigmoid -> p [1, 1]; opset 13. The scaling stays a
    step of its own rather than folded into the first layer: float32 keeps
    more digits that way, and a reader of the file sees it."""
    mu, sd, w1, b1, w2, b2 = (np.asarray(p, np.float32) for p in net)
    k = w1.shape[0]
    graph = helper.make_graph(
        [helper.make_node("Sub", ["x", "mean"], ["c"]),
         helper.make_node("Div", ["c", "sd"], ["z"]),
         helper.make_node("Gemm", ["z", "w1", "b1"], ["h"]),
         helper.make_node("Relu", ["h"], ["a"]),
         helper.make_node("Gemm", ["a", "w2", "b2"], ["logit"]),
         helper.make_node("Sigmoid", ["logit"], ["p"])],
        "pump_fault_mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, k])],
        [helper.make_tensor_value_info("p", TensorProto.FLOAT, [1, 1])],
        [numpy_helper.from_array(mu.reshape(1, k), "mean"),
         numpy_helper.from_array(sd.reshape(1, k), "sd"),
         numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(b1, "b1"),
         numpy_helper.from_array(w2, "w2"), numpy_helper.from_array(b2, "b2")])
    graph.doc_string = "inputs: " + ", ".join(FEATURES)
    model = helper.make_model(graph, producer_name="shoal train_models.py",
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    return model


def accuracy(name, p, y):
    hit = (p >= 0.5) == (y == 1)
    print(f"  {name:8} held-out accuracy {hit.mean():.4f} (faults found "
          f"{hit[y == 1].mean():.3f}, healthy rows right "
          f"{hit[y == 0].mean():.4f})")


def write_bytes(path, data):
    """Writes `data` unless the file holds it already."""
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


# -- main ---------------------------------------------------------------------

def simulate(args, work):
    """Simulates the pumps; returns {"train": ..., "test": ...}, each
    (pumps, pump numbers, replay CSV). The last third are held out."""
    rng = np.random.default_rng(args.seed)
    end = START + int(args.hours * 3600 * SEC)
    numbers = list(range(1, args.pumps + 1))
    pumps = [plant_physics.Pump(f"pump{n:02d}",
                                plant_physics.PUMP_MODELS[(n - 1) % 3], START,
                                end, rng, args.fault_chance) for n in numbers]
    cut = args.pumps - args.pumps // 3
    sets = {"train": (pumps[:cut], numbers[:cut]),
            "test": (pumps[cut:], numbers[cut:])}
    for name, (ps, ns) in sets.items():
        path = work / f"{name}_samples.csv"
        count = write_samples(path, ps)
        print(f"{path}: {count} readings of {len(ps)} pumps")
        sets[name] = (ps, ns, path)
    return sets


def train(args, work, pumps, numbers, samples):
    """Fits both models on the training pumps and writes their files."""
    graph = write_graph(work / "features", pumps, numbers)
    replay(args.shoal_node, graph, samples, work / "train_rows.csv")
    x, y = rows(read_outputs(work / "train_rows.csv"), pumps)
    print(f"training rows: {len(y)}, {int(y.sum())} with a fault")
    booster = train_xgboost(x, y)
    net = train_mlp(x, y)
    args.out.mkdir(parents=True, exist_ok=True)
    write_bytes(args.out / "pump_fault.ubj", booster.save_raw("ubj"))
    write_bytes(args.out / "pump_fault_mlp.onnx",
                mlp_onnx(net).SerializeToString())
    return booster, net


def evaluate(args, work, pumps, numbers, samples, booster, net):
    """Serves the new model files with shoal-node on the held-out pumps;
    prints the accuracy and how far Shoal is from the libraries."""
    graph = write_graph(work / "serving", pumps, numbers, models_dir=args.out)
    replay(args.shoal_node, graph, samples, work / "test_rows.csv")
    out = read_outputs(work / "test_rows.csv")
    x, y, xgb_served = rows(out, pumps, "fault_xgb")
    _, _, mlp_served = rows(out, pumps, "fault_mlp")
    p_xgb = predict_xgboost(booster, x)
    p_mlp = predict_mlp(net, x)
    print(f"held-out rows: {len(y)}, {int(y.sum())} with a fault "
          f"({len(pumps)} pumps never trained on)")
    accuracy("xgboost", p_xgb, y)
    accuracy("mlp", p_mlp, y)
    d_xgb = np.abs(xgb_served - p_xgb).max()
    d_mlp = np.abs(mlp_served - p_mlp).max()
    print(f"served by shoal-node: max |difference| from XGBoost's predict() "
          f"{d_xgb:.1e}, from the MLP in numpy {d_mlp:.1e}")
    if d_xgb > 1e-6 or d_mlp > 1e-5:
        sys.exit("train_models: Shoal does not serve what the libraries "
                 "predict")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pumps", type=int, default=12,
                    help="simulated pumps (default 12); the last third are "
                    "held out")
    ap.add_argument("--hours", type=float, default=3.0,
                    help="simulated hours per pump (default 3)")
    ap.add_argument("--fault-chance", type=float, default=0.5,
                    help="chance of a fault per pump and 20 minutes (default "
                    "0.5; the plant's is 0.3: more faults, more fault rows)")
    ap.add_argument("--seed", type=int, default=2024,
                    help="seeds the simulated pumps (default 2024)")
    ap.add_argument("--shoal-node", type=pathlib.Path,
                    default=HERE.parent.parent / "build/bin/shoal-node",
                    help="the binary that computes the features (default: "
                    "build/bin/shoal-node of this source tree)")
    ap.add_argument("--out", type=pathlib.Path, default=HERE / "models",
                    help="where the model files go (default: models/ next "
                    "to this script)")
    ap.add_argument("--work", type=pathlib.Path,
                    help="keep the CSV files and graphs here (default: a "
                    "temporary directory, removed at the end)")
    args = ap.parse_args()
    if not args.shoal_node.exists():
        sys.exit(f"train_models: {args.shoal_node} not found: build it "
                 "first (`scripts/run --help` does) or pass --shoal-node")
    if args.pumps < 3 or args.hours <= 0:
        ap.error("--pumps must be at least 3 and --hours positive")
    with tempfile.TemporaryDirectory(prefix="shoal-train-") as tmp:
        work = args.work or pathlib.Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sets = simulate(args, work)
        booster, net = train(args, work, *sets["train"])
        evaluate(args, work, *sets["test"], booster, net)
    print(f"wrote {args.out / 'pump_fault.ubj'}, "
          f"{args.out / 'pump_fault_mlp.onnx'}")


if __name__ == "__main__":
    main()
