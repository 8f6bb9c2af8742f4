#include "apps/shoal-bench/templates_command.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "apps/shoal-bench/template_bench.hpp"
#include "runtime/core/errc.hpp"

namespace fs = std::filesystem;

namespace shoal {

namespace {

const char* usage = "usage: shoal-bench templates [--devices N] [--nodes N] "
                    "[--reps R] [--dir DIR] [--json]\n";

bool read_count(const char* text, size_t& out) {
  char* end = nullptr;
  auto x = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || x == 0)
    return false;
  out = static_cast<size_t>(x);
  return true;
}

} // namespace

int templates_command(int argc, char** argv) {
  template_bench_options opts;
  std::string dir;
  bool json = false;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    bool ok = true;
    if (arg == "--json")
      json = true;
    else if (arg == "--devices" && has_value)
      ok = read_count(argv[++i], opts.devices);
    else if (arg == "--nodes" && has_value)
      ok = read_count(argv[++i], opts.nodes_per_device);
    else if (arg == "--reps" && has_value)
      ok = read_count(argv[++i], opts.reps);
    else if (arg == "--dir" && has_value)
      dir = argv[++i];
    else
      ok = false;
    if (!ok) {
      std::fprintf(stderr, "shoal-bench templates: bad argument '%s'\n%s",
                   arg.c_str(), usage);
      return 2;
    }
  }
  bool own_dir = dir.empty();
  if (own_dir) {
    dir = (fs::temp_directory_path()
           / ("shoal_templates_" + std::to_string(::getpid())))
            .string();
    fs::remove_all(dir);
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  auto fig = bench_templates(dir, opts);
  if (own_dir)
    fs::remove_all(dir, ec);
  if (!fig) {
    std::fprintf(stderr, "shoal-bench templates: %s\n",
                 describe(fig.error()).c_str());
    return 1;
  }
  if (json) {
    std::printf("{\"devices\": %zu, \"nodes\": %zu, \"templated_s\": %.4f, "
                "\"written_s\": %.4f, \"ratio\": %.3f, \"templated_bytes\": "
                "%zu, \"written_bytes\": %zu}\n",
                opts.devices, fig->nodes, fig->templated_s, fig->written_s,
                fig->ratio(), fig->templated_bytes, fig->written_bytes);
    return 0;
  }
  std::printf("templates: %zu devices x %zu nodes = %zu nodes, fastest of %zu "
              "loads\n",
              opts.devices, opts.nodes_per_device, fig->nodes, opts.reps);
  std::printf("  template + device list  %9.3f s  (%zu bytes)\n",
              fig->templated_s, fig->templated_bytes);
  std::printf("  written out             %9.3f s  (%zu bytes)\n",
              fig->written_s, fig->written_bytes);
  std::printf("  ratio                   %9.2f  (target: at most 2)\n",
              fig->ratio());
  return 0;
}

} // namespace shoal
