#include "runtime/graph/device_list.hpp"

#include <algorithm>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

caf::error line_error(const std::string& file, size_t line,
                      const std::string& reason) {
  return make_error(errc::invalid_graph,
                    file + " line " + std::to_string(line) + ": " + reason);
}

std::string_view trimmed(std::string_view x) {
  auto first = x.find_first_not_of(" \t");
  if (first == std::string_view::npos)
    return {};
  auto last = x.find_last_not_of(" \t");
  return x.substr(first, last - first + 1);
}

/// Splits one line into its fields; sets `why` when a quote is unbalanced.
std::vector<std::string> split_fields(std::string_view line, std::string& why) {
  std::vector<std::string> fields;
  size_t at = 0;
  for (;;) {
    auto rest = line.substr(at);
    auto lead = rest.find_first_not_of(" \t");
    if (lead != std::string_view::npos && rest[lead] == '"') {
      std::string field;
      size_t i = at + lead + 1;
      for (;;) {
        if (i >= line.size()) {
          why = "a quoted field has no closing quote";
          return fields;
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field += line[i++];
      }
      auto comma = line.find(',', i);
      auto tail = line.substr(i, comma == std::string_view::npos
                                   ? std::string_view::npos
                                   : comma - i);
      if (!trimmed(tail).empty()) {
        why = "text after a quoted field";
        return fields;
      }
      fields.push_back(std::move(field));
      if (comma == std::string_view::npos)
        return fields;
      at = comma + 1;
      continue;
    }
    auto comma = rest.find(',');
    fields.emplace_back(trimmed(rest.substr(0, comma)));
    if (comma == std::string_view::npos)
      return fields;
    at += comma + 1;
  }
}

/// The position in `params` of each column of `header`.
caf::error map_header(const std::vector<std::string>& header,
                      const std::string& file,
                      const std::vector<std::string>& params,
                      std::vector<size_t>& column_of) {
  std::vector<size_t> param_at(params.size(), header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    auto p = std::find(params.begin(), params.end(), header[c]);
    if (p == params.end())
      return line_error(
        file, 1, "column '" + header[c] + "' is no parameter of the template");
    auto k = static_cast<size_t>(p - params.begin());
    if (param_at[k] != header.size())
      return line_error(file, 1, "column '" + header[c] + "' appears twice");
    param_at[k] = c;
    column_of.push_back(k);
  }
  for (size_t k = 0; k < params.size(); ++k)
    if (param_at[k] == header.size())
      return line_error(
        file, 1, "the header has no column for parameter '" + params[k] + "'");
  return caf::none;
}

} // namespace

caf::expected<std::vector<device_row>>
parse_device_list(std::string_view text, const std::string& file,
                  const std::vector<std::string>& params) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF")
    text.remove_prefix(3);
  std::vector<device_row> rows;
  std::vector<size_t> column_of;
  bool have_header = false;
  size_t line_no = 0;
  size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    auto line = text.substr(
      at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (trimmed(line).empty())
      continue;
    std::string why;
    auto fields = split_fields(line, why);
    if (!why.empty())
      return line_error(file, line_no, why);
    if (!have_header) {
      if (line_no != 1)
        return line_error(file, line_no, "the header must be the first line");
      if (auto err = map_header(fields, file, params, column_of))
        return err;
      have_header = true;
      continue;
    }
    if (fields.size() != column_of.size())
      return line_error(file, line_no,
                        std::to_string(fields.size()) + " fields, but the "
                          + "header has " + std::to_string(column_of.size()));
    device_row row{line_no, std::vector<std::string>(params.size())};
    for (size_t c = 0; c < fields.size(); ++c)
      row.fields[column_of[c]] = std::move(fields[c]);
    rows.push_back(std::move(row));
  }
  if (!have_header)
    return line_error(file, 1,
                      "no header (it names the template's "
                      "parameters)");
  return rows;
}

} // namespace shoal
