// shoalctl: the admin client of a Shoal cluster (apps/shoalctl/ctl_command).

#include "apps/shoalctl/ctl_command.hpp"

int main(int argc, char** argv) {
  return shoal::ctl_main(argc, argv);
}
