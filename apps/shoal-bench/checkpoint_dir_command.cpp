#include "apps/shoal-bench/checkpoint_dir_command.hpp"

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apps/common/cli.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/state/checkpoint_keys.hpp"
#include "runtime/state/checkpoint_store.hpp"

namespace shoal {

namespace {

const char* usage = "usage: shoal-bench checkpoint-dir DIR [--json]\n";

/// What one owner's nodes take at the committed checkpoint.
struct owner_size {
  std::string owner;
  uint64_t nodes = 0;
  /// The states themselves, and the keys and tag bytes that store them.
  uint64_t state_bytes = 0;
  uint64_t key_bytes = 0;
};

/// Sums the entries of `owner` as of checkpoint `k`.
caf::expected<owner_size> size_of(const checkpoint_store& store,
                                  const std::string& owner, uint64_t k) {
  auto states = store.read(owner, k);
  if (!states)
    return std::move(states.error());
  owner_size out;
  out.owner = owner;
  auto per_key = checkpoint_keys::owner_prefix(owner).size()
                 + checkpoint_keys::entry_suffix(k).size() + 1;
  for (auto& [node, state] : *states) {
    ++out.nodes;
    out.state_bytes += state.size();
    out.key_bytes += per_key + node.size();
  }
  return out;
}

double per_node(uint64_t bytes, uint64_t nodes) {
  return nodes == 0 ? 0.0
                    : static_cast<double>(bytes) / static_cast<double>(nodes);
}

} // namespace

int checkpoint_dir_command(int argc, char** argv) {
  std::string dir;
  bool json = false;
  CLI::App app{"what a stopped member's checkpoint store holds",
               "checkpoint-dir"};
  prepare_cli(app, "shoal-bench");
  app.add_option("DIR", dir, "the store")->required();
  app.add_flag("--json", json);
  const char* tool = "shoal-bench checkpoint-dir";
  auto outcome = parse_cli(app, argc, argv, tool, usage, usage);
  if (outcome.exit)
    return outcome.code;
  auto fail = [&](const caf::error& err) {
    std::fprintf(stderr, "shoal-bench checkpoint-dir: %s\n",
                 describe(err).c_str());
    return 1;
  };
  auto store = checkpoint_store::open(dir);
  if (!store)
    return fail(store.error());
  auto& committed = (*store)->committed();
  uint64_t k = committed ? committed->first : 0;
  uint64_t meta_bytes = committed ? committed->second.size() : 0;
  std::vector<owner_size> owners;
  if (k > 0) {
    auto names = (*store)->owners();
    if (!names)
      return fail(names.error());
    for (auto& owner : *names) {
      auto size = size_of(**store, owner, k);
      if (!size)
        return fail(size.error());
      owners.push_back(std::move(*size));
    }
  }
  auto disk = (*store)->bytes_on_disk();
  if (json) {
    auto doc = nlohmann::json::object();
    doc["committed"] = k;
    doc["meta_bytes"] = meta_bytes;
    doc["disk_bytes"] = disk;
    auto& xs = doc["owners"] = nlohmann::json::array();
    for (auto& o : owners)
      xs.push_back({{"owner", o.owner},
                    {"nodes", o.nodes},
                    {"state_bytes", o.state_bytes},
                    {"key_bytes", o.key_bytes}});
    std::printf("%s\n", doc.dump().c_str());
    return 0;
  }
  if (k == 0) {
    std::printf("%s: no committed checkpoint; %llu bytes on disk\n",
                dir.c_str(), static_cast<unsigned long long>(disk));
    return 0;
  }
  std::printf("%s: checkpoint %llu committed, its metadata %llu bytes; %llu "
              "bytes on disk\n",
              dir.c_str(), static_cast<unsigned long long>(k),
              static_cast<unsigned long long>(meta_bytes),
              static_cast<unsigned long long>(disk));
  for (auto& o : owners)
    std::printf("  owner %s: %llu nodes, states %llu bytes (%.1f per node), "
                "keys %.1f bytes per node\n",
                o.owner.c_str(), static_cast<unsigned long long>(o.nodes),
                static_cast<unsigned long long>(o.state_bytes),
                per_node(o.state_bytes, o.nodes),
                per_node(o.key_bytes, o.nodes));
  return 0;
}

} // namespace shoal
