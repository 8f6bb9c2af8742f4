#include "apps/shoalctl/ctl_request.hpp"

#include <cmath>
#include <cstdio>
#include <set>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/core/parse_number.hpp"

namespace shoal {

namespace {

/// "30 s", "1.5 s".
std::string seconds_text(std::chrono::milliseconds d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g s", static_cast<double>(d.count()) / 1e3);
  return buf;
}

} // namespace

caf::expected<std::chrono::milliseconds> parse_ctl_timeout(const char* text) {
  double s = 0;
  // At most a day: beyond it a deadline no longer protects anyone, and
  // the milliseconds stay far from overflowing.
  if (text == nullptr || !parse_number(text, s) || !std::isfinite(s) || s <= 0
      || s > 86400)
    return make_error(errc::invalid_config,
                      "--timeout needs a positive number of seconds");
  auto ms = static_cast<int64_t>(std::ceil(s * 1e3));
  return std::chrono::milliseconds{ms};
}

caf::expected<caf::actor> connect_member(caf::scoped_actor& self,
                                         const ctl_target& to) {
  auto mm
    = to.transport ? to.transport : self->system().middleman().actor_handle();
  caf::expected<caf::actor> res{caf::sec::no_actor_published_at_port};
  self
    ->request(mm, to.timeout, caf::connect_atom_v, to.address.host,
              to.address.port)
    .receive(
      [&](const caf::node_id&, caf::strong_actor_ptr& ptr,
          const std::set<std::string>& ifs) {
        // What `remote_actor<caf::actor>` checks: an untyped actor.
        if (!ptr)
          res = caf::sec::no_actor_published_at_port;
        else if (!ifs.empty())
          res = caf::sec::unexpected_actor_messaging_interface;
        else
          res = caf::actor_cast<caf::actor>(std::move(ptr));
      },
      [&](caf::error& err) {
        res = std::move(err);
      });
  return res;
}

bool is_timeout(const caf::error& err) {
  return err == caf::sec::request_timeout;
}

int ctl_failed(caf::scoped_actor& self, const ctl_target& to,
               const std::string& command, const caf::error& err) {
  std::string text;
  if (is_timeout(err))
    text = "member " + to.address.to_string() + " did not answer '" + command
           + "' within " + seconds_text(to.timeout)
           + " (--timeout S waits longer)";
  else if (err.category() == caf::atom("shoal"))
    text = describe(err);
  else
    text = self->system().render(err);
  std::fprintf(stderr, "shoalctl: %s: %s\n", command.c_str(), text.c_str());
  return 1;
}

} // namespace shoal
