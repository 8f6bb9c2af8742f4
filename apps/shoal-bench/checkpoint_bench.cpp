#include "apps/shoal-bench/checkpoint_bench.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>
#include <vector>

#include "runtime/core/errc.hpp"
#include "runtime/state/checkpoint_store.hpp"

namespace shoal {

namespace {

using clock_type = std::chrono::steady_clock;

const std::string owner = "bench";

template <class F>
double seconds_of(F&& f) {
  auto start = clock_type::now();
  f();
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// `count` states of `bytes` random bytes for nodes `first`, `first` + 1, ...
/// (modulo `nodes`): serialized numbers hardly compress, and neither do
/// these.
checkpoint_store::state_list make_states(size_t first, size_t count,
                                         size_t nodes, size_t bytes,
                                         std::mt19937_64& rng) {
  checkpoint_store::state_list out;
  out.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    std::string state(bytes, '\0');
    for (size_t j = 0; j < bytes; j += 8) {
      auto word = rng();
      for (size_t b = j; b < std::min(bytes, j + 8); ++b, word >>= 8)
        state[b] = static_cast<char>(word & 0xff);
    }
    out.emplace_back("node" + std::to_string((first + i) % nodes),
                     std::move(state));
  }
  return out;
}

uint64_t files_bytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (auto& entry : std::filesystem::recursive_directory_iterator(dir, ec))
    if (entry.is_regular_file(ec))
      total += entry.file_size(ec);
  return total;
}

caf::error check_count(const caf::expected<checkpoint_store::state_list>& got,
                       size_t nodes) {
  if (!got)
    return got.error();
  if (got->size() != nodes)
    return make_error(errc::io_error, "read back " + std::to_string(got->size())
                                        + " states of "
                                        + std::to_string(nodes));
  return caf::none;
}

} // namespace

caf::expected<checkpoint_bench_figures>
bench_checkpoint_store(const checkpoint_bench_options& opts) {
  auto store = checkpoint_store::open(opts.dir);
  if (!store)
    return std::move(store.error());
  auto db = std::move(*store);
  auto owners = db->owners();
  if (!owners)
    return std::move(owners.error());
  if (db->committed() || !owners->empty())
    return make_error(errc::invalid_config,
                      opts.dir
                        + " already holds a checkpoint store; the benchmark "
                          "needs a new or empty directory");
  checkpoint_bench_figures r;
  r.nodes = opts.nodes;
  r.changed
    = std::max<size_t>(1, static_cast<size_t>(static_cast<double>(opts.nodes)
                                              * opts.changed_share));
  std::mt19937_64 rng{1};
  caf::error err;
  auto full = make_states(0, opts.nodes, opts.nodes, opts.state_bytes, rng);
  r.full_write_s = seconds_of([&] {
    err = db->write(owner, 1, full);
  });
  if (err)
    return err;
  full = {};
  r.bytes_full = db->bytes_on_disk();
  std::vector<double> times;
  uint64_t last = 1;
  for (size_t c = 0; c < opts.incrementals; ++c) {
    auto changed = make_states(c * r.changed, r.changed, opts.nodes,
                               opts.state_bytes, rng);
    ++last;
    times.push_back(seconds_of([&] {
      err = db->write(owner, last, changed);
    }));
    if (err)
      return err;
  }
  if (!times.empty()) {
    std::sort(times.begin(), times.end());
    r.incremental_write_s = times[times.size() / 2];
    r.incremental_min_s = times.front();
    r.incremental_max_s = times.back();
  }
  r.bytes_incremental = db->bytes_on_disk();
  caf::expected<checkpoint_store::state_list> all{
    checkpoint_store::state_list{}};
  r.read_all_s = seconds_of([&] {
    all = db->read(owner, last);
  });
  if (auto bad = check_count(all, opts.nodes))
    return bad;
  r.commit_s = seconds_of([&] {
    err = db->commit(last, "bench");
  });
  if (err)
    return err;
  r.prune_s = seconds_of([&] {
    err = db->prune(last);
  });
  if (err)
    return err;
  r.read_after_prune_s = seconds_of([&] {
    all = db->read(owner, last);
  });
  if (auto bad = check_count(all, opts.nodes))
    return bad;
  r.bytes_pruned = db->bytes_on_disk();
  r.reopen_s = seconds_of([&] {
    db.reset();
    store = checkpoint_store::open(opts.dir);
  });
  if (!store)
    return std::move(store.error());
  db = std::move(*store);
  r.read_after_reopen_s = seconds_of([&] {
    all = db->read(owner, last);
  });
  if (auto bad = check_count(all, opts.nodes))
    return bad;
  r.bytes_reopened = db->bytes_on_disk();
  r.dir_bytes = files_bytes(opts.dir);
  return r;
}

} // namespace shoal
