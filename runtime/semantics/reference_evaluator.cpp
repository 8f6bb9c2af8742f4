#include "runtime/semantics/reference_evaluator.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <queue>
#include <unordered_map>

#include "runtime/core/errc.hpp"
#include "runtime/core/types.hpp"
#include "runtime/functions/fn_factory.hpp"
#include "runtime/graph/graph_error.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/semantics/source_filter.hpp"

namespace shoal {

namespace {

/// An accepted sample waiting for the watermark to pass it.
struct pending_sample {
  int64_t ts;
  uint32_t sensor;
  double value;
};

struct later_first {
  bool operator()(const pending_sample& x, const pending_sample& y) const {
    return x.ts > y.ts;
  }
};

/// A node whose function has an output due at `ts` (a tumbling window's
/// end).
struct due_output {
  int64_t ts;
  uint32_t node;

  bool operator>(const due_output& other) const {
    return ts > other.ts;
  }
};

std::string non_finite_message(double x) {
  char buf[32];
  auto end = std::to_chars(buf, buf + sizeof(buf), x).ptr;
  return "non-finite output " + std::string{buf, end};
}

} // namespace

/// Flat arrays indexed by node (the position in `graph_spec::nodes`);
/// adjacency in compressed form: the inputs of node `i` are
/// `inputs[in_begin[i] .. in_begin[i + 1])`, the nodes that node `i`
/// triggers are `triggers[trig_begin[i] .. trig_begin[i + 1])`.
struct reference_evaluator::state {
  state(std::vector<std::string> sensor_names, int64_t lateness)
    : dir(std::move(sensor_names)), filter(dir, lateness, true) {
    // nop
  }

  // -- the graph --
  std::vector<std::string> names;
  std::vector<char> emit;
  std::vector<node_fn_ptr> fns; // null for sensors
  std::vector<uint32_t> in_begin;
  std::vector<uint32_t> inputs;
  std::vector<uint32_t> trig_begin;
  std::vector<uint32_t> triggers;
  std::vector<uint32_t> sensor_node; // sensor index -> node index

  // -- ingest --
  sensor_directory dir;
  source_filter filter;
  std::vector<sensor_gate> gates;
  std::priority_queue<pending_sample, std::vector<pending_sample>, later_first>
    pending;

  // -- evaluation --
  std::vector<double> latest;
  std::vector<int64_t> last_ts; // wm_none: no output yet
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<>> dirty;
  /// Per node: 0, or in `dirty` as triggered (1) or for a due output (2).
  std::vector<char> queued;
  std::priority_queue<due_output, std::vector<due_output>, std::greater<>> due;
  /// Per node: the due timestamp last put into `due` (`wm_end`: none).
  std::vector<int64_t> scheduled;
  std::vector<double> args;
  std::string err;
  output_fn sink;
  run_result res;

  /// Node `n` outputs `value` at `t`.
  void produce(uint32_t n, int64_t t, double value) {
    latest[n] = value;
    last_ts[n] = t;
    if (emit[n]) {
      if (sink)
        sink(names[n], t, value);
      else
        res.outputs.push_back(output_row{names[n], t, value});
    }
    for (auto i = trig_begin[n]; i < trig_begin[n + 1]; ++i) {
      auto d = triggers[i];
      if (!queued[d])
        dirty.push(d);
      queued[d] = 1;
    }
  }

  /// Counts what a call or flush of node `n` returned; a value becomes an
  /// output at `t`.
  void settle(uint32_t n, int64_t t, fn_status st, double out) {
    auto& c = res.nodes[n];
    switch (st) {
      case fn_status::value:
        if (std::isfinite(out)) {
          ++c.outputs;
          produce(n, t, out);
        } else {
          ++c.errors;
          c.last_error = non_finite_message(out);
        }
        break;
      case fn_status::error:
        ++c.errors;
        c.last_error = err;
        break;
      case fn_status::none: break;
    }
  }

  /// Runs node `n` at `t`: fires it if it was triggered, then flushes the
  /// output its function has due at `t`, if any (a tumbling window whose
  /// last sample came at `t` closes at once), and schedules the next one.
  void step(uint32_t n, bool triggered, int64_t t) {
    if (triggered)
      fire(n, t);
    auto& fn = *fns[n];
    if (fn.due() == t) {
      double out = 0;
      err.clear();
      auto st = fn.flush(out, err);
      settle(n, t, st, out);
    }
    auto d = fn.due();
    if (d != wm_end && d != scheduled[n]) {
      scheduled[n] = d;
      due.push(due_output{d, n});
    }
  }

  /// Derived node `n`, triggered at `t`, fires if all inputs have a value.
  void fire(uint32_t n, int64_t t) {
    auto first = in_begin[n];
    auto count = in_begin[n + 1] - first;
    for (uint32_t k = 0; k < count; ++k) {
      auto j = inputs[first + k];
      if (last_ts[j] == wm_none)
        return;
      args[k] = latest[j];
    }
    ++res.nodes[n].firings;
    double out = 0;
    err.clear();
    auto st = fns[n]->call(t, args.data(), count, out, err);
    settle(n, t, st, out);
  }

  /// The next timestamp with a buffered sample or a due output; `wm_end`
  /// if none.
  int64_t next_ts() const {
    auto t = pending.empty() ? wm_end : pending.top().ts;
    return due.empty() ? t : std::min(t, due.top().ts);
  }

  /// Processes every buffered timestamp and due output `t <= wm`, in
  /// increasing order.
  void process(int64_t wm) {
    for (auto t = next_ts(); t != wm_end && t <= wm; t = next_ts()) {
      while (!pending.empty() && pending.top().ts == t) {
        auto s = pending.top();
        pending.pop();
        produce(sensor_node[s.sensor], t, s.value);
      }
      while (!due.empty() && due.top().ts == t) {
        auto n = due.top().node;
        due.pop();
        scheduled[n] = wm_end;
        if (!queued[n]) {
          queued[n] = 2;
          dirty.push(n);
        }
      }
      // Dependants have larger indices than what triggers them, so nodes
      // come out of `dirty` in increasing (topological) order.
      while (!dirty.empty()) {
        auto n = dirty.top();
        dirty.pop();
        bool triggered = queued[n] == 1;
        queued[n] = 0;
        step(n, triggered, t);
      }
    }
  }
};

caf::expected<reference_evaluator>
reference_evaluator::make(const graph_spec& g, int64_t allowed_lateness_ns) {
  if (allowed_lateness_ns < 0)
    return make_error(errc::invalid_config,
                      "allowed_lateness_ns must not be negative");
  auto n = g.nodes.size();
  std::unordered_map<std::string_view, uint32_t> index;
  std::vector<std::string> sensor_names;
  for (uint32_t i = 0; i < n; ++i) {
    const auto& spec = g.nodes[i];
    if (!index.emplace(spec.name, i).second)
      return node_error(spec, "the name is used twice");
    if (spec.kind == node_kind::sensor)
      sensor_names.push_back(spec.name);
  }
  auto st = std::make_unique<state>(sensor_names, allowed_lateness_ns);
  st->gates.resize(sensor_names.size());
  st->fns.resize(n);
  st->in_begin.push_back(0);
  // For each node, the nodes it triggers; flattened below.
  std::vector<std::vector<uint32_t>> triggered(n);
  size_t max_inputs = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const auto& spec = g.nodes[i];
    st->names.push_back(spec.name);
    st->emit.push_back(spec.emit ? 1 : 0);
    if (spec.kind == node_kind::sensor) {
      st->sensor_node.push_back(i);
      st->in_begin.push_back(static_cast<uint32_t>(st->inputs.size()));
      continue;
    }
    for (const auto& need : spec.needs) {
      auto j = index.find(need);
      if (j == index.end() || j->second >= i)
        return node_error(spec, "needs '" + need
                                  + "', which is not an earlier node of the "
                                    "graph (graph not validated?)");
      st->inputs.push_back(j->second);
    }
    st->in_begin.push_back(static_cast<uint32_t>(st->inputs.size()));
    max_inputs = std::max(max_inputs, spec.needs.size());
    const auto& trig = spec.trigger.empty() ? spec.needs : spec.trigger;
    for (const auto& name : trig) {
      if (std::find(spec.needs.begin(), spec.needs.end(), name)
          == spec.needs.end())
        return node_error(spec, "trigger '" + name + "' is not one of needs");
      triggered[index.find(name)->second].push_back(i);
    }
    auto fn = make_fn(spec);
    if (!fn)
      return std::move(fn.error());
    st->fns[i] = std::move(*fn);
  }
  st->trig_begin.push_back(0);
  for (const auto& ds : triggered) {
    st->triggers.insert(st->triggers.end(), ds.begin(), ds.end());
    st->trig_begin.push_back(static_cast<uint32_t>(st->triggers.size()));
  }
  st->latest.resize(n, 0.0);
  st->last_ts.resize(n, wm_none);
  st->queued.resize(n, 0);
  st->scheduled.resize(n, wm_end);
  st->args.resize(max_inputs);
  st->res.nodes.resize(n);
  return reference_evaluator{std::move(st)};
}

reference_evaluator::reference_evaluator(std::unique_ptr<state> st)
  : state_(std::move(st)) {
  // nop
}

reference_evaluator::reference_evaluator(
  reference_evaluator&&) noexcept = default;

reference_evaluator&
reference_evaluator::operator=(reference_evaluator&&) noexcept = default;

reference_evaluator::~reference_evaluator() = default;

void reference_evaluator::set_output_sink(output_fn f) {
  state_->sink = std::move(f);
}

void reference_evaluator::offer(std::string_view sensor, int64_t ts,
                                double value) {
  auto& st = *state_;
  auto v = st.filter.offer(sensor, ts, value);
  if (!v.accepted) {
    ++st.res.ingest[v.reason];
    return;
  }
  if (!st.gates[v.sensor].admit(ts)) {
    ++st.res.ingest[reject_reason::out_of_order];
    return;
  }
  ++st.res.ingest.accepted;
  st.pending.push(pending_sample{ts, v.sensor, value});
  st.process(st.filter.watermark());
}

void reference_evaluator::offer_malformed(uint64_t line) {
  auto& res = state_->res;
  ++res.ingest[reject_reason::malformed];
  if (res.malformed_lines.size() < max_malformed_lines)
    res.malformed_lines.push_back(line);
}

void reference_evaluator::finish() {
  state_->filter.finish();
  state_->process(wm_end);
}

const run_result& reference_evaluator::result() const {
  return state_->res;
}

run_result reference_evaluator::take_result() {
  return std::move(state_->res);
}

caf::expected<run_result> reference_replay(const graph_spec& g,
                                           const std::string& csv_path,
                                           int64_t allowed_lateness_ns) {
  auto ev = reference_evaluator::make(g, allowed_lateness_ns);
  if (!ev)
    return std::move(ev.error());
  auto rd = sample_reader::open(csv_path);
  if (!rd)
    return std::move(rd.error());
  sample_row row;
  for (auto k = rd->next(row); k != row_kind::end; k = rd->next(row)) {
    // A timestamp on a watermark sentinel is malformed, as in replay_source.
    if (k == row_kind::sample && valid_ts(row.ts))
      ev->offer(row.sensor, row.ts, row.value);
    else
      ev->offer_malformed(rd->line_number());
  }
  if (rd->error())
    return rd->error();
  ev->finish();
  return ev->take_result();
}

} // namespace shoal
