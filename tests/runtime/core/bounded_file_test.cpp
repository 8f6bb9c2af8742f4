// Reading files that a graph names: regular files only, within a cap, and
// no hang on a fifo or a device.

#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "runtime/core/bounded_file.hpp"
#include "runtime/core/errc.hpp"
#include "tests/support/temp_files.hpp"

using namespace shoal;
using namespace shoal::test_support;

namespace {

class BoundedFile : public temp_dir_test {
protected:
  std::string reason(const std::string& path, uint64_t cap = 1024) {
    auto x = read_bounded_file(path, cap);
    return x ? std::string{"read"} : describe(x.error());
  }
};

} // namespace

TEST_F(BoundedFile, ReadsARegularFileWhole) {
  auto path = write_temp_file("bounded_ok.txt", "line 1\nline 2\n");
  auto x = read_bounded_file(path, 14);
  ASSERT_TRUE(x) << describe(x.error());
  EXPECT_EQ(*x, "line 1\nline 2\n");
}

TEST_F(BoundedFile, RefusesAFileLargerThanTheCapWithoutSayingWhatItHolds) {
  auto path = write_temp_file("bounded_big.txt", "secret: 0123456789\n");
  EXPECT_EQ(reason(path, 10), "is larger than the cap of 10 bytes");
}

TEST_F(BoundedFile, RefusesDirectoriesFifosAndDevices) {
  EXPECT_EQ(reason(dir_.string()), "is a directory");
  auto fifo = (dir_ / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // No writer: a blocking open would wait forever.
  EXPECT_EQ(reason(fifo), "is not a regular file");
  EXPECT_EQ(reason("/dev/zero"), "is not a regular file");
  EXPECT_EQ(reason((dir_ / "none").string()), "No such file or directory");
}
