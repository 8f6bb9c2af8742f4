"""The demo plant's physics in numpy, for training the demo's fault models.

A port of the equations of runtime/sim/plant_sim.cpp and runtime/sim/plant_faults.cpp
(the C++ simulator behind `shoal-node`'s live demo), so that
train_models.py can produce sensor readings without C++:

- nameplates and per-pump deviations: rated pressure and current +-3 %,
  healthy vibration 1.0-1.6 mm/s, mean ambient 20-24 degC;
- load: 0.62 + 0.15 sin(2 pi t / T + phase), T 20-45 min, plus a step of up
  to +-0.15 in half of the 10-minute slots;
- temp = ambient (daily cycle, slow weather) + 28 * load through a 240-s
  first-order lag + 12 * wear, noise 0.08 degC; 1 Hz;
- vibration = vib (0.7 + 0.5 load) + 5.5 wear^1.5 + 1.2 cav, relative noise
  5 % (30 % cavitating), at least 0.05; 50 Hz;
- pressure = bar (1.2 - 0.2 load^2)(1 - 0.35 cav), noise 0.8 % of rated
  (8.8 % cavitating); 10 Hz;
- current = amp (0.35 + 0.65 load)(1 + 0.06 wear)(1 - 0.05 cav), relative
  noise 1 % (5 % cavitating); 20 Hz;
- ticks at a per-sensor phase with +-5 % jitter of the period; noise is the
  simulator's Irwin-Hall sum of four uniforms;
- faults per 20-minute slot with a chance (0.3 in the plant): 40 % bearing
  wear over 8-20 min (wear ramps 0 -> 1), 35 % cavitation over 2-8 min (ramps
  in and out over 20 s), 25 % a glitching sensor for 0.5-3 min (4 % NaN, 4 %
  spikes of 4-8x); any reading is NaN with a chance of 5e-5 and a spike with
  2e-4.

The random numbers come from numpy's generator, not from the simulator's
splitmix64 streams: the readings follow the same laws, not the same draws.
"""

import numpy as np

SEC = 1_000_000_000
KINDS = ["temp", "vibration", "pressure", "current"]
# The pump models: name, rated pressure (bar), rated flow (m3/h), motor
# current at rated flow (A); the same nameplates as `shoal::pump_models()`.
# Pump N of the plant is model (N - 1) % 3 (as config/demo/pumps.csv says).
PUMP_MODELS = [
    ("P-60", 6.0, 40.0, 18.0),
    ("P-80", 8.0, 60.0, 36.0),
    ("P-40", 4.0, 25.0, 7.5),
]
PERIODS = [SEC, SEC // 50, SEC // 10, SEC // 20]  # parallel to KINDS
FAULT_SLOT = 1200 * SEC
STEP_SLOT = 600 * SEC
TEMP_TAU_S = 240.0
DAY = 86_400 * SEC


def gauss(rng, n):
    """The simulator's cheap normal: Irwin-Hall of four uniforms."""
    return (rng.random((n, 4)).sum(axis=1) - 2.0) * 1.7320508075688772


class Pump:
    """One simulated pump over [start, end) ns: its faults and its readings."""

    def __init__(self, tag, model, start, end, rng, fault_chance=0.3):
        _, rated_bar, _, rated_amp = model
        self.tag = tag
        self.start, self.end = start, end
        self.rng = rng
        self.bar = rated_bar * (1 + 0.03 * (2 * rng.random() - 1))
        self.amp = rated_amp * (1 + 0.03 * (2 * rng.random() - 1))
        self.vib = 1.0 + 0.6 * rng.random()
        self.ambient = 20 + 4 * rng.random()
        self.load_period = (1200 + int(rng.random() * 1500)) * SEC
        self.load_phase = 2 * np.pi * rng.random()
        self.day_phase = 0.3 * rng.random()
        self.step_offset = int(rng.random() * STEP_SLOT)
        self.faults = self._schedule(fault_chance)
        # Load steps and weather knots, indexed from the slot before `start`.
        self.first_step = (start - self.step_offset) // STEP_SLOT - 1
        n_steps = (end - start) // STEP_SLOT + 3
        u = rng.random(n_steps)
        self.steps = np.where(u < 0.5, 0.0, 0.15 * (4 * u - 3))
        self.first_knot = start // (600 * SEC)
        self.knots = gauss(rng, (end - start) // (600 * SEC) + 2)
        # The thermal lag runs on a 1-s grid; temp is read off it.
        self.grid = np.arange(start - 1800 * SEC, end + SEC, SEC)
        self.lagged = self._lag(self.load(self.grid))

    def _schedule(self, chance):
        """Faults as (kind, start, end), kind in wear/cavitation/glitch."""
        faults = []
        rng = self.rng
        for slot in range(self.start // FAULT_SLOT - 1,
                          self.end // FAULT_SLOT + 1):
            if rng.random() >= chance:
                continue
            which, span, at = rng.random(3)
            if which < 0.4:
                kind, minutes = "wear", 8 + 12 * span
            elif which < 0.75:
                kind, minutes = "cavitation", 2 + 6 * span
            else:
                kind, minutes = "glitch", 0.5 + 2.5 * span
            begin = slot * FAULT_SLOT + int(at * FAULT_SLOT)
            sensor = int(rng.integers(4))
            faults.append((kind, begin, begin + int(minutes * 60e9) - 1,
                           sensor))
        return faults

    def levels(self, ts):
        """Bearing wear and cavitation in [0, 1], and the glitching sensor
        kind (-1: none), at each of `ts`."""
        wear = np.zeros(ts.shape)
        cav = np.zeros(ts.shape)
        glitch = np.full(ts.shape, -1)
        for kind, begin, end, sensor in self.faults:
            on = (ts >= begin) & (ts < end)
            if not on.any():
                continue
            t = ts[on].astype(np.float64)
            if kind == "wear":
                wear[on] = np.maximum(wear[on], (t - begin) / (end - begin))
            elif kind == "cavitation":
                ramp = np.minimum(np.minimum((t - begin) / 20e9,
                                             (end - t) / 20e9), 1.0)
                cav[on] = np.maximum(cav[on], ramp)
            else:
                glitch[on] = sensor
        return wear, cav, glitch

    def load(self, ts):
        """The fraction of rated flow at each of `ts`."""
        frac = (ts % self.load_period) / self.load_period
        slot = (ts - self.step_offset) // STEP_SLOT - self.first_step
        step = self.steps[np.clip(slot, 0, len(self.steps) - 1)]
        return 0.62 + 0.15 * np.sin(2 * np.pi * frac + self.load_phase) + step

    def _lag(self, x):
        k = 1 - np.exp(-1.0 / TEMP_TAU_S)
        y = np.empty_like(x)
        acc = x[0]
        for i, v in enumerate(x):
            acc += k * (v - acc)
            y[i] = acc
        return y

    def ambient_at(self, ts):
        frac = (ts % DAY) / DAY
        j = ts // (600 * SEC) - self.first_knot
        t = (ts % (600 * SEC)) / (600 * SEC)
        a = self.knots[np.clip(j, 0, len(self.knots) - 2)]
        b = self.knots[np.clip(j + 1, 0, len(self.knots) - 1)]
        w = t * t * (3 - 2 * t)
        return (self.ambient + 2 * np.sin(2 * np.pi * frac + self.day_phase)
                + 0.7 * (a + (b - a) * w))

    def readings(self, kind):
        """(ts, value) arrays of sensor `kind` (index into KINDS)."""
        rng = self.rng
        period = PERIODS[kind]
        phase = int(rng.integers(period))
        jitter = period // 20
        ticks = np.arange((self.start - phase) // period + 1,
                          (self.end - phase) // period)
        ts = (phase + ticks * period
              + rng.integers(-jitter, jitter + 1, len(ticks)))
        ts = ts[(ts >= self.start) & (ts < self.end)]
        n = len(ts)
        g = gauss(rng, n)
        wear, cav, glitch = self.levels(ts)
        x = self.load(ts)
        if kind == 0:
            lagged = np.interp(ts, self.grid, self.lagged)
            v = self.ambient_at(ts) + 28 * lagged + 12 * wear + 0.08 * g
        elif kind == 1:
            mean = self.vib * (0.7 + 0.5 * x) + 5.5 * wear**1.5 + 1.2 * cav
            v = np.maximum(mean * (1 + (0.05 + 0.25 * cav) * g), 0.05)
        elif kind == 2:
            mean = self.bar * (1.2 - 0.2 * x * x) * (1 - 0.35 * cav)
            v = np.maximum(mean + self.bar * (0.008 + 0.08 * cav) * g, 0.0)
        else:
            mean = (self.amp * (0.35 + 0.65 * x) * (1 + 0.06 * wear)
                    * (1 - 0.05 * cav))
            v = mean * (1 + (0.01 + 0.04 * cav) * g)
        glitching = glitch == kind
        nan_chance = np.where(glitching, 0.04, 5e-5)
        spike_chance = np.where(glitching, 0.04, 2e-4)
        u = rng.random(n)
        v = np.where(u < nan_chance + spike_chance,
                     v * (4 + 4 * rng.random(n)), v)
        v[u < nan_chance] = np.nan
        return ts, v
