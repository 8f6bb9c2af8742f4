#include "apps/shoal-bench/functions_command.hpp"

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "apps/common/cli.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"

namespace shoal {

namespace {

/// One function to time: its spec and how it is named in the table.
struct fn_case {
  std::string label;
  node_spec spec;
  int64_t window = 0;
};

node_spec feature(const std::string& fn) {
  node_spec s;
  s.name = "bench." + fn;
  s.kind = node_kind::feature;
  s.fn = fn;
  s.needs = {"x"};
  return s;
}

std::vector<fn_case> cases() {
  std::vector<fn_case> out;
  auto clip = feature("clip");
  clip.lo = -1.0;
  clip.hi = 1.0;
  out.push_back({"clip", clip, 0});
  auto scale = feature("scale");
  scale.mul = 2.0;
  scale.add = 1.0;
  out.push_back({"scale", scale, 0});
  auto deadband = feature("deadband");
  deadband.band = 0.1;
  out.push_back({"deadband", deadband, 0});
  auto ewma = feature("ewma");
  ewma.alpha = 0.3;
  out.push_back({"ewma", ewma, 0});
  out.push_back({"diff", feature("diff"), 0});
  for (auto* fn : {"rolling_mean", "rolling_std", "rolling_max",
                   "rolling_quantile", "zscore"}) {
    for (int64_t w : {10, 1000, 100000}) {
      auto s = feature(fn);
      s.window = w;
      if (std::string{fn} == "rolling_quantile")
        s.q = 0.9;
      out.push_back({fn, s, w});
    }
  }
  auto t = feature("tumbling_mean");
  t.window_ns = 1000;
  out.push_back({"tumbling_mean", t, 0});
  return out;
}

/// Nanoseconds per call of `fn` over `n` samples.
double time_fn(node_fn& fn, uint64_t n) {
  uint64_t x = 88172645463325252ull;
  double out = 0;
  double sink = 0;
  std::string err;
  auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    // xorshift: values spread over [0, 1), no two windows alike.
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    double v = static_cast<double>(x >> 11) * 0x1.0p-53;
    if (fn.call(static_cast<int64_t>(i), &v, 1, out, err) == fn_status::value)
      sink += out;
  }
  auto took = std::chrono::duration<double, std::nano>(
                std::chrono::steady_clock::now() - start)
                .count();
  // Keeps the loop's results alive.
  if (sink == -1.0)
    std::fprintf(stderr, " ");
  return took / static_cast<double>(n);
}

} // namespace

int functions_command(int argc, char** argv) {
  uint64_t samples = 1000000;
  bool json = false;
  CLI::App app{"cost per sample of the built-in functions", "functions"};
  prepare_cli(app, "shoal-bench");
  app.add_option("--samples", samples)->check(CLI::Range(1ull, 1000000000ull));
  app.add_flag("--json", json);
  const char* usage = "usage: shoal-bench functions [--samples N] [--json]\n";
  auto outcome
    = parse_cli(app, argc, argv, "shoal-bench functions", usage, usage);
  if (outcome.exit)
    return outcome.code;
  if (json)
    std::printf("[");
  else
    std::printf("%-18s %8s %12s\n", "function", "window", "ns/sample");
  bool first = true;
  for (auto& c : cases()) {
    auto fn = make_fn(c.spec);
    if (!fn) {
      std::fprintf(stderr, "shoal-bench functions: %s: %s\n", c.label.c_str(),
                   describe(fn.error()).c_str());
      return 1;
    }
    auto ns = time_fn(**fn, samples);
    if (json) {
      std::printf("%s{\"fn\":\"%s\",\"window\":%" PRId64 ",\"ns\":%.1f}",
                  first ? "" : ",", c.label.c_str(), c.window, ns);
    } else {
      auto w = c.window > 0 ? std::to_string(c.window) : std::string{"-"};
      std::printf("%-18s %8s %12.1f\n", c.label.c_str(), w.c_str(), ns);
    }
    first = false;
  }
  if (json)
    std::printf("]\n");
  return 0;
}

} // namespace shoal
