// The data-edge protocol (actors/dataflow/data_edge.hpp) as the sensor and
// node actors speak it: subscription, a subscriber's watermark request, and
// the requests they pass on, to a source with its own message and to an
// input with `need_atom`.

#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <vector>

#include "caf/all.hpp"

#include "actors/dataflow/node_actor.hpp"
#include "actors/dataflow/sensor_actor.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"

using namespace shoal;

namespace {

constexpr auto patience = std::chrono::seconds(10);

class DataEdge : public testing::Test {
protected:
  /// Subscribes `sub` to node `name` at `to`; returns the watermark the
  /// node answered with.
  int64_t subscribe(caf::scoped_actor& sub, const caf::actor& to,
                    const std::string& name) {
    int64_t result = wm_end;
    sub->send(to, caf::subscribe_atom_v, caf::actor_cast<caf::actor>(sub),
              progress_tracker::no_band, node_key(name));
    sub->receive(
      [&](subscribed_atom, uint64_t key, point, int64_t wm) {
        EXPECT_EQ(key, node_key(name));
        result = wm;
      },
      caf::after(patience) >>
        [] {
          ADD_FAILURE() << "no subscribed_atom";
        });
    return result;
  }

  caf::actor_system_config cfg_;
  bool configured_ = (configure_system(cfg_, 1), true);
  caf::actor_system sys_{cfg_};
};

} // namespace

TEST_F(DataEdge, SensorAsksItsSourceWithTheSourcesOwnRequest) {
  caf::scoped_actor source{sys_};
  caf::scoped_actor sub{sys_};
  node_spec spec;
  spec.name = "s1";
  auto sensor
    = sys_.spawn(sensor_actor, spec, caf::actor{},
                 std::shared_ptr<progress_tracker>{}, false, actor_env{});
  const uint64_t source_key = 42;
  source
    ->request(sensor, patience, attach_atom_v,
              caf::actor_cast<caf::actor>(source), source_key, uint32_t{3})
    .receive([](caf::ok_atom) {},
             [](caf::error& err) {
               ADD_FAILURE() << to_string(err);
             });
  EXPECT_EQ(subscribe(sub, sensor, "s1"), wm_none);
  // The subscriber waits for 100: the sensor passes the request on to its
  // source, naming its index there.
  sub->send(sensor, need_atom_v, int64_t{100});
  source->receive(
    [](src_need_atom, int64_t ts, uint32_t index) {
      EXPECT_EQ(ts, 100);
      EXPECT_EQ(index, 3u);
    },
    caf::after(patience) >>
      [] {
        ADD_FAILURE() << "no src_need_atom";
      });
  // The source's batch answers both.
  source->send(sensor, batch{source_key, {{50, 1.5}}, 100});
  sub->receive(
    [](batch& b) {
      EXPECT_EQ(b.from, node_key("s1"));
      ASSERT_EQ(b.points.size(), 1u);
      EXPECT_EQ(b.points[0].ts, 50);
      EXPECT_EQ(b.wm, 100);
    },
    caf::after(patience) >>
      [] {
        ADD_FAILURE() << "no batch";
      });
  // A request that the batch already answered costs nothing more: no
  // second batch, no request to the source.
  sub->send(sensor, need_atom_v, int64_t{100});
  sub->receive(
    [](batch&) {
      ADD_FAILURE() << "answered twice";
    },
    caf::after(std::chrono::milliseconds(200)) >> [] {});
  source->receive(
    [](src_need_atom, int64_t, uint32_t) {
      ADD_FAILURE() << "the source was asked again";
    },
    caf::after(std::chrono::milliseconds(200)) >> [] {});
  caf::anon_send_exit(sensor, caf::exit_reason::user_shutdown);
}

TEST_F(DataEdge, NodeAsksItsInputWithNeed) {
  caf::scoped_actor input{sys_};
  caf::scoped_actor sub{sys_};
  node_spec spec;
  spec.name = "f1";
  spec.kind = node_kind::feature;
  spec.fn = "ewma";
  spec.alpha = 0.5;
  spec.needs = {"s1"};
  auto node = sys_.spawn(node_actor, spec, caf::actor{}, node_band{});
  auto me = caf::actor_cast<caf::actor>(input);
  input->send(node, wire_atom_v, std::vector<caf::actor>{me});
  // The node subscribes to its input, which answers.
  input->receive(
    [&](caf::subscribe_atom, caf::actor& who, uint32_t, uint64_t key) {
      EXPECT_EQ(who, node);
      EXPECT_EQ(key, node_key("s1"));
      input->send(node, subscribed_atom_v, key, point{wm_none, 0.0}, wm_none);
    },
    caf::after(patience) >>
      [] {
        ADD_FAILURE() << "no subscription";
      });
  input->receive([](caf::ok_atom) {}, caf::after(patience) >>
                                        [] {
                                          ADD_FAILURE() << "not wired";
                                        });
  EXPECT_EQ(subscribe(sub, node, "f1"), wm_none);
  sub->send(node, need_atom_v, int64_t{200});
  input->receive(
    [](need_atom, int64_t ts) {
      EXPECT_EQ(ts, 200);
    },
    caf::after(patience) >>
      [] {
        ADD_FAILURE() << "no need_atom";
      });
  // The input's watermark passes 200: the node's follows and goes to the
  // subscriber that asked.
  input->send(node, batch{node_key("s1"), {}, 250});
  sub->receive(
    [](batch& b) {
      EXPECT_EQ(b.from, node_key("f1"));
      EXPECT_TRUE(b.points.empty());
      EXPECT_EQ(b.wm, 250);
    },
    caf::after(patience) >>
      [] {
        ADD_FAILURE() << "no watermark";
      });
  caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
}
