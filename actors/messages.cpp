#include "actors/messages.hpp"

#include "caf/actor_system_config.hpp"

#include "runtime/core/errc.hpp"

namespace shoal {

uint64_t node_key(const std::string& name) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

void register_types(caf::actor_system_config& cfg) {
  cfg.add_message_types<caf::id_block::shoal>();
  cfg.add_error_category(caf::atom("shoal"), [](uint8_t code, caf::atom_value,
                                                const caf::message& ctx) {
    auto text = to_string(static_cast<errc>(code));
    if (ctx.size() == 1 && ctx.match_element<std::string>(0))
      text += ": " + ctx.get_as<std::string>(0);
    return text;
  });
}

} // namespace shoal
