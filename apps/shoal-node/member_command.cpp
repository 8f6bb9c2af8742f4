// `shoal-node --config NODE.toml`: a cluster member (SPEC section 7).
//
// Publishes the member actor at `listen`; with `[cluster] graph`, applies
// that graph once the cluster forms (checked at start; an error exits 2);
// with `[node] http`, also serves
// the HTTP endpoint (SPEC section 8) from a status board that a
// status_collector actor refreshes every second; `/healthz` and the
// `shoal_ready` gauge decide readiness (runtime/http/readiness.hpp) from
// that board and the live sources' connections at the time of the request. The
// configured sinks open at start; sources and sinks follow every deployment the
// member learns (member_io.hpp). SIGTERM (or SIGINT) is a planned leave: the
// member's nodes move with their state to the others (within
// `leave_timeout`, membership.hpp), the others drop it at once, then it
// stops its sources and sinks and exits 0; a second signal exits at once.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <thread>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/cluster/member_actor.hpp"
#include "actors/cluster/member_io.hpp"
#include "actors/cluster/status_collector.hpp"
#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "actors/net/member_transport.hpp"
#include "actors/net/tls_setup.hpp"
#include "apps/shoal-node/node_commands.hpp"
#include "runtime/cluster/formation.hpp"
#include "runtime/cluster/member_config.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/graph/graph_load.hpp"
#include "runtime/http/http_server.hpp"

#include "shoal_version.hpp"

namespace shoal {

namespace {

std::atomic<bool> member_stop{false};
/// The signal that started the leave, for its log line.
std::atomic<int> member_signal{0};

/// The first SIGTERM (or SIGINT) starts a planned leave; a second one
/// during it exits at once (async-signal-safe: `_Exit`).
extern "C" void on_member_signal(int sig) {
  if (member_stop)
    std::_Exit(1);
  member_signal = sig;
  member_stop = true;
}

} // namespace

int member_command(const node_args& args) {
  auto cfg = load_member_config(args.config);
  if (!cfg) {
    std::fprintf(stderr, "shoal-node: %s\n", describe(cfg.error()).c_str());
    return 2;
  }
  if (cfg->security.enabled()) {
    if (auto err = check_tls_files(cfg->security)) {
      std::fprintf(stderr, "shoal-node: %s: [security]: %s\n",
                   cfg->file.c_str(), describe(err).c_str());
      return 2;
    }
  }
  auto io = member_io::open(cfg->io, cfg->name);
  if (!io) {
    std::fprintf(stderr, "shoal-node: %s: %s\n", cfg->file.c_str(),
                 describe(io.error()).c_str());
    return 2;
  }
  // `[cluster] graph`: checked now (a bad file stops the member at start),
  // applied once the cluster forms.
  std::optional<graph_spec> initial;
  if (!cfg->graph.empty()) {
    auto g = load_graph(cfg->graph);
    if (!g) {
      std::fprintf(stderr, "shoal-node: %s: [cluster] 'graph': %s\n",
                   cfg->file.c_str(), describe(g.error()).c_str());
      return 2;
    }
    initial = std::move(*g);
  }
  std::shared_ptr<member_io> live{std::move(*io)};
  // The checkpoint store: under data_dir, or in memory without one (the
  // copy at another member still protects against this one's death).
  std::shared_ptr<checkpoint_store> store;
  if (cfg->checkpoint_interval_ms > 0) {
    auto opened = checkpoint_store::open(cfg->data_dir);
    if (!opened) {
      std::fprintf(stderr, "shoal-node: %s: [node] 'data_dir': %s\n",
                   cfg->file.c_str(), describe(opened.error()).c_str());
      return 2;
    }
    store = std::move(*opened);
  }
  // From here on the member's lines are events: logfmt, from this level.
  auto least = parse_log_level(!args.log_level.empty() ? args.log_level
                                                       : cfg->log_level);
  configure_stderr_log(cfg->name, least.value_or(log_level::info));
  caf::actor_system_config sys_cfg;
  configure_system(sys_cfg, args.threads > 0 ? args.threads : cfg->threads);
  sys_cfg.load<caf::io::middleman>();
  // Deserialize what arrives from other members in the I/O thread, in
  // order. CAF 0.17's BASP workers (one on 2 cores) deserialize beside it,
  // and every message that overtakes a large one (a replay piece, a
  // checkpoint copy) waits in a queue that CAF inserts into by a linear
  // search: 10 % of a member's CPU in a cluster replay (docs/performance.md).
  sys_cfg.set("middleman.workers", size_t{0});
  if (cfg->security.enabled())
    load_tls(sys_cfg, cfg->security);
  caf::actor_system sys{sys_cfg};
  caf::scoped_actor self{sys};
  transport_options transport_opts;
  transport_opts.tls = cfg->security.enabled();
  transport_opts.log = [name = cfg->name](const std::string& line) {
    logf(stderr_log(), log_level::warning, "shoal-node: member %s: %s",
         name.c_str(), line.c_str());
  };
  member_transport transport{sys, std::move(transport_opts)};
  member_options opts;
  opts.name = cfg->name;
  opts.listen = cfg->listen;
  opts.seeds = cfg->seeds;
  opts.heartbeat = std::chrono::milliseconds(cfg->heartbeat_ms);
  opts.failure_timeout = std::chrono::milliseconds(cfg->failure_timeout_ms);
  // Long enough for a few hundred moves; a few failure timeouts when
  // those are long.
  opts.leave_timeout
    = std::max(std::chrono::milliseconds(10000), 3 * opts.failure_timeout);
  opts.replay_pages.cap_rows = static_cast<size_t>(cfg->replay_buffer_rows);
  opts.replay_pages.page_rows = static_cast<size_t>(cfg->replay_page_rows);
  opts.transport = transport.actor();
  opts.store = store;
  opts.checkpoint_interval
    = std::chrono::milliseconds(cfg->checkpoint_interval_ms);
  opts.checkpoint_min_pause
    = std::chrono::milliseconds(cfg->checkpoint_min_pause_ms);
  // Detached: the member keeps its own thread, so that heartbeats (sent and
  // received) are never queued behind the graph's work on the scheduler's
  // threads; with `threads = 1` a busy graph otherwise delayed them past the
  // failure timeout and the other members declared this one dead.
  auto member = self->spawn<caf::detached>(member_actor, opts,
                                           caf::actor_cast<caf::actor>(self));
  auto port = transport.publish(self, member, cfg->listen);
  if (!port) {
    logf(stderr_log(), log_level::error,
         "shoal-node: %s: cannot listen on %s: %s", cfg->file.c_str(),
         cfg->listen.to_string().c_str(), sys.render(port.error()).c_str());
    self->send_exit(member, caf::exit_reason::user_shutdown);
    return 2;
  }
  logf(stderr_log(), log_level::info, "shoal-node: member %s listening on %s%s",
       cfg->name.c_str(), cfg->listen.to_string().c_str(),
       cfg->security.enabled() ? " (TLS)" : "");
  auto board = std::make_shared<status_board>();
  board->set_build(SHOAL_VERSION, SHOAL_COMMIT);
  status_collector_options status_opts;
  status_opts.endpoints = [live] {
    return live->status();
  };
  status_opts.name = cfg->name;
  status_opts.sources = [live] {
    return live->source_actors();
  };
  status_opts.node_metrics = cfg->node_metrics;
  auto collector
    = self->spawn(status_collector, member, board, std::move(status_opts));
  auto ready_now = [board, live] {
    auto facts = board->facts();
    facts.sources = live->readiness();
    return decide_readiness(facts);
  };
  std::unique_ptr<http_server> http;
  if (cfg->has_http) {
    auto refused = transport.stats();
    auto server = http_server::start(
      cfg->http,
      [board, ready_now, refused] {
        auto model = board->snapshot();
        model.ready = ready_now();
        model.connections_refused = refused->refused.load();
        return model;
      },
      ready_now, http_server::options{});
    if (!server) {
      logf(stderr_log(), log_level::error,
           "shoal-node: %s: cannot serve HTTP on %s: %s", cfg->file.c_str(),
           cfg->http.to_string().c_str(), describe(server.error()).c_str());
      self->send_exit(collector, caf::exit_reason::user_shutdown);
      self->send_exit(member, caf::exit_reason::user_shutdown);
      sys.middleman().unpublish(member, port.value());
      return 2;
    }
    http = std::move(*server);
    logf(stderr_log(), log_level::info,
         {{"event", "http"}, {"address", http->address()}},
         "shoal-node: member %s http on %s", cfg->name.c_str(),
         http->address().c_str());
  }
  std::signal(SIGINT, on_member_signal);
  std::signal(SIGTERM, on_member_signal);
  int rc = 0;
  bool done = false;
  auto started = std::chrono::steady_clock::now();
  auto apply_initial = [&] {
    // The cluster has formed once another member is known, or when the
    // seeds stayed silent for a few heartbeats (a cluster of one). The
    // first member to apply deploys it; for the others it is unchanged.
    std::vector<member_info> known;
    self->request(member, std::chrono::seconds(5), caf::get_atom_v)
      .receive(
        [&](std::vector<member_info>& xs) {
          known = std::move(xs);
        },
        [](caf::error&) {});
    auto waited = std::chrono::steady_clock::now() - started;
    if (!cluster_formed(known.size(), waited, opts.heartbeat))
      return;
    self->request(member, std::chrono::minutes(5), apply_atom_v, *initial)
      .receive(
        [&](const std::string& summary) {
          logf(stderr_log(), log_level::info,
               {{"event", "initial_graph"}, {"graph", cfg->graph}},
               "shoal-node: member %s: graph %s: %s", cfg->name.c_str(),
               cfg->graph.c_str(), summary.c_str());
          initial.reset();
        },
        [&](caf::error& err) {
          // Another change under way: try again on the next round.
          logf(stderr_log(), log_level::warning,
               {{"event", "initial_graph"},
                {"graph", cfg->graph},
                {"error", describe(err)}},
               "shoal-node: member %s: graph %s: %s", cfg->name.c_str(),
               cfg->graph.c_str(), describe(err).c_str());
          if (err.category() == caf::atom("shoal")
              && static_cast<errc>(err.code()) != errc::invalid_config)
            initial.reset();
        });
  };
  // A member whose protocol handler died hears no peer and no shoalctl:
  // rather than run on cut off, it stops, so that the others fail its
  // nodes over and a supervisor restarts it.
  auto handler = transport.protocol_handler();
  self->monitor(handler);
  while (!done && !member_stop) {
    if (initial)
      apply_initial();
    self->receive(
      [&](caf::error& err) {
        logf(stderr_log(), log_level::error, "shoal-node: %s",
             describe(err).c_str());
        rc = 2;
        done = true;
      },
      [&](deploy_atom, const graph_spec& g, const directory& dir) {
        // Not fatal: exiting would take this member's nodes down too.
        if (auto err = live->on_deployment(self, g, dir))
          logf(stderr_log(), log_level::error,
               {{"event", "io_failed"}, {"error", describe(err)}},
               "shoal-node: member %s: %s", cfg->name.c_str(),
               describe(err).c_str());
        if (auto sink = live->sink())
          self->send(member, latency_atom_v, sink);
      },
      [](done_atom, uint64_t, const caf::error&) {
        // A live sink reached the end of its graph's stream.
      },
      [&](caf::down_msg& down) {
        if (down.source != handler)
          return;
        logf(stderr_log(), log_level::error,
             {{"event", "port_down"}, {"error", sys.render(down.reason)}},
             "shoal-node: member %s: the member port's protocol "
             "handler stopped (%s); exiting, since no peer can "
             "reach this member any more",
             cfg->name.c_str(), sys.render(down.reason).c_str());
        rc = 1;
        done = true;
      },
      caf::after(std::chrono::milliseconds(100)) >> [] {});
  }
  if (member_stop && !done) {
    // A planned leave: hand the nodes over, then go.
    auto signal_name = member_signal == SIGINT ? "SIGINT" : "SIGTERM";
    logf(stderr_log(), log_level::info,
         {{"event", "signal"}, {"signal", signal_name}},
         "shoal-node: member %s: %s: leaving", cfg->name.c_str(), signal_name);
    logf(stderr_log(), log_level::info,
         {{"event", "leaving"},
          {"timeout_s",
           static_cast<long long>(opts.leave_timeout.count() / 1000)}},
         "shoal-node: member %s: leaving: handing its nodes "
         "over (at most %lld s)",
         cfg->name.c_str(),
         static_cast<long long>(opts.leave_timeout.count() / 1000));
    self
      ->request(member, opts.leave_timeout + std::chrono::seconds(5),
                leave_atom_v)
      .receive(
        [&](const std::string& summary) {
          logf(stderr_log(), log_level::info, {{"event", "leave_done"}},
               "shoal-node: member %s: left: %s", cfg->name.c_str(),
               summary.c_str());
        },
        [&](caf::error& err) {
          logf(stderr_log(), log_level::error,
               {{"event", "leave_done"}, {"error", describe(err)}},
               "shoal-node: member %s: left: %s", cfg->name.c_str(),
               describe(err).c_str());
        });
  }
  http.reset();
  live->stop(self);
  self->send_exit(collector, caf::exit_reason::user_shutdown);
  self->send_exit(member, caf::exit_reason::user_shutdown);
  sys.middleman().unpublish(member, port.value());
  return rc;
}

} // namespace shoal
