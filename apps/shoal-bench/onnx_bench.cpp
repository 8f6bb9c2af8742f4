#include "apps/shoal-bench/onnx_bench.hpp"

#include <chrono>
#include <cmath>
#include <ctime>
#include <random>
#include <vector>

#include "apps/shoal-bench/bench_fn.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/models/model_cache.hpp"
#include "runtime/models/onnx_model.hpp"

namespace shoal {

namespace {

using clock_type = std::chrono::steady_clock;

/// Rows drawn once and cycled through.
constexpr size_t row_count = 1024;

/// CPU time of this thread in nanoseconds: unlike the wall clock, it does not
/// count the time other processes take the core away.
double thread_cpu_ns() {
  timespec t{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

} // namespace

void bench_onnx(const std::string& model_path, std::FILE* out) {
  auto model = process_model_cache().get<onnx_model>("onnx", model_path,
                                                     &onnx_model::load);
  if (!model) {
    std::fprintf(out, "onnx model %s: %s\n", model_path.c_str(),
                 describe(model.error()).c_str());
    return;
  }
  auto k = (*model)->input_count();
  auto fn = make_bench_model_fn("onnx", model_path, k);
  if (!fn) {
    std::fprintf(out, "%s\n", describe(fn.error()).c_str());
    return;
  }
  std::mt19937_64 rng{42};
  std::normal_distribution<double> normal;
  std::vector<double> rows(row_count * k);
  for (auto& x : rows)
    x = normal(rng);
  std::string err;
  double sum = 0;
  size_t failed = 0;
  auto eval = [&](size_t row) {
    double y = 0;
    if ((*fn)->call(0, rows.data() + row * k, k, y, err) == fn_status::value)
      sum += y;
    else
      ++failed;
  };
  for (size_t i = 0; i < row_count; ++i) // warm-up
    eval(i);
  size_t calls = 0;
  auto cpu_start = thread_cpu_ns();
  auto start = clock_type::now();
  auto elapsed = clock_type::duration{};
  do {
    for (size_t i = 0; i < row_count; ++i)
      eval(i);
    calls += row_count;
    elapsed = clock_type::now() - start;
  } while (elapsed < std::chrono::milliseconds{500});
  auto ns = std::chrono::duration<double, std::nano>(elapsed).count()
            / static_cast<double>(calls);
  auto cpu_ns = (thread_cpu_ns() - cpu_start) / static_cast<double>(calls);
  std::fprintf(out,
               "onnx model %s: %zu inputs, %zu steps, %zu bytes shared, "
               "%zu bytes per node\n",
               model_path.c_str(), k, (*model)->step_count(),
               (*model)->memory_bytes(), (*fn)->memory_bytes());
  std::fprintf(out, "  %-28s %12.0f evals/s %10.1f ns/eval (%.1f ns CPU)\n",
               "shoal onnx node function", 1e9 / ns, ns, cpu_ns);
  std::fprintf(out,
               "  (Debian has no ONNX runtime to compare with; mean output "
               "%.6g, %zu failed calls)\n",
               sum / static_cast<double>(calls + row_count), failed);
}

} // namespace shoal
