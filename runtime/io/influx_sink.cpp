#include "runtime/io/influx_sink.hpp"

#include <algorithm>

#include "runtime/core/errc.hpp"
#include "runtime/io/http_exchange.hpp"
#include "runtime/io/line_protocol.hpp"

namespace shoal {

caf::expected<std::unique_ptr<influx_sink>>
influx_sink::start(const sink_spec& spec, options opts) {
  if (opts.batch_points == 0 || spec.buffer == 0)
    return make_error(errc::invalid_config,
                      "influxdb sink: batches and buffer must hold a point");
  std::unique_ptr<influx_sink> sink{new influx_sink(spec, opts)};
  sink->writer_ = std::thread{[s = sink.get()] {
    s->run();
  }};
  return sink;
}

influx_sink::influx_sink(const sink_spec& spec, options opts)
  : server_(spec.server),
    target_("/write?db=" + percent_encode(spec.database) + "&precision=ns"),
    measurement_(spec.measurement), capacity_(spec.buffer), opts_(opts) {
  // nop
}

influx_sink::~influx_sink() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stop_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable())
    writer_.join();
}

void influx_sink::write(const std::string& node, point p) {
  auto i = prefixes_.find(node);
  if (i == prefixes_.end())
    i = prefixes_.emplace(node, line_prefix(measurement_, node)).first;
  line_.clear();
  if (!append_line(line_, i->second, p.ts, p.value)) {
    ++dropped_;
    return;
  }
  // The writer wakes for the first line (its batch's 100 ms start) and
  // for a full batch; between those, appending costs no wake-up.
  bool wake = false;
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (lines_.size() >= capacity_) {
      ++dropped_;
      return;
    }
    lines_.push_back(line_);
    wake = lines_.size() == 1 || lines_.size() == opts_.batch_points;
  }
  if (wake)
    cv_.notify_one();
}

caf::error influx_sink::flush() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    urgent_ = true;
  }
  cv_.notify_one();
  return caf::none;
}

size_t influx_sink::buffered() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return lines_.size();
}

endpoint_status influx_sink::status() const {
  endpoint_status st;
  st.kind = "influxdb sink";
  st.address = server_.to_string();
  st.port = server_.port;
  st.messages = written_.load();
  st.dropped = dropped_.load();
  std::lock_guard<std::mutex> guard{mtx_};
  st.connected = connected_;
  st.ready = connected_;
  st.last_error = last_error_;
  return st;
}

caf::error influx_sink::post(const std::string& body, bool& refused) {
  http_call call;
  call.method = "POST";
  call.target = target_;
  call.body = body;
  call.timeout = opts_.timeout;
  // InfluxDB answers a write with 204 and no body, or a short error.
  call.max_body = size_t{64} << 10;
  auto answer = http_exchange(server_, call);
  if (!answer)
    return answer.error();
  if (answer->status / 100 == 2)
    return caf::none;
  refused = answer->status == 400 || answer->status == 413;
  auto text = answer->body.substr(0, 200);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return make_error(errc::io_error, server_.to_string() + ": InfluxDB answered "
                                      + std::to_string(answer->status) + ": "
                                      + text);
}

void influx_sink::run() {
  {
    // Status tells whether the database answers before the first output.
    http_call call;
    call.target = "/ping";
    call.timeout = opts_.timeout;
    call.max_body = size_t{4} << 10;
    auto answer = http_exchange(server_, call);
    std::lock_guard<std::mutex> guard{mtx_};
    connected_ = answer && answer->status / 100 == 2;
    if (!answer)
      last_error_ = describe(answer.error());
  }
  auto backoff = opts_.backoff_min;
  std::unique_lock<std::mutex> lk{mtx_};
  for (;;) {
    cv_.wait(lk, [&] {
      return stop_ || urgent_ || !lines_.empty();
    });
    if (!stop_ && !urgent_ && lines_.size() < opts_.batch_points)
      cv_.wait_for(lk, opts_.batch_wait, [&] {
        return stop_ || urgent_ || lines_.size() >= opts_.batch_points;
      });
    urgent_ = false;
    if (lines_.empty()) {
      if (stop_)
        return;
      continue;
    }
    // The batch stays buffered (and counts against the buffer) until
    // InfluxDB took it; the sink actor only appends behind it.
    auto n = std::min(lines_.size(), opts_.batch_points);
    std::string body;
    for (size_t i = 0; i < n; ++i)
      body += lines_[i];
    lk.unlock();
    bool refused = false;
    auto err = post(body, refused);
    lk.lock();
    if (!err || refused) {
      lines_.erase(lines_.begin(), lines_.begin() + static_cast<long>(n));
      (err ? dropped_ : written_) += n;
    }
    connected_ = !err || refused;
    if (err)
      last_error_ = describe(err);
    if (!err || refused) {
      backoff = opts_.backoff_min;
      continue;
    }
    // Going away: one failed attempt is the last.
    if (stop_)
      return;
    cv_.wait_for(lk, backoff, [&] {
      return stop_;
    });
    backoff = std::min(backoff * 2, opts_.backoff_max);
  }
}

} // namespace shoal
