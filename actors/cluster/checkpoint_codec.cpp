#include "actors/cluster/checkpoint_codec.hpp"

#include "caf/binary_deserializer.hpp"
#include "caf/binary_serializer.hpp"

#include "runtime/core/errc.hpp"

namespace shoal {

namespace {

template <class T>
std::string encode(caf::actor_system& sys, const T& x) {
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  // Serializing plain values into memory cannot fail.
  static_cast<void>(sink(const_cast<T&>(x)));
  return std::string(buf.begin(), buf.end());
}

template <class T>
caf::expected<T> decode(caf::actor_system& sys, const std::string& bytes,
                        const std::string& what) {
  T x;
  caf::binary_deserializer source{sys, bytes.data(), bytes.size()};
  if (auto err = source(x))
    return make_error(errc::invalid_input,
                      what + ": the checkpointed state does not decode ("
                        + sys.render(err) + ")");
  return x;
}

} // namespace

std::string encode_state(caf::actor_system& sys, const handover& h) {
  return encode(sys, h);
}

caf::expected<handover> decode_state(caf::actor_system& sys,
                                     const std::string& bytes,
                                     const std::string& node) {
  return decode<handover>(sys, bytes, "node '" + node + "'");
}

std::string encode_meta(caf::actor_system& sys, const checkpoint_meta& m) {
  return encode(sys, m);
}

caf::expected<checkpoint_meta> decode_meta(caf::actor_system& sys,
                                           const std::string& bytes) {
  return decode<checkpoint_meta>(sys, bytes, "checkpoint metadata");
}

std::string encode_graph(caf::actor_system& sys, const graph_spec& g) {
  return encode(sys, g);
}

caf::expected<graph_spec> decode_graph(caf::actor_system& sys,
                                       const std::string& bytes) {
  return decode<graph_spec>(sys, bytes, "checkpointed graph");
}

} // namespace shoal
