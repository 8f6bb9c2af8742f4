#include "tests/support/headless_browser.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/process.hpp"

namespace fs = std::filesystem;

namespace shoal::test_support {

std::string find_chromium() {
  for (auto path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (::access(path, X_OK) == 0)
      return path;
  return {};
}

page_load load_page(const std::string& url, int virtual_ms) {
  page_load out;
  auto chromium = find_chromium();
  if (chromium.empty()) {
    out.error = "chromium is not installed (apt-get install chromium; "
                "scripts/common.sh lists it)";
    return out;
  }
  static int runs = 0;
  auto dir = fs::temp_directory_path()
             / ("shoal_chromium_" + std::to_string(::getpid()) + "_"
                + std::to_string(++runs));
  fs::remove_all(dir);
  fs::create_directories(dir / "profile");
  auto dom = (dir / "dom.html").string();
  auto log = (dir / "chromium.log").string();
  // `timeout`: a browser that hangs fails the test instead of blocking it.
  auto cmd = "timeout 120 " + chromium
             + " --headless=new --no-sandbox --disable-gpu --no-first-run"
               " --disable-extensions --enable-logging=stderr --v=0"
               " --user-data-dir="
             + (dir / "profile").string()
             + " --virtual-time-budget=" + std::to_string(virtual_ms)
             + " --dump-dom '" + url + "' >" + dom + " 2>" + log;
  int status = std::system(cmd.c_str());
  out.dom = read_file(dom);
  out.log = read_file(log);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    out.error = "chromium failed (exit status " + std::to_string(status)
                + "): " + cmd + "\n" + out.log;
  std::error_code ec;
  fs::remove_all(dir, ec);
  return out;
}

std::vector<std::string> console_problems(const std::string& log) {
  std::vector<std::string> found;
  std::istringstream in{log};
  std::string line;
  while (std::getline(in, line))
    if (line.find(":CONSOLE") != std::string::npos
        || line.find("Uncaught") != std::string::npos)
      found.push_back(line);
  return found;
}

size_t count_of(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos;
       pos = text.find(needle, pos + needle.size()))
    ++n;
  return n;
}

} // namespace shoal::test_support
