// A replay's outputs travel in pages from a bounded buffer
// (runtime/io/page_buffer.hpp): every row arrives exactly once and in the
// order written, a page is asked for again from the same index and comes
// back the same, and with the replay session's rule (no input while full)
// the buffer never holds more than its cap plus one input piece's outputs.

#include <gtest/gtest.h>
#include <string>
#include <thread>
#include <vector>

#include "runtime/io/page_buffer.hpp"

using namespace shoal;

namespace {

page_limits tiny() {
  page_limits lim;
  lim.cap_rows = 10;
  lim.page_rows = 4;
  lim.page_bytes = 1 << 20;
  return lim;
}

/// Output `i` of a test replay.
void write_output(page_buffer& buf, int64_t i) {
  buf.write("n" + std::to_string(i % 3), point{i, static_cast<double>(i)});
}

} // namespace

TEST(PageBuffer, PagesFromTheIndexAskedFor) {
  page_buffer buf{tiny()};
  for (int64_t i = 0; i < 6; ++i)
    write_output(buf, i);
  auto pg = buf.take(0);
  ASSERT_TRUE(pg);
  EXPECT_EQ(pg->first, 0u);
  ASSERT_EQ(pg->rows.size(), 4u);
  EXPECT_EQ(pg->rows.points[3].ts, 3);
  // The answer was lost: the same page again.
  auto again = buf.take(0);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rows, pg->rows);
  auto rest = buf.take(4);
  ASSERT_TRUE(rest);
  EXPECT_EQ(rest->first, 4u);
  ASSERT_EQ(rest->rows.size(), 2u);
  EXPECT_EQ(rest->rows.points[0].ts, 4);
  EXPECT_EQ(buf.held(), 2u);
  // Nothing new yet: an empty page.
  auto none = buf.take(6);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->rows.empty());
  EXPECT_EQ(buf.held(), 0u);
  EXPECT_EQ(buf.end(), 6u);
}

TEST(PageBuffer, RefusesDroppedAndUnwrittenIndexes) {
  page_buffer buf{tiny()};
  for (int64_t i = 0; i < 5; ++i)
    write_output(buf, i);
  ASSERT_TRUE(buf.take(3));
  EXPECT_FALSE(buf.take(2));
  EXPECT_FALSE(buf.take(6));
  EXPECT_TRUE(buf.take(5));
}

TEST(PageBuffer, PagesStayUnderTheirByteSizeButMoveOn) {
  auto lim = tiny();
  lim.page_bytes = 1; // smaller than any row: one row a page
  page_buffer buf{lim};
  for (int64_t i = 0; i < 3; ++i)
    write_output(buf, i);
  uint64_t next = 0;
  while (next < 3) {
    auto pg = buf.take(next);
    ASSERT_TRUE(pg);
    ASSERT_EQ(pg->rows.size(), 1u);
    EXPECT_EQ(pg->rows.points[0].ts, static_cast<int64_t>(next));
    next += 1;
  }
}

TEST(PageBuffer, BackPressureKeepsTheBufferBoundedAndLosesNothing) {
  // The session's rule: an input piece (here causing 7 outputs) is taken
  // only while the buffer is not full; else the reader fetches first.
  auto lim = tiny();
  page_buffer buf{lim};
  constexpr int64_t pieces = 200;
  constexpr int64_t per_piece = 7;
  int64_t taken = 0;
  uint64_t next = 0;
  std::vector<int64_t> got;
  size_t refused = 0;
  bool end = false;
  while (!end) {
    if (taken < pieces) {
      if (buf.full()) {
        ++refused;
      } else {
        for (int64_t k = 0; k < per_piece; ++k)
          write_output(buf, taken * per_piece + k);
        ++taken;
      }
    }
    // One page after each try, as shoalctl does.
    auto pg = buf.take(next);
    ASSERT_TRUE(pg);
    ASSERT_EQ(pg->first, next);
    ASSERT_LE(pg->rows.size(), lim.page_rows);
    for (auto& p : pg->rows.points)
      got.push_back(p.ts);
    next += pg->rows.size();
    end = taken == pieces && next == buf.end();
  }
  ASSERT_EQ(got.size(), static_cast<size_t>(pieces * per_piece));
  for (size_t i = 0; i < got.size(); ++i)
    ASSERT_EQ(got[i], static_cast<int64_t>(i));
  EXPECT_GT(refused, 0u);
  EXPECT_LE(buf.peak(), lim.cap_rows + per_piece);
  EXPECT_GT(buf.peak(), lim.cap_rows); // the cap was reached, not idle
}

TEST(PageBuffer, AWriterAndAReaderOnTwoThreads) {
  auto lim = tiny();
  lim.cap_rows = 1000;
  page_buffer buf{lim};
  constexpr int64_t total = 20000;
  std::thread writer{[&] {
    for (int64_t i = 0; i < total; ++i)
      write_output(buf, i);
  }};
  uint64_t next = 0;
  bool ordered = true;
  while (next < static_cast<uint64_t>(total)) {
    auto pg = buf.take(next);
    if (!pg) {
      // The writer must be joined before the test ends.
      ADD_FAILURE() << "take(" << next << ") failed";
      break;
    }
    for (auto& p : pg->rows.points)
      ordered = ordered && p.ts == static_cast<int64_t>(next++);
  }
  writer.join();
  EXPECT_TRUE(ordered);
  EXPECT_EQ(buf.end(), static_cast<uint64_t>(total));
}

TEST(PageBuffer, APageNamesEachNodeOnceAndEveryRowHasItsName) {
  page_buffer buf{tiny()};
  buf.write("a", point{1, 1.0});
  point two[] = {point{2, 2.0}, point{3, 3.0}};
  buf.write_points("b", two, 2);
  buf.write("a", point{4, 4.0});
  auto pg = buf.take(0);
  ASSERT_TRUE(pg);
  auto& rows = pg->rows;
  ASSERT_TRUE(rows.valid());
  EXPECT_EQ(rows.names, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows.row(0), (output_row{"a", 1, 1.0}));
  EXPECT_EQ(rows.row(1), (output_row{"b", 2, 2.0}));
  EXPECT_EQ(rows.row(2), (output_row{"b", 3, 3.0}));
  EXPECT_EQ(rows.row(3), (output_row{"a", 4, 4.0}));
  // A later page names only the nodes it holds, from index 0.
  buf.write("b", point{5, 5.0});
  auto next = buf.take(4);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->rows.names, (std::vector<std::string>{"b"}));
  EXPECT_EQ(next->rows.row(0), (output_row{"b", 5, 5.0}));
}
