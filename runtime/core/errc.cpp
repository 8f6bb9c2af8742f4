#include "runtime/core/errc.hpp"

#include "caf/atom.hpp"
#include "caf/deep_to_string.hpp"
#include "caf/message.hpp"

namespace shoal {

std::string to_string(errc x) {
  switch (x) {
    case errc::invalid_graph: return "invalid_graph";
    case errc::invalid_input: return "invalid_input";
    case errc::io_error: return "io_error";
    case errc::user_code: return "user_code";
    case errc::not_found: return "not_found";
    case errc::invalid_config: return "invalid_config";
  }
  return "unknown";
}

caf::error make_error(errc code, std::string text) {
  return caf::error{static_cast<uint8_t>(code), caf::atom("shoal"),
                    caf::make_message(std::move(text))};
}

std::string describe(const caf::error& err) {
  if (!err)
    return "no error";
  const auto& ctx = err.context();
  if (ctx.size() == 1 && ctx.match_element<std::string>(0))
    return ctx.get_as<std::string>(0);
  if (err.category() == caf::atom("shoal"))
    return to_string(static_cast<errc>(err.code()));
  return caf::to_string(err);
}

} // namespace shoal
