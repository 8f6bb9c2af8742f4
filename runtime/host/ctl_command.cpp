#include "runtime/host/ctl_command.hpp"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/messages.hpp"
#include "runtime/errc.hpp"
#include "runtime/host/system_config.hpp"
#include "runtime/io/net_address.hpp"

namespace shoal {

namespace {

const char* ctl_usage() {
  return "usage: shoalctl --connect HOST:PORT <command>\n"
         "commands:\n"
         "  status [--json]   members of the cluster\n";
}

struct ctl_args {
  net_address connect;
  std::string command;
  std::vector<std::string> rest;
  bool json = false;
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
      args.connect = *addr;
      has_connect = true;
    } else if (arg == "--json") {
      args.json = true;
    } else if (args.command.empty()) {
      args.command = arg;
    } else {
      args.rest.push_back(arg);
    }
  }
  if (!has_connect)
    return make_error(errc::invalid_config, "missing --connect HOST:PORT");
  if (args.command.empty())
    return make_error(errc::invalid_config, "missing command");
  if (args.command != "status")
    return make_error(errc::invalid_config,
                      "unknown command '" + args.command + "'");
  if (!args.rest.empty())
    return make_error(errc::invalid_config,
                      "unexpected argument '" + args.rest.front() + "'");
  return args;
}

int status(caf::scoped_actor& self, const caf::actor& member,
           const ctl_args& args) {
  int rc = 0;
  self->request(member, std::chrono::seconds(30), caf::get_atom_v)
    .receive(
      [&](std::vector<member_info>& xs) {
        if (args.json) {
          auto doc = nlohmann::json::object();
          auto& members = doc["members"] = nlohmann::json::array();
          for (auto& x : xs)
            members.push_back({{"name", x.name}, {"address", x.address}});
          std::printf("%s\n", doc.dump().c_str());
          return;
        }
        std::printf("members (%zu):\n", xs.size());
        for (auto& x : xs)
          std::printf("  %-16s %s\n", x.name.c_str(), x.address.c_str());
      },
      [&](caf::error& err) {
        std::fprintf(stderr, "shoalctl: status: %s\n",
                     self->system().render(err).c_str());
        rc = 1;
      });
  return rc;
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
  caf::actor_system_config cfg;
  configure_system(cfg, 1);
  cfg.load<caf::io::middleman>();
  caf::actor_system sys{cfg};
  auto member
    = sys.middleman().remote_actor(args->connect.host, args->connect.port);
  if (!member) {
    std::fprintf(stderr, "shoalctl: cannot connect to %s: %s\n",
                 args->connect.to_string().c_str(),
                 sys.render(member.error()).c_str());
    return 2;
  }
  caf::scoped_actor self{sys};
  return status(self, *member, *args);
}

} // namespace shoal
