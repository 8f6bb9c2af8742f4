// Loads each model file once per process and shares it read-only.
//
// Thousands of model nodes often use the same file (one model type per kind
// of device). `model_cache::get` returns the compiled model of a file, loading
// it the first time and handing out the same immutable object afterwards, as
// long as the file is unchanged (same size and modification time) and some
// node still holds it. Entries are weak: a model no node uses is freed.
// Thread-safe: node functions are built on any scheduler thread.

#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "caf/expected.hpp"

namespace shoal {

class model_cache {
public:
  template <class T>
  using loader = std::function<caf::expected<std::shared_ptr<const T>>(
    const std::string& path)>;

  /// Returns the model of `kind` (e.g. "xgboost") at `path`, loading it with
  /// `load` unless an unchanged copy is already in use.
  template <class T>
  caf::expected<std::shared_ptr<const T>>
  get(const std::string& kind, const std::string& path, const loader<T>& load) {
    auto k = make_key(kind, path);
    {
      std::lock_guard<std::mutex> guard{mtx_};
      auto i = entries_.find(k);
      if (i != entries_.end())
        if (auto ptr = i->second.lock())
          return std::static_pointer_cast<const T>(ptr);
    }
    // Load outside the lock: loading may take a while, and a second loader
    // of the same file merely wastes a little work.
    auto loaded = load(path);
    if (!loaded)
      return std::move(loaded.error());
    std::lock_guard<std::mutex> guard{mtx_};
    auto& slot = entries_[k];
    if (auto ptr = slot.lock())
      return std::static_pointer_cast<const T>(ptr);
    slot = *loaded;
    return *loaded;
  }

  /// Number of models loaded and still in use.
  size_t size() const;

private:
  using key = std::tuple<std::string, std::string, uint64_t, int64_t>;

  static key make_key(const std::string& kind, const std::string& path);

  mutable std::mutex mtx_;
  std::map<key, std::weak_ptr<const void>> entries_;
};

/// The cache of this process.
model_cache& process_model_cache();

} // namespace shoal
