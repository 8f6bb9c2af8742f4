// The actor that takes emitted outputs to an output_sink.
//
// It subscribes to every emitting node like any other subscriber, hands each
// output to its output_sink, and records the latency from an output's
// timestamp to its arrival here (meaningful in live mode, where timestamps
// are arrival times). When every input reached end of stream it flushes and
// sends `(done_atom, outputs)` to its monitor. While outputs arrive it
// flushes at least every `sink_flush_interval` (a flush_atom to itself,
// scheduled by the first output after a flush), so that files and sockets
// are never more than that behind in a live run.
//
// Messages handled:
//   (wire_atom, std::vector<caf::actor> nodes, std::vector<std::string> names)
//                               -> ok_atom once subscribed
//   (sync_atom, std::vector<caf::actor> nodes, std::vector<std::string> names)
//                               -> ok_atom once subscribed: the inputs become
//                                  exactly these (a changed graph): inputs
//                                  not named are unsubscribed from, new ones
//                                  and new actors of replaced nodes (same
//                                  name) subscribed to
//   (moved_atom, uint64_t key, actor to)
//                               input `key` moved to `to` with its state:
//                               subscribe there
//   (until_atom, int64_t t)     finish (flush, report, unsubscribe, quit)
//                               once every input's watermark reached `t`
//                               instead of end of stream: a cluster replay
//                               into a graph that keeps running
//   batch                       from a node
//   std::vector<batch>          batches of several nodes of one cell
//   (mark_atom)                 report checkpoint marks from now on
//   (mark_atom, uint64_t k, uint64_t key)
//                               input `key` marked checkpoint round k; if
//                               asked to, once every open input did, the
//                               sink sends `(ckpt_atom, k)` to its monitor
//   (stats_atom)                -> (uint64_t outputs, int64_t p50_ns,
//                                  int64_t p99_ns, int64_t max_ns, uint64_t
//                                  alerting): latencies over the outputs
//                                  since the last stats_atom; alerting counts
//                                  inputs named with the alert suffix whose
//                                  latest output is at least the threshold
//   (single_atom, std::vector<std::string> names)
//                               -> ok_atom; outputs of these inputs also go
//                                  to the single-sensor histogram
//   (latency_atom, bool reset)  -> std::vector<uint64_t> {outputs, p50_ns,
//                                  p99_ns, p999_ns, max_ns} over all outputs
//                                  followed by the same five over the
//                                  single-sensor inputs, since the last reset
//                                  (stats_atom resets the first histogram
//                                  too); then resets both if `reset`
//   (latency_atom, caf::get_atom)
//                               -> std::vector<uint64_t>: the histogram of
//                                  all outputs since start, as
//                                  latency_histogram::to_numbers
//   (caf::flush_atom)           flushes the output_sink (also sent to
//                               itself periodically, see above)

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/dataflow/actor_env.hpp"
#include "actors/dataflow/wiring.hpp"
#include "runtime/core/latency_histogram.hpp"
#include "runtime/core/types.hpp"
#include "runtime/io/output_sink.hpp"

namespace shoal {

/// Which outputs count as alerting in status: inputs whose name ends with
/// `suffix` (all when empty) and whose latest value is >= `threshold`.
struct alert_rule {
  std::string suffix;
  double threshold = 0.5;

  /// Whether outputs of node `name` are judged by this rule.
  bool covers(const std::string& name) const;
};

/// The longest an output waits in a sink's buffer while outputs arrive.
constexpr std::chrono::milliseconds sink_flush_interval{1000};

struct sink_state {
  static inline const char* name = "shoal.sink";

  struct input {
    std::string name;
    double last = 0;
    bool done = false;
    /// Whether its latencies also go to `latency_single`.
    bool single = false;
    /// The node's actor, and its latest watermark.
    caf::actor handle;
    int64_t wm = wm_none;
    /// The timestamp of its last output written: what a node resumed from
    /// a checkpoint sends again up to it is dropped.
    int64_t last_ts = wm_none;
    /// The newest checkpoint round it marked.
    uint64_t mark = 0;
  };

  std::unordered_map<uint64_t, input> inputs;
  /// `inputs` by key in an open-addressing table (`find_input`): a probe
  /// or two per batch instead of a walk through a bucket, since a busy sink
  /// takes hundreds of thousands of batches per second from nodes all over
  /// the heap (docs/performance.md). Emptied when the inputs change and
  /// rebuilt on the next lookup.
  std::vector<std::pair<uint64_t, input*>> index;
  size_t open = 0;
  std::shared_ptr<output_sink> out;
  latency_histogram latency;
  latency_histogram latency_single;
  /// All outputs since start, never reset (for Prometheus).
  latency_histogram latency_total;
  uint64_t outputs = 0;
  caf::actor monitor;
  actor_env env;
  input_wiring wiring;
  bool finished = false;
  /// Tell the monitor `(ckpt_atom, k)` once every input marked round k
  /// (a cluster replay's sink: every output before the round is here), and
  /// the newest round told.
  bool report_marks = false;
  uint64_t marked = 0;
  /// Inputs not done that marked at most round `marked`: while there are
  /// some, a mark needs no scan of every input.
  int64_t holding = 0;
  /// With `until`: inputs not complete yet (at most; counted down by
  /// batches, counted again by a scan).
  int64_t behind = 0;
  /// With `until_atom`: the watermark every input must reach.
  int64_t until = wm_end;
  /// Whether a periodic flush_atom is on its way.
  bool flush_scheduled = false;
  alert_rule alert;
};

/// Runs a sink that writes to `out`; `monitor` learns when all inputs ended.
caf::behavior sink_actor(caf::stateful_actor<sink_state>* self,
                         std::shared_ptr<output_sink> out, caf::actor monitor,
                         alert_rule alert, actor_env env);

} // namespace shoal
