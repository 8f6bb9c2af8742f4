// A member's rejected input (runtime/core/reject_log.hpp) as JSON, for
// `/status` (its `rejected_input` object, docs/http.md). Its texts were
// escaped to printable ASCII when they were recorded; the writer quotes
// them as JSON strings. Pure; any thread.

#pragma once

#include "runtime/core/reject_log.hpp"
#include "runtime/http/json_writer.hpp"

namespace shoal {

/// Writes `x` as one JSON object: `reasons`, `other_reasons`,
/// `unknown_sensors`, `other_unknown`.
void write_rejects(json_writer& w, const reject_log& x);

} // namespace shoal
