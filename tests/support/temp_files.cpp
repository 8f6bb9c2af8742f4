#include "tests/support/temp_files.hpp"

#include <fstream>
#include <system_error>
#include <unistd.h>

namespace fs = std::filesystem;

namespace shoal::test_support {

std::string write_temp_file(const std::string& name, const std::string& text) {
  auto dir
    = fs::temp_directory_path() / ("shoal_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream{path, std::ios::binary} << text;
  return path;
}

temp_file::temp_file(const std::string& name, const std::string& content)
  : path(write_temp_file(name, content)) {
  // nop
}

temp_file::~temp_file() {
  std::error_code ec;
  fs::remove(path, ec);
  // Fails, as it should, while the directory holds other files.
  fs::remove(fs::path{path}.parent_path(), ec);
}

void temp_dir_test::SetUp() {
  auto info = testing::UnitTest::GetInstance()->current_test_info();
  dir_ = fs::temp_directory_path()
         / ("shoal_" + std::string{info->test_suite_name()} + "_"
            + std::to_string(::getpid()) + "_" + info->name());
  fs::remove_all(dir_);
  fs::create_directories(dir_);
}

void temp_dir_test::TearDown() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string temp_dir_test::write(const std::string& rel,
                                 const std::string& text) const {
  auto p = dir_ / rel;
  fs::create_directories(p.parent_path());
  std::ofstream out{p, std::ios::binary};
  out << text;
  return p.string();
}

} // namespace shoal::test_support
