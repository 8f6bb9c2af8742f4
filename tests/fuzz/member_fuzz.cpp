// Fuzzes the decoding of what a member receives over the network
// (actors/messages.hpp): the bytes after the first are fed to a
// `caf::binary_deserializer` as the middleman feeds a message's payload; the
// first picks what they decode to: a whole `caf::message` (shoalctl's
// apply, remove, replay and tail requests, the members' join, heartbeat and
// handover messages), or one of the structs that travel in them (a batch
// and a replay's page of outputs carry their points as one block of bytes,
// actors/wire_packing.hpp). Malformed
// bytes must give an error, never a crash or an allocation larger than the
// input can describe (libFuzzer's -rss_limit_mb and -malloc_limit_mb catch
// those). The actor system has Shoal's types and no middleman.
//
// One exception is known and tolerated here: CAF 0.17.6 throws
// std::runtime_error("invalid type found") for a `caf::variant` whose type
// tag is out of range (CAF's own `config_value`, which any message may
// carry), instead of returning an error. In a member that exception escapes
// CAF's BASP worker and ends the process; Shoal cannot catch it there, so it
// is listed as not protected in docs/security.md, and its input is kept in
// corpus/member/ so that a change of behaviour shows.

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/actor_system.hpp"
#include "caf/actor_system_config.hpp"
#include "caf/atom.hpp"
#include "caf/binary_deserializer.hpp"
#include "caf/message.hpp"

#include "actors/messages.hpp"

using namespace shoal;

namespace {

/// The system lives until the process exits and is never destroyed: CAF's
/// shutdown at exit, after libFuzzer's own, would crash.
caf::actor_system& fuzz_system() {
  static auto* sys = [] {
    auto* cfg = new caf::actor_system_config;
    register_types(*cfg);
    cfg->set("scheduler.max-threads", 1);
    cfg->set("logger.verbosity", caf::atom("quiet"));
    return new caf::actor_system(*cfg);
  }();
  return *sys;
}

template <class T>
void decode(caf::binary_deserializer& source) {
  T x;
  try {
    static_cast<void>(source(x));
  } catch (const std::runtime_error& ex) {
    if (std::strcmp(ex.what(), "invalid type found") != 0)
      throw;
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1)
    return 0;
  auto& sys = fuzz_system();
  caf::binary_deserializer source{sys, reinterpret_cast<const char*>(data + 1),
                                  size - 1};
  switch (data[0] % 8) {
    case 0: decode<caf::message>(source); break;
    case 1: decode<graph_spec>(source); break;
    case 2: decode<std::vector<std::string>>(source); break;
    case 3: decode<std::vector<member_info>>(source); break;
    case 4: decode<batch>(source); break;
    case 5: decode<handover>(source); break;
    case 6: decode<directory>(source); break;
    default: decode<replay_page>(source); break;
  }
  return 0;
}
