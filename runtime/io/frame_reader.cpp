#include "runtime/io/frame_reader.hpp"

#include <algorithm>

#include "runtime/io/msgpack_values.hpp"

namespace shoal {

namespace {

constexpr size_t read_chunk = 64 * 1024;

/// Limits on what a msgpack header may announce. A batch of samples of one
/// byte each could not have more elements than the frame has bytes / 4.
msgpack::unpack_limit frame_limits(size_t max_frame) {
  return msgpack::unpack_limit(max_frame / 4, 16, max_frame, max_frame,
                               max_frame, 3);
}

/// Copies strings out of the read buffer, which is reused.
bool never_reference(msgpack::type::object_type, size_t, void*) {
  return false;
}

} // namespace

bool decode_sample(const msgpack::object& x, inbox_sample& out,
                   std::string& reason) {
  if (x.type != msgpack::type::ARRAY || x.via.array.size != 3) {
    reason = "a sample must be an array [sensor, ts, value], not ";
    reason
      += x.type == msgpack::type::ARRAY
           ? "an array of " + std::to_string(x.via.array.size) + " elements"
           : msgpack_type_name(x);
    return false;
  }
  auto* f = x.via.array.ptr;
  if (!msgpack_string(f[0], out.sensor)) {
    reason = "sensor must be a string, not ";
    reason += msgpack_type_name(f[0]);
    return false;
  }
  if (!msgpack_int64(f[1], out.ts)) {
    reason = "ts must be an int64 (ns), not ";
    reason += f[1].type == msgpack::type::POSITIVE_INTEGER
                ? "an integer beyond the int64 range"
                : msgpack_type_name(f[1]);
    return false;
  }
  if (!msgpack_number(f[2], out.value)) {
    reason = "value must be a number, not ";
    reason += msgpack_type_name(f[2]);
    return false;
  }
  return true;
}

frame_reader::frame_reader(size_t max_frame_bytes)
  : max_frame_(max_frame_bytes),
    unpacker_(&never_reference, nullptr, read_chunk,
              frame_limits(max_frame_bytes)) {
  // nop
}

char* frame_reader::buffer() {
  unpacker_.reserve_buffer(read_chunk);
  return unpacker_.buffer();
}

size_t frame_reader::capacity() const {
  // Never more than one byte past the limit of the frame under way: a frame
  // over the limit is refused before the rest of it is read.
  auto pending_bytes = pending();
  auto room = pending_bytes <= max_frame_ ? max_frame_ + 1 - pending_bytes : 0;
  return std::min(unpacker_.buffer_capacity(), room);
}

size_t frame_reader::pending() const {
  // Parsed bytes of the unfinished frame plus those not parsed yet: the
  // unpacker parses arrays element by element as bytes arrive.
  return unpacker_.message_size();
}

bool frame_reader::decode(const msgpack::object& frame,
                          std::vector<inbox_sample>& out, result& res) {
  ++frames_;
  auto where = "frame " + std::to_string(frames_) + ": ";
  inbox_sample s;
  std::string why;
  if (frame.type == msgpack::type::ARRAY && frame.via.array.size > 0
      && frame.via.array.ptr[0].type == msgpack::type::ARRAY) {
    // A batch: keep its good samples, count each bad one.
    bool ok = true;
    for (uint32_t i = 0; i < frame.via.array.size; ++i) {
      if (decode_sample(frame.via.array.ptr[i], s, why)) {
        out.push_back(std::move(s));
        continue;
      }
      ++res.malformed;
      if (ok)
        res.reason = where + "element " + std::to_string(i + 1) + ": " + why;
      ok = false;
    }
    return ok;
  }
  if (decode_sample(frame, s, why)) {
    out.push_back(std::move(s));
    return true;
  }
  ++res.malformed;
  res.reason = where + why;
  return false;
}

frame_reader::result frame_reader::consume(size_t n,
                                           std::vector<inbox_sample>& out) {
  result res;
  unpacker_.buffer_consumed(n);
  try {
    msgpack::object_handle oh;
    auto before = unpacker_.message_size();
    while (unpacker_.next(oh)) {
      // `next` forgets the bytes of the frame it completed: they are what
      // the unfinished bytes shrank by.
      auto frame_bytes = before - unpacker_.message_size();
      before = unpacker_.message_size();
      if (frame_bytes > max_frame_) {
        too_long(res);
        return res;
      }
      if (!decode(oh.get(), out, res)) {
        res.close = true;
        return res;
      }
    }
  } catch (const std::exception& ex) {
    ++res.malformed;
    res.close = true;
    res.reason = "frame " + std::to_string(frames_ + 1)
                 + ": not msgpack or beyond the limits ("
                 + std::to_string(max_frame_) + " bytes): " + ex.what();
    return res;
  }
  if (pending() > max_frame_)
    too_long(res);
  return res;
}

void frame_reader::too_long(result& res) const {
  ++res.malformed;
  res.close = true;
  res.reason = "frame " + std::to_string(frames_ + 1) + ": longer than "
               + std::to_string(max_frame_) + " bytes";
}

} // namespace shoal
