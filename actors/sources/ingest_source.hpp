// A live source fed by network threads through a sample_inbox (MQTT, TCP).
//
// Like live_source, but its samples come from an inbox that the network
// threads fill: every tick it drains the inbox, counts the malformed notices
// (keeping the first few with their origin, a topic or a peer), offers the
// samples to a live source filter (`unknown_sensor`, `non_finite`, `late`),
// and sends the accepted ones to the sensors; then it raises its watermark
// to `now - allowed_lateness_ns` (`now` from `opts.clock`) and answers the
// sensors' watermark requests (and, given the deployment's progress tracker in
// `opts`, registers with it and declares its watermark every tick, as
// live_source does). The owner attaches it with `attach_source` and sends the
// first `tick_atom`. The network endpoints that fill the inbox are owned
// elsewhere (live_io).
//
// Messages handled:
//   (caf::tick_atom)                      drains the inbox
//   (src_need_atom, int64_t ts, uint32_t i) from sensor i
//   (stats_atom)                          -> (ingest_counts, std::vector<
//                                            std::string> first malformed as
//                                            "origin: reason", uint64_t
//                                            samples refused by a full inbox)
//   (stats_atom, caf::get_atom)           -> (std::string name, int64_t
//                                            watermark_ns, int64_t lag_ns,
//                                            uint64_t queued, bool full,
//                                            uint64_t refused): its name
//                                            (live_options), its watermark
//                                            and how far it trails the clock
//                                            now (-1 at end of stream), the
//                                            samples waiting in the inbox,
//                                            whether it is full (a TCP
//                                            source stops reading, an MQTT
//                                            one refuses) and the samples a
//                                            full inbox refused
//   (reject_atom)                         -> reject_log: the first distinct
//                                            reasons of its rejections, each
//                                            logged once when first seen
//                                            (level warn, with `source`,
//                                            `reason` and `sensor` fields),
//                                            and the unknown sensor names
//   (rebind_atom, std::vector<std::string> names, std::vector<caf::actor>
//    sensors)                             feeds these sensors from now on (a
//                                         changed graph, in a deployment
//                                         without a progress tracker): sends
//                                         what it accepted so far, detaches
//                                         from sensors no longer named, and
//                                         attaches itself to the new ones
//   (swap_atom, actor from, actor to)     sensor `from` moves to `to`
//                                         (ingest_router::swap_sensor)
//   (done_atom)                           ends the stream: drains the inbox
//                                         once more and sends W = +inf; the
//                                         actor stays to answer stats_atom
//                                         until its owner stops it

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "caf/actor.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/sources/ingest_router.hpp"
#include "actors/sources/live_source.hpp"
#include "runtime/core/reject_log.hpp"
#include "runtime/io/sample_inbox.hpp"
#include "runtime/semantics/source_filter.hpp"

namespace shoal {

struct ingest_source_state {
  static inline const char* name = "shoal.ingest";

  std::shared_ptr<sample_inbox> inbox;
  std::shared_ptr<const sensor_directory> dir;
  std::unique_ptr<source_filter> filter;
  std::unique_ptr<ingest_router> router;
  std::vector<inbox_sample> samples;
  std::vector<malformed_notice> notices;
  /// The first malformed inputs, "origin: reason".
  std::vector<std::string> malformed;
  /// Why it rejected input (runtime/core/reject_log.hpp).
  reject_log rejects;
  /// Per sensor (indexed like `dir`), the largest timestamp this source
  /// accepted: a sample not after it will be the sensor's `out_of_order`.
  std::vector<int64_t> last_ts;
  /// Sensors already warned about a timestamp in seconds, milliseconds or
  /// microseconds (`timestamp_unit_guess`): once each.
  std::unordered_set<std::string> warned_units;
  live_options opts;
  size_t tracker_index = 0;
  bool done = false;
};

/// Feeds `sensors` (indexed like `dir`) from `inbox`.
caf::behavior ingest_source(caf::stateful_actor<ingest_source_state>* self,
                            std::shared_ptr<sample_inbox> inbox,
                            std::shared_ptr<const sensor_directory> dir,
                            std::vector<caf::actor> sensors, uint64_t key,
                            live_options opts);

} // namespace shoal
