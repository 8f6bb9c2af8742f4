#include "apps/shoalctl/ctl_args.hpp"

#include <cstdlib>
#include <filesystem>
#include <toml++/toml.h>

#include "actors/messages.hpp"
#include "apps/common/cli.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/parse_number.hpp"

namespace shoal {

namespace {

const char* exit_codes
  = "exit codes:\n"
    "  0  done\n"
    "  1  the cluster refused or failed the command, or a member did not\n"
    "     answer within --timeout (apply: a graph that cannot travel)\n"
    "  2  bad usage, a missing or unreadable file, no connection\n"
    "global options (--connect, --timeout, TLS, -o): shoalctl --help\n";

const char* ctl_usage
  = "usage: shoalctl [--connect HOST:PORT] [--timeout S]\n"
    "                [--cert C --key K --ca CA] <command> [-o FORMAT]\n"
    "  --connect HOST:PORT        a member (default: $SHOAL_CONNECT, then\n"
    "                             'connect' of the context file)\n"
    "  --timeout S                wait at most S seconds (default 30)\n"
    "                             for each answer of the member\n"
    "  --cert C --key K --ca CA   TLS: this client's certificate and\n"
    "                             key, and the cluster's CA (default:\n"
    "                             $SHOAL_CERT, $SHOAL_KEY, $SHOAL_CA)\n"
    "  -o json|wide|dot           JSON (--json), more columns, Graphviz\n"
    "  context file: ~/.config/shoal/config.toml, keys connect, timeout,\n"
    "                cert, key, ca; flags beat environment beat file\n"
    "commands (shoalctl COMMAND --help for each):\n"
    "  status [--checkpoint]      members with their load, members\n"
    "                             down, and every node's member and\n"
    "                             counters (sensors: samples accepted\n"
    "                             and rejected; -o wide: every node)\n"
    "  apply G.toml [--dry-run]   deploy G.toml over the members; on a\n"
    "                             running graph, add its new nodes and\n"
    "                             replace its changed ones; its\n"
    "                             includes, Lua and model files are\n"
    "                             read here and sent (256 MiB at most)\n"
    "  diff G.toml                what apply would add, replace, leave\n"
    "                             (same as apply --dry-run)\n"
    "  remove NAME... [--cascade] stop these nodes (--cascade: with the\n"
    "                             nodes that need them)\n"
    "  graph [-o dot]             where each node of the graph runs\n"
    "                             (dot: Graphviz, a cluster per member)\n"
    "  replay IN.csv --out OUT.csv [--piece-size BYTES]\n"
    "      stream IN.csv (read here, sent in pieces of 8 MiB; -: stdin)\n"
    "      into the graph, write its outputs to OUT.csv (-: stdout)\n"
    "  tail NODE... [--count N]\n"
    "      print live outputs of the nodes as 'node ts value' lines until\n"
    "      Ctrl-C (or N lines, or their end of stream)\n";

/// `~/.config/shoal/config.toml`, or under $XDG_CONFIG_HOME; empty when
/// neither that nor $HOME is set.
std::filesystem::path context_file() {
  if (auto xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
    return std::filesystem::path{xdg} / "shoal" / "config.toml";
  if (auto home = std::getenv("HOME"); home && *home)
    return std::filesystem::path{home} / ".config" / "shoal" / "config.toml";
  return {};
}

/// Fills what flags and environment left empty from the context file;
/// returns a message naming the file and key on a bad one.
std::string read_context(std::string& connect, std::string& timeout,
                         tls_files& tls) {
  auto path = context_file();
  std::error_code ec;
  if (path.empty() || !std::filesystem::exists(path, ec))
    return {};
  toml::table doc;
#if TOML_EXCEPTIONS
  try {
    doc = toml::parse_file(path.string());
  } catch (const toml::parse_error& e) {
    return path.string() + ": " + std::string{e.description()};
  }
#else
  auto res = toml::parse_file(path.string());
  if (!res)
    return path.string() + ": " + std::string{res.error().description()};
  doc = std::move(res).table();
#endif
  for (auto&& [key, value] : doc) {
    std::string k{key.str()};
    std::string* field = k == "connect"   ? &connect
                         : k == "timeout" ? &timeout
                         : k == "cert"    ? &tls.cert
                         : k == "key"     ? &tls.key
                         : k == "ca"      ? &tls.ca
                                          : nullptr;
    if (field == nullptr)
      return path.string() + ": unknown key '" + k + "'";
    if (k == "timeout" && (value.is_integer() || value.is_floating_point())) {
      if (field->empty())
        *field = std::to_string(value.value_or(0.0));
      continue;
    }
    if (!value.is_string())
      return path.string() + ": '" + k + "' needs a string";
    if (field->empty())
      *field = value.value_or(std::string{});
  }
  return {};
}

/// The checks after parsing: defaults, numbers and which operands a
/// command takes.
std::string finish(ctl_args& args, std::string connect, std::string timeout,
                   const std::string& output, bool json, bool dot) {
  auto env = [](const char* name, std::string& field) {
    if (auto value = std::getenv(name); field.empty() && value != nullptr)
      field = value;
  };
  env("SHOAL_CONNECT", connect);
  env("SHOAL_CERT", args.tls.cert);
  env("SHOAL_KEY", args.tls.key);
  env("SHOAL_CA", args.tls.ca);
  if (auto bad = read_context(connect, timeout, args.tls); !bad.empty())
    return bad;
  if (!timeout.empty()) {
    auto t = parse_ctl_timeout(timeout.c_str());
    if (!t)
      return describe(t.error());
    args.target.timeout = *t;
  }
  if (connect.empty())
    return "missing --connect HOST:PORT";
  auto addr = parse_host_port(connect);
  if (!addr)
    return "--connect: " + describe(addr.error());
  args.target.address = *addr;
  if (json || output == "json")
    args.output = ctl_output::json;
  else if (dot || output == "dot")
    args.output = ctl_output::dot;
  else if (output == "wide")
    args.output = ctl_output::wide;
  if (args.output == ctl_output::dot && args.command != "graph")
    return "-o dot is for graph";
  if (args.command == "diff") {
    args.command = "apply";
    args.dry_run = true;
  }
  if (args.command == "replay" && args.out.empty())
    return "replay needs --out OUT.csv";
  return {};
}

} // namespace

int parse_ctl_args(int argc, char** argv, ctl_args& args) {
  CLI::App app{"the admin client of a Shoal cluster", "shoalctl"};
  prepare_cli(app, "shoalctl");
  app.footer(exit_codes);
  // Global options may also follow the command, as they always could.
  app.fallthrough();
  std::string connect;
  std::string timeout;
  std::string output;
  bool json = false;
  bool dot = false;
  app.add_option("--connect", connect, "HOST:PORT of a member");
  app.add_option("--timeout", timeout, "seconds to wait for each answer");
  app.add_option("--cert", args.tls.cert, "TLS: this client's certificate");
  app.add_option("--key", args.tls.key, "TLS: its key");
  app.add_option("--ca", args.tls.ca, "TLS: the cluster's CA");
  app.add_option("-o,--output", output, "json, wide or dot")
    ->check(CLI::IsMember({"json", "wide", "dot"}));
  app.add_flag("--json", json, "same as -o json");
  auto add = [&](const char* name, const char* what) {
    auto sub = app.add_subcommand(name, what);
    sub->footer(exit_codes);
    return sub;
  };
  auto status = add("status", "members, their load, and every node");
  status->add_flag("--checkpoint", args.checkpoint,
                   "only the checkpoint figures (cheap at any size)");
  auto apply = add("apply", "deploy G.toml over the members");
  apply->add_option("file", args.rest, "the graph")->required()->expected(1);
  apply->add_flag("--dry-run", args.dry_run,
                  "what it would change, changing nothing");
  auto diff = add("diff", "what apply G.toml would change");
  diff->add_option("file", args.rest, "the graph")->required()->expected(1);
  auto remove = add("remove", "stop nodes");
  remove->add_option("name", args.rest, "the nodes")->required();
  remove->add_flag("--cascade", args.cascade, "with the nodes that need them");
  auto graph = add("graph", "where each node of the graph runs");
  graph->add_flag("--dot", dot, "same as -o dot");
  auto replay = add("replay", "stream a file into the graph");
  replay->add_option("input", args.rest, "IN.csv, - or influxdb://")
    ->required()
    ->expected(1);
  replay->add_option("--out", args.out, "OUT.csv (-: stdout)");
  replay
    ->add_option("--piece-size", args.piece_bytes,
                 "bytes of the input per piece (65536 to 16777216; default "
                 "8388608): smaller pieces let other work interleave")
    ->check(CLI::Range(size_t{65536}, replay_piece_max_bytes));
  auto tail = add("tail", "print live outputs of nodes");
  tail->add_option("node", args.rest, "the nodes")->required();
  std::string count;
  tail->add_option("--count", count, "stop after N lines");
  app.callback([&] {
    if (!app.get_subcommands().empty())
      return;
    auto extras = app.remaining();
    if (!extras.empty() && extras[0][0] != '-')
      throw CLI::ValidationError("unknown command '" + extras[0] + "'");
  });
  std::string usage_text = std::string{ctl_usage} + exit_codes;
  auto outcome = parse_cli(app, argc, argv, "shoalctl", usage_text, usage_text);
  if (outcome.exit)
    return outcome.code;
  if (auto subs = app.get_subcommands(); !subs.empty())
    args.command = subs[0]->get_name();
  auto bad = args.command.empty()
               ? std::string{"missing command"}
               : finish(args, connect, timeout, output, json, dot);
  if (bad.empty() && !count.empty()
      && (!parse_number(count.c_str(), args.count) || args.count == 0))
    bad = "--count needs a positive integer";
  if (!bad.empty()) {
    std::fprintf(stderr, "shoalctl: %s\n%s", bad.c_str(), usage_text.c_str());
    return 2;
  }
  return -1;
}

} // namespace shoal
