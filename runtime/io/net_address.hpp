// Host and port pairs as written in configuration files.
//
// `parse_host_port` reads "host:port" (IPv6 hosts in brackets: "[::1]:7790");
// `parse_mqtt_url` reads "mqtt://host[:port]" (default port 1883) and
// `parse_http_url` "http://host[:port]" (default port 8086, InfluxDB's). All
// return an `errc::invalid_config` error whose text says what is wrong with
// the value, for the caller to prefix with where it was found. Pure.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "caf/expected.hpp"

namespace shoal {

struct net_address {
  std::string host;
  uint16_t port = 0;

  /// "host:port", with brackets around an IPv6 host.
  std::string to_string() const;

  /// Whether the host is this machine's loopback interface: "localhost", an
  /// IPv4 address in 127.0.0.0/8 or "::1". Names are not resolved, so any
  /// other name counts as not loopback.
  bool is_loopback() const;
};

/// Parses "host:port"; port 0 means any free port.
caf::expected<net_address> parse_host_port(std::string_view text);

/// Parses "mqtt://host[:port]".
caf::expected<net_address> parse_mqtt_url(std::string_view text);

/// Parses "http://host[:port]" (no path: the InfluxDB sink's server).
caf::expected<net_address> parse_http_url(std::string_view text);

} // namespace shoal
