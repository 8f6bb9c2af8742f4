// The replay source through checkpoint rounds, on CAF's deterministic test
// scheduler: no sample reaches a sensor between a round's marks and its
// end, reading goes on from there when it ends, and the position reported for a
// round is where its marks were sent.

#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "actors/sources/replay_source.hpp"
#include "runtime/core/metrics.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv.hpp"
#include "tests/support/test_system.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

constexpr uint64_t key = 11;

/// What a sensor got, in order: "t1,t2" for a batch's timestamps (empty
/// for a watermark alone), "mark k" for a checkpoint mark.
using events = std::vector<std::string>;

caf::behavior recorder(caf::event_based_actor* self,
                       std::shared_ptr<events> log) {
  self->set_default_handler(caf::drop);
  return {
    [log](batch& b) {
      std::string s;
      for (auto& p : b.points)
        s += (s.empty() ? "" : ",") + std::to_string(p.ts);
      log->push_back(s);
    },
    [log](mark_atom, uint64_t k, uint64_t from) {
      EXPECT_EQ(from, key);
      log->push_back("mark " + std::to_string(k));
    },
  };
}

/// What the monitor got: the offset of each round's position.
struct monitor_log {
  std::vector<std::pair<uint64_t, uint64_t>> rounds;
  bool reported = false;
};

caf::behavior monitor(caf::event_based_actor* self,
                      std::shared_ptr<monitor_log> log) {
  self->set_default_handler(caf::drop);
  return {
    [log](ckpt_atom, uint64_t k, uint64_t offset, const std::string& pos) {
      replay_position p;
      EXPECT_TRUE(p.decode(pos));
      EXPECT_EQ(p.at.offset, offset);
      log->rounds.emplace_back(k, offset);
    },
    [log](report_atom, const std::string&, const ingest_counts&,
          const std::vector<uint64_t>&, const std::string&) {
      log->reported = true;
    },
  };
}

std::string rows(int from, int to) {
  std::string s;
  for (int t = from; t <= to; ++t)
    s += "s0," + std::to_string(t) + "," + std::to_string(t) + ".5\n";
  return s;
}

class ReplaySourceRounds : public ::testing::Test {
protected:
  ReplaySourceRounds() {
    feed = std::make_shared<chunk_feed>();
    feed->push("sensor,ts,value\n" + rows(1, 6));
    auto reader = sample_reader::open(feed, "input");
    EXPECT_TRUE(reader);
    auto sensor = ts.spawn(recorder, got);
    auto dir
      = std::make_shared<sensor_directory>(std::vector<std::string>{"s0"});
    replay_options opts;
    opts.chunk_rows = 4;
    opts.feed = feed;
    opts.live = &live;
    source = ts.spawn(replay_source, std::string{"input"},
                      std::make_shared<sample_reader>(std::move(*reader)), dir,
                      std::vector<caf::actor>{sensor}, key, opts,
                      ts.spawn(monitor, mon));
  }

  /// Every timestamp the sensor got, in order.
  std::string delivered() const {
    std::string s;
    for (auto& e : *got)
      if (!e.empty() && e.rfind("mark", 0) != 0)
        s += (s.empty() ? "" : ",") + e;
    return s;
  }

  test_system ts;
  metrics live;
  std::shared_ptr<chunk_feed> feed;
  std::shared_ptr<events> got = std::make_shared<events>();
  std::shared_ptr<monitor_log> mon = std::make_shared<monitor_log>();
  caf::actor source;
};

} // namespace

TEST_F(ReplaySourceRounds, NothingFollowsTheMarksUntilTheRoundEnds) {
  caf::anon_send(source, start_atom_v);
  ts.run();
  // Rows 1 to 6 read; the input ran dry.
  EXPECT_EQ(delivered(), "1,2,3,4,5,6");
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  ts.run();
  ASSERT_FALSE(got->empty());
  EXPECT_EQ(got->back(), "mark 1");
  ASSERT_EQ(mon->rounds.size(), 1u);
  // The round's position is where the marks went out: after row 6.
  EXPECT_EQ(mon->rounds[0].second,
            std::string{"sensor,ts,value\n"}.size() + rows(1, 6).size());
  // More input arrives during the round, and a sensor asks for a
  // watermark beyond what was read: nothing is sent.
  caf::anon_send(source, chunk_atom_v, rows(7, 10), true);
  caf::anon_send(source, src_need_atom_v, int64_t{10}, uint32_t{0});
  ts.run();
  EXPECT_EQ(got->back(), "mark 1");
  EXPECT_EQ(delivered(), "1,2,3,4,5,6");
  EXPECT_FALSE(mon->reported);
  // The round ends: the rest of the input goes out, then its end.
  caf::anon_send(source, ckpt_atom_v, uint64_t{1}, true);
  ts.run();
  EXPECT_EQ(delivered(), "1,2,3,4,5,6,7,8,9,10");
  EXPECT_TRUE(mon->reported);
}

TEST_F(ReplaySourceRounds, ARoundThatSupersedesAnotherMarksFromTheSamePlace) {
  caf::anon_send(source, start_atom_v);
  ts.run();
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  ts.run();
  caf::anon_send(source, chunk_atom_v, rows(7, 10), true);
  ts.run();
  // Round 1 never ends (its leader died); round 2 supersedes it: the
  // source has read nothing since, so round 2's position is round 1's.
  caf::anon_send(source, ckpt_atom_v, uint64_t{2});
  ts.run();
  EXPECT_EQ(delivered(), "1,2,3,4,5,6");
  EXPECT_EQ(*got, (events{"1,2,3,4", "5,6", "mark 1", "mark 2"}));
  ASSERT_EQ(mon->rounds.size(), 2u);
  EXPECT_EQ(mon->rounds[1].second, mon->rounds[0].second);
  // Ending round 1 late does not end round 2.
  caf::anon_send(source, ckpt_atom_v, uint64_t{1}, true);
  ts.run();
  EXPECT_EQ(delivered(), "1,2,3,4,5,6");
  caf::anon_send(source, ckpt_atom_v, uint64_t{2}, true);
  ts.run();
  EXPECT_EQ(delivered(), "1,2,3,4,5,6,7,8,9,10");
  EXPECT_TRUE(mon->reported);
}

TEST_F(ReplaySourceRounds,
       AnInputThatIsThereWholeWaitsForARoundBeforeItsStart) {
  feed->push(rows(7, 8));
  feed->close();
  caf::anon_send(source, ckpt_atom_v, uint64_t{1});
  caf::anon_send(source, start_atom_v);
  ts.run();
  // The whole input was there, but the round came first: only its mark.
  EXPECT_EQ(*got, (events{"mark 1"}));
  ASSERT_EQ(mon->rounds.size(), 1u);
  EXPECT_EQ(mon->rounds[0].second, std::string{"sensor,ts,value\n"}.size());
  EXPECT_FALSE(mon->reported);
  caf::anon_send(source, ckpt_atom_v, uint64_t{1}, true);
  ts.run();
  EXPECT_EQ(delivered(), "1,2,3,4,5,6,7,8");
  EXPECT_TRUE(mon->reported);
}
