#include "runtime/models/linear_model.hpp"

#include <cmath>
#include <memory>
#include <string>

namespace shoal {

namespace {

class linear_model final : public node_fn {
public:
  linear_model(std::vector<double> weights, double bias, link_fn link)
    : weights_(std::move(weights)), bias_(bias), link_(link) {
    // nop
  }

  fn_status call(int64_t, const double* args, size_t n, double& out,
                 std::string& err) override {
    if (n != weights_.size()) {
      err = "linear model has " + std::to_string(weights_.size())
            + " weights but got " + std::to_string(n) + " inputs";
      return fn_status::error;
    }
    double dot = 0;
    for (size_t i = 0; i < n; ++i)
      dot += weights_[i] * args[i];
    double z = bias_ + dot;
    out = link_ == link_fn::logistic ? logistic(z) : z;
    return fn_status::value;
  }

  size_t memory_bytes() const override {
    return sizeof(*this) + weights_.capacity() * sizeof(double);
  }

private:
  std::vector<double> weights_;
  double bias_;
  link_fn link_;
};

} // namespace

const char* to_string(link_fn x) {
  switch (x) {
    case link_fn::identity: return "identity";
    case link_fn::logistic: return "logistic";
  }
  return "unknown";
}

std::optional<link_fn> parse_link(std::string_view name) {
  if (name == "identity")
    return link_fn::identity;
  if (name == "logistic")
    return link_fn::logistic;
  return std::nullopt;
}

double logistic(double z) {
  // Only ever exp of a non-positive number: it cannot overflow, and for very
  // negative z the result keeps its tiny value instead of 1 / (1 + inf).
  if (z >= 0)
    return 1 / (1 + std::exp(-z));
  double e = std::exp(z);
  return e / (1 + e);
}

node_fn_ptr make_linear_model(std::vector<double> weights, double bias,
                              link_fn link) {
  return std::make_unique<linear_model>(std::move(weights), bias, link);
}

} // namespace shoal
