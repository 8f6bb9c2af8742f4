#include "tests/support/mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <netinet/in.h>
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

uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto addr = loopback(0);
  socklen_t len = sizeof(addr);
  uint16_t port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0
      && ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
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
