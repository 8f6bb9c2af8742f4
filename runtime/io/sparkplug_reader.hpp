// Samples from Sparkplug B messages, with the metric aliases of each edge
// node remembered from its birth certificates.
//
// Topics are `spBv1.0/<group>/<type>/<edge node>[/<device>]`. NBIRTH,
// DBIRTH, NDATA and DDATA give samples: each metric with a numeric value
// (datatypes Int8 to UInt64, Float, Double, Boolean as 0 or 1) is a sample
// of sensor `<group>.<edge node>[.<device>].<metric name>`, '/' in the
// metric name read as '.' as in topics; its timestamp is the metric's, else
// the payload's (ms since the epoch, as Sparkplug says), else the arrival
// time. Metrics without a value (null, strings, datasets, ...) are ignored.
// A metric that has only an alias takes the name the edge node's last
// NBIRTH or DBIRTH gave that alias (aliases are unique per edge node); an
// NBIRTH forgets the node's earlier aliases, an NDEATH all of them. NCMD,
// DCMD and STATE messages are ignored. What cannot be read (another topic,
// bad bytes, an unknown alias) is a problem naming the topic part or alias.
// Not thread-safe: for one source's network thread.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runtime/io/json_payloads.hpp"

namespace shoal {

class sparkplug_reader {
public:
  /// Appends the samples and problems of one message to `out`.
  void decode(std::string_view topic, std::string_view payload,
              int64_t arrival_ns, mqtt_decoded& out);

  /// The aliases known for edge node `group/edge`.
  size_t aliases(const std::string& edge_node) const;

private:
  /// "group/edge node" -> alias -> metric name.
  std::unordered_map<std::string, std::unordered_map<uint64_t, std::string>>
    aliases_;
};

} // namespace shoal
