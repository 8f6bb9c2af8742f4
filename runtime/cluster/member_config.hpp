// A cluster member's configuration file (SPEC section 7), read and checked.
//
// `load_member_config` parses NODE.toml: `[node]` (name, listen, http,
// threads, insecure, data_dir, log_level), `[cluster]` (seeds, graph,
// heartbeat_ms, failure_timeout_ms, replay_buffer_rows, replay_page_rows,
// checkpoint_interval_ms, checkpoint_min_pause_ms), `[security]` (cert, key,
// ca), `[http]` (node_metrics, node_metrics_top) and the
// `[[source]]`/`[[sink]]` arrays
// (runtime/io/io_config.hpp). Unknown tables and keys, missing required keys,
// wrong types and bad addresses are `errc::invalid_config` errors of the form
// "<file>: [node] 'listen': <reason>". Relative paths are resolved against
// the file's folder. Without `[security]` the member port has no
// authentication, so a `listen` address that is not loopback is refused
// unless `insecure = true` says the operator accepts that. The TLS files
// are only named here; actors/net/tls_setup.hpp checks them. Pure apart
// from reading the file.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "caf/expected.hpp"

#include "runtime/cluster/tls_files.hpp"
#include "runtime/http/node_metrics.hpp"
#include "runtime/io/io_config.hpp"
#include "runtime/io/net_address.hpp"

namespace shoal {

struct member_config {
  /// The file it was read from.
  std::string file;
  /// Unique in the cluster; a graph-name-like word.
  std::string name;
  /// Where the member's CAF middleman listens (members and shoalctl).
  net_address listen;
  /// `[node] insecure = true`: the operator accepts an unauthenticated
  /// member port on a non-loopback address (SPEC section 9).
  bool insecure = false;
  /// `[security]`: mutual TLS on the member port (absolute paths).
  tls_files security;
  /// The HTTP endpoint, if any (port 0 when absent).
  net_address http;
  bool has_http = false;
  /// `[http]`: the nodes /metrics shows one by one
  /// (runtime/http/node_metrics.hpp).
  node_metrics_options node_metrics;
  /// Where the member keeps its checkpoints (absolute path; SPEC section
  /// 10); empty when none is configured, and the checkpoint store then
  /// lives in memory (runtime/state/checkpoint_store.hpp).
  std::string data_dir;
  /// Scheduler threads (0: one per core).
  size_t threads = 0;
  /// The least level logged ("debug", "info", "warn", "error"); empty:
  /// info (runtime/core/log_sink.hpp).
  std::string log_level;
  /// Members to contact when joining; may include this member.
  std::vector<net_address> seeds;
  /// Graph applied when the cluster first forms (absolute path), if any.
  std::string graph;
  /// How often members tell each other they are alive.
  int64_t heartbeat_ms = 500;
  /// Silence after which a member counts as dead.
  int64_t failure_timeout_ms = 3000;
  /// A replay's output buffer: outputs held above which the member takes no
  /// more input until shoalctl fetched some
  /// (actors/cluster/replay_session.hpp).
  int64_t replay_buffer_rows = 256 * 1024;
  /// The most outputs in one page that shoalctl fetches.
  int64_t replay_page_rows = 64 * 1024;
  /// How often the members take a checkpoint; 0 turns checkpoints off.
  int64_t checkpoint_interval_ms = 1000;
  /// The least time from the end of one checkpoint round to the start of
  /// the next (Flink's min pause between checkpoints); 0: none.
  int64_t checkpoint_min_pause_ms = 0;
  io_config io;
};

/// Reads and checks the member configuration at `path`.
caf::expected<member_config> load_member_config(const std::string& path);

} // namespace shoal
