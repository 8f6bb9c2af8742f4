#include "runtime/io/sparkplug_reader.hpp"

#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/io/payload_time.hpp"
#include "runtime/io/sparkplug_payload.hpp"

namespace shoal {

namespace {

std::vector<std::string_view> split(std::string_view topic) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (;;) {
    auto slash = topic.find('/', start);
    parts.push_back(topic.substr(start, slash - start));
    if (slash == std::string_view::npos)
      return parts;
    start = slash + 1;
  }
}

std::string dotted(std::string_view name) {
  std::string result{name};
  for (auto& c : result)
    if (c == '/')
      c = '.';
  return result;
}

} // namespace

size_t sparkplug_reader::aliases(const std::string& edge_node) const {
  auto i = aliases_.find(edge_node);
  return i == aliases_.end() ? 0 : i->second.size();
}

void sparkplug_reader::decode(std::string_view topic, std::string_view payload,
                              int64_t arrival_ns, mqtt_decoded& out) {
  auto parts = split(topic);
  if (parts.size() >= 2 && parts[0] == "spBv1.0" && parts[1] == "STATE")
    return; // a host application's state, no data
  if (parts.size() < 4 || parts.size() > 5 || parts[0] != "spBv1.0") {
    out.problems.emplace_back("topic is not a Sparkplug B topic "
                              "(spBv1.0/<group>/<type>/<edge node>"
                              "[/<device>])");
    return;
  }
  auto type = parts[2];
  auto node = std::string{parts[1]} + "/" + std::string{parts[3]};
  bool birth = type == "NBIRTH" || type == "DBIRTH";
  bool data = type == "NDATA" || type == "DDATA";
  if (type == "NDEATH") {
    aliases_.erase(node);
    return;
  }
  if (type == "DDEATH" || type == "NCMD" || type == "DCMD")
    return;
  if (!birth && !data) {
    out.problems.push_back("Sparkplug B topic has unknown message type '"
                           + std::string{type} + "'");
    return;
  }
  if ((type[0] == 'D') != (parts.size() == 5)) {
    out.problems.push_back("Sparkplug B " + std::string{type} + " topic "
                           + (parts.size() == 5 ? "must not name" : "must name")
                           + " a device");
    return;
  }
  auto msg = parse_sparkplug(payload);
  if (!msg) {
    out.problems.push_back(describe(msg.error()));
    return;
  }
  auto& known = aliases_[node];
  if (type == "NBIRTH")
    known.clear();
  auto prefix = std::string{parts[1]} + "." + std::string{parts[3]} + ".";
  if (parts.size() == 5)
    prefix += std::string{parts[4]} + ".";
  for (auto& m : msg->metrics) {
    if (birth && m.has_name && m.has_alias)
      known[m.alias] = m.name;
    if (!m.has_name && m.has_alias) {
      auto i = known.find(m.alias);
      if (i == known.end()) {
        out.problems.push_back("Sparkplug B metric alias "
                               + std::to_string(m.alias) + " of " + node
                               + " is unknown (no birth certificate names "
                                 "it)");
        continue;
      }
      m.name = i->second;
    } else if (!m.has_name) {
      out.problems.emplace_back("Sparkplug B metric has neither a name nor "
                                "an alias");
      continue;
    }
    if (!m.has_value)
      continue;
    auto ts = arrival_ns;
    auto stamp = m.has_timestamp ? m.timestamp : msg->timestamp;
    if (m.has_timestamp || msg->has_timestamp) {
      if (stamp > static_cast<uint64_t>(INT64_MAX)
          || !scale_to_ns(static_cast<int64_t>(stamp), ts_unit::ms, ts)) {
        out.problems.push_back("Sparkplug B metric '" + m.name + "': timestamp "
                               + std::to_string(stamp)
                               + " ms does not fit in an int64 of ns");
        continue;
      }
    }
    out.samples.push_back({prefix + dotted(m.name), ts, m.value});
  }
}

} // namespace shoal
