// Compiles each model once per process and shares it read-only.
//
// Thousands of model nodes often use the same model (one model type per kind
// of device). `model_cache::get` returns the compiled model of a content (a
// model file's bytes, `file_content`), compiling it the first time and
// handing out the same immutable object afterwards, as long as some node
// still holds it. A hit is decided by the bytes themselves (fingerprint,
// then comparison), never by a file name: a model is never shared between
// two different contents. Entries are weak: a model no node uses is freed,
// and its entry dropped at the next compilation. Thread-safe: node functions
// are built on any scheduler thread.

#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "caf/expected.hpp"

#include "runtime/core/bounded_file.hpp"
#include "runtime/graph/file_content.hpp"

namespace shoal {

class model_cache {
public:
  template <class T>
  using ptr = std::shared_ptr<const T>;

  /// Compiles a model from the bytes of its file.
  template <class T>
  using compiler = std::function<caf::expected<ptr<T>>(const std::string&)>;

  /// Reads and compiles the model file at a path.
  template <class T>
  using loader = std::function<caf::expected<ptr<T>>(const std::string&)>;

  /// Returns the model of `kind` (e.g. "xgboost") compiled from `content`,
  /// compiling it with `compile` unless a model of equal bytes is in use.
  template <class T>
  caf::expected<ptr<T>> get(const std::string& kind,
                            const file_content& content,
                            const compiler<T>& compile) {
    auto k = key{kind, content.fingerprint(), content.bytes().size()};
    if (auto hit = find(k, content))
      return std::static_pointer_cast<const T>(hit);
    // Compile outside the lock: it may take a while, and a second compiler
    // of the same content merely wastes a little work.
    auto compiled = compile(content.bytes());
    if (!compiled)
      return std::move(compiled.error());
    return std::static_pointer_cast<const T>(store(k, content, *compiled));
  }

  /// Returns the model of `kind` in the file at `path` (a file of this
  /// process's choosing: benchmarks and tests), read with
  /// `read_bounded_file` and looked up by its bytes; on a miss, `load`
  /// reads and compiles it. When the file cannot be read, `load` says why.
  template <class T>
  caf::expected<ptr<T>> get(const std::string& kind, const std::string& path,
                            const loader<T>& load) {
    auto bytes = read_bounded_file(path);
    if (!bytes)
      return load(path);
    compiler<T> compile = [&](const std::string&) {
      return load(path);
    };
    return get(kind, file_content{std::move(*bytes)}, compile);
  }

  /// Number of models compiled and still in use.
  size_t size() const;

private:
  /// Kind, fingerprint and size of the content.
  using key = std::tuple<std::string, uint64_t, size_t>;

  struct entry {
    /// The bytes it was compiled from, to tell equal contents apart from
    /// a fingerprint collision.
    std::shared_ptr<const std::string> bytes;
    std::weak_ptr<const void> model;
  };

  /// The model in use compiled from bytes equal to `content`, if any.
  std::shared_ptr<const void> find(const key& k, const file_content& content);

  /// Keeps `model` for `content` unless another thread stored one first
  /// (which is returned instead); drops the entries of freed models.
  std::shared_ptr<const void> store(const key& k, const file_content& content,
                                    std::shared_ptr<const void> model);

  mutable std::mutex mtx_;
  std::multimap<key, entry> entries_;
};

/// The cache of this process.
model_cache& process_model_cache();

} // namespace shoal
