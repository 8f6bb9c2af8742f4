// Files and directories under the temp directory, for tests.
//
// Every name carries the process id, and a test's directory also the test's
// suite and name, so that tests running in parallel processes (as ctest runs
// them) never share a path. `temp_file` and `temp_dir_test` remove what they
// created; `write_temp_file` leaves its file behind, to look at after a
// failure. Not thread-safe: for the test that runs on the main thread.

#pragma once

#include <filesystem>
#include <gtest/gtest.h>
#include <string>

namespace shoal::test_support {

/// Writes `text` to a fresh file under the temp directory; returns its path.
std::string write_temp_file(const std::string& name, const std::string& text);

/// A file in the temp directory, removed when it goes away.
struct temp_file {
  /// Writes `content` to a file named after `name`.
  temp_file(const std::string& name, const std::string& content);

  temp_file(const temp_file&) = delete;

  temp_file& operator=(const temp_file&) = delete;

  ~temp_file();

  operator const std::string&() const {
    return path;
  }

  std::string path;
};

/// A fixture that gives each test a fresh, empty directory `dir_`, removed
/// with everything in it after the test.
class temp_dir_test : public testing::Test {
protected:
  void SetUp() override;

  void TearDown() override;

  /// Writes `text` to `rel` under `dir_`, creating the directories on the
  /// way; returns its path.
  std::string write(const std::string& rel, const std::string& text) const;

  std::filesystem::path dir_;
};

} // namespace shoal::test_support
