#include "runtime/models/model_cache.hpp"

namespace shoal {

namespace {

bool same_bytes(const std::shared_ptr<const std::string>& x,
                const file_content& y) {
  return x == y.buffer() || *x == y.bytes();
}

} // namespace

std::shared_ptr<const void> model_cache::find(const key& k,
                                              const file_content& content) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto range = entries_.equal_range(k);
  for (auto i = range.first; i != range.second; ++i)
    if (auto model_ptr = i->second.model.lock())
      if (same_bytes(i->second.bytes, content))
        return model_ptr;
  return nullptr;
}

std::shared_ptr<const void>
model_cache::store(const key& k, const file_content& content,
                   std::shared_ptr<const void> model) {
  std::lock_guard<std::mutex> guard{mtx_};
  for (auto i = entries_.begin(); i != entries_.end();) {
    if (i->second.model.expired()) {
      i = entries_.erase(i);
      continue;
    }
    if (i->first == k && same_bytes(i->second.bytes, content))
      if (auto model_ptr = i->second.model.lock())
        return model_ptr;
    ++i;
  }
  auto bytes = content.buffer();
  if (!bytes)
    bytes = std::make_shared<const std::string>();
  entries_.emplace(k, entry{std::move(bytes), model});
  return model;
}

size_t model_cache::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  size_t n = 0;
  for (auto& kvp : entries_)
    if (!kvp.second.model.expired())
      ++n;
  return n;
}

model_cache& process_model_cache() {
  static model_cache instance;
  return instance;
}

} // namespace shoal
