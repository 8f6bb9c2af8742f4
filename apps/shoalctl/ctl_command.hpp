// `shoalctl --connect HOST:PORT <command>`: the admin client of a cluster
// (SPEC section 6). It talks to any member's member actor with CAF messages.
// `apps/shoalctl/main.cpp` only calls `ctl_main`. Exit codes: 0 done, 1 the
// cluster refused or failed the command or did not answer within the
// deadline (`--timeout`, ctl_request.hpp), 2 bad usage or no connection.

#pragma once

namespace shoal {

/// Runs shoalctl with the process arguments.
int ctl_main(int argc, char** argv);

} // namespace shoal
