// Reading the points of an InfluxDB replay (SPEC section 13) a page at a
// time, in time order across sensors.
//
// Each page is one InfluxQL query over the HTTP API:
//   SELECT "value","sensor" FROM "M" WHERE time >= T AND time < END
//   ORDER BY time ASC LIMIT n OFFSET k
// with ns epochs. The next page starts at the last time T of this one and
// skips the k points at T it has already seen; InfluxDB orders points of
// the same time by their series (sensor), so the points at T on both sides
// of a page boundary are neither lost nor read twice. At most one page and
// its answer (bounded by `max_answer_bytes`) are in memory at a time.
//
// `parse_influx_answer` turns one answer into points (pure, tested on its
// own); anything unexpected in it is an `errc::invalid_input` error that
// names the URL and what was wrong. A point whose value is not a number or
// that has no `sensor` tag comes back with `usable == false`, for the
// replay to count as malformed. Not thread-safe; a call blocks its caller
// for at most one query's timeout.

#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "runtime/io/influx_url.hpp"

namespace shoal {

struct influx_point {
  std::string sensor;
  int64_t ts = 0;
  double value = 0;
  /// False when the point has no number in `value` or no `sensor` tag.
  bool usable = true;
};

/// Parses the JSON answer `body` (HTTP status `status`) to a query of `url`.
caf::expected<std::vector<influx_point>>
parse_influx_answer(const influx_url& url, unsigned status,
                    const std::string& body);

/// The InfluxQL query for the page of at most `limit` points of `url` with
/// time >= `from_ns`, skipping the first `skip` of them.
std::string influx_page_query(const influx_url& url, int64_t from_ns,
                              uint64_t skip, size_t limit);

class influx_pages {
public:
  struct options {
    size_t page_points = 10'000;
    size_t max_answer_bytes = size_t{32} << 20;
    std::chrono::milliseconds timeout{30'000};
  };

  influx_pages(influx_url url, options opts);

  explicit influx_pages(influx_url url) : influx_pages(std::move(url), {}) {
    // nop
  }

  /// Replaces `out` with the next page; empty once every point was read.
  caf::error next(std::vector<influx_point>& out);

  const influx_url& url() const {
    return url_;
  }

private:
  /// An error if `page` is not what was asked for: too many points, out of
  /// time order, or outside the range.
  caf::error check_page(const std::vector<influx_point>& page) const;

  influx_url url_;
  options opts_;
  /// The next page starts at this time, after `skip_` points there.
  int64_t from_ns_;
  uint64_t skip_ = 0;
  bool done_ = false;
};

} // namespace shoal
