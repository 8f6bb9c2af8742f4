#include "runtime/http/reject_json.hpp"

namespace shoal {

void write_rejects(json_writer& w, const reject_log& x) {
  w.begin_object();
  w.key("reasons");
  w.begin_array();
  for (auto& r : x.reasons) {
    w.begin_object();
    w.key("source");
    w.str(r.source);
    w.key("reason");
    w.str(r.reason);
    w.key("text");
    w.str(r.text);
    w.key("sensor");
    w.str(r.sensor);
    w.key("origin");
    w.str(r.origin);
    w.key("example");
    w.str(r.example);
    w.key("first");
    w.str(rfc3339_ms(r.first_ns));
    w.key("count");
    w.u64(r.count);
    w.end_object();
  }
  w.end_array();
  w.key("other_reasons");
  w.u64(x.other_reasons);
  w.key("unknown_sensors");
  w.begin_array();
  for (auto& u : x.unknown) {
    w.begin_object();
    w.key("name");
    w.str(u.name);
    w.key("count");
    w.u64(u.count);
    w.end_object();
  }
  w.end_array();
  w.key("other_unknown");
  w.u64(x.other_unknown);
  w.end_object();
}

} // namespace shoal
