#include "apps/shoal-bench/synthetic_samples.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>

#include "runtime/core/errc.hpp"
#include "runtime/sim/sim_random.hpp"

namespace shoal {

namespace {

using sim_random::draw;
using sim_random::floor_div;
using sim_random::floor_mod;
using sim_random::sub;
using sim_random::uniform;

// Tags of the random sub-streams.
constexpr uint64_t tag_phase = 11;
constexpr uint64_t tag_shape = 12;
constexpr uint64_t tag_noise = 13;

constexpr double two_pi = 6.283185307179586;

} // namespace

sample_generator::sample_generator(std::vector<std::string> sensor_names,
                                   double rate_per_s, uint64_t seed)
  : names_(std::move(sensor_names)), seed_(seed) {
  auto count = static_cast<int64_t>(names_.size());
  auto period = std::llround(static_cast<double>(count) * 1e9 / rate_per_s);
  period_ = std::max<int64_t>(1, period);
  // Phases on a grid of 4 slots per sensor: some sensors share a slot.
  auto slots = std::min<int64_t>(period_, 4 * count);
  auto grain = period_ / slots;
  auto phases = sub(seed, tag_phase);
  auto shapes = sub(seed, tag_shape);
  for (int64_t s = 0; s < count; ++s) {
    auto u = static_cast<uint64_t>(s);
    auto slot
      = static_cast<int64_t>(draw(phases, u) % static_cast<uint64_t>(slots));
    phase_.push_back(slot * grain);
    level_.push_back(10.0 + 90.0 * uniform(draw(shapes, 3 * u)));
    amplitude_.push_back(1.0 + 9.0 * uniform(draw(shapes, 3 * u + 1)));
    cycle_.push_back(50 + static_cast<int64_t>(draw(shapes, 3 * u + 2) % 451));
    order_.push_back(static_cast<uint32_t>(s));
  }
  std::stable_sort(order_.begin(), order_.end(),
                   [this](uint32_t x, uint32_t y) {
                     return phase_[x] < phase_[y];
                   });
}

double sample_generator::rate_per_s() const {
  return static_cast<double>(names_.size()) * 1e9
         / static_cast<double>(period_);
}

synthetic_sample sample_generator::sample_at(uint32_t s, int64_t k) const {
  auto cycle = cycle_[s];
  auto angle = two_pi * static_cast<double>(floor_mod(k, cycle))
               / static_cast<double>(cycle);
  auto noise = sim_random::gauss(
    draw(sub(seed_ ^ tag_noise, s), static_cast<uint64_t>(k)));
  auto value = level_[s] + amplitude_[s] * (std::sin(angle) + 0.1 * noise);
  return synthetic_sample{s, k * period_ + phase_[s], value};
}

void sample_generator::period_samples(int64_t k, int64_t from_ns, int64_t to_ns,
                                      std::vector<synthetic_sample>& out,
                                      size_t limit) const {
  auto base = k * period_;
  for (auto s : order_) {
    if (out.size() >= limit)
      return;
    auto ts = base + phase_[s];
    if (ts < from_ns)
      continue;
    if (ts >= to_ns)
      return;
    out.push_back(sample_at(s, k));
  }
}

void sample_generator::generate(int64_t from_ns, int64_t to_ns,
                                std::vector<synthetic_sample>& out) const {
  if (from_ns >= to_ns)
    return;
  auto last = floor_div(to_ns - 1, period_);
  for (auto k = floor_div(from_ns, period_); k <= last; ++k)
    period_samples(k, from_ns, to_ns, out, std::numeric_limits<size_t>::max());
}

std::vector<synthetic_sample> sample_generator::first(size_t n,
                                                      int64_t start_ns) const {
  std::vector<synthetic_sample> out;
  out.reserve(n);
  auto end = std::numeric_limits<int64_t>::max();
  for (auto k = floor_div(start_ns, period_); out.size() < n; ++k)
    period_samples(k, start_ns, end, out, n);
  return out;
}

caf::error write_samples_csv(const std::string& path,
                             const sample_generator& gen, size_t n,
                             int64_t start_ns) {
  struct closer {
    void operator()(std::FILE* f) const {
      std::fclose(f);
    }
  };
  std::unique_ptr<std::FILE, closer> file{std::fopen(path.c_str(), "wb")};
  if (!file)
    return make_error(errc::io_error, path + ": cannot open for writing");
  const auto& names = gen.sensor_names();
  std::string buf = "sensor,ts,value\n";
  char num[64];
  bool ok = true;
  // One period at a time, so memory stays small for any n.
  const auto period = gen.period_ns();
  std::vector<synthetic_sample> rows;
  size_t written = 0;
  for (auto k = sim_random::floor_div(start_ns, period); written < n; ++k) {
    rows.clear();
    gen.generate(std::max(start_ns, k * period), (k + 1) * period, rows);
    auto take = std::min(rows.size(), n - written);
    for (size_t i = 0; i < take; ++i) {
      const auto& r = rows[i];
      buf += names[r.sensor];
      buf += ',';
      buf.append(num, std::to_chars(num, num + sizeof(num), r.ts).ptr);
      buf += ',';
      buf.append(num, std::to_chars(num, num + sizeof(num), r.value).ptr);
      buf += '\n';
    }
    written += take;
    if (buf.size() >= (1 << 20) || written == n) {
      ok = ok
           && std::fwrite(buf.data(), 1, buf.size(), file.get()) == buf.size();
      buf.clear();
    }
  }
  if (n == 0)
    ok = std::fwrite(buf.data(), 1, buf.size(), file.get()) == buf.size();
  ok = std::fclose(file.release()) == 0 && ok;
  if (!ok)
    return make_error(errc::io_error, path + ": write failed");
  return caf::none;
}

} // namespace shoal
