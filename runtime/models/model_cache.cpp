#include "runtime/models/model_cache.hpp"

#include <sys/stat.h>

namespace shoal {

model_cache::key model_cache::make_key(const std::string& kind,
                                       const std::string& path) {
  struct stat st {};
  uint64_t size = 0;
  int64_t mtime = 0;
  if (::stat(path.c_str(), &st) == 0) {
    size = static_cast<uint64_t>(st.st_size);
    mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000
            + st.st_mtim.tv_nsec;
  }
  return key{kind, path, size, mtime};
}

size_t model_cache::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  size_t n = 0;
  for (auto& kvp : entries_)
    if (!kvp.second.expired())
      ++n;
  return n;
}

model_cache& process_model_cache() {
  static model_cache instance;
  return instance;
}

} // namespace shoal
