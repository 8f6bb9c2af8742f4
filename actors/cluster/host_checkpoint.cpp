#include "actors/cluster/host_checkpoint.hpp"

#include <chrono>
#include <utility>

#include "caf/all.hpp"

#include "actors/cluster/checkpoint_codec.hpp"
#include "actors/cluster/graph_host.hpp"
#include "actors/messages.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/metrics.hpp"

namespace shoal {

namespace {

using self_ptr = caf::stateful_actor<graph_host_state>*;
using round_ptr = std::shared_ptr<host_round>;

/// How long the keeper and the copy's host may take to write a round.
constexpr auto write_timeout = std::chrono::seconds(20);

void fail_round(self_ptr self, const round_ptr& r, caf::error err) {
  if (r->rp.pending())
    r->rp.deliver(std::move(err));
  if (self->state.ckpt.round == r)
    self->state.ckpt.round.reset();
}

void done_round(self_ptr self, const round_ptr& r) {
  auto& ck = self->state.ckpt;
  using ms_t = std::chrono::duration<double, std::milli>;
  auto ms = ms_t{std::chrono::steady_clock::now() - r->started}.count();
  auto captured_ms = ms_t{r->captured - r->started}.count();
  logf(*ck.log, log_level::debug,
       {{"event", "checkpoint_written"},
        {"round", r->k},
        {"changed", r->changed},
        {"bytes", r->bytes},
        {"ms", ms},
        {"captured_ms", captured_ms}},
       "shoal-node: member %s: checkpoint %llu: wrote %zu changed states "
       "(%zu bytes)",
       ck.member.c_str(), static_cast<unsigned long long>(r->k), r->changed,
       r->bytes);
  if (r->rp.pending())
    r->rp.deliver(caf::ok_atom_v);
  if (self->state.ckpt.round == r)
    self->state.ckpt.round.reset();
}

/// Sends the copy of round `r` to the host that keeps it: the changed
/// states, or all of them as of the round when that host did not keep the
/// copy before.
void send_copy(self_ptr self, const round_ptr& r) {
  auto& ck = self->state.ckpt;
  if (!r->copy_host) {
    done_round(self, r);
    return;
  }
  auto to_copy = [=](caf::message msg) {
    self->request(r->copy_host, write_timeout, std::move(msg))
      .then(
        [=](caf::ok_atom) {
          self->state.ckpt.copy_host = r->copy_host;
          done_round(self, r);
        },
        [=](caf::error& err) {
          fail_round(self, r, std::move(err));
        });
  };
  if (ck.copy_host == r->copy_host) {
    to_copy(std::move(r->written));
    return;
  }
  r->written = caf::message{};
  self
    ->request(ck.keeper, write_timeout, ckpt_atom_v, fetch_atom_v, ck.member,
              r->k, std::vector<std::string>{})
    .then(
      [=](std::vector<std::string>& names, std::vector<std::string>& states) {
        to_copy(caf::make_message(ckpt_atom_v, r->k, self->state.ckpt.member,
                                  std::move(names), std::move(states)));
      },
      [=](caf::error& err) {
        fail_round(self, r, std::move(err));
      });
}

/// Every node took its part: the keeper writes the changed states, then
/// the copy goes out.
void write_round(self_ptr self, const round_ptr& r) {
  auto& ck = self->state.ckpt;
  r->written = caf::make_message(ckpt_atom_v, r->k, ck.member,
                                 std::move(r->names), std::move(r->states));
  self->request(ck.keeper, write_timeout, r->written)
    .then(
      [=](caf::ok_atom) {
        send_copy(self, r);
      },
      [=](caf::error& err) {
        fail_round(self, r, std::move(err));
      });
}

/// Every part of round `r` is on the board: the changed states are encoded
/// and written.
void collect(self_ptr self, const round_ptr& r) {
  auto& st = self->state;
  if (r->collected)
    return;
  r->collected = true;
  r->captured = std::chrono::steady_clock::now();
  for (auto& p : st.ckpt.board->take(r->k)) {
    // A node that left since the round began (its part may still be here).
    if (!p.state || st.local.count(p.name) == 0)
      continue;
    auto bytes = encode_state(self->system(), *p.state);
    ++r->changed;
    r->bytes += bytes.size();
    r->names.push_back(std::move(p.name));
    r->states.push_back(std::move(bytes));
  }
  write_round(self, r);
}

} // namespace

caf::message_handler host_checkpoint_handlers(self_ptr self) {
  return {
    [=](ckpt_atom, uint64_t k,
        caf::actor& copy_host) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (!st.ckpt.keeper)
        return make_error(errc::invalid_config, "checkpoints are off");
      if (auto old = st.ckpt.round)
        fail_round(
          self, old,
          make_error(errc::invalid_input, "round " + std::to_string(old->k)
                                            + " was superseded by round "
                                            + std::to_string(k)));
      auto r = std::make_shared<host_round>();
      r->k = k;
      r->copy_host = std::move(copy_host);
      r->member = caf::actor_cast<caf::actor>(self->current_sender());
      r->started = std::chrono::steady_clock::now();
      r->rp = self->make_response_promise();
      st.ckpt.round = r;
      auto complete = st.ckpt.board->begin(k, st.local.size());
      for (auto& [name, actor] : st.local)
        if (st.specs[name].kind == node_kind::sensor)
          self->send(actor, ckpt_atom_v, k);
      if (complete)
        collect(self, r);
      return r->rp;
    },
    [=](ckpt_atom, ready_atom, uint64_t k) {
      auto r = self->state.ckpt.round;
      if (r && r->k == k)
        collect(self, r);
    },
    [=](ckpt_atom, done_atom, uint64_t k) {
      // Round k ended uncommitted: every sensor and node lets go of what
      // it holds for it (actors/dataflow/checkpoint_marks.hpp).
      for (auto& kvp : self->state.local)
        self->send(kvp.second, ckpt_atom_v, done_atom_v, k);
    },
    [=](ckpt_atom, uint64_t k, std::string& owner,
        std::vector<std::string>& names, std::vector<std::string>& states) {
      auto& keeper = self->state.ckpt.keeper;
      if (!keeper)
        return caf::result<caf::message>{
          make_error(errc::invalid_config, "checkpoints are off here")};
      return caf::result<caf::message>{
        self->delegate(keeper, ckpt_atom_v, k, std::move(owner),
                       std::move(names), std::move(states))};
    },
    [=](ckpt_atom, load_atom) {
      // What this process did so far: unchanged since the last round, its
      // nodes' states are unchanged too (checkpointer.hpp skips the round).
      return process_metrics().worked();
    },
    [=](ckpt_atom, caf::get_atom) {
      auto& keeper = self->state.ckpt.keeper;
      if (!keeper)
        return caf::result<caf::message>{
          make_error(errc::invalid_config, "checkpoints are off here")};
      return caf::result<caf::message>{
        self->delegate(keeper, ckpt_atom_v, caf::get_atom_v)};
    },
    [=](ckpt_atom, fetch_atom, std::string& owner, uint64_t k,
        std::vector<std::string>& names) {
      auto& keeper = self->state.ckpt.keeper;
      if (!keeper)
        return caf::result<caf::message>{
          make_error(errc::invalid_config, "checkpoints are off here")};
      return caf::result<caf::message>{
        self->delegate(keeper, ckpt_atom_v, fetch_atom_v, std::move(owner), k,
                       std::move(names))};
    },
    [=](ckpt_atom, caf::ok_atom, uint64_t k, std::string& meta,
        std::string& graph, std::string& placement) {
      auto& keeper = self->state.ckpt.keeper;
      if (!keeper)
        return caf::result<caf::message>{
          make_error(errc::invalid_config, "checkpoints are off here")};
      return caf::result<caf::message>{
        self->delegate(keeper, ckpt_atom_v, caf::ok_atom_v, k, std::move(meta),
                       std::move(graph), std::move(placement))};
    },
  };
}

} // namespace shoal
