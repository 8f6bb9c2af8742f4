// The `/metrics` page: a status_model in the Prometheus text exposition
// format, version 0.0.4.
//
// Every metric has HELP and TYPE lines; label values are escaped. A cluster
// member's model knows its own part (`own`): then the page shows only the
// work of that member's nodes and sources, with counters that only go up,
// so that Prometheus can scrape every member and sum (docs/http.md,
// "Scraping a cluster"); `metrics_scope::cluster` shows the whole cluster
// split per member and node kind as SPEC section 8 asks, as does a model
// without `own`. The metric names and their meaning are listed in
// docs/http.md. Pure.

#pragma once

#include <string>
#include <string_view>

#include "runtime/core/latency_histogram.hpp"
#include "runtime/http/status_model.hpp"

namespace shoal {

/// The Content-Type of the exposition format.
constexpr std::string_view prometheus_content_type
  = "text/plain; version=0.0.4; charset=utf-8";

/// What a page shows: the serving member's own part, or the cluster.
enum class metrics_scope { own, cluster };

/// Renders the metrics of `model`: its own part when it has one and
/// `scope` is `own`, otherwise the whole model with `all` as the output
/// latency histogram (usually `model.latency`).
std::string render_metrics(const status_model& model,
                           const latency_histogram& all,
                           metrics_scope scope = metrics_scope::own);

/// Escapes a label value: backslash, double quote and newline.
std::string escape_label_value(std::string_view text);

} // namespace shoal
