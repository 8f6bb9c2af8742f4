// The `templates` run of shoal-bench (SPEC section 11): loading a graph of
// many devices of one template against loading the same graph written out.
//
// `template_graph_files` writes, into a directory, a template of
// `nodes_per_device` nodes (sensors, built-in features and linear models;
// three parameters: the device's name, put into every name and input, and
// a bias and a time window taken whole from the CSV as numbers) with a device
// list of `devices` rows (templated.toml, devices.csv), and the graph those
// stand for written out by hand (written.toml). `bench_templates` loads each
// `reps` times with `load_graph` (parse, expand, validate, build every function
// once), keeps the fastest of each, and checks that both give equal graphs.
// Call from one thread at a time.

#pragma once

#include <cstddef>
#include <string>

#include "caf/error.hpp"
#include "caf/expected.hpp"

namespace shoal {

struct template_bench_options {
  size_t devices = 10'000;
  /// At least 4.
  size_t nodes_per_device = 20;
  size_t reps = 3;
};

struct template_figures {
  size_t nodes = 0;
  /// Bytes of the two graphs' files (the templated one with its CSV).
  size_t templated_bytes = 0;
  size_t written_bytes = 0;
  /// The fastest load of each, in seconds.
  double templated_s = 0;
  double written_s = 0;

  /// How much longer the templated graph takes (the target: at most 2).
  double ratio() const {
    return written_s > 0 ? templated_s / written_s : 0;
  }
};

/// Writes templated.toml, devices.csv and written.toml into `dir`.
caf::error template_graph_files(const std::string& dir,
                                const template_bench_options& opts);

/// Writes the files into `dir`, loads both graphs and times them; an error
/// if either fails to load or they differ.
caf::expected<template_figures>
bench_templates(const std::string& dir, const template_bench_options& opts);

} // namespace shoal
