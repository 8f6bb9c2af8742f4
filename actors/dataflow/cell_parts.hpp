// The parts of the cell actor (actors/dataflow/cell_actor.hpp) that its
// handlers call: one run through the cell's sensors and nodes and what
// feeds it (cell_run.cpp), and building, wiring and subscribing
// (cell_build.cpp). Used by the cell actor alone; each function is
// documented where it is defined.

#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "caf/actor.hpp"
#include "caf/error.hpp"
#include "caf/response_promise.hpp"
#include "caf/stateful_actor.hpp"

#include "actors/dataflow/cell_actor.hpp"

namespace shoal::cell_detail {

using self_ptr = caf::stateful_actor<cell_state>*;

// -- one run (cell_run.cpp) ---------------------------------------------------

void touch_sensor(cell_state& st, uint32_t j);

void wait_band(self_ptr self, uint32_t band, int64_t t);

void catch_up(cell_state& st, cell_node& n);

void nudge(self_ptr self);

void run(self_ptr self);

void take_samples(cell_state& st, uint32_t j, const batch& b);

uint32_t take(self_ptr self, const batch& b, uint32_t r);

uint32_t sensor_at(const cell_state& st, uint32_t index);

void request(self_ptr self, uint32_t at, const caf::strong_actor_ptr& who,
             int64_t ts);

// -- building and wiring (cell_build.cpp) -------------------------------------

caf::error build(self_ptr self, cell_spec& spec);

std::pair<publisher*, int64_t> find_node(cell_state& st, uint32_t at);

caf::response_promise wire(self_ptr self, const std::vector<std::string>& names,
                           const std::vector<caf::actor>& xs);

cell_subscriber* find_subscriber(cell_state& st, const caf::actor& who);

cell_subscriber& subscriber_of(cell_state& st, const caf::actor& who);

void drop_subscriber(cell_state& st, const caf::actor& who);

} // namespace shoal::cell_detail
