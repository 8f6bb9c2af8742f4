#include "runtime/io/net_address.hpp"

#include <arpa/inet.h>
#include <charconv>
#include <cstring>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

caf::error bad(std::string_view text, const char* why) {
  std::string msg = "'";
  msg += text;
  msg += "' ";
  msg += why;
  return make_error(errc::invalid_config, std::move(msg));
}

/// Splits "host:port" or "[v6]:port"; `port` is empty when absent.
bool split_host(std::string_view text, std::string_view& host,
                std::string_view& port) {
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos)
      return false;
    host = text.substr(1, close - 1);
    auto rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':')
      return false;
    port = rest.empty() ? rest : rest.substr(1);
    return true;
  }
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    host = text;
    port = {};
    return true;
  }
  host = text.substr(0, colon);
  port = text.substr(colon + 1);
  return host.find(':') == std::string_view::npos;
}

bool parse_port(std::string_view text, uint16_t& out) {
  unsigned value = 0;
  auto end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value > 65535)
    return false;
  out = static_cast<uint16_t>(value);
  return true;
}

} // namespace

std::string net_address::to_string() const {
  if (host.find(':') != std::string::npos)
    return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

bool net_address::is_loopback() const {
  if (host == "localhost")
    return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
    return std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0;
  return false;
}

caf::expected<net_address> parse_host_port(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!split_host(text, host, port) || port.empty())
    return bad(text, "is not host:port");
  if (host.empty())
    return bad(text, "has no host");
  net_address result{std::string{host}, 0};
  if (!parse_port(port, result.port))
    return bad(text, "has no valid port (0 to 65535)");
  return result;
}

namespace {

/// Parses "<scheme>host[:port][/]", `port` defaulting to `default_port`.
caf::expected<net_address> parse_url(std::string_view text,
                                     std::string_view scheme,
                                     uint16_t default_port, const char* form) {
  auto not_url = [&] {
    return bad(text, (std::string{"is not an "} + form + " URL").c_str());
  };
  if (text.substr(0, scheme.size()) != scheme)
    return not_url();
  auto rest = text.substr(scheme.size());
  if (!rest.empty() && rest.back() == '/')
    rest.remove_suffix(1);
  std::string_view host;
  std::string_view port;
  if (!split_host(rest, host, port) || host.empty()
      || host.find('/') != std::string_view::npos)
    return not_url();
  net_address result{std::string{host}, default_port};
  if (!port.empty() && (!parse_port(port, result.port) || result.port == 0))
    return bad(text, "has no valid port (1 to 65535)");
  return result;
}

} // namespace

caf::expected<net_address> parse_mqtt_url(std::string_view text) {
  return parse_url(text, "mqtt://", 1883, "mqtt://host[:port]");
}

caf::expected<net_address> parse_http_url(std::string_view text) {
  return parse_url(text, "http://", 8086, "http://host[:port]");
}

} // namespace shoal
