#include "runtime/io/sample_inbox.hpp"

#include <iterator>

namespace shoal {

sample_inbox::sample_inbox(size_t capacity) : capacity_(capacity) {
  // nop
}

bool sample_inbox::push(std::string sensor, int64_t ts, double value) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (samples_.size() >= capacity_) {
    ++overflow_;
    return false;
  }
  samples_.push_back(inbox_sample{std::move(sensor), ts, value});
  return true;
}

void sample_inbox::push(std::vector<inbox_sample>& samples) {
  std::lock_guard<std::mutex> guard{mtx_};
  samples_.insert(samples_.end(), std::make_move_iterator(samples.begin()),
                  std::make_move_iterator(samples.end()));
  samples.clear();
}

void sample_inbox::push_malformed(std::string origin, std::string reason,
                                  uint64_t count, std::string_view example) {
  std::lock_guard<std::mutex> guard{mtx_};
  notices_.push_back(malformed_notice{
    std::move(origin), std::move(reason), count,
    std::string{example.substr(0, malformed_notice::max_example)}});
}

void sample_inbox::drain(std::vector<inbox_sample>& samples,
                         std::vector<malformed_notice>& notices) {
  samples.clear();
  notices.clear();
  std::lock_guard<std::mutex> guard{mtx_};
  samples.swap(samples_);
  notices.swap(notices_);
}

bool sample_inbox::full() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return samples_.size() >= capacity_;
}

size_t sample_inbox::size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return samples_.size();
}

uint64_t sample_inbox::overflow() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return overflow_;
}

} // namespace shoal
