// request_window: the requests of many items start in order, never more
// than the window awaiting at once, items done at once do not count against
// it, a failure that says stop starts nothing more, and `finished` runs
// once, after the last item started is done.

#include <algorithm>
#include <gtest/gtest.h>
#include <vector>

#include "actors/cluster/request_window.hpp"

using namespace shoal;

namespace {

/// Items started and not done yet, with their `done`.
struct fake_requests {
  std::vector<size_t> started;
  std::vector<std::pair<size_t, request_window::done_fn>> awaiting;
  size_t most_awaiting = 0;
  int finished = 0;
  bool stopped = false;

  request_window::start_fn start() {
    return [this](size_t i, request_window::done_fn done) {
      started.push_back(i);
      awaiting.emplace_back(i, std::move(done));
      most_awaiting = std::max(most_awaiting, awaiting.size());
    };
  }

  request_window::finished_fn on_finished() {
    return [this](bool s) {
      ++finished;
      stopped = s;
    };
  }

  /// Answers the awaiting request at position `pos` (0: the oldest);
  /// `go_on` false is a failure that ends the whole.
  void answer(size_t pos, bool go_on = true) {
    auto done = std::move(awaiting[pos].second);
    awaiting.erase(awaiting.begin() + static_cast<std::ptrdiff_t>(pos));
    done(go_on);
  }
};

} // namespace

TEST(RequestWindow, KeepsAtMostTheWindowAwaitingAndStartsInOrder) {
  fake_requests r;
  request_window::run(10, 3, r.start(), r.on_finished());
  EXPECT_EQ(r.started, (std::vector<size_t>{0, 1, 2}));
  // Replies in any order: each one starts the next item.
  r.answer(1);
  EXPECT_EQ(r.started, (std::vector<size_t>{0, 1, 2, 3}));
  while (!r.awaiting.empty()) {
    EXPECT_EQ(r.finished, 0);
    r.answer(r.awaiting.size() - 1);
  }
  std::vector<size_t> all(10);
  for (size_t i = 0; i < all.size(); ++i)
    all[i] = i;
  EXPECT_EQ(r.started, all);
  EXPECT_EQ(r.most_awaiting, 3u);
  EXPECT_EQ(r.finished, 1);
  EXPECT_FALSE(r.stopped);
}

TEST(RequestWindow, AFailureThatSaysStopStartsNothingMore) {
  fake_requests r;
  request_window::run(10, 3, r.start(), r.on_finished());
  r.answer(0, false);
  // Items 1 and 2 still await; nothing after them starts.
  EXPECT_EQ(r.started, (std::vector<size_t>{0, 1, 2}));
  r.answer(0);
  EXPECT_EQ(r.finished, 0);
  r.answer(0);
  EXPECT_EQ(r.started, (std::vector<size_t>{0, 1, 2}));
  EXPECT_EQ(r.finished, 1);
  EXPECT_TRUE(r.stopped);
}

TEST(RequestWindow, ItemsDoneAtOnceFinishWithoutRecursion) {
  // Every item done at once: 100,000 items finish in one loop, not 100,000
  // nested calls.
  size_t seen = 0;
  int finished = 0;
  request_window::run(
    100'000, 4,
    [&](size_t, request_window::done_fn done) {
      ++seen;
      done(true);
    },
    [&](bool) {
      ++finished;
    });
  EXPECT_EQ(seen, 100'000u);
  EXPECT_EQ(finished, 1);
}

TEST(RequestWindow, NoItemsFinishAtOnceAndAZeroWindowMeansOne) {
  fake_requests none;
  request_window::run(0, 8, none.start(), none.on_finished());
  EXPECT_TRUE(none.started.empty());
  EXPECT_EQ(none.finished, 1);
  fake_requests r;
  request_window::run(3, 0, r.start(), r.on_finished());
  EXPECT_EQ(r.started, (std::vector<size_t>{0}));
  r.answer(0);
  r.answer(0);
  r.answer(0);
  EXPECT_EQ(r.most_awaiting, 1u);
  EXPECT_EQ(r.finished, 1);
}
