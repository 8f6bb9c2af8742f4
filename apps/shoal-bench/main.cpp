// shoal-bench: measures Shoal on a synthetic IoT plant (issue 4). Thin: the
// commands live beside it (bench_command.hpp).

#include <cstdio>
#include <cstring>

#include "apps/common/cli.hpp"
#include "apps/shoal-bench/bench_command.hpp"
#include "apps/shoal-bench/checkpoint_command.hpp"
#include "apps/shoal-bench/checkpoint_dir_command.hpp"
#include "apps/shoal-bench/functions_command.hpp"
#include "apps/shoal-bench/models_command.hpp"
#include "apps/shoal-bench/plant_command.hpp"
#include "apps/shoal-bench/templates_command.hpp"
#include "runtime/core/errc.hpp"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "models") == 0)
    return shoal::models_command(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "functions") == 0)
    return shoal::functions_command(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "checkpoint-store") == 0)
    return shoal::checkpoint_store_command(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "checkpoint-dir") == 0)
    return shoal::checkpoint_dir_command(argc - 1, argv + 1);
  if (argc > 1 && std::strcmp(argv[1], "plant") == 0)
    return shoal::plant_command(argc - 2, argv + 2);
  if (argc > 1 && std::strcmp(argv[1], "templates") == 0)
    return shoal::templates_command(argc - 2, argv + 2);
  auto args = shoal::parse_bench_args(argc, argv);
  if (!args) {
    std::fprintf(stderr, "shoal-bench: %s\n%s",
                 shoal::describe(args.error()).c_str(), shoal::bench_usage());
    return 2;
  }
  if (args->version) {
    std::printf("%s\n", shoal::version_line("shoal-bench").c_str());
    return 0;
  }
  if (args->help) {
    std::fputs(shoal::bench_usage(), stdout);
    return 0;
  }
  return shoal::bench_command(*args);
}
