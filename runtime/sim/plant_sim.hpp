// A simulated pumping plant: the sample source of the bundled demo.
//
// Every pump has four sensors (temperature, vibration, pressure, motor
// current) that tick at their own rates, with per-sensor phase offsets and a
// little timestamp jitter. Each pump follows a load profile (a slow sinusoid
// plus steps) and now and then develops a fault: bearing wear, cavitation or
// a glitching sensor (NaN readings and spikes).
//
// Everything is a pure function of the configuration and of absolute time:
// each sample is computed from its sensor's tick index with a random-access
// splitmix64 stream seeded per sensor, and faults and load steps from
// per-pump streams indexed by time slot. So output never depends on how the
// caller splits time into `generate` calls, or on earlier calls. The
// streams are in sim_random.hpp, the fault schedule in plant_faults.hpp.
//
// The pumps come in three models (see `pump_models()`); pump N (1-based) is
// model `(N - 1) % 3`. The demo graph's device list (`config/demo/pumps.csv`)
// gives each pump the same nameplate values.
//
// A `plant_sim` is a value computed once from its configuration; every
// member function is const and touches no shared mutable state, so
// concurrent calls on one instance are safe.

#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace shoal {

struct plant_config {
  int pumps = 50;
  uint64_t seed = 42;
};

/// One simulated reading; `sensor` indexes `plant_sim::sensor_names()`.
struct sim_sample {
  uint32_t sensor;
  int64_t ts;
  double value;
};

/// The nameplate of a pump model, as printed on the pump.
struct pump_model {
  const char* name;
  /// Discharge pressure at rated flow (bar).
  double rated_bar;
  /// Rated flow (m3/h).
  double rated_m3h;
  /// Motor current at rated flow (A).
  double rated_amp;
};

/// The three pump models of the plant, indexed by `(pump - 1) % 3`.
const std::array<pump_model, 3>& pump_models();

enum class fault_kind : uint8_t { bearing_wear, cavitation, sensor_glitch };

/// Returns "bearing_wear", "cavitation" or "sensor_glitch".
const char* to_string(fault_kind x);

/// One fault of one pump, active for `start <= ts < end`.
struct sim_fault {
  /// 0-based pump index (pump01 is 0).
  int pump;
  fault_kind kind;
  int64_t start;
  int64_t end;
  /// For `sensor_glitch`: the glitching sensor (index into `sensor_names()`).
  uint32_t sensor;
};

/// Sensor kinds; the sensor index of pump `p` and kind `k` is `4 * p + k`.
enum class sim_sensor : uint8_t { temp, vibration, pressure, current };

constexpr uint32_t sensors_per_pump = 4;

class plant_sim {
public:
  /// Builds the plant; `cfg.pumps` below 1 counts as 1.
  explicit plant_sim(plant_config cfg);

  /// Sensor names, e.g. "pump01.temp", "pump01.vibration", "pump01.pressure",
  /// "pump01.current" (pump numbers have at least two digits).
  const std::vector<std::string>& sensor_names() const {
    return names_;
  }

  /// Sensor units, parallel to `sensor_names()`: degC, mm/s, bar, A.
  const std::vector<std::string>& sensor_units() const {
    return units_;
  }

  /// Number of pumps.
  int pumps() const {
    return static_cast<int>(pumps_.size());
  }

  /// Appends every sample with ts in (from_ns, to_ns], sorted by ts (ties: by
  /// sensor index). Deterministic: the same config and the same sequence of
  /// calls give the same samples, and splitting an interval into several
  /// calls gives the same samples as one call. Values are NaN during sensor
  /// glitches (and, rarely, otherwise), which a runtime must reject. Both
  /// bounds must lie at least a second inside the range of int64_t.
  void generate(int64_t from_ns, int64_t to_ns,
                std::vector<sim_sample>& out) const;

  /// Total samples per second of simulated time.
  double samples_per_second() const;

  /// Nominal sampling period of a sensor kind, in ns.
  static int64_t period_ns(sim_sensor kind);

  /// The faults of all pumps active at some time in (from_ns, to_ns], ordered
  /// by start time (ties: by pump). The ground truth behind the samples.
  std::vector<sim_fault> faults(int64_t from_ns, int64_t to_ns) const;

  /// Load of pump `pump` (0-based) at `ts`: the fraction of rated flow.
  double load(int pump, int64_t ts) const;

private:
  struct pump_state {
    const pump_model* model;
    double bar;          // rated pressure incl. this pump's deviation
    double amp;          // rated current incl. this pump's deviation
    double vib;          // healthy vibration at zero load (mm/s)
    double ambient;      // mean ambient temperature (degC)
    int64_t load_period; // of the load sinusoid (ns)
    double load_phase;   // of the load sinusoid (rad)
    double day_phase;    // of the daily ambient cycle (rad)
    int64_t step_offset; // shifts this pump's load-step slots (ns)
    uint64_t seed;       // per-pump stream: load steps, faults, ambient
  };

  struct sensor_state {
    uint32_t pump;
    sim_sensor kind;
    int64_t period;
    int64_t phase;
    int64_t jitter; // max |jitter| (ns), below period / 2
    uint64_t seed;
  };

  // -- computing one sample ---------------------------------------------------

  void generate_sensor(uint32_t index, int64_t from_ns, int64_t to_ns,
                       std::vector<sim_sample>& out) const;

  double value_at(const sensor_state& s, int64_t tick, int64_t ts) const;

  /// Seed of pump `p`'s fault stream (see plant_faults.hpp).
  uint64_t fault_stream(int p) const;

  double step_level(int p, int64_t slot) const;

  /// The load seen through a first-order lag (what temperature follows).
  double lagged_load(int p, int64_t ts) const;

  double ambient(int p, int64_t ts) const;

  // -- member variables -------------------------------------------------------

  uint64_t seed_;
  std::vector<pump_state> pumps_;
  std::vector<sensor_state> sensors_;
  std::vector<std::string> names_;
  std::vector<std::string> units_;
};

} // namespace shoal
