#include "apps/shoalctl/ctl_command.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/deploy/system_config.hpp"
#include "actors/messages.hpp"
#include "actors/net/member_transport.hpp"
#include "actors/net/tls_setup.hpp"
#include "apps/shoalctl/ctl_replay.hpp"
#include "apps/shoalctl/ctl_request.hpp"
#include "apps/shoalctl/ctl_status.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/parse_number.hpp"
#include "runtime/graph/graph_loader.hpp"
#include "runtime/graph/graph_size.hpp"
#include "runtime/io/net_address.hpp"
#include "runtime/models/model_file.hpp"

namespace shoal {

namespace {

const char* ctl_usage() {
  return "usage: shoalctl --connect HOST:PORT [--timeout S]\n"
         "                [--cert C --key K --ca CA] <command>\n"
         "  --timeout S                wait at most S seconds (default 30)\n"
         "                             for each answer of the member\n"
         "  --cert C --key K --ca CA   TLS: this client's certificate and\n"
         "                             key, and the cluster's CA (default:\n"
         "                             $SHOAL_CERT, $SHOAL_KEY, $SHOAL_CA)\n"
         "commands:\n"
         "  status [--json]            members with their load, members\n"
         "                             down, and every node's member and\n"
         "                             counters (sensors: samples accepted\n"
         "                             and rejected)\n"
         "  status --checkpoint [--json]\n"
         "      only the checkpoint figures, without asking every node for\n"
         "      its counters (cheap at any size)\n"
         "  apply G.toml               deploy G.toml over the members; on a\n"
         "                             running graph, add its new nodes and\n"
         "                             replace its changed ones (G.toml may\n"
         "                             name running nodes as inputs); its\n"
         "                             includes, Lua and model files are\n"
         "                             read here and sent (256 MiB at most)\n"
         "  remove NAME... [--cascade] stop these nodes (--cascade: with the\n"
         "                             nodes that need them)\n"
         "  graph [--dot]              where each node of the graph runs\n"
         "                             (--dot: Graphviz, a cluster per "
         "member)\n"
         "  replay IN.csv --out OUT.csv\n"
         "      stream IN.csv (read here, sent in pieces) into the graph,\n"
         "      write its outputs to OUT.csv\n"
         "  tail NODE... [--count N]\n"
         "      print live outputs of the nodes as 'node ts value' lines "
         "until\n"
         "      Ctrl-C (or N lines, or their end of stream)\n";
}

struct ctl_args {
  ctl_target target;
  tls_files tls;
  std::string command;
  std::vector<std::string> rest;
  std::string out;
  size_t count = 0;
  bool json = false;
  bool checkpoint = false;
  bool dot = false;
  bool cascade = false;
};

caf::expected<ctl_args> parse_ctl_args(int argc, char** argv) {
  ctl_args args;
  bool has_connect = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--connect") {
      if (i + 1 >= argc)
        return make_error(errc::invalid_config, "--connect needs HOST:PORT");
      auto addr = parse_host_port(argv[++i]);
      if (!addr)
        return make_error(errc::invalid_config,
                          "--connect: " + describe(addr.error()));
      args.target.address = *addr;
      has_connect = true;
    } else if (arg == "--timeout") {
      auto t = parse_ctl_timeout(i + 1 < argc ? argv[++i] : nullptr);
      if (!t)
        return std::move(t.error());
      args.target.timeout = *t;
    } else if (arg == "--cert" || arg == "--key" || arg == "--ca") {
      if (i + 1 >= argc)
        return make_error(errc::invalid_config, arg + " needs a file");
      auto& field = arg == "--cert"  ? args.tls.cert
                    : arg == "--key" ? args.tls.key
                                     : args.tls.ca;
      field = argv[++i];
    } else if (arg == "--json") {
      args.json = true;
    } else if (arg == "--checkpoint") {
      args.checkpoint = true;
    } else if (arg == "--dot") {
      args.dot = true;
    } else if (arg == "--cascade") {
      args.cascade = true;
    } else if (arg == "--count") {
      if (i + 1 >= argc || !parse_number(argv[i + 1], args.count)
          || args.count == 0)
        return make_error(errc::invalid_config,
                          "--count needs a positive integer");
      ++i;
    } else if (arg == "--out") {
      if (i + 1 >= argc)
        return make_error(errc::invalid_config, "--out needs a file");
      args.out = argv[++i];
    } else if (args.command.empty()) {
      args.command = arg;
    } else {
      args.rest.push_back(arg);
    }
  }
  if (!has_connect)
    return make_error(errc::invalid_config, "missing --connect HOST:PORT");
  for (auto [name, field] : {std::pair{"SHOAL_CERT", &args.tls.cert},
                             std::pair{"SHOAL_KEY", &args.tls.key},
                             std::pair{"SHOAL_CA", &args.tls.ca}})
    if (auto value = std::getenv(name); field->empty() && value != nullptr)
      *field = value;
  if (args.command.empty())
    return make_error(errc::invalid_config, "missing command");
  size_t operands = 0;
  if (args.command == "apply" || args.command == "replay")
    operands = 1;
  else if (args.command == "tail" || args.command == "remove")
    operands = std::max<size_t>(1, args.rest.size());
  else if (args.command != "status" && args.command != "graph")
    return make_error(errc::invalid_config,
                      "unknown command '" + args.command + "'");
  if (args.rest.size() < operands)
    return make_error(errc::invalid_config,
                      args.command
                        + (args.command == "tail" || args.command == "remove"
                             ? " needs a node name"
                             : " needs a file argument"));
  if (args.rest.size() > operands)
    return make_error(errc::invalid_config,
                      "unexpected argument '" + args.rest[operands] + "'");
  if (args.command == "replay" && args.out.empty())
    return make_error(errc::invalid_config, "replay needs --out OUT.csv");
  return args;
}

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

int apply(caf::scoped_actor& self, const caf::actor& member,
          const ctl_args& args, const graph_spec& g) {
  int rc = 0;
  self->request(member, args.target.timeout, apply_atom_v, g)
    .receive(
      [&](const std::string& summary) {
        std::printf("%s\n", summary.c_str());
      },
      [&](caf::error& err) {
        rc = ctl_failed(self, args.target, "apply", err);
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
        std::printf("%s\n", summary.c_str());
      },
      [&](caf::error& err) {
        rc = ctl_failed(self, args.target, "remove", err);
      });
  return rc;
}

int graph(caf::scoped_actor& self, const caf::actor& member,
          const ctl_args& args) {
  int rc = 0;
  self->request(member, args.target.timeout, graph_atom_v, args.dot)
    .receive(
      [&](const std::vector<std::string>& lines) {
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
  if (args.command == "apply")
    return apply(self, *member, args, to_apply);
  if (args.command == "remove")
    return remove_nodes(self, *member, args);
  if (args.command == "graph")
    return graph(self, *member, args);
  if (args.command == "replay")
    return ctl_replay(self, *member, args.target, args.rest[0], args.out);
  if (args.command == "tail")
    return tail(self, *member, args);
  return ctl_status(self, *member, args.target, args.json, args.checkpoint);
}

} // namespace

int ctl_main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(ctl_usage(), stdout);
      return 0;
    }
  }
  auto args = parse_ctl_args(argc, argv);
  if (!args) {
    std::fprintf(stderr, "shoalctl: %s\n%s", describe(args.error()).c_str(),
                 ctl_usage());
    return 2;
  }
  if (args->tls.enabled()) {
    if (auto err = check_tls_files(args->tls)) {
      std::fprintf(stderr, "shoalctl: %s\n", describe(err).c_str());
      return 2;
    }
  }
  // Before connecting: a graph that cannot travel needs no member.
  caf::expected<graph_spec> to_apply{graph_spec{}};
  if (args->command == "apply") {
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
