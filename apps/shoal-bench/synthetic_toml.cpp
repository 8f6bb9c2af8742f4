#include "apps/shoal-bench/synthetic_toml.hpp"

#include <charconv>
#include <cstdio>
#include <memory>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

/// A TOML basic string: quotes, backslashes and control characters escaped
/// (Lua code has newlines).
void put_string(std::string& out, const std::string& x) {
  out += '"';
  for (char c : x) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char esc[8];
          std::snprintf(esc, sizeof(esc), "\\u%04x",
                        static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += esc;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

/// The shortest text that parses back to `x`, always with a '.' or an
/// exponent so that TOML reads a float, not an integer.
void put_double(std::string& out, double x) {
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof(buf), x).ptr;
  std::string s{buf, end};
  if (s.find_first_of(".en") == std::string::npos)
    s += ".0";
  out += s;
}

void put_strings(std::string& out, const std::vector<std::string>& xs) {
  out += '[';
  for (size_t i = 0; i < xs.size(); ++i) {
    if (i > 0)
      out += ", ";
    put_string(out, xs[i]);
  }
  out += ']';
}

void put_key(std::string& out, const char* key) {
  out += key;
  out += " = ";
}

} // namespace

caf::expected<std::string> synthetic_graph_toml(const graph_spec& g) {
  std::string out;
  for (const auto& n : g.nodes) {
    auto refuse = [&](const std::string& what) {
      return make_error(errc::invalid_input, "node " + n.name
                                               + ": the plant's writer has no "
                                               + what);
    };
    if (!n.unit.empty())
      return refuse("unit");
    if (!n.path.empty() || !n.content.empty())
      return refuse("model or Lua file");
    if (n.kind == node_kind::model && n.fn != "linear")
      return refuse("model kind " + n.fn);
    switch (n.kind) {
      case node_kind::sensor: out += "[[sensor]]\n"; break;
      case node_kind::feature: out += "[[feature]]\n"; break;
      case node_kind::model: out += "[[model]]\n"; break;
    }
    put_key(out, "name");
    put_string(out, n.name);
    out += '\n';
    if (n.kind == node_kind::sensor)
      continue;
    put_key(out, n.kind == node_kind::model ? "kind" : "fn");
    put_string(out, n.fn);
    out += '\n';
    put_key(out, "needs");
    put_strings(out, n.needs);
    out += '\n';
    if (!n.trigger.empty()) {
      put_key(out, "trigger");
      put_strings(out, n.trigger);
      out += '\n';
    }
    if (n.window > 0)
      out += "window = " + std::to_string(n.window) + "\n";
    if (n.window_ns > 0)
      out += "window_ns = " + std::to_string(n.window_ns) + "\n";
    if (n.fn == "ewma") {
      put_key(out, "alpha");
      put_double(out, n.alpha);
      out += '\n';
    }
    if (!n.code.empty()) {
      put_key(out, "code");
      put_string(out, n.code);
      out += '\n';
    }
    if (n.kind == node_kind::model) {
      put_key(out, "weights");
      out += '[';
      for (size_t i = 0; i < n.weights.size(); ++i) {
        if (i > 0)
          out += ", ";
        put_double(out, n.weights[i]);
      }
      out += "]\n";
      put_key(out, "bias");
      put_double(out, n.bias);
      out += '\n';
      put_key(out, "link");
      put_string(out, n.link);
      out += '\n';
    }
    // Features default to not emitting, models to emitting.
    if (n.emit != (n.kind == node_kind::model))
      out += n.emit ? "emit = true\n" : "emit = false\n";
  }
  return out;
}

caf::error write_synthetic_graph(const std::string& path, const graph_spec& g) {
  auto text = synthetic_graph_toml(g);
  if (!text)
    return std::move(text.error());
  struct closer {
    void operator()(std::FILE* f) const {
      std::fclose(f);
    }
  };
  std::unique_ptr<std::FILE, closer> file{std::fopen(path.c_str(), "wb")};
  if (!file)
    return make_error(errc::io_error, path + ": cannot open for writing");
  if (std::fwrite(text->data(), 1, text->size(), file.get()) != text->size()
      || std::fclose(file.release()) != 0)
    return make_error(errc::io_error, path + ": cannot write");
  return caf::none;
}

} // namespace shoal
