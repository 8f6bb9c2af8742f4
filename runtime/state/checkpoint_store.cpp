#include "runtime/state/checkpoint_store.hpp"

#include <algorithm>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <string_view>
#include <unordered_set>

#include "runtime/state/checkpoint_keys.hpp"

namespace shoal {

namespace keys = checkpoint_keys;

namespace {

std::string quoted(const std::string& x) {
  return "'" + x + "'";
}

std::string_view view(const rocksdb::Slice& x) {
  return x.ToStringView();
}

const char* const bad_owner = "an owner name is non-empty and has no NUL byte";

} // namespace

// -- opening ------------------------------------------------------------------

checkpoint_store::checkpoint_store(std::unique_ptr<rocks_db> db)
  : db_(std::move(db)) {
  // nop
}

caf::expected<std::unique_ptr<checkpoint_store>>
checkpoint_store::open(const std::string& dir) {
  auto db = rocks_db::open(dir, "checkpoint store");
  if (!db)
    return std::move(db.error());
  std::unique_ptr<checkpoint_store> self{new checkpoint_store(std::move(*db))};
  if (auto err = self->load_committed())
    return err;
  return self;
}

caf::error checkpoint_store::load_committed() {
  std::string id;
  auto st = db_->db().Get(rocksdb::ReadOptions{}, keys::committed, &id);
  if (st.IsNotFound())
    return caf::none;
  if (!st.ok())
    return db_->fail("cannot read the committed checkpoint", st.ToString());
  if (id.size() != keys::id_size)
    return db_->fail("corrupt", "the committed checkpoint id has "
                                  + std::to_string(id.size())
                                  + " bytes, not 8");
  auto k = keys::from_be64(id.data());
  std::string meta;
  st = db_->db().Get(rocksdb::ReadOptions{}, keys::meta(k), &meta);
  if (!st.ok())
    return db_->fail("cannot read the metadata of committed checkpoint "
                       + std::to_string(k),
                     st.ToString());
  committed_.emplace(k, std::move(meta));
  return caf::none;
}

// -- node states --------------------------------------------------------------

caf::error checkpoint_store::write(const std::string& owner, uint64_t k,
                                   const state_list& states,
                                   const std::vector<std::string>& removed) {
  state_views views;
  views.reserve(states.size());
  for (const auto& [node, state] : states)
    views.emplace_back(node, state);
  return write_views(owner, k, std::move(views), removed);
}

caf::error
checkpoint_store::write_views(const std::string& owner, uint64_t k,
                              state_views states,
                              const std::vector<std::string>& removed) {
  auto what
    = "write of checkpoint " + std::to_string(k) + " for " + quoted(owner);
  if (!keys::valid_name(owner))
    return db_->fail(what, bad_owner, errc::invalid_input);
  std::unordered_set<std::string_view> gone{removed.begin(), removed.end()};
  auto prefix = keys::owner_prefix(owner);
  auto suffix = keys::entry_suffix(k);
  // RocksDB's memtable is a skip list that inserts keys in order fastest (it
  // starts each search where the previous one ended): half of RocksDB's
  // time in a round at 100,000 nodes went to its searches before
  // (docs/performance.md, "Where a round's cost goes").
  std::stable_sort(states.begin(), states.end(),
                   [](const auto& x, const auto& y) {
                     return x.first < y.first;
                   });
  // Sized up front: a full checkpoint is tens of MB, grown by doubling
  // otherwise. Per entry: the key, the tag, and RocksDB's few bytes of
  // record type and lengths.
  size_t bytes = 0;
  for (const auto& [node, state] : states)
    bytes += prefix.size() + node.size() + suffix.size() + state.size() + 12;
  for (const auto& node : removed)
    bytes += prefix.size() + node.size() + suffix.size() + 12;
  rocksdb::WriteBatch batch{bytes};
  auto put = [&](std::string_view node, char tag,
                 const std::string_view* state) -> caf::error {
    if (!keys::valid_name(node))
      return db_->fail(what,
                       "node name " + quoted(std::string{node})
                         + " is empty or has a NUL byte",
                       errc::invalid_input);
    rocksdb::Slice key[] = {prefix, {node.data(), node.size()}, suffix};
    rocksdb::Slice value[] = {
      {&tag, 1},
      state ? rocksdb::Slice{state->data(), state->size()} : rocksdb::Slice{}};
    auto st = batch.Put(rocksdb::SliceParts{key, 3},
                        rocksdb::SliceParts{value, state ? 2 : 1});
    return st.ok() ? caf::none : db_->fail(what, st.ToString());
  };
  for (const auto& [node, state] : states) {
    if (gone.count(node) > 0)
      return db_->fail(what,
                       "node " + quoted(std::string{node})
                         + " is both written and removed",
                       errc::invalid_input);
    if (auto err = put(node, keys::value_tag, &state))
      return err;
  }
  for (const auto& node : removed) {
    std::string_view name{node};
    if (auto err = put(name, keys::removed_tag, nullptr))
      return err;
  }
  return db_->write(what, batch);
}

caf::expected<checkpoint_store::state_list>
checkpoint_store::read(const std::string& owner, uint64_t k) const {
  auto what
    = "read of checkpoint " + std::to_string(k) + " for " + quoted(owner);
  if (!keys::valid_name(owner))
    return db_->fail(what, bad_owner, errc::invalid_input);
  auto prefix = keys::owner_prefix(owner);
  auto end = keys::past(prefix);
  rocksdb::Slice upper{end};
  rocksdb::ReadOptions opts;
  opts.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it{db_->db().NewIterator(opts)};
  state_list out;
  // The node being read and its newest state at ids <= k, if it has one
  // and was not removed since.
  std::string node;
  std::optional<std::string> newest;
  it->Seek(prefix);
  while (it->Valid()) {
    auto key = it->key();
    auto name = keys::node_of(view(key), prefix.size());
    if (name.empty() || !keys::valid_entry(view(it->value())))
      return db_->fail(what, "corrupt entry " + quoted(key.ToString(true)));
    if (name != node) {
      if (newest)
        out.emplace_back(node, std::move(*newest));
      newest.reset();
      node.assign(name);
    }
    if (keys::id_of(view(key)) > k) {
      // The rest of this node's entries are newer still.
      it->Seek(keys::past(prefix + node + '\0'));
      continue;
    }
    auto value = it->value();
    if (value[0] == keys::value_tag)
      newest.emplace(value.data() + 1, value.size() - 1);
    else
      newest.reset();
    it->Next();
  }
  if (!it->status().ok())
    return db_->fail(what, it->status().ToString());
  if (newest)
    out.emplace_back(node, std::move(*newest));
  return out;
}

caf::expected<checkpoint_store::state_list>
checkpoint_store::read(const std::string& owner, uint64_t k,
                       const std::vector<std::string>& names) const {
  auto what
    = "read of checkpoint " + std::to_string(k) + " for " + quoted(owner);
  if (!keys::valid_name(owner))
    return db_->fail(what, bad_owner, errc::invalid_input);
  auto prefix = keys::owner_prefix(owner);
  auto suffix = keys::entry_suffix(k);
  std::unique_ptr<rocksdb::Iterator> it{
    db_->db().NewIterator(rocksdb::ReadOptions{})};
  state_list out;
  std::string target;
  for (const auto& name : names) {
    if (!keys::valid_name(name))
      continue; // no entry can have such a name
    target = prefix + name + suffix;
    // The newest entry of this node at or before k, if the key found is
    // this node's at all.
    it->SeekForPrev(target);
    if (!it->Valid()) {
      if (!it->status().ok())
        return db_->fail(what, it->status().ToString());
      continue;
    }
    auto key = it->key();
    if (key.size() != target.size()
        || !key.starts_with({target.data(), target.size() - keys::id_size}))
      continue;
    auto value = it->value();
    if (!keys::valid_entry(view(value)))
      return db_->fail(what, "corrupt entry " + quoted(key.ToString(true)));
    if (value[0] == keys::value_tag)
      out.emplace_back(name, std::string{value.data() + 1, value.size() - 1});
  }
  return out;
}

caf::error checkpoint_store::drop_owner(const std::string& owner) {
  auto what = "drop of " + quoted(owner);
  if (!keys::valid_name(owner))
    return db_->fail(what, bad_owner, errc::invalid_input);
  auto prefix = keys::owner_prefix(owner);
  rocksdb::WriteBatch batch;
  auto st = batch.DeleteRange(prefix, keys::past(prefix));
  if (!st.ok())
    return db_->fail(what, st.ToString());
  return db_->write(what, batch);
}

caf::expected<std::vector<std::string>> checkpoint_store::owners() const {
  rocksdb::Slice upper{keys::states_end};
  rocksdb::ReadOptions opts;
  opts.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it{db_->db().NewIterator(opts)};
  std::vector<std::string> out;
  it->Seek(keys::states_begin);
  while (it->Valid()) {
    auto key = it->key().ToStringView().substr(2);
    auto end = key.find('\0');
    if (end == 0 || end == std::string_view::npos)
      return db_->fail("list of owners",
                       "corrupt entry " + quoted(it->key().ToString(true)));
    out.emplace_back(key.substr(0, end));
    it->Seek(keys::past(keys::owner_prefix(out.back())));
  }
  if (!it->status().ok())
    return db_->fail("list of owners", it->status().ToString());
  return out;
}

// -- checkpoints --------------------------------------------------------------

caf::error checkpoint_store::commit(uint64_t k, const std::string& meta) {
  auto what = "commit of checkpoint " + std::to_string(k);
  if (committed_ && k <= committed_->first)
    return db_->fail(what,
                     "not newer than the committed checkpoint "
                       + std::to_string(committed_->first),
                     errc::invalid_input);
  rocksdb::WriteBatch batch;
  auto st = batch.Put(keys::meta(k), meta);
  if (st.ok())
    st = batch.Put(keys::committed, keys::be64(k));
  if (!st.ok())
    return db_->fail(what, st.ToString());
  if (auto err = db_->write(what, batch))
    return err;
  committed_.emplace(k, meta);
  return caf::none;
}

caf::error checkpoint_store::prune(uint64_t k) {
  auto what = "prune to checkpoint " + std::to_string(k);
  if (!committed_ || k > committed_->first)
    return db_->fail(
      what,
      "only a committed checkpoint can be pruned to (latest "
      "committed: "
        + (committed_ ? std::to_string(committed_->first) : std::string{"none"})
        + ")",
      errc::invalid_input);
  rocksdb::Slice upper{keys::states_end};
  rocksdb::ReadOptions opts;
  opts.iterate_upper_bound = &upper;
  std::unique_ptr<rocksdb::Iterator> it{db_->db().NewIterator(opts)};
  rocksdb::WriteBatch batch;
  // Per node (its keys minus the id): the newest entry <= k seen so far,
  // which deletes every older one as it is passed. A removal left as the
  // newest is deleted as well: no read at or after k can see past it.
  std::string node;
  std::string newest;
  bool newest_removed = false;
  rocksdb::Status st;
  auto close_node = [&] {
    if (!newest.empty() && newest_removed && st.ok())
      st = batch.Delete(newest);
    newest.clear();
  };
  for (it->Seek(keys::states_begin); it->Valid(); it->Next()) {
    auto key = it->key();
    if (key.size() < 4 + keys::id_size || !keys::valid_entry(view(it->value())))
      return db_->fail(what, "corrupt entry " + quoted(key.ToString(true)));
    auto head = key.ToStringView().substr(0, key.size() - keys::id_size);
    if (head != node) {
      close_node();
      node.assign(head);
    }
    if (keys::id_of(view(key)) > k)
      continue;
    if (!newest.empty() && st.ok())
      st = batch.Delete(newest);
    newest.assign(key.data(), key.size());
    newest_removed = it->value()[0] == keys::removed_tag;
  }
  if (!it->status().ok())
    return db_->fail(what, it->status().ToString());
  close_node();
  if (st.ok())
    st = batch.DeleteRange(keys::meta(0), keys::meta(k));
  if (!st.ok())
    return db_->fail(what, st.ToString());
  return db_->write(what, batch);
}

} // namespace shoal
