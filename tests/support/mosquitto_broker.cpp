#include "tests/support/mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

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

mosquitto_broker::mosquitto_broker() : port_(free_loopback_port()) {
  auto dir = std::filesystem::temp_directory_path();
  conf_ = (dir
           / ("shoal_mosquitto_" + std::to_string(::getpid()) + "_"
              + std::to_string(port_) + ".conf"))
            .string();
  std::ofstream out{conf_};
  out << "listener " << port_ << " 127.0.0.1\n"
      << "allow_anonymous true\n"
      << "persistence false\n"
      << "log_dest none\n";
  out.close();
  start();
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
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::string prog = "/usr/sbin/mosquitto";
  std::string flag = "-c";
  char* argv[] = {prog.data(), flag.data(), conf_.data(), nullptr};
  pid_t pid = -1;
  auto rc = posix_spawn(&pid, prog.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0)
    return false;
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (port_accepts(port_))
      return true;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void mosquitto_broker::stop() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

} // namespace shoal::test_support
