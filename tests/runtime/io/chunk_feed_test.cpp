// An input streamed in pieces (`shoalctl replay`, SPEC section 9) reads
// exactly as the same file does, wherever the pieces are cut: same rows,
// same malformed rows at the same line numbers, the same 64 KiB line limit;
// and the sender's pieces are whole lines within their cap.

#include <algorithm>
#include <gtest/gtest.h>
#include <string>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv.hpp"
#include "runtime/io/line_pieces.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

/// An input with every case of the reader's rules: a byte order mark, blank
/// lines, malformed rows, '\r\n', overlong lines (one of them last, without
/// '\n').
std::string tricky_input() {
  std::string pad(70000, ' ');
  return "\xEF\xBB\xBFsensor,ts,value\n"
         "a,1,1.5\n"
         "\n"
         "b,2,+3e2\r\n"
         "not a row\n"
         "x,3,3"
         + pad + "\nc,4,nan\n   \n" + pad + "y,5,5\r\n" + "d,6,-7\n" + "z,7,7"
         + pad;
}

/// What a reader found: "<sensor>@<line>=<ts>:<value>" for a sample,
/// "!<line>" for a malformed row. Pushes the next piece of `pieces` when
/// the reader waits for one.
std::vector<std::string> rows_of(sample_reader& rd, chunk_feed* feed,
                                 std::vector<std::string>& pieces) {
  std::vector<std::string> res;
  sample_row row;
  for (;;) {
    auto k = rd.next(row);
    if (k == row_kind::end)
      break;
    if (k == row_kind::pending) {
      EXPECT_NE(feed, nullptr);
      if (feed == nullptr)
        break;
      if (pieces.empty()) {
        feed->close();
      } else {
        feed->push(std::move(pieces.front()));
        pieces.erase(pieces.begin());
      }
      continue;
    }
    auto line = std::to_string(rd.line_number());
    res.push_back(k == row_kind::sample ? std::string{row.sensor} + "@" + line
                                            + "=" + std::to_string(row.ts) + ":"
                                            + std::to_string(row.value)
                                        : "!" + line);
  }
  EXPECT_FALSE(rd.error());
  return res;
}

/// `text` cut into its header line and then pieces of `size` bytes.
std::vector<std::string> cut(const std::string& text, size_t size) {
  auto header = text.find('\n') + 1;
  std::vector<std::string> res{text.substr(0, header)};
  for (size_t i = header; i < text.size(); i += size)
    res.push_back(text.substr(i, size));
  return res;
}

} // namespace

TEST(ChunkFeed, ReadsTheSameRowsAsTheFileWhereverThePiecesAreCut) {
  auto text = tricky_input();
  temp_file path{"tricky.csv", text};
  auto file = sample_reader::open(path);
  ASSERT_TRUE(file) << describe(file.error());
  std::vector<std::string> none;
  auto want = rows_of(*file, nullptr, none);
  ASSERT_EQ(want.size(), 8u);
  EXPECT_EQ(want[0], "a@2=1:1.500000");
  EXPECT_EQ(want[2], "!5");
  EXPECT_EQ(want[3], "!6");
  for (size_t size :
       {size_t{1}, size_t{7}, size_t{4096}, size_t{65537}, size_t{1} << 20}) {
    auto pieces = cut(text, size);
    auto feed = std::make_shared<chunk_feed>();
    feed->push(std::move(pieces.front()));
    pieces.erase(pieces.begin());
    auto rd = sample_reader::open(feed, "in.csv");
    ASSERT_TRUE(rd) << describe(rd.error());
    EXPECT_EQ(rows_of(*rd, feed.get(), pieces), want) << "pieces of " << size;
    // Nothing waits in the feed once it was read to its end.
    EXPECT_EQ(feed->buffered(), 0u);
  }
}

TEST(ChunkFeed, WantsTheWholeHeaderInTheFirstPieceAndNeverShowsIt) {
  auto feed = std::make_shared<chunk_feed>();
  feed->push("sensor,ts");
  auto rd = sample_reader::open(feed, "in.csv");
  ASSERT_FALSE(rd);
  EXPECT_EQ(describe(rd.error()), "in.csv: line 1: expected header "
                                  "'sensor,ts,value', got no whole line in "
                                  "the first piece");
  feed = std::make_shared<chunk_feed>();
  feed->push("root:$6$secret:19000:0:99999:7:::\n");
  rd = sample_reader::open(feed, "in.csv");
  ASSERT_FALSE(rd);
  EXPECT_EQ(describe(rd.error()).find("secret"), std::string::npos);
  feed = std::make_shared<chunk_feed>();
  feed->close();
  rd = sample_reader::open(feed, "in.csv");
  ASSERT_FALSE(rd);
  EXPECT_NE(describe(rd.error()).find("got an empty file"), std::string::npos);
}

TEST(LinePieces, CutsWholeLinesWithinTheCapAndKeepsEveryByte) {
  std::string text = "sensor,ts,value\n";
  for (int i = 0; i < 200; ++i)
    text += "s" + std::to_string(i) + "," + std::to_string(i) + ",1\n";
  text += std::string(250, 'x') + "\nlast,1,2";
  temp_file path{"pieces.csv", text};
  auto src = file_bytes::open(path);
  ASSERT_TRUE(src);
  line_pieces pieces{*src, 100};
  std::string all;
  std::string piece;
  bool last = false;
  size_t count = 0;
  while (pieces.next(piece, last)) {
    ++count;
    EXPECT_LE(piece.size(), 100u);
    // Whole lines, unless a line fills the piece, or the input ends.
    if (!last && piece.size() < 100) {
      EXPECT_EQ(piece.back(), '\n') << piece;
    }
    all += piece;
    EXPECT_EQ(pieces.offset(), all.size());
  }
  EXPECT_TRUE(last);
  EXPECT_FALSE(pieces.failed());
  EXPECT_EQ(all, text);
  EXPECT_GT(count, text.size() / 100);
  // An empty input is one empty last piece.
  temp_file empty{"empty.csv", ""};
  line_pieces none{*file_bytes::open(empty), 100};
  ASSERT_TRUE(none.next(piece, last));
  EXPECT_TRUE(piece.empty());
  EXPECT_TRUE(last);
  EXPECT_FALSE(none.next(piece, last));
}
