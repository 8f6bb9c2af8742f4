// The node function a model benchmark times: a model node of `kind` over
// the file at `path` with `inputs` inputs, built as a graph would build it.

#pragma once

#include <cstddef>
#include <string>

#include "caf/expected.hpp"

#include "runtime/functions/fn_factory.hpp"

namespace shoal {

inline caf::expected<node_fn_ptr> make_bench_model_fn(const std::string& kind,
                                                      const std::string& path,
                                                      size_t inputs) {
  node_spec spec;
  spec.name = "bench." + kind;
  spec.kind = node_kind::model;
  spec.fn = kind;
  spec.path = path;
  for (size_t i = 0; i < inputs; ++i)
    spec.needs.push_back("x" + std::to_string(i));
  return make_fn(spec);
}

} // namespace shoal
