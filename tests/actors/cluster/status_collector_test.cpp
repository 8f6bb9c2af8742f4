// The status collector feeds readiness (SPEC section 10): it stores the
// member's answers with their time, tells the board when the member actor
// exits, and stores nothing while the member does not answer, so that the
// status goes stale. On CAF's deterministic test scheduler, with a stand-in
// member actor.

#include <gtest/gtest.h>
#include <memory>

#include "caf/all.hpp"

#include "actors/cluster/status_collector.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;
using namespace std::chrono_literals;

namespace {

/// What the stand-in member says.
struct fake_member_state {
  bool joined = true;
  bool deployed = true;
  /// Answers every request with an error (a member that cannot answer).
  bool silent = false;
};

/// A member actor that answers `status_atom` with an empty cluster (its
/// deployment 0) and `ready_atom` as `st` says.
caf::behavior fake_member(caf::event_based_actor*,
                          std::shared_ptr<fake_member_state> st) {
  return {
    [st](status_atom, uint64_t)
      -> caf::result<std::vector<member_info>, std::vector<std::string>,
                     uint64_t, graph_spec, directory> {
      if (st->silent)
        return make_error(errc::io_error, "busy");
      return {std::vector<member_info>{}, std::vector<std::string>{},
              uint64_t{0}, graph_spec{}, directory{}};
    },
    [st](ready_atom) -> caf::result<bool, bool> {
      if (st->silent)
        return make_error(errc::io_error, "busy");
      return {st->joined, st->deployed};
    },
  };
}

class StatusCollector : public testing::Test {
protected:
  void SetUp() override {
    member_ = ts_.spawn(fake_member, said_);
    status_collector_options opts;
    opts.interval = 100ms;
    opts.name = "n1";
    collector_ = ts_.spawn(status_collector, member_, board_, opts);
    ts_.run();
  }

  std::string reason() {
    return decide_readiness(board_->facts()).reason;
  }

  test_system ts_;
  std::shared_ptr<fake_member_state> said_
    = std::make_shared<fake_member_state>();
  std::shared_ptr<status_board> board_ = std::make_shared<status_board>(2s);
  caf::actor member_;
  caf::actor collector_;
};

} // namespace

TEST_F(StatusCollector, StoresTheMembersAnswers) {
  auto f = board_->facts();
  ASSERT_TRUE(f.status_age_ns);
  EXPECT_TRUE(f.member.joined);
  EXPECT_TRUE(f.member.deployed);
  EXPECT_TRUE(decide_readiness(f).ready) << reason();
  said_->deployed = false;
  ts_.advance(100ms);
  EXPECT_EQ(reason(), "not ready: graph not deployed");
  said_->joined = false;
  ts_.advance(100ms);
  EXPECT_EQ(reason(), "not ready: joining the cluster");
}

TEST_F(StatusCollector, TellsTheBoardWhenTheMemberExits) {
  caf::anon_send_exit(member_, caf::exit_reason::kill);
  ts_.run();
  auto f = board_->facts();
  EXPECT_TRUE(f.member_down);
  EXPECT_EQ(reason().rfind("not ready: member actor is down (", 0), 0u)
    << reason();
  // The collector carries on, and the board keeps the verdict.
  ts_.advance(100ms);
  EXPECT_TRUE(board_->facts().member_down);
}

TEST_F(StatusCollector, AMemberThatDoesNotAnswerGoesStale) {
  said_->silent = true;
  for (int i = 0; i < 5; ++i)
    ts_.advance(100ms);
  // Nothing new was stored: two seconds on, the last answer is stale.
  auto later = status_board::clock::now() + 3s;
  EXPECT_EQ(decide_readiness(board_->facts(later))
              .reason.rfind("not ready: status is stale", 0),
            0u);
  said_->silent = false;
  ts_.advance(100ms);
  EXPECT_TRUE(decide_readiness(board_->facts()).ready) << reason();
}
