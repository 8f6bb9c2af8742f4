#include "apps/shoalctl/ctl_replay.hpp"

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "apps/common/cli.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv_file_sink.hpp"
#include "runtime/io/influx_bytes.hpp"
#include "runtime/io/line_pieces.hpp"

namespace shoal {

namespace {

/// What one chunk's request gave: the acknowledgement, or why not.
struct chunk_result {
  replay_ack ack;
  caf::error err;
};

template <class Request>
chunk_result await_ack(Request&& req) {
  chunk_result res;
  std::forward<Request>(req).receive(
    [&](const replay_ack& ack) {
      res.ack = ack;
    },
    [&](caf::error& err) {
      res.err = std::move(err);
    });
  return res;
}

/// What the replay's source made of the input; and, when no output came,
/// where to look. The sensors' own rejections (late, out of order) are not
/// the source's: they show in `shoalctl status`.
void print_samples(const ingest_counts& s,
                   const std::vector<uint64_t>& malformed, uint64_t outputs) {
  std::string reasons;
  for (size_t r = 0; r < reject_reason_count; ++r)
    if (s.rejected[r] > 0)
      reasons += (reasons.empty() ? "" : ", ")
                 + std::string{to_string(static_cast<reject_reason>(r))} + " "
                 + std::to_string(s.rejected[r]);
  std::fprintf(stderr,
               "shoalctl: replay: input: %llu samples sent to sensors, %llu "
               "rejected%s%s%s\n",
               static_cast<unsigned long long>(s.accepted),
               static_cast<unsigned long long>(s.rejected_total()),
               reasons.empty() ? "" : " (", reasons.c_str(),
               reasons.empty() ? "" : ")");
  if (!malformed.empty()) {
    std::string lines;
    for (auto line : malformed)
      lines += " " + std::to_string(line);
    std::fprintf(stderr, "shoalctl: replay: malformed rows at lines:%s%s\n",
                 lines.c_str(),
                 s[reject_reason::malformed] > malformed.size() ? " ..." : "");
  }
  if (outputs > 0)
    return;
  if (s.accepted == 0 && s.rejected_total() > 0)
    std::fprintf(stderr,
                 "shoalctl: replay: no outputs: every sample of the input was "
                 "rejected (above)\n");
  else if (s.accepted > 0)
    std::fprintf(
      stderr,
      "shoalctl: replay: no outputs: no emitting node fired. A sensor takes "
      "only samples newer than the last it took, and the graph keeps its "
      "state between replays: was this input, or a later one, replayed "
      "already? `shoalctl status` shows each sensor's samples rejected as "
      "late or out of order\n");
}

/// The outputs as they come, page by page, into the file `out`.
struct output_pages {
  caf::scoped_actor& self;
  const caf::actor& member;
  const ctl_target& to;
  const std::string& out;
  std::unique_ptr<buffered_file_sink> file;
  /// The index of the next output wanted: every one before it is written.
  uint64_t next = 0;
  /// The last page said the member's buffer is full, or that it was the end.
  bool full = false;
  bool end = false;
  uint64_t held_most = 0;
  /// From the last page: the input's samples accepted and rejected.
  ingest_counts samples;
  std::vector<uint64_t> malformed_lines;

  /// Fetches one page and writes it.
  caf::error fetch(uint64_t session) {
    caf::error err;
    self
      ->request(member, to.timeout, replay_atom_v, fetch_atom_v, session, next)
      .receive(
        [&](replay_page& pg) {
          if (pg.first != next) {
            err = make_error(errc::invalid_input,
                             "asked for output " + std::to_string(next)
                               + ", got " + std::to_string(pg.first));
            return;
          }
          auto& rows = pg.rows;
          if (!rows.valid()) {
            err = make_error(errc::invalid_input,
                             "the member sent a page of outputs whose rows "
                             "do not all name a node (from output "
                               + std::to_string(next) + ")");
            return;
          }
          for (size_t i = 0; i < rows.size(); ++i)
            file->write(rows.names[rows.name_of[i]], rows.points[i]);
          next += rows.size();
          full = pg.full;
          end = pg.end;
          held_most = pg.held_most;
          if (pg.end) {
            samples = pg.samples;
            malformed_lines = std::move(pg.malformed_lines);
          }
        },
        [&](caf::error& e) {
          err = std::move(e);
        });
    return err;
  }

  /// Fetches pages until the member's buffer has room again.
  caf::error drain(uint64_t session) {
    do {
      if (auto err = fetch(session))
        return err;
    } while (full && !end);
    return caf::none;
  }
};

} // namespace

int ctl_replay(caf::scoped_actor& self, const caf::actor& member,
               const ctl_target& to, const std::string& in_operand,
               const std::string& out_operand, size_t piece_bytes) {
  // "-": stdin and stdout; messages go to stderr.
  auto in = stdio_path(in_operand, true);
  auto out = stdio_path(out_operand, false);
  // A file, or the points of an InfluxDB replay written as one: read here
  // and sent as the same pieces (SPEC section 13).
  auto src = open_replay_bytes(in);
  if (!src)
    return ctl_failed(self, to, "replay", src.error());
  // OUT holds this replay's outputs only (SPEC section 6).
  auto file = csv_file_sink::open(out, file_mode::truncate);
  if (!file)
    return ctl_failed(self, to, "replay", file.error());
  output_pages outs{self,  member, to, out, std::move(*file), 0, false,
                    false, 0,      {}, {}};
  // A replay that fails leaves no partial outputs behind.
  auto failed = [&](const caf::error& err) {
    outs.file.reset();
    if (out_operand != "-")
      std::remove(out.c_str());
    return ctl_failed(self, to, "replay", err);
  };
  line_pieces pieces{*src, piece_bytes};
  replay_chunk c;
  bool last = false;
  while (!last && pieces.next(c.data, last)) {
    if (pieces.failed()) {
      auto why = pieces.why_failed();
      return failed(
        make_error(errc::io_error, in + ": read error after byte "
                                     + std::to_string(c.offset)
                                     + (why.empty() ? "" : ": " + why)));
    }
    c.last = last;
    auto size = c.data.size();
    for (;;) {
      // The first chunk opens the session and names the input for messages.
      auto res
        = c.seq == 0
            ? await_ack(self->request(member, to.timeout, replay_atom_v, in, c))
            : await_ack(self->request(member, to.timeout, replay_atom_v, c));
      if (res.err)
        return failed(res.err);
      c.session = res.ack.session;
      // Taken, or the member's outputs wait to be fetched first.
      if (auto err = outs.drain(c.session))
        return failed(err);
      if (res.ack.taken)
        break;
    }
    ++c.seq;
    c.offset += size;
  }
  while (!outs.end)
    if (auto err = outs.fetch(c.session))
      return failed(err);
  if (auto err = outs.file->flush())
    return failed(err);
  std::fprintf(stderr,
               "shoalctl: replay: %llu outputs written to %s (the member "
               "held at most %llu at once)\n",
               static_cast<unsigned long long>(outs.next), out.c_str(),
               static_cast<unsigned long long>(outs.held_most));
  print_samples(outs.samples, outs.malformed_lines, outs.next);
  return 0;
}

} // namespace shoal
