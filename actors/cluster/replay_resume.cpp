#include "actors/cluster/replay_resume.hpp"

#include <chrono>
#include <memory>
#include <utility>

#include "caf/all.hpp"

#include "actors/cluster/member_actor.hpp"
#include "actors/sources/replay_source.hpp"
#include "runtime/core/log_sink.hpp"
#include "runtime/io/byte_source.hpp"
#include "runtime/io/csv.hpp"

namespace shoal {

namespace {

/// How long a replay waits for the leader to restore the graph.
constexpr auto restore_patience = std::chrono::minutes(2);

/// The replay under way, unless it failed.
std::shared_ptr<replay_session> running(member_self self) {
  auto run = self->state.replay.run;
  return run && run->error.empty() ? run : nullptr;
}

/// Drops the kept pieces that end before the older of the last two
/// committed positions (a restore goes back to one of them, never further).
void trim(replay_resume_state& r) {
  if (r.committed.size() < 2)
    return;
  auto from = r.committed.begin()->second.first;
  if (from == replay_resume_state::ended)
    return;
  while (!r.kept.empty() && r.kept_from + r.kept.front().size() <= from) {
    r.kept_from += r.kept.front().size();
    r.kept_bytes -= r.kept.front().size();
    r.kept.pop_front();
  }
}

void log_warning(member_self self, const std::string& what) {
  logf(*self->state.opts.log, log_level::warning, "shoal-node: member %s: %s",
       self->state.opts.name.c_str(), what.c_str());
}

} // namespace

void keep_input(member_self self, replay_session& run,
                const std::string& bytes) {
  auto& r = run.resume;
  if (!r.on)
    return;
  if (r.kept_bytes + bytes.size() > max_kept_bytes) {
    r.on = false;
    r.kept.clear();
    r.kept.shrink_to_fit();
    r.kept_bytes = 0;
    log_warning(self, "replay " + run.name + ": more than "
                        + std::to_string(max_kept_bytes >> 20)
                        + " MiB of input since the last checkpoint; the "
                          "replay no longer survives a member's death");
    return;
  }
  r.kept.push_back(bytes);
  r.kept_bytes += bytes.size();
}

bool may_take_input(const replay_session& run) {
  return run.resume.awaiting == 0;
}

void replay_round_began(member_self self, uint64_t k) {
  auto run = running(self);
  if (run && run->resume.on && run->source_done)
    run->resume.taken[k] = {replay_resume_state::ended, std::string{}};
}

void replay_round_position(member_self self, uint64_t k, uint64_t offset,
                           std::string position) {
  auto run = running(self);
  if (run && run->resume.on && self->current_sender() == run->source)
    run->resume.taken[k] = {offset, std::move(position)};
}

void replay_round_ended(member_self self, uint64_t k, bool committed) {
  auto run = running(self);
  if (!run)
    return;
  auto& r = run->resume;
  auto i = r.taken.find(k);
  if (committed && i != r.taken.end()) {
    r.committed[k] = std::move(i->second);
    while (r.committed.size() > 2)
      r.committed.erase(r.committed.begin());
    trim(r);
  }
  r.taken.erase(r.taken.begin(), r.taken.upper_bound(k));
}

bool replay_await_restore(member_self self) {
  auto run = running(self);
  auto k = self->state.checkpoint.meta.k;
  if (!run || !run->resume.on || k == 0)
    return false;
  auto& r = run->resume;
  bool from_start = k <= r.opened_after && r.kept_from == 0;
  if (r.committed.count(k) == 0 && !from_start)
    return false;
  r.awaiting = k;
  // Nothing more from the old source: the restored graph gets the input
  // again from the round's position.
  self->send_exit(run->source, caf::exit_reason::user_shutdown);
  run->source = caf::actor{};
  release_chunk(*run);
  self->delayed_send(self, restore_patience, replay_atom_v, ckpt_atom_v,
                     run->id);
  return true;
}

void replay_restored(member_self self, uint64_t k) {
  auto run = running(self);
  if (!run)
    return;

  auto& r = run->resume;
  r.awaiting = 0;
  auto fail = [&](const std::string& why) {
    fail_replay(self, "the replay cannot go on from checkpoint "
                        + std::to_string(k)
                        + " after a member's death: " + why);
  };
  if (!r.on) {
    fail("its input since that checkpoint was not kept");
    return;
  }
  replay_resume_state::position pos{0, std::string{}};
  bool from_start = false;
  if (auto i = r.committed.find(k); i != r.committed.end())
    pos = i->second;
  else if (k <= r.opened_after && r.kept_from == 0)
    from_start = true;
  else {
    fail("the checkpoint does not hold its position");
    return;
  }
  if (run->source)
    self->send_exit(run->source, caf::exit_reason::user_shutdown);
  run->source = caf::actor{};
  release_chunk(*run);
  if (!from_start && pos.first == replay_resume_state::ended)
    // The input was read in full before the round: the restored nodes
    // hold all of it, and the sink waits for their outputs.
    return;
  if (pos.first < r.kept_from) {
    fail("its input before byte " + std::to_string(r.kept_from)
         + " was dropped");
    return;
  }
  // The kept input from the round's position on, copied: another
  // member's death before the next commit goes back to it again.
  auto feed = std::make_shared<chunk_feed>();
  auto skip = pos.first - r.kept_from;
  for (const auto& piece : r.kept) {
    if (skip >= piece.size()) {
      skip -= piece.size();
      continue;
    }
    feed->push(piece.substr(static_cast<size_t>(skip)));
    skip = 0;
  }
  if (run->ended)
    feed->close();
  std::shared_ptr<sample_reader> reader;
  if (from_start) {
    auto rd = sample_reader::open(feed, run->name);
    if (!rd) {
      fail(describe(rd.error()));
      return;
    }
    reader = std::make_shared<sample_reader>(std::move(*rd));
  } else {
    replay_position p;
    if (!p.decode(pos.second)) {
      fail("its position does not decode");
      return;
    }
    reader = std::make_shared<sample_reader>(
      sample_reader::resume(feed, run->name, p.at));
  }
  logf(*self->state.opts.log, log_level::info,
       {{"event", "replay_resumed"},
        {"replay", run->name},
        {"checkpoint", k},
        {"byte", pos.first}},
       "shoal-node: member %s: replay %s goes on from checkpoint %llu at "
       "byte %llu",
       self->state.opts.name.c_str(), run->name.c_str(),
       static_cast<unsigned long long>(k),
       static_cast<unsigned long long>(pos.first));
  start_replay_source(self, run, feed, std::move(reader),
                      from_start ? std::string{} : std::move(pos.second));
}

void replay_sync_restored(member_self self, std::vector<std::string> names,
                          std::vector<caf::actor> actors,
                          caf::response_promise rp) {
  auto run = running(self);
  if (!run || !run->sink || run->sink_done) {
    rp.deliver(caf::ok_atom_v);
    return;
  }
  self
    ->request(run->sink, std::chrono::seconds(20), sync_atom_v,
              std::move(actors), std::move(names))
    .then(
      [=](caf::ok_atom) mutable {
        rp.deliver(caf::ok_atom_v);
      },
      [=](caf::error& err) mutable {
        rp.deliver(std::move(err));
      });
}

} // namespace shoal
