// The data-edge protocol, and the glue the data actors share to speak it.
//
// A data edge runs from a node U (a sensor, feature or model) to a
// subscriber D (a node, a cell, a sink, a tail). `key(U)` is
// `node_key(U's name)`: an actor may run several nodes
// (actors/dataflow/cell_actor.hpp), and the key says which one a message is
// for. The messages, all plain values from actors/messages.hpp:
//   D -> U  (subscribe_atom, D, uint32_t band, uint64_t key(U))
//               answered with
//   U -> D  (subscribed_atom, key(U), point last, int64_t wm)
//               U's latest output and output watermark (`subscribe_reply`)
//   U -> D  batch{key(U), points, wm, token, mark}
//               outputs in increasing ts, then U's output watermark, then
//               a checkpoint mark if not 0 (checkpoint_marks.hpp); a cell
//               sends one receiver's batches of one run as one
//               std::vector<batch>, handled in order
//   D -> U  (need_atom, int64_t ts)
//               "send me your watermark once it reaches ts", answered by a
//               batch (`answer_need`); a cell answers for every node of it
//               that D subscribed to, so a cell D asks each actor U once
//               per run (the smallest and the largest ts its nodes need,
//               `outbox::need`), not once per node and input
//   D -> U  (unsubscribe_atom, D)
//   T -> D  (frontier_atom, uint32_t band, int64_t F)
//               from a progress tracker (actors/dataflow/progress.hpp) to a
//               node that waits on inputs of lower bands, or from D to itself
// Watermarks travel on data; alone only where a subscriber asked for them,
// and at end of stream (wm_end) to everyone. Within one deployment that
// tracks progress, `band` is the subscriber's band and a batch's `token`
// counts it (`release_batch`); elsewhere band is `no_band` and token
// `no_token`. Moving U or D to another member adds `swap_atom`,
// `swapped_atom`, `restore_atom` and `moved_atom`
// (actors/dataflow/move_protocol.hpp):
//   D -> U  (swap_atom, D, D')          D moves: U sends to D' from now on
//                                       (`swap_subscriber`)
//   U -> D  (swapped_atom, key(U))      after U's last batch for D
//   U -> D  (moved_atom, key(U), U')    U moved: D subscribes at U'
//
// The edge from a source S (actors/sources/) to a sensor differs: the owner
// attaches the sensor, which then asks S by index, not by subscription:
//   owner -> sensor  (attach_atom, S, uint64_t key(S), uint32_t index)
//   S -> sensor      batch{key(S), samples, wm, token, mark}
//   sensor -> S      (src_need_atom, int64_t ts, uint32_t index)
//                        the source's own watermark request
//   S -> sensor      (detach_atom, key(S), int64_t wm)
//                        S leaves; `wm` stays as the sensor's floor
//   sensor -> S      (swap_atom, sensor, sensor'), answered by
//   S -> sensor      (swapped_atom, key(S))
//
// The functions below are the glue of the sensor, node and cell actors
// (actors/dataflow/{sensor,node,cell}_actor.hpp) around their cores: one
// processing step, asking inputs for watermarks, the end-of-stream report,
// the replies to subscribe, need and swap. They are templates and inline
// functions called from the actors' handlers: no allocation, virtual call
// or copy per batch beyond what the cores do.

#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "caf/actor.hpp"
#include "caf/actor_cast.hpp"
#include "caf/event_based_actor.hpp"
#include "caf/message.hpp"

#include "actors/dataflow/node_core.hpp"
#include "actors/dataflow/progress.hpp"
#include "actors/dataflow/publisher.hpp"
#include "actors/dataflow/sensor_core.hpp"
#include "actors/messages.hpp"

namespace shoal {

// -- the publishing side ------------------------------------------------------

/// The reply to `(subscribe_atom, sub, band, key)` for the node publishing
/// with `pub` at output watermark `wm`: `sub` is added (a held subscriber of
/// a moved node is released) and learns the latest output and `wm`.
inline caf::message subscribe_reply(caf::event_based_actor* self,
                                    publisher& pub, caf::actor sub,
                                    uint32_t band, int64_t wm) {
  pub.add(self, std::move(sub), band);
  return caf::make_message(subscribed_atom_v, pub.key(), pub.last(), wm);
}

/// Handles `(need_atom, ts)` from the current sender for the node publishing
/// with `pub` at output watermark `wm`: answers at once or remembers the
/// request, and if the node is not there yet calls `ask(ts)` to ask its own
/// inputs.
template <class Ask>
void answer_need(caf::event_based_actor* self, publisher& pub, int64_t ts,
                 int64_t wm, Ask&& ask) {
  pub.request(self, self->current_sender(), ts, wm);
  if (ts > wm)
    ask(ts);
}

/// Handles `(swap_atom, from, to)`: subscriber `from` moves to `to`, which
/// gets the node's outputs from now on; `from` learns that its last batch
/// from here was sent.
inline void swap_subscriber(caf::event_based_actor* self, publisher& pub,
                            const caf::actor& from, caf::actor to) {
  pub.replace(from, std::move(to));
  self->send(from, swapped_atom_v, pub.key());
}

/// Releases batch `b` in `tracker` (may be null) once the node of band
/// `band` handled it and counted what it sent and holds.
inline void release_batch(progress_tracker* tracker, uint32_t band,
                          const batch& b) {
  if (tracker && b.token != progress_tracker::no_token
      && band != progress_tracker::no_band)
    tracker->release(band, b.token);
}

// -- one processing step ------------------------------------------------------

/// Asks the inputs of node `c` still below `t` for a watermark of at least
/// `t`: those that the band frontier covers by waiting for the frontier (a
/// notice to `self` if it is there already), the others through
/// `ask_edge(i, t)`, once per input and `t`; `ask_edge` returns whether it
/// could ask (input `i`'s actor may not be known yet).
template <class Self, class AskEdge>
void ask_inputs(Self* self, node_core& c, int64_t t, AskEdge&& ask_edge) {
  bool wait = false;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    auto& in = c.inputs[i];
    if (c.join.input_wm(i) >= t)
      continue;
    if (in.covered)
      wait = true;
    else if (in.asked < t && ask_edge(i, t))
      in.asked = t;
  }
  if (wait) {
    auto f = c.wait_frontier(t, caf::actor_cast<caf::actor>(self));
    if (f != wm_none)
      self->send(self, frontier_atom_v, c.band, f);
  }
}

/// One step of node `c` after something reached it: fires every safe
/// timestamp (each output also goes to `also`), calls `part()`, which takes
/// the node's part of a checkpoint round its inputs all marked and returns
/// the round (or 0), publishes the outputs, the output watermark and that
/// mark (into `box` if not null), holds a progress item for the queued
/// firings, and calls `ask(t)` for what the node and its subscribers wait
/// on. Returns the output watermark.
template <class Also, class Ask, class Part>
int64_t node_step(caf::event_based_actor* self, node_core& c, outbox* box,
                  Also&& also, Ask&& ask, Part&& part) {
  c.fire(std::forward<Also>(also));
  auto wm = c.join.out_wm();
  c.pub.flush(self, wm, box, part());
  c.update_hold();
  auto [next, requested] = c.wanted();
  if (next != wm_none)
    ask(next);
  if (requested != wm_none)
    ask(requested);
  return wm;
}

/// One step of a sensor at output watermark `wm` (`core.out_wm()`):
/// publishes its accepted samples, `wm` and checkpoint mark `mark` if not 0
/// (into `box` if not null), and asks its sources for what its subscribers
/// wait on.
inline void sensor_step(caf::event_based_actor* self, publisher& pub,
                        sensor_core& core, int64_t wm, outbox* box = nullptr,
                        uint64_t mark = 0) {
  pub.flush(self, wm, box, mark);
  auto wanted = pub.max_request();
  if (wanted > wm)
    core.ask_sources(self, wanted);
}

// -- end of stream ------------------------------------------------------------

/// Sends `(report_atom, name, counts)` to `monitor`, if there is one.
template <class Counts>
void report_to(caf::event_based_actor* self, const caf::actor& monitor,
               const std::string& name, const Counts& counts) {
  if (monitor)
    self->send(monitor, report_atom_v, name, counts);
}

/// Stops the actor once its stream ended (or its nodes moved away): unless
/// `reported` already, marks it, lets `report()` send the reports, and
/// quits, since nothing can follow.
template <class Report>
void end_stream(caf::event_based_actor* self, bool& reported, Report&& report) {
  if (reported)
    return;
  reported = true;
  report();
  self->quit();
}

} // namespace shoal
