#include "apps/shoalctl/ctl_replay.hpp"

#include <cstdio>
#include <vector>

#include "caf/all.hpp"

#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv_file_sink.hpp"
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

/// Writes `rows` to the file `out`.
caf::error write_rows(const std::vector<output_row>& rows,
                      const std::string& out) {
  auto sink = csv_file_sink::open(out);
  if (!sink)
    return std::move(sink.error());
  for (auto& r : rows)
    (*sink)->write(r.node, point{r.ts, r.value});
  return (*sink)->flush();
}

} // namespace

int ctl_replay(caf::scoped_actor& self, const caf::actor& member,
               const ctl_target& to, const std::string& in,
               const std::string& out) {
  auto src = file_bytes::open(in);
  if (!src)
    return ctl_failed(self, to, "replay", src.error());
  line_pieces pieces{*src};
  replay_chunk c;
  bool last = false;
  while (!last && pieces.next(c.data, last)) {
    if (pieces.failed())
      return ctl_failed(
        self, to, "replay",
        make_error(errc::io_error,
                   in + ": read error after byte " + std::to_string(c.offset)));
    c.last = last;
    auto size = c.data.size();
    // The first chunk opens the session and names the input for messages.
    auto res
      = c.seq == 0
          ? await_ack(self->request(member, to.timeout, replay_atom_v, in, c))
          : await_ack(self->request(member, to.timeout, replay_atom_v, c));
    if (res.err)
      return ctl_failed(self, to, "replay", res.err);
    c.session = res.ack.session;
    ++c.seq;
    c.offset += size;
  }
  int rc = 0;
  self->request(member, to.timeout, replay_atom_v, done_atom_v, c.session)
    .receive(
      [&](const std::vector<output_row>& rows) {
        if (auto err = write_rows(rows, out)) {
          rc = ctl_failed(self, to, "replay", err);
          return;
        }
        std::fprintf(stderr, "shoalctl: replay: %zu outputs written to %s\n",
                     rows.size(), out.c_str());
      },
      [&](caf::error& err) {
        rc = ctl_failed(self, to, "replay", err);
      });
  return rc;
}

} // namespace shoal
