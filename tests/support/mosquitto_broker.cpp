#include "tests/support/mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <mutex>
#include <netinet/in.h>
#include <random>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/process.hpp"

namespace shoal::test_support {

namespace {

sockaddr_in loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

} // namespace

namespace {

/// Whether a listening socket could bind 127.0.0.1:`port` now (0: any
/// port; `got` is then the one the kernel chose).
bool can_bind(uint16_t port, uint16_t& got) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto addr = loopback(port);
  socklen_t len = sizeof(addr);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0
            && ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  got = ok ? ntohs(addr.sin_port) : 0;
  ::close(fd);
  return ok;
}

/// The first port of the kernel's ephemeral range (32768 unless
/// configured otherwise).
unsigned ephemeral_start() {
  std::ifstream in{"/proc/sys/net/ipv4/ip_local_port_range"};
  unsigned low = 0;
  if (in >> low && low > 0)
    return low;
  return 32768;
}

} // namespace

uint16_t free_loopback_port() {
  // A port the kernel picks for a bind to port 0 comes from the ephemeral
  // range, where it also picks the local ports of outgoing connections: a
  // test's connection could take it before the server given it binds it
  // (a member that then never starts). So: a random port of the 12,000
  // below that range, free now, and not handed out before here.
  static std::mutex mtx;
  static std::set<uint16_t> given;
  static std::mt19937 rng{static_cast<uint32_t>(
    ::getpid() ^ std::chrono::steady_clock::now().time_since_epoch().count())};
  std::lock_guard<std::mutex> guard{mtx};
  auto high = ephemeral_start();
  if (high > 13024) {
    std::uniform_int_distribution<unsigned> pick{high - 12000, high - 1};
    for (int tries = 0; tries < 2000; ++tries) {
      auto port = static_cast<uint16_t>(pick(rng));
      uint16_t got = 0;
      if (given.count(port) == 0 && can_bind(port, got)) {
        given.insert(port);
        return port;
      }
    }
  }
  uint16_t got = 0;
  can_bind(0, got);
  return got;
}

bool port_accepts(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto addr = loopback(port);
  bool ok
    = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

mosquitto_broker::mosquitto_broker() : mosquitto_broker(mosquitto_options{}) {
  // nop
}

mosquitto_broker::mosquitto_broker(const mosquitto_options& opts)
  : port_(opts.port != 0 ? opts.port : free_loopback_port()) {
  auto dir = std::filesystem::temp_directory_path();
  conf_ = (dir
           / ("shoal_mosquitto_" + std::to_string(::getpid()) + "_"
              + std::to_string(port_) + ".conf"))
            .string();
  std::ofstream out{conf_};
  out << "listener " << port_ << " 127.0.0.1\n";
  if (!opts.certfile.empty()) {
    out << "cafile " << opts.cafile << "\ncertfile " << opts.certfile
        << "\nkeyfile " << opts.keyfile << "\n";
    if (opts.require_certificate)
      out << "require_certificate true\n";
  }
  if (opts.password_file.empty())
    out << "allow_anonymous true\n";
  else
    out << "allow_anonymous false\npassword_file " << opts.password_file
        << "\n";
  // As root, mosquitto reads its files as user mosquitto, which cannot
  // read the test's 0600 keys and password file.
  if ((!opts.password_file.empty() || !opts.certfile.empty())
      && ::geteuid() == 0)
    out << "user root\n";
  out << "persistence false\n"
      << "log_dest none\n";
  out.close();
  start();
}

std::string make_password_file(const std::string& user,
                               const std::string& password) {
  auto path = (std::filesystem::temp_directory_path()
               / ("shoal_mosquitto_" + std::to_string(::getpid()) + "_"
                  + std::to_string(free_loopback_port()) + ".passwd"))
                .string();
  auto r = run_command("mosquitto_passwd -c -b " + path + " " + user + " "
                       + password);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return path;
}

mosquitto_broker::~mosquitto_broker() {
  stop();
  std::error_code ignored;
  std::filesystem::remove(conf_, ignored);
}

std::string mosquitto_broker::url() const {
  return "mqtt://127.0.0.1:" + std::to_string(port_);
}

bool mosquitto_broker::start() {
  if (pid_ > 0)
    return true;
  auto port = port_;
  return start_server({"/usr/sbin/mosquitto", "-c", conf_}, pid_,
                      std::chrono::seconds(10), std::chrono::milliseconds(10),
                      [port] {
                        return port_accepts(port);
                      });
}

void mosquitto_broker::stop() {
  stop_server(pid_);
}

} // namespace shoal::test_support
