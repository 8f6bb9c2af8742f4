// `shoal-node --config NODE.toml`: a cluster member (SPEC section 7).

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/member_actor.hpp"
#include "actors/messages.hpp"
#include "runtime/cluster/member_config.hpp"
#include "runtime/errc.hpp"
#include "runtime/host/node_commands.hpp"
#include "runtime/host/system_config.hpp"

namespace shoal {

namespace {

std::atomic<bool> member_stop{false};

extern "C" void on_member_signal(int) {
  member_stop = true;
}

} // namespace

int member_command(const node_args& args) {
  auto cfg = load_member_config(args.config);
  if (!cfg) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(cfg.error()).c_str());
    return 2;
  }
  caf::actor_system_config sys_cfg;
  configure_system(sys_cfg, args.threads > 0 ? args.threads : cfg->threads);
  sys_cfg.load<caf::io::middleman>();
  caf::actor_system sys{sys_cfg};
  caf::scoped_actor self{sys};
  member_options opts;
  opts.name = cfg->name;
  opts.listen = cfg->listen;
  opts.seeds = cfg->seeds;
  opts.heartbeat = std::chrono::milliseconds(cfg->heartbeat_ms);
  opts.failure_timeout = std::chrono::milliseconds(cfg->failure_timeout_ms);
  auto member
    = self->spawn(member_actor, opts, caf::actor_cast<caf::actor>(self));
  auto port = sys.middleman().publish(member, cfg->listen.port,
                                      cfg->listen.host.c_str(), true);
  if (!port) {
    std::fprintf(stderr, "shoal-node: %s: cannot listen on %s: %s\n",
                 cfg->file.c_str(), cfg->listen.to_string().c_str(),
                 sys.render(port.error()).c_str());
    self->send_exit(member, caf::exit_reason::user_shutdown);
    return 2;
  }
  std::fprintf(stderr, "shoal-node: member %s listening on %s\n",
               cfg->name.c_str(), cfg->listen.to_string().c_str());
  std::signal(SIGINT, on_member_signal);
  std::signal(SIGTERM, on_member_signal);
  int rc = 0;
  bool done = false;
  while (!done && !member_stop) {
    self->receive(
      [&](caf::error& err) {
        std::fprintf(stderr, "shoal-node: %s\n", describe(err).c_str());
        rc = 2;
        done = true;
      },
      caf::after(std::chrono::milliseconds(100)) >> [] {});
  }
  self->send_exit(member, caf::exit_reason::user_shutdown);
  sys.middleman().unpublish(member, port.value());
  return rc;
}

} // namespace shoal
