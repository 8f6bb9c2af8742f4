// "sensor ts value" lines of what an MQTT payload decoded to, for tests
// that compare a decoder's samples and problems as text. Header-only, so
// that tests linking only shoal_runtime can use it.

#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "runtime/io/mqtt_decoder.hpp"

namespace shoal::test_support {

/// "sensor ts value" per sample, then "! problem" per problem.
inline std::vector<std::string> lines(const mqtt_decoded& x) {
  std::vector<std::string> result;
  for (auto& s : x.samples) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), " %lld %.17g", static_cast<long long>(s.ts),
                  s.value);
    result.push_back(s.sensor + buf);
  }
  for (auto& p : x.problems)
    result.push_back("! " + p);
  return result;
}

} // namespace shoal::test_support
