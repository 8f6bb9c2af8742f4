#include "tests/support/member_process.hpp"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>

#include "tests/support/process.hpp"

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

std::string member_process::log() const {
  return read_file(log_);
}

ctl_result shoalctl(int port, const std::string& args) {
  auto res = run_command(binary("shoalctl") + " --connect 127.0.0.1:"
                         + std::to_string(port) + " " + args);
  return {res.exit_code, res.output};
}

} // namespace shoal::test_support
