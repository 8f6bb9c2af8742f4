// Admin requests always answer: an `apply` through a member that reaches
// the leader only through a third member (it started before the leader and
// learned it a heartbeat later) gets its answer, and `shoalctl --timeout`
// gives up on a port that accepts and never answers, naming the address.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "tests/support/member_process.hpp"
#include "tests/support/mosquitto_broker.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal::test_support;

namespace {

/// A TCP listener on 127.0.0.1 that the kernel accepts connections for and
/// that never reads or writes a byte.
class silent_listener {
public:
  silent_listener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0
        || ::listen(fd_, 8) != 0
        || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      return;
    port_ = ntohs(addr.sin_port);
  }
  silent_listener(const silent_listener&) = delete;
  silent_listener& operator=(const silent_listener&) = delete;
  ~silent_listener() {
    if (fd_ >= 0)
      ::close(fd_);
  }

  /// 0 if the listener could not be opened.
  int port() const {
    return port_;
  }

private:
  int fd_ = -1;
  int port_ = 0;
};

/// shoalctl against `port`, stopped by `timeout` after 60 s should it hang
/// (then the exit code is 124, not the 1 the tests expect).
process_result bounded_shoalctl(int port, const std::string& args) {
  return run_command("timeout 60 " + binary("shoalctl")
                     + " --connect 127.0.0.1:" + std::to_string(port) + " "
                     + args);
}

/// An actor that takes `graph` requests and never answers them (it keeps
/// their promises, so no error goes back either).
caf::behavior never_answers(caf::event_based_actor* self) {
  auto kept = std::make_shared<std::vector<caf::response_promise>>();
  return {
    [=](shoal::graph_atom, bool) -> caf::result<std::vector<std::string>> {
      kept->push_back(self->make_response_promise());
      return caf::delegated<std::vector<std::string>>{};
    },
  };
}

} // namespace

TEST(ClusterAdmin,
     ApplyRightAfterFormingAnswersThroughAMemberThatStartedFirst) {
  auto graph = write_temp_file("admin_deadline_graph.toml", two_cell_graph);
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    int p1 = free_loopback_port();
    int p2 = free_loopback_port();
    int p3 = free_loopback_port();
    // n2 first, then n3 joining it, then the leader n1 joining it: n3
    // learns n1 from n2 and reaches it only through n2.
    member_process n2{write_member_config("n2", p2, {p2})};
    ASSERT_TRUE(await_log(n2, "listening")) << n2.log();
    member_process n3{write_member_config("n3", p3, {p2})};
    await_member_count(p3, 2);
    member_process n1{write_member_config("n1", p1, {p2})};
    await_member_count(p3, 3);
    auto res = bounded_shoalctl(p3, "--timeout 30 apply " + graph);
    ASSERT_EQ(res.exit_code, 0) << res.output << n1.log() << n3.log();
    EXPECT_NE(res.output.find(" on 3 members:"), std::string::npos)
      << res.output;
    // A removal goes the same way.
    res = bounded_shoalctl(p3, "--timeout 30 remove m.sum");
    EXPECT_EQ(res.exit_code, 0) << res.output;
    EXPECT_NE(res.output.find("removed"), std::string::npos) << res.output;
  }
}

TEST(ShoalctlDeadline, APortThatNeverAnswersTimesOutAndNamesTheAddress) {
  silent_listener silent;
  ASSERT_NE(silent.port(), 0);
  auto res = bounded_shoalctl(silent.port(), "--timeout 1 status");
  EXPECT_EQ(res.exit_code, 1) << res.output;
  auto address = "127.0.0.1:" + std::to_string(silent.port());
  EXPECT_NE(res.output.find(address + " did not answer 'status' within 1 s"),
            std::string::npos)
    << res.output;
}

TEST(ShoalctlDeadline, AMemberThatNeverAnswersARequestTimesOut) {
  caf::actor_system_config cfg;
  shoal::configure_system(cfg, 1);
  cfg.load<caf::io::middleman>();
  caf::actor_system sys{cfg};
  auto actor = sys.spawn(never_answers);
  auto port = sys.middleman().publish(actor, 0, "127.0.0.1");
  ASSERT_TRUE(port) << sys.render(port.error());
  auto res = bounded_shoalctl(*port, "--timeout 1 graph");
  EXPECT_EQ(res.exit_code, 1) << res.output;
  auto address = "127.0.0.1:" + std::to_string(*port);
  EXPECT_NE(res.output.find(address + " did not answer 'graph' within 1 s"),
            std::string::npos)
    << res.output;
  caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
}

TEST(ShoalctlDeadline, RejectsATimeoutThatIsNotAPositiveNumber) {
  for (auto bad : {"0", "-1", "abc", "nan"}) {
    auto res = bounded_shoalctl(1, std::string{"--timeout "} + bad + " status");
    EXPECT_EQ(res.exit_code, 2) << bad << ": " << res.output;
    EXPECT_NE(res.output.find("--timeout needs a positive number of seconds"),
              std::string::npos)
      << res.output;
  }
}
