// Vectors of fixed-layout values as they travel between members: one length
// and one block of little-endian bytes, instead of one field at a time.
//
// CAF 0.17 serializes a `std::vector<point>` element by element, with a
// virtual call and a `caf::error` returned for every field; for the batches
// and output pages of a cluster replay that was a fifth of a member's CPU
// (docs/performance.md, "The cluster replay"). `packed` wraps a vector for
// an `inspect()`: CAF's binary serializer and deserializer get the block,
// every other inspector (to_string) sees the vector itself.
//
// Decoding never trusts the length it reads: the vector grows a bounded
// step at a time, each step read before the next, so a length larger than
// the bytes that follow ends in an error after at most one step.

#pragma once

#include <cstdint>
#include <vector>

#include "caf/deserializer.hpp"
#include "caf/error.hpp"
#include "caf/meta/type_name.hpp"
#include "caf/serializer.hpp"

#include "runtime/core/row_table.hpp"
#include "runtime/core/types.hpp"

namespace shoal {

/// A vector of `T` (a point or a 32-bit integer) to be sent as one block.
template <class T>
struct packed {
  std::vector<T>* xs;
};

caf::error inspect(caf::serializer& f, packed<point>& x);
caf::error inspect(caf::deserializer& f, packed<point>& x);
caf::error inspect(caf::serializer& f, packed<uint32_t>& x);
caf::error inspect(caf::deserializer& f, packed<uint32_t>& x);

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, packed<T>& x) {
  return f(*x.xs);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, row_table& x) {
  packed<uint32_t> name_of{&x.name_of};
  packed<point> points{&x.points};
  return f(caf::meta::type_name("row_table"), x.names, name_of, points);
}

} // namespace shoal
