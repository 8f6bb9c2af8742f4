// The computation of one feature or model node.
//
// A `node_fn` turns the as-of input values at a firing timestamp into at most
// one output. It belongs to exactly one node (and so to one actor at a time);
// it is not thread-safe and never shared. Implementations keep whatever state
// they need between calls (windows, previous values, a Lua state).
//
// Most functions answer each call at its own timestamp. A tumbling window
// answers later, at its window's end: such a function reports that end as
// `due()`, and whoever drives it (runtime/semantics/node_fire.hpp, the
// reference evaluator) calls `flush()` once the node's input watermark
// reached it and every firing at or before it was called, before any later
// firing. The output of a flush carries the timestamp `due()` had.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "runtime/core/types.hpp"
#include "runtime/functions/fn_state.hpp"

namespace shoal {

/// What a call produced.
enum class fn_status : uint8_t {
  /// `out` holds the output (the caller still rejects a non-finite one).
  value,
  /// No output at this timestamp, and no error (e.g. `diff` at its first
  /// sample, or Lua returning nil).
  none,
  /// The call failed; `err` says why. Counted as an error of the node.
  error,
};

class node_fn {
public:
  virtual ~node_fn();

  /// Computes the output at firing timestamp `ts` from the as-of values
  /// `args[0..n)` of the node's inputs, in `needs` order. On `value`, writes
  /// `out`; on `error`, writes `err`.
  virtual fn_status call(int64_t ts, const double* args, size_t n, double& out,
                         std::string& err)
    = 0;

  /// The timestamp of the output the function will make without further
  /// input (the end of an open tumbling window); `wm_end` when there is none.
  virtual int64_t due() const;

  /// Makes the output due at `due()`; afterwards `due()` moves on. Returns
  /// `fn_status::none` when nothing was due.
  virtual fn_status flush(double& out, std::string& err);

  /// Bytes of heap memory this function holds (windows, interpreter), for
  /// status and benchmarks. An estimate is fine.
  virtual size_t memory_bytes() const;

  /// Writes the state the function keeps between calls, for a node that
  /// moves to another member (runtime/functions/fn_state.hpp). Stateless
  /// functions write nothing. Returns false, with `err`, if the state cannot
  /// move (a Lua `state` holding a function).
  virtual bool save(state_writer& w, std::string& err) const;

  /// Takes over a state written by `save` of the same function; returns
  /// false, with `err`, if it does not read back.
  virtual bool load(state_reader& r, std::string& err);
};

using node_fn_ptr = std::unique_ptr<node_fn>;

} // namespace shoal
