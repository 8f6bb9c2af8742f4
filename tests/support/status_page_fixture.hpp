// A fixture for the status page tests: serves a status model over a real
// HTTP server and loads the page in headless chromium (headless_browser.hpp).
//
// `load` fails the test when the browser cannot run, the page wrote to the
// console or did not show a fresh status; `dom_` then holds the page as the
// browser left it. For the main thread of one test.

#pragma once

#include <atomic>
#include <gtest/gtest.h>
#include <memory>
#include <mutex>
#include <string>

#include "runtime/http/http_server.hpp"
#include "runtime/http/status_model.hpp"

namespace shoal::test_support {

/// The text of the element that starts with `open_tag`, up to `close_tag`.
std::string element(const std::string& dom, const std::string& open_tag,
                    const std::string& close_tag);

class StatusPage : public testing::Test {
protected:
  /// Serves `model` and loads the page, with `fragment` ("#q=pump07") after
  /// its address.
  void load(status_model model, const std::string& fragment = "");

  std::mutex mtx_;
  status_model model_;
  std::atomic<int> calls_{0};
  std::unique_ptr<http_server> srv_;
  std::string dom_;
};

} // namespace shoal::test_support
