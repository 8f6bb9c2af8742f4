#include "apps/shoalctl/ctl_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "actors/net/member_transport.hpp"
#include "actors/net/tls_setup.hpp"
#include "apps/shoalctl/ctl_args.hpp"
#include "apps/shoalctl/ctl_replay.hpp"
#include "apps/shoalctl/ctl_request.hpp"
#include "apps/shoalctl/ctl_status.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_size.hpp"
#include "runtime/io/net_address.hpp"
#include "runtime/models/model_file.hpp"

namespace shoal {

namespace {

/// The graph of `apply` as it travels (SPEC section 9): read here with its
/// includes, Lua files and model files, so that the member builds it from
/// their contents and never opens a path named in it; refused here when it
/// is larger than a member takes. Checked for keys and types here;
/// validated as a whole by the member, against the graph it runs.
caf::expected<graph_spec> graph_to_apply(const std::string& file) {
  auto g = parse_graph_file(file);
  if (!g)
    return g;
  if (auto err = read_model_files(*g))
    return err;
  if (auto err = check_graph_size(*g))
    return err;
  return g;
}

/// Prints a member's one-line answer, as `{"KEY": "..."}` with -o json.
void print_answer(const ctl_args& args, const char* key,
                  const std::string& text) {
  if (args.output == ctl_output::json)
    std::printf("%s\n", nlohmann::json{{key, text}}.dump().c_str());
  else
    std::printf("%s\n", text.c_str());
}

int apply(caf::scoped_actor& self, const caf::actor& member,
          const ctl_args& args, const graph_spec& g) {
  int rc = 0;
  self->request(member, args.target.timeout, apply_atom_v, g)
    .receive(
      [&](const std::string& summary) {
        print_answer(args, "applied", summary);
      },
      [&](caf::error& err) {
        rc = ctl_failed(self, args.target, "apply", err);
      });
  return rc;
}

/// `apply --dry-run` and `diff`: the leader's plan, one "add|replace|
/// unchanged|keep NAME" line a node and a summary line; with -o json one
/// object with a list per verb and the summary.
int dry_run(caf::scoped_actor& self, const caf::actor& member,
            const ctl_args& args, const graph_spec& g) {
  int rc = 0;
  self->request(member, args.target.timeout, plan_atom_v, apply_atom_v, g)
    .receive(
      [&](const std::string& text) {
        if (args.output != ctl_output::json) {
          std::printf("%s\n", text.c_str());
          return;
        }
        auto doc = nlohmann::json::object();
        for (auto verb : {"add", "replace", "unchanged", "keep"})
          doc[verb] = nlohmann::json::array();
        size_t from = 0;
        while (from < text.size()) {
          auto end = std::min(text.find('\n', from), text.size());
          auto line = text.substr(from, end - from);
          auto space = line.find(' ');
          auto verb = line.substr(0, space);
          if (end < text.size() && doc.contains(verb))
            doc[verb].push_back(line.substr(space + 1));
          else
            doc["summary"] = line;
          from = end + 1;
        }
        std::printf("%s\n", doc.dump().c_str());
      },
      [&](caf::error& err) {
        rc = ctl_failed(self, args.target, "diff", err);
      });
  return rc;
}

int remove_nodes(caf::scoped_actor& self, const caf::actor& member,
                 const ctl_args& args) {
  int rc = 0;
  self
    ->request(member, args.target.timeout, remove_atom_v, args.rest,
              args.cascade)
    .receive(
      [&](const std::string& summary) {
        print_answer(args, "removed", summary);
      },
      [&](caf::error& err) {
        rc = ctl_failed(self, args.target, "remove", err);
      });
  return rc;
}

int graph(caf::scoped_actor& self, const caf::actor& member,
          const ctl_args& args) {
  int rc = 0;
  bool dot = args.output == ctl_output::dot;
  self->request(member, args.target.timeout, graph_atom_v, dot)
    .receive(
      [&](const std::vector<std::string>& lines) {
        if (args.output == ctl_output::json) {
          std::printf("%s\n", nlohmann::json{{"graph", lines}}.dump().c_str());
          return;
        }
        for (auto& line : lines)
          std::printf("%s\n", line.c_str());
      },
      [&](caf::error& err) {
        rc = ctl_failed(self, args.target, "graph", err);
      });
  return rc;
}

std::atomic<bool> tail_stop{false};

extern "C" void on_tail_signal(int) {
  tail_stop = true;
}

int tail(caf::scoped_actor& self, const caf::actor& member,
         const ctl_args& args) {
  int rc = 0;
  self
    ->request(member, args.target.timeout, tail_atom_v, args.rest,
              caf::actor_cast<caf::actor>(self))
    .receive([](caf::ok_atom) {},
             [&](caf::error& err) {
               rc = ctl_failed(self, args.target, "tail", err);
             });
  if (rc != 0)
    return rc;
  std::signal(SIGINT, on_tail_signal);
  std::signal(SIGTERM, on_tail_signal);
  self->monitor(member);
  size_t printed = 0;
  bool done = false;
  while (!done && !tail_stop && (args.count == 0 || printed < args.count)) {
    self->receive(
      [&](const std::vector<output_row>& rows) {
        for (auto& r : rows) {
          if (args.count > 0 && printed == args.count)
            break;
          if (args.output == ctl_output::json)
            std::printf(
              "%s\n",
              nlohmann::json{{"node", r.node}, {"ts", r.ts}, {"value", r.value}}
                .dump()
                .c_str());
          else
            std::printf("%s %lld %.17g\n", r.node.c_str(),
                        static_cast<long long>(r.ts), r.value);
          ++printed;
        }
        std::fflush(stdout);
      },
      [&](done_atom) {
        done = true;
      },
      [&](caf::down_msg&) {
        std::fprintf(stderr, "shoalctl: tail: the member went away\n");
        rc = 1;
        done = true;
      },
      caf::after(std::chrono::milliseconds(200)) >> [] {});
  }
  return rc;
}

/// Connects through a member_transport and runs the command. `args` is a
/// copy: the transport's handle in it must be gone before the actor system
/// ends, which waits for the transport's thread.
int run_ctl(caf::actor_system& sys, ctl_args args, const graph_spec& to_apply) {
  caf::scoped_actor self{sys};
  transport_options transport_opts;
  transport_opts.tls = args.tls.enabled();
  transport_opts.log = [](const std::string& line) {
    std::fprintf(stderr, "shoalctl: %s\n", line.c_str());
  };
  member_transport transport{sys, std::move(transport_opts)};
  args.target.transport = transport.actor();
  auto member = connect_member(self, args.target);
  if (!member && is_timeout(member.error()))
    return ctl_failed(self, args.target, args.command, member.error());
  if (!member) {
    std::fprintf(stderr, "shoalctl: cannot connect to %s: %s\n",
                 args.target.address.to_string().c_str(),
                 sys.render(member.error()).c_str());
    return 2;
  }
  if (args.command == "apply" && args.dry_run)
    return dry_run(self, *member, args, to_apply);
  if (args.command == "apply")
    return apply(self, *member, args, to_apply);
  if (args.command == "remove")
    return remove_nodes(self, *member, args);
  if (args.command == "graph")
    return graph(self, *member, args);
  if (args.command == "replay")
    return ctl_replay(self, *member, args.target, args.rest[0], args.out,
                      args.piece_bytes != 0 ? args.piece_bytes
                                            : replay_piece_bytes);
  if (args.command == "tail")
    return tail(self, *member, args);
  return ctl_status(self, *member, args.target, args.output, args.checkpoint);
}

} // namespace

int ctl_main(int argc, char** argv) {
  ctl_args parsed;
  if (int rc = parse_ctl_args(argc, argv, parsed); rc >= 0)
    return rc;
  auto args = &parsed;
  if (args->tls.enabled()) {
    if (auto err = check_tls_files(args->tls)) {
      std::fprintf(stderr, "shoalctl: %s\n", describe(err).c_str());
      return 2;
    }
  }
  // Before connecting: a graph that cannot travel needs no member.
  caf::expected<graph_spec> to_apply{graph_spec{}};
  if (args->command == "apply") {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(args->rest[0], ec)) {
      std::fprintf(stderr, "shoalctl: apply: %s: no such file\n",
                   args->rest[0].c_str());
      return 2;
    }
    to_apply = graph_to_apply(args->rest[0]);
    if (!to_apply) {
      std::fprintf(stderr, "shoalctl: apply: %s\n",
                   describe(to_apply.error()).c_str());
      return 1;
    }
  }
  caf::actor_system_config cfg;
  configure_system(cfg, 1);
  cfg.load<caf::io::middleman>();
  if (args->tls.enabled())
    load_tls(cfg, args->tls);
  caf::actor_system sys{cfg};
  return run_ctl(sys, *args, *to_apply);
}

} // namespace shoal
