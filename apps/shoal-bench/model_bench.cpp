#include "apps/shoal-bench/model_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <vector>
#include <xgboost/c_api.h>

#include "apps/shoal-bench/bench_fn.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/models/xgboost_model.hpp"

namespace shoal {

namespace {

using clock_type = std::chrono::steady_clock;

/// Rows drawn once; both contenders cycle through the same ones.
constexpr size_t row_count = 1024;

/// Calls `eval(row)` over the rows, cycling, in `rounds` rounds of about
/// `round` each, and returns nanoseconds per call of the fastest round: other
/// processes on the machine only ever make a round slower.
template <class F>
double time_per_call(F eval, int rounds, std::chrono::milliseconds round) {
  double best = INFINITY;
  for (int r = 0; r < rounds; ++r) {
    size_t calls = 0;
    auto start = clock_type::now();
    auto elapsed = clock_type::duration{};
    do {
      for (size_t i = 0; i < row_count; ++i)
        eval(i);
      calls += row_count;
      elapsed = clock_type::now() - start;
    } while (elapsed < round);
    best
      = std::min(best, std::chrono::duration<double, std::nano>(elapsed).count()
                         / static_cast<double>(calls));
  }
  return best;
}

void print_line(std::FILE* out, const char* who, double ns) {
  std::fprintf(out, "  %-28s %12.0f evals/s %10.1f ns/eval\n", who, 1e9 / ns,
               ns);
}

/// XGBoost's in-place prediction of one row at a time.
class xgboost_c_api {
public:
  xgboost_c_api(const std::string& path, const std::vector<double>& rows,
                size_t features) {
    ok_ = XGBoosterCreate(nullptr, 0, &h_) == 0
          && XGBoosterSetParam(h_, "nthread", "1") == 0
          && XGBoosterLoadModel(h_, path.c_str()) == 0;
    for (size_t i = 0; i < row_count; ++i) {
      char buf[160];
      std::snprintf(buf, sizeof(buf),
                    R"({"data": [%zu, true], "shape": [1, %zu], )"
                    R"("typestr": "<f8", "version": 3})",
                    reinterpret_cast<size_t>(rows.data() + i * features),
                    features);
      arrays_.emplace_back(buf);
    }
  }

  ~xgboost_c_api() {
    if (h_ != nullptr)
      XGBoosterFree(h_);
  }

  bool ok() const {
    return ok_;
  }

  float predict(size_t row) {
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* res = nullptr;
    if (XGBoosterPredictFromDense(h_, arrays_[row].c_str(), config, nullptr,
                                  &shape, &dim, &res)
        != 0)
      return NAN;
    return res[0];
  }

private:
  static constexpr const char* config
    = R"({"type": 0, "training": false, "iteration_begin": 0, )"
      R"("iteration_end": 0, "strict_shape": false, "cache_id": 0, )"
      R"("missing": NaN})";

  BoosterHandle h_ = nullptr;
  bool ok_ = false;
  std::vector<std::string> arrays_;
};

} // namespace

void bench_xgboost(const std::string& model_path, std::FILE* out) {
  auto model = load_xgboost_model(model_path);
  if (!model) {
    std::fprintf(out, "xgboost model %s: %s\n", model_path.c_str(),
                 describe(model.error()).c_str());
    return;
  }
  auto features = (*model)->num_features();
  auto fn = make_bench_model_fn("xgboost", model_path, features);
  if (!fn) {
    std::fprintf(out, "%s\n", describe(fn.error()).c_str());
    return;
  }
  std::mt19937_64 rng{42};
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> unit;
  std::vector<double> rows(row_count * features);
  for (auto& x : rows)
    x = unit(rng) < 0.05 ? NAN : normal(rng);
  std::fprintf(out, "xgboost model %s: %zu trees, %zu features\n",
               model_path.c_str(), (*model)->num_trees(), features);
  std::vector<float> shoal_out(row_count);
  std::string err;
  auto& f = **fn;
  auto shoal_ns = time_per_call(
    [&](size_t i) {
      double res = 0;
      f.call(1, rows.data() + i * features, features, res, err);
      shoal_out[i] = static_cast<float>(res);
    },
    10, std::chrono::milliseconds{50});
  print_line(out, "shoal xgboost node_fn", shoal_ns);
  xgboost_c_api ref{model_path, rows, features};
  if (!ref.ok()) {
    std::fprintf(out, "  xgboost C API: %s\n", XGBGetLastError());
    return;
  }
  std::vector<float> ref_out(row_count);
  auto ref_ns = time_per_call(
    [&](size_t i) {
      ref_out[i] = ref.predict(i);
    },
    10, std::chrono::milliseconds{50});
  print_line(out, "xgboost C API, 1 row/call", ref_ns);
  size_t equal = 0;
  for (size_t i = 0; i < row_count; ++i)
    equal += shoal_out[i] == ref_out[i];
  std::fprintf(out, "  speed-up %.1fx; predictions equal on %zu of %zu rows\n",
               ref_ns / shoal_ns, equal, row_count);
}

} // namespace shoal
