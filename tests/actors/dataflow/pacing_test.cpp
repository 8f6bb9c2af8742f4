// Flow control of a replay across members (actors/dataflow/pacing.hpp): a
// sensor answers a pace request at once while its process's backlog is
// low, holds it while the backlog is high, answers when it falls, and
// answers after the batches the same sender sent it before.

#include <chrono>
#include <gtest/gtest.h>
#include <memory>

#include "caf/all.hpp"

#include "actors/dataflow/sensor_actor.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"

using namespace shoal;

namespace {

constexpr auto patience = std::chrono::seconds(10);

class Pacing : public testing::Test {
protected:
  caf::actor spawn_sensor() {
    node_spec spec;
    spec.name = "s1";
    actor_env env;
    env.live = &live_;
    return sys_.spawn(sensor_actor, spec, caf::actor{},
                      std::shared_ptr<progress_tracker>{}, false, env);
  }

  /// Whether `self` got the answer to a pace request within `wait`.
  static bool answered(caf::scoped_actor& self,
                       std::chrono::milliseconds wait) {
    bool got = false;
    self->receive(
      [&](caf::ok_atom) {
        got = true;
      },
      [&](caf::error& err) {
        ADD_FAILURE() << to_string(err);
      },
      caf::after(wait) >> [] {});
    return got;
  }

  metrics live_;
  caf::actor_system_config cfg_;
  bool configured_ = (configure_system(cfg_, 1), true);
  caf::actor_system sys_{cfg_};
};

} // namespace

TEST_F(Pacing, ALowBacklogIsAnsweredAtOnce) {
  auto sensor = spawn_sensor();
  caf::scoped_actor self{sys_};
  self->request(sensor, patience, pace_atom_v, int64_t{10})
    .receive([](caf::ok_atom) {},
             [](caf::error& err) {
               ADD_FAILURE() << to_string(err);
             });
  caf::anon_send_exit(sensor, caf::exit_reason::user_shutdown);
}

TEST_F(Pacing, AHighBacklogHoldsTheAnswerUntilItFalls) {
  auto sensor = spawn_sensor();
  caf::scoped_actor self{sys_};
  live_.batch_sent(100);
  // Two sources wait; the sensor answers both.
  caf::scoped_actor other{sys_};
  self->send(sensor, pace_atom_v, int64_t{10});
  other->send(sensor, pace_atom_v, int64_t{50});
  // The sensor holds a request for up to pace_patience (2 s): well within
  // it, no answer came, however loaded the machine is.
  EXPECT_FALSE(answered(self, std::chrono::milliseconds(50)));
  for (int i = 0; i < 95; ++i)
    live_.batch_received();
  EXPECT_TRUE(answered(self, patience));
  EXPECT_TRUE(answered(other, patience));
  caf::anon_send_exit(sensor, caf::exit_reason::user_shutdown);
}

TEST_F(Pacing, TheAnswerComesAfterTheBatchesSentBefore) {
  auto sensor = spawn_sensor();
  caf::scoped_actor source{sys_};
  const uint64_t key = 7;
  source
    ->request(sensor, patience, attach_atom_v,
              caf::actor_cast<caf::actor>(source), key, uint32_t{0})
    .receive([](caf::ok_atom) {},
             [](caf::error& err) {
               ADD_FAILURE() << to_string(err);
             });
  caf::scoped_actor sub{sys_};
  sub->send(sensor, caf::subscribe_atom_v, caf::actor_cast<caf::actor>(sub),
            progress_tracker::no_band, node_key("s1"));
  sub->receive([](subscribed_atom, uint64_t, point, int64_t) {},
               caf::after(patience) >>
                 [] {
                   ADD_FAILURE() << "no subscribed_atom";
                 });
  source->send(sensor, batch{key, {{50, 1.5}}, 50});
  source->send(sensor, pace_atom_v, int64_t{1'000'000});
  EXPECT_TRUE(answered(source, patience));
  // By then the sensor had handled the batch: its subscriber has it.
  sub->receive(
    [](batch& b) {
      ASSERT_EQ(b.points.size(), 1u);
      EXPECT_EQ(b.points[0].ts, 50);
    },
    caf::after(std::chrono::milliseconds(0)) >>
      [] {
        ADD_FAILURE() << "the pace request was answered before the batch";
      });
  caf::anon_send_exit(sensor, caf::exit_reason::user_shutdown);
}
