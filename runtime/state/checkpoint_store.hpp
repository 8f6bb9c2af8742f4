// A member's embedded store of checkpoints (SPEC section 10, issue 14):
// node states by checkpoint id, and the metadata of committed checkpoints,
// in RocksDB under `[node] data_dir` (in memory when there is none).
//
// States are opaque bytes per node, grouped by `owner`: the member that ran
// the nodes (this member, or another one whose checkpoint this store keeps a
// copy of). A checkpoint `k` (increasing ids) writes only the nodes that
// changed since the previous one; reading `k` gives, per node, its newest
// entry with id <= k, and a node removed at `k` is absent from `k` on.
// `commit` makes `k` the checkpoint a member restarts from; `prune` then
// drops what no read at or after `k` can return.
//
// Key layout (RocksDB's bytewise order), so that reading an owner's
// checkpoint is one prefix scan and reading one node one backward seek:
//   s/<owner>\0<node>\0<k, 8 bytes big-endian>  ->  'v' + state | 'x' (removed)
//   m/<k, 8 bytes big-endian>                   ->  metadata of checkpoint k
//   c                                           ->  latest committed k
// (checkpoint_keys.hpp builds and takes apart these keys.)
// Owner and node names must be non-empty and free of NUL bytes (member and
// node names are [A-Za-z0-9_.:-]{1,128}).
//
// Durability: every change is one WriteBatch written with a synced WAL, so a
// `write` or `commit` that returned survives kill -9 and power loss. One
// fsync per checkpoint costs little against writing the batch itself
// (docs/performance.md, "Checkpoint store").
//
// Not thread-safe: one actor owns the store. The RocksDB files of a
// directory are locked while a store has them open; a second open, from
// this process or another, is an error that says so.

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caf/error.hpp"
#include "caf/expected.hpp"

#include "runtime/state/rocks_db.hpp"

namespace shoal {

class checkpoint_store {
public:
  /// Node name -> state bytes.
  using state_list = std::vector<std::pair<std::string, std::string>>;

  /// The same, viewing bytes that the caller keeps alive.
  using state_views
    = std::vector<std::pair<std::string_view, std::string_view>>;

  /// The latest committed checkpoint: its id and its metadata.
  using commit_info = std::pair<uint64_t, std::string>;

  // -- opening and closing ----------------------------------------------------

  /// Opens the store in `dir`, creating the directory and its parents if
  /// missing; an empty `dir` opens a store in memory that lives as long as
  /// the object. Errors name the directory and the reason.
  static caf::expected<std::unique_ptr<checkpoint_store>>
  open(const std::string& dir);

  checkpoint_store(const checkpoint_store&) = delete;

  checkpoint_store& operator=(const checkpoint_store&) = delete;

  /// Closes the store and releases the directory's lock.
  ~checkpoint_store() = default;

  // -- node states ------------------------------------------------------------

  /// Writes, in one synced batch, the states of `owner`'s nodes that changed
  /// in checkpoint `k` and the names of those removed at `k`; refused when
  /// a name is both written and removed. Writing the same `k` again adds to
  /// it (a checkpoint may arrive in pieces). A `k` at or before the
  /// committed checkpoint changes what that checkpoint reads: meant only to
  /// seed the copy of an owner this store had no entries of.
  caf::error write(const std::string& owner, uint64_t k,
                   const state_list& states,
                   const std::vector<std::string>& removed = {});

  /// The same for states the caller keeps (nothing is copied before the
  /// batch). The entries are put in name order, which is what RocksDB's
  /// memtable inserts fastest.
  caf::error write_views(const std::string& owner, uint64_t k,
                         state_views states,
                         const std::vector<std::string>& removed = {});

  /// Every node of `owner` as of checkpoint `k`, sorted by name.
  caf::expected<state_list> read(const std::string& owner, uint64_t k) const;

  /// The nodes of `names` as of checkpoint `k`, in the order of `names`;
  /// a name without a state at `k` is absent from the result.
  caf::expected<state_list> read(const std::string& owner, uint64_t k,
                                 const std::vector<std::string>& names) const;

  /// Deletes every entry of `owner` (a copy that is no longer needed).
  caf::error drop_owner(const std::string& owner);

  /// The owners that have entries, sorted.
  caf::expected<std::vector<std::string>> owners() const;

  // -- checkpoints ------------------------------------------------------------

  /// Stores `meta` for checkpoint `k` and makes `k` the latest committed
  /// checkpoint, in one synced batch. `k` must be newer than the committed
  /// one.
  caf::error commit(uint64_t k, const std::string& meta);

  /// The latest committed checkpoint, if any, as of the last `commit` or as
  /// read at `open` (kept in memory, so this never fails).
  const std::optional<commit_info>& committed() const {
    return committed_;
  }

  /// Deletes, for every owner and node, the entries older than its newest
  /// entry <= `k` (and that entry too when it is a removal), and the
  /// metadata of checkpoints before `k`. Reads at ids >= `k` return what
  /// they returned before. `k` must be committed (at most `committed()`).
  caf::error prune(uint64_t k);

  // -- observers --------------------------------------------------------------

  /// The bytes the store takes on disk, as RocksDB counts its table files
  /// and write-ahead logs (for the metrics). States not yet moved from the
  /// log into table files count once per write, so the figure grows with
  /// every checkpoint until RocksDB flushes.
  uint64_t bytes_on_disk() const {
    return db_->bytes_on_disk();
  }

private:
  explicit checkpoint_store(std::unique_ptr<rocks_db> db);

  caf::error load_committed();

  std::unique_ptr<rocks_db> db_;
  std::optional<commit_info> committed_;
};

} // namespace shoal
