#include "runtime/io/sparkplug_payload.hpp"

#include <cstring>

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

caf::error bad(std::string text) {
  return make_error(errc::invalid_input,
                    "Sparkplug B payload: " + std::move(text));
}

/// Reads protobuf wire format from a byte range.
class wire_reader {
public:
  explicit wire_reader(std::string_view bytes) : in_(bytes) {
    // nop
  }

  bool done() const {
    return pos_ == in_.size();
  }

  bool varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ == in_.size())
        return false;
      auto byte = static_cast<uint8_t>(in_[pos_++]);
      out |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        return true;
    }
    return false;
  }

  bool fixed(size_t n, uint64_t& out) {
    if (in_.size() - pos_ < n)
      return false;
    out = 0;
    for (size_t i = 0; i < n; ++i)
      out |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_ + i]))
             << (8 * i);
    pos_ += n;
    return true;
  }

  bool bytes(std::string_view& out) {
    uint64_t n = 0;
    if (!varint(n) || in_.size() - pos_ < n)
      return false;
    out = in_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return true;
  }

  /// Reads the next field's number, wire type and payload: `num` for wire
  /// types 0, 1 and 5, `data` for type 2.
  caf::error next(uint32_t& field, uint32_t& type, uint64_t& num,
                  std::string_view& data) {
    uint64_t key = 0;
    if (!varint(key))
      return bad("truncated field key");
    field = static_cast<uint32_t>(key >> 3);
    type = static_cast<uint32_t>(key & 7);
    bool ok = false;
    switch (type) {
      case 0: ok = varint(num); break;
      case 1: ok = fixed(8, num); break;
      case 2: ok = bytes(data); break;
      case 5: ok = fixed(4, num); break;
      default:
        return bad("field " + std::to_string(field) + " has wire type "
                   + std::to_string(type) + ", which Sparkplug does not use");
    }
    return ok ? caf::none
              : bad("field " + std::to_string(field) + " is truncated");
  }

private:
  std::string_view in_;
  size_t pos_ = 0;
};

double as_float(uint64_t bits) {
  auto b = static_cast<uint32_t>(bits);
  float f = 0;
  std::memcpy(&f, &b, sizeof(f));
  return f;
}

double as_double(uint64_t bits) {
  double d = 0;
  std::memcpy(&d, &bits, sizeof(d));
  return d;
}

/// The value of an int_value or long_value field for `datatype`: the signed
/// types are stored as their two's complement bits.
double integer_value(uint32_t datatype, uint64_t raw) {
  switch (static_cast<sparkplug_type>(datatype)) {
    case sparkplug_type::int8: return static_cast<int8_t>(raw);
    case sparkplug_type::int16: return static_cast<int16_t>(raw);
    case sparkplug_type::int32: return static_cast<int32_t>(raw);
    case sparkplug_type::int64:
      return static_cast<double>(static_cast<int64_t>(raw));
    default: return static_cast<double>(raw);
  }
}

caf::error parse_metric(std::string_view bytes, sparkplug_metric& m) {
  wire_reader in{bytes};
  uint64_t raw = 0;
  int value_field = 0;
  while (!in.done()) {
    uint32_t field = 0, type = 0;
    uint64_t num = 0;
    std::string_view data;
    if (auto err = in.next(field, type, num, data))
      return err;
    switch (field) {
      case 1:
        m.name = std::string{data};
        m.has_name = type == 2;
        break;
      case 2:
        m.alias = num;
        m.has_alias = type == 0;
        break;
      case 3:
        m.timestamp = num;
        m.has_timestamp = type == 0;
        break;
      case 4: m.datatype = static_cast<uint32_t>(num); break;
      case 7: m.is_null = num != 0; break;
      case 10:
      case 11:
      case 12:
      case 13:
      case 14:
        raw = num;
        value_field = static_cast<int>(field);
        break;
      default: break; // not needed for samples
    }
  }
  if (m.is_null || m.datatype < 1 || m.datatype > 11)
    return caf::none;
  switch (value_field) {
    case 10:
    case 11: m.value = integer_value(m.datatype, raw); break;
    case 12: m.value = as_float(raw); break;
    case 13: m.value = as_double(raw); break;
    case 14: m.value = raw != 0 ? 1.0 : 0.0; break;
    default: return caf::none;
  }
  m.has_value = true;
  return caf::none;
}

} // namespace

caf::expected<sparkplug_payload> parse_sparkplug(std::string_view bytes) {
  sparkplug_payload result;
  wire_reader in{bytes};
  while (!in.done()) {
    uint32_t field = 0, type = 0;
    uint64_t num = 0;
    std::string_view data;
    if (auto err = in.next(field, type, num, data))
      return err;
    if (field == 1 && type == 0) {
      result.timestamp = num;
      result.has_timestamp = true;
    } else if (field == 2 && type == 2) {
      sparkplug_metric m;
      if (auto err = parse_metric(data, m))
        return err;
      result.metrics.push_back(std::move(m));
    } else if (field == 3 && type == 0) {
      result.seq = num;
    }
  }
  return result;
}

} // namespace shoal
