#include "tests/support/status_page_fixture.hpp"

#include "runtime/core/errc.hpp"
#include "tests/support/headless_browser.hpp"

namespace shoal::test_support {

std::string element(const std::string& dom, const std::string& open_tag,
                    const std::string& close_tag) {
  auto begin = dom.find(open_tag);
  if (begin == std::string::npos)
    return {};
  auto end = dom.find(close_tag, begin);
  return dom.substr(begin, end == std::string::npos ? end : end - begin);
}

void StatusPage::load(status_model model, const std::string& fragment) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    model_ = std::move(model);
  }
  auto srv = http_server::start(net_address{"127.0.0.1", 0}, [this] {
    ++calls_;
    std::lock_guard<std::mutex> guard{mtx_};
    return model_;
  });
  ASSERT_TRUE(srv) << describe(srv.error());
  srv_ = std::move(*srv);
  auto page = load_page("http://127.0.0.1:" + std::to_string(srv_->port()) + "/"
                        + fragment);
  ASSERT_EQ(page.error, "");
  dom_ = page.dom;
  auto problems = console_problems(page.log);
  for (auto& line : problems)
    ADD_FAILURE() << "console: " << line;
  ASSERT_GE(calls_.load(), 1) << "the page never fetched /status";
  ASSERT_NE(dom_.find("id=\"state\" class=\"live\""), std::string::npos)
    << "the page did not show a fresh status:\n"
    << element(dom_, "<header>", "</header>");
}

} // namespace shoal::test_support
