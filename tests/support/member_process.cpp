#include "tests/support/member_process.hpp"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

extern char** environ;

namespace shoal::test_support {

member_process::member_process(std::string config)
  : config_(std::move(config)), log_(config_ + ".log") {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  auto prog = binary("shoal-node");
  std::string flag = "--config";
  char* argv[] = {prog.data(), flag.data(), config_.data(), nullptr};
  pid_t pid = -1;
  if (posix_spawn(&pid, prog.c_str(), &actions, nullptr, argv, environ) == 0)
    pid_ = pid;
  posix_spawn_file_actions_destroy(&actions);
}

member_process::~member_process() {
  stop();
}

void member_process::kill9() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

int member_process::wait_exit(double seconds) {
  if (pid_ <= 0)
    return -1;
  auto deadline = std::chrono::steady_clock::now()
                  + std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::duration<double>(seconds));
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    if (std::chrono::steady_clock::now() >= deadline)
      return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int member_process::stop() {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, SIGTERM);
  auto rc = wait_exit(5);
  if (pid_ > 0)
    kill9();
  return rc;
}

long member_process::peak_rss_kib() const {
  std::ifstream in{"/proc/" + std::to_string(pid_) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

std::string member_process::log() const {
  return read_file(log_);
}

const char* two_cell_graph = R"(
[[sensor]]
name = "a.temp"
[[sensor]]
name = "b.temp"
[[feature]]
name = "a.mean"
fn = "rolling_mean"
needs = ["a.temp"]
window = 3
[[feature]]
name = "b.ewma"
fn = "ewma"
needs = ["b.temp"]
alpha = 0.5
emit = true
[[model]]
name = "m.sum"
kind = "linear"
needs = ["a.mean", "b.ewma"]
weights = [1.0, 1.0]
emit = true
)";

std::string write_member_config(const std::string& name, int port,
                                const std::vector<int>& seeds,
                                const std::string& node_extra,
                                const std::string& tables, int failure_ms,
                                int heartbeat_ms) {
  std::string seeds_text;
  for (auto p : seeds)
    seeds_text += (seeds_text.empty() ? "\"127.0.0.1:" : ", \"127.0.0.1:")
                  + std::to_string(p) + "\"";
  return write_temp_file(
    "member_" + name + "_" + std::to_string(port) + ".toml",
    "[node]\nname = \"" + name
      + "\"\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\nthreads = 2\n"
      + node_extra + "[cluster]\nseeds = [" + seeds_text
      + "]\nheartbeat_ms = " + std::to_string(heartbeat_ms)
      + "\nfailure_timeout_ms = " + std::to_string(failure_ms) + "\n" + tables);
}

void await_member_count(int port, size_t n) {
  auto want = "members (" + std::to_string(n) + "):";
  for (int i = 0; i < 150; ++i) {
    if (shoalctl(port, "status").output.find(want) != std::string::npos)
      return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "cluster at port " << port << " never had " << n
                << " members";
}

bool await_log(const member_process& m, const std::string& text) {
  for (int i = 0; i < 100; ++i) {
    if (m.log().find(text) != std::string::npos)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

ctl_result shoalctl(int port, const std::string& args) {
  auto res = run_command(binary("shoalctl") + " --connect 127.0.0.1:"
                         + std::to_string(port) + " " + args);
  return {res.exit_code, res.output};
}

} // namespace shoal::test_support
