// A real InfluxDB 1.x for tests: Debian's influxd on free loopback ports.
//
// The constructor makes a temp directory (meta, data and wal under it),
// writes a config there (HTTP and RPC bound to 127.0.0.1 on free ports,
// reporting, monitoring and logging off), starts /usr/bin/influxd on it and
// waits until /ping answers; the destructor stops that process only (by
// its pid: SIGTERM, then waits for it) and removes the directory. `stop`
// and `start` take it down and bring it back on the same ports and data,
// for tests of a database that goes away. The HTTP helpers talk to its API
// (`/query`, `/write`) with a deadline. Not thread-safe: for the test's
// main thread.

#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <sys/types.h>
#include <vector>

namespace shoal::test_support {

class influxd_server {
public:
  influxd_server();

  influxd_server(const influxd_server&) = delete;

  influxd_server& operator=(const influxd_server&) = delete;

  ~influxd_server();

  /// Starts influxd if it is not running; false if /ping did not answer
  /// within 30 s.
  bool start();

  /// Stops influxd and waits until it exited.
  void stop();

  bool running() const {
    return pid_ > 0;
  }

  uint16_t port() const {
    return port_;
  }

  /// "http://127.0.0.1:PORT".
  std::string url() const;

  /// Runs the InfluxQL `q` through POST /query (on database `db` unless
  /// empty, times as ns epochs); the parsed answer, or null if none came.
  nlohmann::json query(const std::string& q, const std::string& db = {}) const;

  /// Writes `lines` (line protocol, ns precision) to `db`; the HTTP status
  /// (204 on success), 0 if no answer came.
  unsigned write(const std::string& db, const std::string& lines) const;

  /// Writes the samples of the input CSV `csv` to `db` as points of
  /// `measurement` (sensor in tag `sensor`, value in field `value`), in
  /// batches; false if a row does not parse, a value is not finite or a
  /// write failed.
  bool write_csv(const std::string& db, const std::string& measurement,
                 const std::string& csv) const;

  /// `SELECT count(value) FROM measurement` in `db`; 0 if there is none.
  uint64_t count(const std::string& db, const std::string& measurement) const;

private:
  uint16_t port_ = 0;
  uint16_t rpc_port_ = 0;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
};

/// An input CSV of `rows` samples of `sensors` at random, one per
/// timestamp (1000, 1007, ...: InfluxDB keeps one point per sensor and
/// time), in time order, with every 41st row for the unknown sensor "zz".
std::string ordered_samples(const std::vector<std::string>& sensors, int rows,
                            uint64_t seed);

} // namespace shoal::test_support
