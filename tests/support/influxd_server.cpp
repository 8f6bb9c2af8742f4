#include "tests/support/influxd_server.hpp"

#include <chrono>
#include <fstream>
#include <random>
#include <unistd.h>

#include "runtime/io/csv.hpp"
#include "runtime/io/http_exchange.hpp"
#include "runtime/io/line_protocol.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"

namespace shoal::test_support {

influxd_server::influxd_server()
  : port_(free_loopback_port()), rpc_port_(free_loopback_port()) {
  auto base = std::filesystem::temp_directory_path()
              / ("shoal_influxd_" + std::to_string(::getpid()) + "_"
                 + std::to_string(port_));
  std::filesystem::create_directories(base);
  dir_ = base;
  std::ofstream out{dir_ / "influxdb.conf"};
  out << "reporting-disabled = true\n"
      << "bind-address = \"127.0.0.1:" << rpc_port_ << "\"\n"
      << "[meta]\n  dir = \"" << (dir_ / "meta").string() << "\"\n"
      << "[data]\n  dir = \"" << (dir_ / "data").string() << "\"\n"
      << "  wal-dir = \"" << (dir_ / "wal").string() << "\"\n"
      << "  query-log-enabled = false\n"
      << "[http]\n  bind-address = \"127.0.0.1:" << port_ << "\"\n"
      << "  log-enabled = false\n"
      << "[logging]\n  level = \"error\"\n"
      << "[monitor]\n  store-enabled = false\n"
      << "[continuous_queries]\n  enabled = false\n";
  out.close();
  start();
}

influxd_server::~influxd_server() {
  stop();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string influxd_server::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

bool influxd_server::start() {
  if (pid_ > 0)
    return true;
  auto port = port_;
  // influxd opens its stores before it listens; on a loaded machine that
  // takes a few seconds.
  return start_server(
    {"/usr/bin/influxd", "-config", (dir_ / "influxdb.conf").string()}, pid_,
    std::chrono::seconds(30), std::chrono::milliseconds(20), [port] {
      auto res = http_request(port, "GET", "/ping", {},
                              std::chrono::milliseconds(1000));
      return res.error.empty() && res.status == 204;
    });
}

void influxd_server::stop() {
  stop_server(pid_);
}

nlohmann::json influxd_server::query(const std::string& q,
                                     const std::string& db) const {
  std::string target = "/query?epoch=ns&q=" + percent_encode(q);
  if (!db.empty())
    target += "&db=" + percent_encode(db);
  // POST: InfluxDB refuses CREATE and DROP over GET.
  auto res = http_request(port_, "POST", target, {});
  if (!res.error.empty())
    return nullptr;
  return nlohmann::json::parse(res.body, nullptr, false);
}

unsigned influxd_server::write(const std::string& db,
                               const std::string& lines) const {
  auto res = http_request(
    port_, "POST", "/write?precision=ns&db=" + percent_encode(db), lines);
  return res.error.empty() ? res.status : 0;
}

bool influxd_server::write_csv(const std::string& db,
                               const std::string& measurement,
                               const std::string& csv) const {
  auto src = std::make_shared<chunk_feed>();
  src->push(csv);
  src->close();
  auto reader = sample_reader::open(src, "csv");
  if (!reader)
    return false;
  auto prefix = escape_measurement(measurement) + ",sensor=";
  std::string lines;
  size_t n = 0;
  sample_row row;
  for (;;) {
    auto kind = reader->next(row);
    if (kind == row_kind::sample) {
      lines += prefix + escape_tag(row.sensor) + " ";
      // The field is "value", as the sink's lines have it.
      if (!append_line(lines, "value=", row.ts, row.value))
        return false;
      ++n;
    } else if (kind != row_kind::end) {
      return false;
    }
    if ((kind == row_kind::end && n > 0) || n == 5000) {
      if (write(db, lines) != 204)
        return false;
      lines.clear();
      n = 0;
    }
    if (kind == row_kind::end)
      return true;
  }
}

uint64_t influxd_server::count(const std::string& db,
                               const std::string& measurement) const {
  auto res = query("SELECT count(value) FROM \"" + measurement + "\"", db);
  try {
    return res.at("results")
      .at(0)
      .at("series")
      .at(0)
      .at("values")
      .at(0)
      .at(1)
      .get<uint64_t>();
  } catch (const nlohmann::json::exception&) {
    return 0;
  }
}

std::string ordered_samples(const std::vector<std::string>& sensors, int rows,
                            uint64_t seed) {
  std::mt19937_64 rng{seed};
  std::uniform_real_distribution<double> value{-100, 100};
  std::string csv = "sensor,ts,value\n";
  for (int i = 0; i < rows; ++i) {
    auto sensor
      = i % 41 == 0 ? std::string{"zz"} : sensors[rng() % sensors.size()];
    append_output_row(csv, sensor, 1000 + int64_t{i} * 7, value(rng));
  }
  return csv;
}

} // namespace shoal::test_support
