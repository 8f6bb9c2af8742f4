// The checkpoint store over real RocksDB, in a fresh directory per test (or
// in memory): incremental reads, subsets, removals, commits across a
// reopen, pruning, dropping an owner, and the errors of opening.

#include <gtest/gtest.h>

#include "runtime/core/errc.hpp"
#include "runtime/state/checkpoint_store.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

using states = checkpoint_store::state_list;

class CheckpointStore : public temp_dir_test {
protected:
  std::unique_ptr<checkpoint_store> open_store(const std::string& dir) {
    auto store = checkpoint_store::open(dir);
    if (!store) {
      ADD_FAILURE() << describe(store.error());
      return nullptr;
    }
    return std::move(*store);
  }

  std::string db_dir() const {
    return (dir_ / "data" / "n1").string();
  }

  /// Checks that `x` holds a value and returns it (empty otherwise).
  static states ok(caf::expected<states> x) {
    if (!x) {
      ADD_FAILURE() << describe(x.error());
      return {};
    }
    return std::move(*x);
  }
};

} // namespace

TEST_F(CheckpointStore, ReadsEachNodeAtItsNewestEntryUpToTheId) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  ASSERT_FALSE(
    store->write("n1", 1, {{"a", "a1"}, {"ab", "ab1"}, {"c", "c1"}}));
  ASSERT_FALSE(store->write("n1", 2, {{"ab", "ab2"}}));
  ASSERT_FALSE(store->write("n1", 4, {{"c", "c4"}, {"d", "d4"}}));
  // Owners whose names extend one another stay apart.
  ASSERT_FALSE(store->write("n", 3, {{"a", "other"}}));
  ASSERT_FALSE(store->write("n10", 1, {{"a", "other"}}));
  EXPECT_EQ(ok(store->read("n1", 0)), states{});
  EXPECT_EQ(ok(store->read("n1", 1)),
            (states{{"a", "a1"}, {"ab", "ab1"}, {"c", "c1"}}));
  auto at2 = states{{"a", "a1"}, {"ab", "ab2"}, {"c", "c1"}};
  EXPECT_EQ(ok(store->read("n1", 2)), at2);
  EXPECT_EQ(ok(store->read("n1", 3)), at2);
  auto at4 = states{{"a", "a1"}, {"ab", "ab2"}, {"c", "c4"}, {"d", "d4"}};
  EXPECT_EQ(ok(store->read("n1", 4)), at4);
  EXPECT_EQ(ok(store->read("n1", UINT64_MAX)), at4);
  EXPECT_EQ(ok(store->read("n", 9)), (states{{"a", "other"}}));
  EXPECT_EQ(ok(store->read("nobody", 9)), states{});
}

TEST_F(CheckpointStore, ReadsASubsetInTheOrderAsked) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  ASSERT_FALSE(
    store->write("n1", 1, {{"a", "a1"}, {"ab", "ab1"}, {"c", "c1"}}));
  ASSERT_FALSE(store->write("n1", 3, {{"a", "a3"}, {"e", "e3"}}));
  ASSERT_FALSE(store->write("n2", 1, {{"zz", "of n2"}}));
  EXPECT_EQ(ok(store->read("n1", 2, {"c", "zz", "a", "e", "b"})),
            (states{{"c", "c1"}, {"a", "a1"}}));
  EXPECT_EQ(ok(store->read("n1", 3, {"e", "a", "ab"})),
            (states{{"e", "e3"}, {"a", "a3"}, {"ab", "ab1"}}));
  EXPECT_EQ(ok(store->read("n1", 0, {"a"})), states{});
  EXPECT_EQ(ok(store->read("n1", 3, {})), states{});
}

TEST_F(CheckpointStore, KeepsAnyBytesAsAState) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  std::string binary{"\0\xff\x01v x", 6};
  std::string big(64 * 1024, 'q');
  ASSERT_FALSE(
    store->write("n1", 1, {{"empty", ""}, {"bin", binary}, {"big", big}}));
  EXPECT_EQ(ok(store->read("n1", 1)),
            (states{{"big", big}, {"bin", binary}, {"empty", ""}}));
  EXPECT_EQ(ok(store->read("n1", 1, {"empty"})), (states{{"empty", ""}}));
}

TEST_F(CheckpointStore, ARemovedNodeIsGoneFromItsIdOn) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  ASSERT_FALSE(store->write("n1", 1, {{"a", "a1"}, {"b", "b1"}}));
  ASSERT_FALSE(store->write("n1", 2, {{"b", "b2"}}, {"a"}));
  ASSERT_FALSE(store->write("n1", 4, {{"a", "again"}}));
  EXPECT_EQ(ok(store->read("n1", 1)), (states{{"a", "a1"}, {"b", "b1"}}));
  EXPECT_EQ(ok(store->read("n1", 2)), (states{{"b", "b2"}}));
  EXPECT_EQ(ok(store->read("n1", 3, {"a", "b"})), (states{{"b", "b2"}}));
  EXPECT_EQ(ok(store->read("n1", 4)), (states{{"a", "again"}, {"b", "b2"}}));
  auto err = store->write("n1", 5, {{"a", "x"}}, {"a"});
  ASSERT_TRUE(err);
  EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::invalid_input));
  EXPECT_NE(describe(err).find("node 'a' is both written and removed"),
            std::string::npos)
    << describe(err);
}

TEST_F(CheckpointStore, TheCommittedCheckpointSurvivesAReopen) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->committed());
  ASSERT_FALSE(store->write("n1", 1, {{"a", "a1"}}));
  ASSERT_FALSE(store->commit(1, "meta 1"));
  ASSERT_FALSE(store->write("n1", 2, {{"a", "a2"}}));
  ASSERT_FALSE(store->write("n2", 2, {{"b", "b2"}}));
  ASSERT_FALSE(store->commit(2, std::string{"meta\0 2", 7}));
  store.reset();
  store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->committed());
  EXPECT_EQ(*store->committed(),
            (checkpoint_store::commit_info{2, std::string{"meta\0 2", 7}}));
  EXPECT_EQ(ok(store->read("n1", 2)), (states{{"a", "a2"}}));
  EXPECT_EQ(ok(store->read("n2", 2)), (states{{"b", "b2"}}));
  // A committed checkpoint is not committed again, nor an older one.
  for (auto err : {store->commit(2, "again"), store->commit(1, "older")}) {
    ASSERT_TRUE(err);
    EXPECT_EQ(err.code(), static_cast<uint8_t>(errc::invalid_input));
    EXPECT_NE(describe(err).find("not newer than the committed checkpoint 2"),
              std::string::npos)
      << describe(err);
  }
  EXPECT_EQ(store->committed()->second, std::string("meta\0 2", 7));
  // The copy of a new owner is seeded at the committed checkpoint, in two
  // pieces.
  ASSERT_FALSE(store->write("n3", 2, {{"c", "c2"}}));
  ASSERT_FALSE(store->write("n3", 2, {{"d", "d2"}}));
  EXPECT_EQ(ok(store->read("n3", 2)), (states{{"c", "c2"}, {"d", "d2"}}));
  ASSERT_FALSE(store->write("n1", 3, {{"a", "a3"}}));
  ASSERT_FALSE(store->commit(3, "meta 3"));
  EXPECT_EQ(store->committed()->first, 3u);
}

TEST_F(CheckpointStore, PruneKeepsWhatTheCommittedCheckpointReads) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  ASSERT_FALSE(store->write("n1", 1, {{"a", "a1"}, {"b", "b1"}, {"c", "c1"}}));
  ASSERT_FALSE(store->write("n1", 2, {{"a", "a2"}}, {"c"}));
  ASSERT_FALSE(store->write("n2", 2, {{"x", "x2"}}));
  ASSERT_FALSE(store->commit(2, "m2"));
  ASSERT_FALSE(store->write("n1", 3, {{"a", "a3"}}));
  ASSERT_FALSE(store->write("n1", 4, {{"b", "b4"}, {"c", "c4"}}));
  ASSERT_FALSE(store->commit(4, "m4"));
  ASSERT_FALSE(store->write("n1", 5, {{"a", "a5"}}));
  auto err = store->prune(5);
  ASSERT_TRUE(err);
  EXPECT_NE(describe(err).find("latest committed: 4"), std::string::npos)
    << describe(err);
  auto at3 = ok(store->read("n1", 3));
  auto at4 = ok(store->read("n1", 4));
  auto at5 = ok(store->read("n1", 5));
  ASSERT_FALSE(store->prune(3));
  EXPECT_EQ(ok(store->read("n1", 3)), at3);
  EXPECT_EQ(ok(store->read("n1", 4)), at4);
  EXPECT_EQ(ok(store->read("n1", 5)), at5);
  // What only older ids read is gone: a's entries before 3, c's removal.
  EXPECT_EQ(ok(store->read("n1", 2)), (states{{"b", "b1"}}));
  EXPECT_EQ(ok(store->read("n1", 1)), (states{{"b", "b1"}}));
  ASSERT_FALSE(store->prune(4));
  EXPECT_EQ(ok(store->read("n1", 4)), at4);
  EXPECT_EQ(ok(store->read("n1", 5)), at5);
  EXPECT_EQ(ok(store->read("n1", 5, {"c", "a"})),
            (states{{"c", "c4"}, {"a", "a5"}}));
  // b's entry before 4 is gone.
  EXPECT_EQ(ok(store->read("n1", 3)), (states{{"a", "a3"}}));
  EXPECT_EQ(ok(store->read("n2", 4)), (states{{"x", "x2"}}));
  store.reset();
  store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->committed());
  EXPECT_EQ(*store->committed(), (checkpoint_store::commit_info{4, "m4"}));
  EXPECT_EQ(ok(store->read("n1", 5)), at5);
}

TEST_F(CheckpointStore, PruneWithoutACommitIsRefused) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  ASSERT_FALSE(store->write("n1", 1, {{"a", "a1"}}));
  auto err = store->prune(1);
  ASSERT_TRUE(err);
  EXPECT_NE(describe(err).find("latest committed: none"), std::string::npos)
    << describe(err);
  EXPECT_EQ(ok(store->read("n1", 1)), (states{{"a", "a1"}}));
}

TEST_F(CheckpointStore, DropOwnerDeletesOnlyThatOwner) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  ASSERT_FALSE(store->write("n1", 1, {{"a", "a1"}}));
  ASSERT_FALSE(store->write("n2", 1, {{"a", "copy"}, {"b", "copy"}}));
  ASSERT_FALSE(store->write("n2", 2, {{"a", "copy2"}}));
  ASSERT_FALSE(store->write("n20", 1, {{"a", "n20"}}));
  auto owners = store->owners();
  ASSERT_TRUE(owners) << describe(owners.error());
  EXPECT_EQ(*owners, (std::vector<std::string>{"n1", "n2", "n20"}));
  ASSERT_FALSE(store->drop_owner("n2"));
  EXPECT_EQ(ok(store->read("n2", 2)), states{});
  EXPECT_EQ(ok(store->read("n2", 2, {"a"})), states{});
  EXPECT_EQ(ok(store->read("n1", 2)), (states{{"a", "a1"}}));
  EXPECT_EQ(ok(store->read("n20", 2)), (states{{"a", "n20"}}));
  owners = store->owners();
  ASSERT_TRUE(owners) << describe(owners.error());
  EXPECT_EQ(*owners, (std::vector<std::string>{"n1", "n20"}));
}

TEST_F(CheckpointStore, InMemoryStoresAreApartAndLeaveNoFiles) {
  auto one = open_store("");
  auto two = open_store("");
  ASSERT_NE(one, nullptr);
  ASSERT_NE(two, nullptr);
  ASSERT_FALSE(one->write("n1", 1, {{"a", "one"}}));
  ASSERT_FALSE(one->commit(1, "meta"));
  EXPECT_EQ(ok(one->read("n1", 1)), (states{{"a", "one"}}));
  EXPECT_EQ(one->committed()->first, 1u);
  EXPECT_GT(one->bytes_on_disk(), 0u);
  EXPECT_EQ(ok(two->read("n1", 1)), states{});
  EXPECT_FALSE(two->committed());
  EXPECT_FALSE(std::filesystem::exists("/in-memory"));
}

TEST_F(CheckpointStore, BytesOnDiskGrowWithTheStates) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  auto empty = store->bytes_on_disk();
  states many;
  for (int i = 0; i < 1000; ++i)
    many.emplace_back("node" + std::to_string(i), std::string(200, 's'));
  ASSERT_FALSE(store->write("n1", 1, many));
  EXPECT_GT(store->bytes_on_disk(), empty + 100'000);
}

TEST_F(CheckpointStore, ASecondOpenOfTheDirectorySaysItIsInUse) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  auto second = checkpoint_store::open(db_dir());
  ASSERT_FALSE(second);
  auto text = describe(second.error());
  EXPECT_NE(text.find("checkpoint store " + db_dir() + ": in use"),
            std::string::npos)
    << text;
  EXPECT_NE(text.find(db_dir() + "/LOCK"), std::string::npos) << text;
  store.reset();
  EXPECT_NE(open_store(db_dir()), nullptr);
}

TEST_F(CheckpointStore, ADirectoryThatCannotBeCreatedIsAClearError) {
  auto file = write("plain-file", "not a directory\n");
  auto dir = file + "/n1";
  auto store = checkpoint_store::open(dir);
  ASSERT_FALSE(store);
  auto text = describe(store.error());
  EXPECT_NE(
    text.find("checkpoint store " + dir + ": cannot create the directory: "),
    std::string::npos)
    << text;
}

TEST_F(CheckpointStore, RefusesNamesThatCannotBeKeys) {
  auto store = open_store("");
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->write("", 1, {{"a", "x"}}));
  EXPECT_TRUE(store->write("n1", 1, {{"", "x"}}));
  EXPECT_TRUE(store->write("n1", 1, {{std::string{"a\0b", 3}, "x"}}));
  EXPECT_TRUE(store->write("n1", 1, {}, {""}));
  EXPECT_FALSE(store->read("", 1));
  EXPECT_TRUE(store->drop_owner(std::string{"n\0", 2}));
  // Nothing of the refused writes arrived.
  EXPECT_EQ(ok(store->read("n1", 1)), states{});
}

TEST_F(CheckpointStore, WritesViewsInAnyOrderAndTheLastOfANameWins) {
  auto store = open_store(db_dir());
  ASSERT_NE(store, nullptr);
  std::string c = "c1";
  std::string a = "a1";
  std::string a_again = "a2";
  // Out of name order, and "a" twice: the second one is what is kept.
  ASSERT_FALSE(store->write_views(
    "n1", 1, {{"c", c}, {"a", a}, {"b", "b1"}, {"a", a_again}}));
  EXPECT_EQ(ok(store->read("n1", 1)),
            (states{{"a", "a2"}, {"b", "b1"}, {"c", "c1"}}));
  auto bad = store->write_views("n1", 2, {{"x", "1"}, {"", "2"}});
  ASSERT_TRUE(bad);
  EXPECT_NE(describe(bad).find("is empty or has a NUL byte"), std::string::npos)
    << describe(bad);
  EXPECT_EQ(ok(store->read("n1", 2)), ok(store->read("n1", 1)))
    << "nothing of a refused write is kept";
}
