#!/usr/bin/python3
"""Writes the demo graph: config/demo/plant.toml and pumps/pumpNN.toml.

The graph matches the simulated plant of runtime/sim/plant_sim.cpp: pump N is
pump model (N - 1) % 3 of PUMP_MODELS below (the same nameplates as
`shoal::pump_models()`), with four sensors each. Standard library only; run
with Debian's interpreter:

    /usr/bin/python3 config/demo/make_graph.py            # 50 pumps
    /usr/bin/python3 config/demo/make_graph.py --pumps 5  # a smaller plant

The output is deterministic, so regenerating an unchanged graph changes no file.
"""

import argparse
import pathlib
import re

# name, rated pressure (bar), rated flow (m3/h), motor current at rated flow (A)
PUMP_MODELS = [
    ("P-60", 6.0, 40.0, 18.0),
    ("P-80", 8.0, 60.0, 36.0),
    ("P-40", 4.0, 25.0, 7.5),
]

# The linear anomaly model, calibrated on the simulator: a healthy pump
# scores about 0.03-0.06, a cavitating pump about 0.85, a bearing in the last
# third of its wear about 0.85 (it crosses 0.5 about halfway through).
ANOMALY_INPUTS = [  # (feature suffix, weight, why)
    ("vibration.rms1s", 0.9, "mm/s; healthy 1-2, a failing bearing 5-8"),
    ("head_ratio.mean5s", -8.0, "1.0 on the pump curve, 0.65 when cavitating"),
    ("head_ratio.std5s", 25.0, "0.01 healthy, 0.05-0.1 when cavitating"),
    ("wear_index", 1.0, "0 healthy, 1-5 for a failing bearing"),
    ("temp.ewma", 0.03, "degC; 30-55 healthy, up to 12 more when worn"),
]
ANOMALY_BIAS = 2.5

ALERT_ON = 0.6
ALERT_OFF = 0.4

# The two fault detectors, trained by train_models.py (XGBoost, and a small
# MLP exported to ONNX) on the simulated plant's features. A model's inputs
# are positional: this list is the models' feature order, shared with the
# training script, so change it only together with a retraining.
FAULT_FEATURES = [  # (feature suffix, what the models learn from it)
    ("vibration.rms1s", "a worn bearing shakes; cavitation a little"),
    ("vibration.peak10s", "the worst second, robust to a missed reading"),
    ("head_ratio.mean5s", "below 1 when cavitating"),
    ("head_ratio.std5s", "a cavitating pump's pressure is noisy"),
    ("temp.ewma", "a worn bearing runs hot"),
    ("wear_index", "the minutes-long memory of vibration and heat"),
]
FAULT_TRIGGER = "wear_index"  # a 1-Hz input: score each pump once a second
FAULT_MODELS = {  # model kind -> file, relative to a pump file
    "xgboost": "../models/pump_fault.ubj",
    "onnx": "../models/pump_fault_mlp.onnx",
}

# Nodes per pump: 4 sensors, 11 features, 4 models; and 3 plant models.
NODES_PER_PUMP = 19
PLANT_NODES = 3


def hydraulic_kw(model):
    _, bar, m3h, _ = model
    return bar * m3h / 36.0  # p [1e5 Pa] * Q [m3/3600 s] / 1000


def toml_list(items, indent="  ", width=80):
    """A TOML array: on one line if it fits, else filled lines of `width`."""
    one = "[" + ", ".join(items) + "]"
    if len(one) <= width - 12:
        return one
    lines, line = [], indent
    for item in items:
        if line != indent and len(line) + len(item) + 1 > width:
            lines.append(line.rstrip())
            line = indent
        line += item + ", "
    lines.append(line.rstrip())
    return "[\n" + "\n".join(lines) + "\n]"


def q(name):
    return '"' + name + '"'


def fault_models(p):
    """The pump's two fault detectors: one XGBoost, one ONNX model."""
    inputs = toml_list([q(p + "." + s) for s, _ in FAULT_FEATURES])
    notes = "\n".join(f"#   {i + 1}. {s}: {why}"
                      for i, (s, why) in enumerate(FAULT_FEATURES))
    xgb, onnx = FAULT_MODELS["xgboost"], FAULT_MODELS["onnx"]
    return f"""\
# Fault detectors: the probability that the pump's bearing is wearing out or
# that it cavitates, once a second. Both models were trained on the same rows
# by config/demo/train_models.py: it simulates pumps with the physics of
# runtime/sim/plant_sim.cpp, replays their readings through this very file with
# shoal-node to compute the features, labels each row with the simulator's
# ground truth and fits the models with the real libraries. Retrain with
# `/usr/bin/python3 config/demo/train_models.py`. The inputs, in the order
# the models were trained on (a model's inputs are positional):
{notes}
# All pumps share the two files; Shoal loads each file once.

# Gradient-boosted trees (objective binary:logistic), saved by XGBoost's
# Booster.save_model as UBJSON.
[[model]]
name = "{p}.fault_xgb"
kind = "xgboost"
path = "{xgb}"
needs = {inputs}
trigger = ["{p}.{FAULT_TRIGGER}"]
emit = true

# The same task for a small neural network built with onnx.helper: scaling,
# one hidden layer of ReLU units, a sigmoid output; input "x" of shape
# [1, {len(FAULT_FEATURES)}].
[[model]]
name = "{p}.fault_mlp"
kind = "onnx"
path = "{onnx}"
needs = {inputs}
trigger = ["{p}.{FAULT_TRIGGER}"]
emit = true
"""


def pump_file(tag, number, model, models=True):
    """One pump's graph file; without its models if `models` is False (the
    training script adds nodes of its own)."""
    name, bar, m3h, amp = model
    p = tag
    inputs = [q(p + "." + s) for s, _, _ in ANOMALY_INPUTS]
    weights = ", ".join(repr(w) for _, w, _ in ANOMALY_INPUTS)
    weight_notes = "\n".join(
        f"#   {w:>5}  {s}: {why}" for s, w, why in ANOMALY_INPUTS)
    text = f"""\
# Pump {number}: a {name} centrifugal pump, rated {bar} bar at {m3h:g} m3/h,
# motor current {amp} A at rated flow.
#
# Generated by config/demo/make_graph.py: edit the script, not this file.
# Data flows sensors -> features -> models; every entry below is one node
# (one actor), and `needs` lists its inputs in argument order.

# -- sensors: what the plant sends ---------------------------------------------

[[sensor]]
name = "{p}.temp"
unit = "degC"          # bearing housing, 1 reading a second

[[sensor]]
name = "{p}.vibration"
unit = "mm/s"          # broadband velocity RMS, 50 readings a second

[[sensor]]
name = "{p}.pressure"
unit = "bar"           # discharge pressure, 10 readings a second

[[sensor]]
name = "{p}.current"
unit = "A"             # motor current, 20 readings a second

# -- features: built-in functions ----------------------------------------------
# A single-input feature fires at every output of its input. `window = N`
# counts samples; `window_ns` is a time window ending at the newest sample.

[[feature]]
name = "{p}.vibration.rms1s"
fn = "rolling_mean"
needs = ["{p}.vibration"]
window_ns = 1_000_000_000   # the last second: about 50 readings

[[feature]]
name = "{p}.vibration.peak10s"
fn = "rolling_max"
needs = ["{p}.vibration.rms1s"]
window_ns = 10_000_000_000  # worst 1-s RMS of the last 10 s

[[feature]]
name = "{p}.current.mean2s"
fn = "rolling_mean"
needs = ["{p}.current"]
window = 40                 # the last 40 readings: 2 s at 20 Hz

[[feature]]
name = "{p}.temp.ewma"
fn = "ewma"
needs = ["{p}.temp"]
alpha = 0.1                 # smooths over about 10 readings (10 s)

[[feature]]
name = "{p}.temp.mean60s"
fn = "rolling_mean"
needs = ["{p}.temp"]
window_ns = 60_000_000_000

[[feature]]
name = "{p}.temp.trend"
fn = "rate"                 # change per second of its input, degC/s
needs = ["{p}.temp.mean60s"]

# -- features: user code (Lua) -------------------------------------------------
# A chunk returns the function; it gets the as-of values of `needs` in order.
# `ts` (ns) and `state` (a table private to the node) are globals. A call that
# raises an error yields no output; the node counts it and carries on.

[[feature]]
name = "{p}.head_ratio"
fn = "lua"
needs = ["{p}.pressure", "{p}.current.mean2s"]
# Fire at each pressure reading (10 Hz) only, not also at each new current
# average: the current is taken as of the pressure reading's time.
trigger = ["{p}.pressure"]
code = '''
-- Measured discharge pressure over the pressure the {name} pump curve
-- predicts at the present flow: 1.0 on the curve; cavitation pulls it down.
-- Flow is not measured; it follows from the motor current (nameplate:
-- {amp} A at rated flow, 35 % of that at zero flow).
-- Curve: p = {bar} bar * (1.2 - 0.2 * flow^2), flow a fraction of rated.
local rated_bar, rated_amp = {bar}, {amp}
return function(bar, amp)
  if bar > 2 * rated_bar then
    -- A transmitter spike: fail this call (counted, shown in the status)
    -- rather than feed a wild value to the models.
    error(string.format("implausible pressure %.1f bar", bar))
  end
  local flow = math.min(math.max((amp / rated_amp - 0.35) / 0.65, 0), 1.2)
  return bar / (rated_bar * (1.2 - 0.2 * flow * flow))
end
'''

[[feature]]
name = "{p}.head_ratio.mean5s"
fn = "rolling_mean"
needs = ["{p}.head_ratio"]
window = 50                 # 5 s of pressure readings

[[feature]]
name = "{p}.head_ratio.std5s"
fn = "rolling_std"          # cavitation makes the pressure noisy
needs = ["{p}.head_ratio"]
window = 50

[[feature]]
name = "{p}.wear_index"
fn = "lua"
needs = ["{p}.vibration.rms1s", "{p}.temp.ewma"]
trigger = ["{p}.temp.ewma"]      # once a second is plenty for a slow index
path = "../lua/wear_index.lua"  # shared by all pumps; relative to this file

[[feature]]
name = "{p}.wear_index.growth"
fn = "diff"                 # change since the previous firing (1 s)
needs = ["{p}.wear_index"]
"""
    if not models:
        return text
    return text + f"""
# -- models --------------------------------------------------------------------

# Probability-like anomaly score: logistic(bias + sum(weight * input)).
# Healthy about 0.05; above 0.5 means "look at this pump". Weights:
{weight_notes}
[[model]]
name = "{p}.anomaly"
kind = "linear"
needs = {toml_list(inputs)}
weights = [{weights}]
bias = {ANOMALY_BIAS}
link = "logistic"
trigger = ["{p}.head_ratio.mean5s"]  # score each pressure reading (10 Hz)
emit = true

# Rule-based health score, 0-100, once a second.
[[model]]
name = "{p}.health"
kind = "lua"
needs = {toml_list([
        q(p + ".vibration.peak10s"), q(p + ".head_ratio.mean5s"),
        q(p + ".temp.ewma"), q(p + ".temp.trend"), q(p + ".wear_index"),
        q(p + ".wear_index.growth")])}
trigger = ["{p}.wear_index"]
path = "../lua/health.lua"
emit = true

""" + fault_models(p)


def plant_file(tags):
    models = [PUMP_MODELS[i % 3] for i in range(len(tags))]
    total_kw = sum(hydraulic_kw(m) for m in models)
    weights = [f"{hydraulic_kw(m) / total_kw:.6f}" for m in models]
    scores = [q(t + ".anomaly") for t in tags]
    faults = [q(t + ".fault_xgb") for t in tags]
    includes = [q(f"pumps/{t}.toml") for t in tags]
    triggers = ", ".join(scores[:3])
    first = len(tags[:3])
    fleet = "\n".join(
        f"#   {sum(1 for m in models if m is pm):3} x {pm[0]}: {pm[1]} bar, "
        f"{pm[2]:g} m3/h, {pm[3]} A ({hydraulic_kw(pm):.2f} kW hydraulic)"
        for pm in PUMP_MODELS if any(m is pm for m in models))
    return f"""\
# The demo plant: {len(tags)} centrifugal pumps (model: rated pressure, flow
# and motor current),
{fleet}
# each with temperature, vibration, pressure and motor current sensors, as
# simulated by runtime/sim/plant_sim.cpp. `build/bin/shoal-node` runs it live.
#
# Generated by config/demo/make_graph.py: edit the script, not this file.
# Each pump's sensors, features and models are in its own file; this file
# includes them (paths relative to this file) and adds the plant-level models,
# which consume the pumps' models.

include = {toml_list(includes)}

# Installed hydraulic power at risk: the anomaly scores weighted by each
# pump's share of the plant's hydraulic power (rated bar * m3/h / 36 kW), so
# 0.1 reads "a tenth of the capacity is in trouble". The identity link keeps
# it a weighted mean.
[[model]]
name = "plant.risk"
kind = "linear"
needs = {toml_list(scores)}
weights = {toml_list(weights)}
bias = 0.0
link = "identity"
# Fire when one of the first {len(tags[:3])} pump(s) (one of each model) is
# scored: about {len(tags[:3]) * 10} times a second, with the others' latest
# scores (an as-of join). With the default trigger (all inputs) it would fire
# {len(tags) * 10} times a second.
trigger = [{triggers}]
emit = true

# Number of pumps in alert, with hysteresis kept in `state`: a pump enters
# alert when its score rises above {ALERT_ON} and leaves it when the score
# falls below {ALERT_OFF}, so a score near a threshold does not make the count
# flap. `...` takes any number of inputs, in `needs` order.
[[model]]
name = "plant.alerts"
kind = "lua"
needs = {toml_list(scores)}
trigger = [{triggers}]
emit = true
code = '''
return function(...)
  local scores = {{...}}
  local n = 0
  for i = 1, #scores do
    local on = scores[i] > {ALERT_ON} or (state[i] and scores[i] > {ALERT_OFF})
    state[i] = on
    if on then n = n + 1 end
  end
  return n
end
'''

# Expected number of pumps with a fault: the sum of the pumps' XGBoost fault
# probabilities, a model whose inputs are {len(tags)} models. It fires when
# one of the first {first} pumps' detectors does: about {first} times a second.
[[model]]
name = "plant.faulty_pumps"
kind = "linear"
needs = {toml_list(faults)}
weights = {toml_list(["1.0"] * len(tags))}
bias = 0.0
link = "identity"
trigger = [{", ".join(faults[:3])}]
emit = true
"""


def write(path, text):
    """Writes `text` unless the file holds it already; True if it wrote."""
    if path.exists() and path.read_text() == text:
        return False
    path.write_text(text)
    return True


def main():
    here = pathlib.Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pumps", type=int, default=50,
                    help="number of pumps (default 50, as the simulator)")
    ap.add_argument("--out", type=pathlib.Path, default=here,
                    help="output directory (default: next to this script)")
    args = ap.parse_args()
    if args.pumps < 1:
        ap.error("--pumps must be at least 1")
    width = max(2, len(str(args.pumps)))
    tags = [f"pump{i:0{width}d}" for i in range(1, args.pumps + 1)]
    pumps_dir = args.out / "pumps"
    pumps_dir.mkdir(parents=True, exist_ok=True)
    changed = 0
    for i, tag in enumerate(tags):
        text = pump_file(tag, i + 1, PUMP_MODELS[i % 3])
        changed += write(pumps_dir / f"{tag}.toml", text)
    wanted = {f"{t}.toml" for t in tags}
    for old in pumps_dir.glob("pump*.toml"):
        if re.fullmatch(r"pump\d+\.toml", old.name) and old.name not in wanted:
            old.unlink()
            changed += 1
    changed += write(args.out / "plant.toml", plant_file(tags))
    nodes = len(tags) * NODES_PER_PUMP + PLANT_NODES
    print(f"{args.out / 'plant.toml'}: {len(tags)} pumps, {nodes} nodes, "
          f"{changed} file(s) changed")


if __name__ == "__main__":
    main()
