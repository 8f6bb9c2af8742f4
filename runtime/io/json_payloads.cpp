#include "runtime/io/json_payloads.hpp"

#include <nlohmann/json.hpp>

#include "runtime/core/errc.hpp"
#include "runtime/io/payload_time.hpp"

namespace shoal {

namespace {

using json = nlohmann::json;

/// Nested objects deeper than this are ignored, so that a hostile payload
/// cannot recurse without bound.
constexpr int max_depth = 8;

/// Appends every number and boolean of `obj` as a sample `<prefix>.<key>`,
/// leaving out the key `skip` at this level; returns how many.
size_t add_fields(const json& obj, const std::string& prefix,
                  const std::string* skip, int64_t ts,
                  std::vector<inbox_sample>& out, int depth) {
  size_t n = 0;
  for (const auto& [key, val] : obj.items()) {
    if (skip != nullptr && key == *skip)
      continue;
    auto name = prefix.empty() ? key : prefix + "." + key;
    if (val.is_number()) {
      out.push_back({std::move(name), ts, val.get<double>()});
      ++n;
    } else if (val.is_boolean()) {
      out.push_back({std::move(name), ts, val.get<bool>() ? 1.0 : 0.0});
      ++n;
    } else if (val.is_object() && depth < max_depth) {
      n += add_fields(val, name, nullptr, ts, out, depth + 1);
    }
  }
  return n;
}

/// Parses `text` as a JSON object; a problem otherwise.
bool parse_object(std::string_view text, json& doc, mqtt_decoded& out) {
  doc = json::parse(text.begin(), text.end(), nullptr, false);
  if (doc.is_discarded()) {
    out.problems.emplace_back("payload is not valid JSON");
    return false;
  }
  if (!doc.is_object()) {
    out.problems.emplace_back("JSON payload must be an object, not "
                              + std::string{doc.type_name()});
    return false;
  }
  return true;
}

/// Reads one Telegraf metric; `where` names it in problems.
void decode_metric(const json& m, const std::string& where,
                   const mqtt_payload_options& opts, int64_t arrival_ns,
                   mqtt_decoded& out) {
  if (!m.is_object()) {
    out.problems.push_back(where + " must be an object, not " + m.type_name());
    return;
  }
  auto name = m.find("name");
  if (name == m.end()) {
    out.problems.push_back(where + " has no \"name\"");
    return;
  }
  if (!name->is_string()) {
    out.problems.push_back(where + " \"name\" must be a string, not "
                           + name->type_name());
    return;
  }
  const auto& metric = name->get_ref<const std::string&>();
  auto label = where + " \"" + metric + "\"";
  auto fields = m.find("fields");
  if (fields == m.end() || !fields->is_object()) {
    out.problems.push_back(label + " has no \"fields\" object");
    return;
  }
  auto ts = arrival_ns;
  auto stamp = m.find(opts.timestamp_key);
  if (stamp != m.end()) {
    auto ns = json_timestamp(*stamp, opts.unit,
                             label + ": \"" + opts.timestamp_key + "\"");
    if (!ns) {
      out.problems.push_back(describe(ns.error()));
      return;
    }
    ts = *ns;
  }
  auto prefix = metric;
  auto tags = m.find("tags");
  if (tags != m.end() && tags->is_object())
    for (const auto& tag : opts.tags) {
      auto value = tags->find(tag);
      if (value != tags->end() && value->is_string())
        prefix += "." + value->get<std::string>();
    }
  if (add_fields(*fields, prefix, nullptr, ts, out.samples, 1) == 0)
    out.problems.push_back(label + " has no number or boolean field");
}

} // namespace

void decode_json_fields(std::string_view text, const std::string& prefix,
                        const mqtt_payload_options& opts, int64_t arrival_ns,
                        mqtt_decoded& out) {
  json doc;
  if (!parse_object(text, doc, out))
    return;
  auto ts = arrival_ns;
  auto stamp = doc.find(opts.timestamp_key);
  if (stamp != doc.end()) {
    auto ns = json_timestamp(*stamp, opts.unit,
                             "JSON \"" + opts.timestamp_key + "\"");
    if (!ns) {
      out.problems.push_back(describe(ns.error()));
      return;
    }
    ts = *ns;
  }
  if (add_fields(doc, prefix, &opts.timestamp_key, ts, out.samples, 1) == 0)
    out.problems.emplace_back("JSON payload has no number or boolean field");
}

void decode_telegraf(std::string_view text, const mqtt_payload_options& opts,
                     int64_t arrival_ns, mqtt_decoded& out) {
  json doc;
  if (!parse_object(text, doc, out))
    return;
  auto batch = doc.find("metrics");
  if (batch == doc.end()) {
    decode_metric(doc, "Telegraf metric", opts, arrival_ns, out);
    return;
  }
  if (!batch->is_array()) {
    out.problems.push_back("Telegraf \"metrics\" must be an array, not "
                           + std::string{batch->type_name()});
    return;
  }
  size_t index = 0;
  for (const auto& m : *batch)
    decode_metric(m, "Telegraf metric #" + std::to_string(++index), opts,
                  arrival_ns, out);
}

} // namespace shoal
