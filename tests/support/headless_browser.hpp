// Loading a page in a real headless browser (Debian's chromium) for tests.
//
// `load_page` runs `chromium --headless=new --dump-dom` with a virtual time
// budget, so timers and fetches of the page run before the DOM is dumped,
// and chromium's log on stderr, where every console message of the page
// appears as a line tagged CONSOLE (uncaught exceptions as "Uncaught ...").
// Each call uses a fresh profile directory, so tests may run in parallel.

#pragma once

#include <string>
#include <vector>

namespace shoal::test_support {

/// The chromium binary, or empty if it is not installed.
std::string find_chromium();

struct page_load {
  /// Empty when chromium ran and exited with 0; else what went wrong.
  std::string error;
  /// The DOM after the page's scripts ran (serialized HTML).
  std::string dom;
  /// Chromium's log (stderr).
  std::string log;
};

/// Loads `url` and lets the page run for `virtual_ms` of virtual time.
page_load load_page(const std::string& url, int virtual_ms = 5000);

/// The log lines that report the page's console output or uncaught errors
/// (a page of ours writes nothing to the console, so any is a problem).
std::vector<std::string> console_problems(const std::string& log);

/// How often `needle` occurs in `text`.
size_t count_of(const std::string& text, const std::string& needle);

} // namespace shoal::test_support
