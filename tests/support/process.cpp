#include "tests/support/process.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace shoal::test_support {

process_result run_command(const std::string& command) {
  process_result result;
  auto full = command + " 2>&1";
  auto* pipe = ::popen(full.c_str(), "r");
  if (pipe == nullptr)
    return result;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0)
    result.output.append(buf, n);
  auto status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string binary(const std::string& name) {
  return std::string{SHOAL_BINARY_DIR} + "/bin/" + name;
}

std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<nlohmann::json> read_json_lines(const std::string& path) {
  std::vector<nlohmann::json> result;
  std::istringstream in{read_file(path)};
  std::string line;
  while (std::getline(in, line)) {
    auto x = nlohmann::json::parse(line, nullptr, false);
    if (!x.is_discarded())
      result.push_back(std::move(x));
  }
  return result;
}

std::vector<std::string> sorted_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in{text};
  std::string line;
  while (std::getline(in, line))
    lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

} // namespace shoal::test_support
