// The command-line plumbing the three apps share, on CLI11: `--version` from
// the build (cmake/shoal_version.hpp.in), `--help` with the app's own usage
// text, and usage errors as one plain line naming the option, then the usage,
// exit 2. Options CLI11 does not know are kept as extras and named here
// ("unknown option '--x'"), so every app words them the same way.
// Header-only, so each app's command library takes it without a library of
// its own. For main()'s thread: it prints to stdout and stderr.

#pragma once

#include <cstdio>
#include <string>

#include "runtime/core/process_stats.hpp"

#include "CLI/CLI.hpp"
#include "shoal_version.hpp"

namespace shoal {

/// `TOOL 0.1.0 (commit abc1234, malloc jemalloc)`.
inline std::string version_line(const std::string& tool) {
  return tool + " " SHOAL_VERSION " (commit " SHOAL_COMMIT ", malloc "
         + malloc_name() + ")";
}

/// The path behind an operand where "-" means the standard stream: stdin
/// for an input, stdout for an output (so that tools can sit in a pipe).
inline std::string stdio_path(const std::string& operand, bool input) {
  if (operand != "-")
    return operand;
  return input ? "/dev/stdin" : "/dev/stdout";
}

/// Sets up `app` the way every Shoal tool parses: `-h,--help`, `--version`,
/// and extras kept for `parse_cli` to name.
inline void prepare_cli(CLI::App& app, const std::string& tool) {
  app.set_help_flag("-h,--help", "print this help and exit 0");
  app.set_version_flag("--version", version_line(tool),
                       "print the version and exit 0");
  app.allow_extras();
}

/// Whether `main` goes on or exits with `code`.
struct cli_outcome {
  bool exit = false;
  int code = 0;
};

/// Parses `argv` into `app`. `--help` prints `usage` (CLI11's own help of
/// the selected subcommand after one, or when `usage` is empty) and `--version`
/// the version line, both to stdout with code 0; a usage error prints `TOOL:
/// what` and the usage to stderr with code 2. `usage_of_errors` is appended to
/// errors (empty: none).
inline cli_outcome parse_cli(CLI::App& app, int argc, const char* const* argv,
                             const std::string& tool, const std::string& usage,
                             const std::string& usage_of_errors) {
  auto fail = [&](const std::string& what) {
    std::fprintf(stderr, "%s: %s\n%s", tool.c_str(), what.c_str(),
                 usage_of_errors.c_str());
    return cli_outcome{true, 2};
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    bool own = usage.empty() || !app.get_subcommands().empty();
    std::fputs(own ? app.help().c_str() : usage.c_str(), stdout);
    return {true, 0};
  } catch (const CLI::CallForVersion& e) {
    std::printf("%s\n", e.what());
    return {true, 0};
  } catch (const CLI::ArgumentMismatch& e) {
    // CLI11 says "--graph: 1 required TEXT missing".
    std::string what = e.what();
    auto colon = what.find(": ");
    if (what.rfind("-", 0) == 0 && colon != std::string::npos
        && what.find("required", colon) != std::string::npos)
      return fail("option " + what.substr(0, colon) + " needs a value");
    return fail(what);
  } catch (const CLI::ParseError& e) {
    return fail(e.what());
  }
  for (const auto& extra : app.remaining(true)) {
    if (extra.size() > 1 && extra[0] == '-')
      return fail("unknown option '" + extra + "'");
    return fail("unexpected argument '" + extra + "'");
  }
  return {};
}

} // namespace shoal
