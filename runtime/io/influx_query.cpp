#include "runtime/io/influx_query.hpp"

#include <nlohmann/json.hpp>

#include "runtime/core/errc.hpp"
#include "runtime/io/http_exchange.hpp"

namespace shoal {

namespace {

using json = nlohmann::json;

/// An InfluxQL identifier in double quotes.
std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (auto c : name) {
    if (c == '"' || c == '\\')
      out += '\\';
    out += c;
  }
  return out + '"';
}

/// The index of column `name` in `columns`, or -1.
int column(const json& columns, const char* name) {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].is_string()
        && columns[i].get_ref<const std::string&>() == name)
      return static_cast<int>(i);
  return -1;
}

} // namespace

caf::expected<std::vector<influx_point>>
parse_influx_answer(const influx_url& url, unsigned status,
                    const std::string& body) {
  auto bad = [&](const std::string& why) {
    return make_error(errc::invalid_input, url.text + ": " + why);
  };
  auto doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    auto head = body.substr(0, 80);
    return bad("InfluxDB answered " + std::to_string(status)
               + " with no JSON object: '" + head + "'");
  }
  auto error_of = [](const json& obj) -> std::string {
    auto e = obj.find("error");
    if (e == obj.end())
      return {};
    return e->is_string() ? e->get<std::string>() : e->dump();
  };
  if (auto e = error_of(doc); !e.empty())
    return bad("InfluxDB answered " + std::to_string(status) + ": " + e);
  if (status != 200)
    return bad("InfluxDB answered " + std::to_string(status));
  auto results = doc.find("results");
  if (results == doc.end() || !results->is_array() || results->size() != 1
      || !(*results)[0].is_object())
    return bad("the answer has no single result");
  auto& result = (*results)[0];
  if (auto e = error_of(result); !e.empty())
    return bad("InfluxDB: " + e);
  std::vector<influx_point> points;
  auto series = result.find("series");
  if (series == result.end())
    return points; // Nothing in the range.
  if (!series->is_array() || series->size() > 1)
    return bad("the answer has not one series");
  if (series->empty())
    return points;
  auto& s = (*series)[0];
  auto columns = s.find("columns");
  auto values = s.find("values");
  if (!s.is_object() || columns == s.end() || values == s.end()
      || !columns->is_array() || !values->is_array())
    return bad("the series has no columns or values");
  auto t_col = column(*columns, "time");
  auto v_col = column(*columns, "value");
  auto s_col = column(*columns, "sensor");
  if (t_col < 0 || v_col < 0 || s_col < 0)
    return bad("the series lacks a column time, value or sensor: "
               + columns->dump());
  points.reserve(values->size());
  for (auto& row : *values) {
    if (!row.is_array() || row.size() != columns->size())
      return bad("a row does not match the columns: " + row.dump());
    auto& t = row[static_cast<size_t>(t_col)];
    if (!t.is_number_integer())
      return bad("a time is not an integer (ns): " + t.dump());
    influx_point p;
    p.ts = t.get<int64_t>();
    auto& v = row[static_cast<size_t>(v_col)];
    auto& name = row[static_cast<size_t>(s_col)];
    p.usable = v.is_number() && name.is_string();
    if (v.is_number())
      p.value = v.get<double>();
    if (name.is_string())
      p.sensor = name.get<std::string>();
    points.push_back(std::move(p));
  }
  return points;
}

std::string influx_page_query(const influx_url& url, int64_t from_ns,
                              uint64_t skip, size_t limit) {
  auto q = "SELECT \"value\",\"sensor\" FROM " + quoted(url.measurement)
           + " WHERE time >= " + std::to_string(from_ns) + " AND time < "
           + std::to_string(url.end_ns) + " ORDER BY time ASC LIMIT "
           + std::to_string(limit);
  if (skip > 0)
    q += " OFFSET " + std::to_string(skip);
  return q;
}

influx_pages::influx_pages(influx_url url, options opts)
  : url_(std::move(url)), opts_(opts), from_ns_(url_.start_ns) {
  // nop
}

caf::error
influx_pages::check_page(const std::vector<influx_point>& page) const {
  auto bad = [&](const std::string& why) {
    return make_error(errc::invalid_input,
                      url_.text + ": InfluxDB sent " + why);
  };
  if (page.size() > opts_.page_points)
    return bad(std::to_string(page.size()) + " points for a page of at most "
               + std::to_string(opts_.page_points));
  for (size_t i = 1; i < page.size(); ++i)
    if (page[i].ts < page[i - 1].ts)
      return bad("points out of time order");
  if (!page.empty()
      && (page.front().ts < from_ns_ || page.back().ts >= url_.end_ns))
    return bad("a point outside the range");
  return caf::none;
}

caf::error influx_pages::next(std::vector<influx_point>& out) {
  out.clear();
  if (done_)
    return caf::none;
  http_call call;
  call.target = "/query?db=" + percent_encode(url_.database) + "&epoch=ns&q="
                + percent_encode(
                  influx_page_query(url_, from_ns_, skip_, opts_.page_points));
  call.timeout = opts_.timeout;
  call.max_body = opts_.max_answer_bytes;
  auto answer = http_exchange(url_.server, call);
  if (!answer)
    return make_error(errc::io_error,
                      url_.text + ": " + describe(answer.error()));
  auto points = parse_influx_answer(url_, answer->status, answer->body);
  if (!points)
    return points.error();
  if (auto err = check_page(*points))
    return err;
  out = std::move(*points);
  if (out.size() < opts_.page_points) {
    done_ = true;
    return caf::none;
  }
  // Go on after the points at the last time seen.
  auto last = out.back().ts;
  uint64_t at_last = 0;
  for (auto i = out.rbegin(); i != out.rend() && i->ts == last; ++i)
    ++at_last;
  if (last == from_ns_) {
    skip_ += at_last;
  } else {
    from_ns_ = last;
    skip_ = at_last;
  }
  return caf::none;
}

} // namespace shoal
