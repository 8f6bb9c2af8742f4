// The `/metrics` page: a status_model in the Prometheus text exposition
// format, version 0.0.4.
//
// Every metric has HELP and TYPE lines; label values are escaped. Counters
// are split per member and node kind as SPEC section 8 asks; the metric
// names and their meaning are listed in docs/http.md. Pure.

#pragma once

#include <string>
#include <string_view>

#include "runtime/core/latency_histogram.hpp"
#include "runtime/http/status_model.hpp"

namespace shoal {

/// The Content-Type of the exposition format.
constexpr std::string_view prometheus_content_type
  = "text/plain; version=0.0.4; charset=utf-8";

/// Renders the metrics of `model`, with `all` as the output latency
/// histogram (usually `model.latency`).
std::string render_metrics(const status_model& model,
                           const latency_histogram& all);

/// Escapes a label value: backslash, double quote and newline.
std::string escape_label_value(std::string_view text);

} // namespace shoal
