// Shoal's scheduling policy for CAF 0.17: work stealing with O(1) steals.
//
// CAF 0.17.6's `work_stealing` keeps each worker's jobs in a singly linked
// list, and a thief takes the last job by walking the list from its head
// while it holds both of the list's locks. When one actor makes many others
// ready in one handler (a sink subscribing to a million nodes, a replay
// chunk for 100,000 sensors), the owner's queue grows to that many jobs and
// every steal is a walk over it that also blocks the owner: quadratic.
// Measured: wiring a sink to 240,000 nodes took 65 s with CAF's policy and
// 2 s with a central queue (docs/performance.md).
//
// Here each worker has a double-ended queue under its own mutex. The owner
// takes new jobs it made ready first (last in, first out, as CAF does: the
// receiver of the message just sent runs next, while its data is in cache);
// a thief takes the oldest job from the other end, in constant time, and
// only tries a lock that is free. An idle worker spins for a while, then
// sleeps briefly, then blocks; a worker that makes a job ready while
// holding others wakes a blocked peer at once, so that a burst does not
// wait for the peer's next poll.

#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

#include "caf/policy/unprofiled.hpp"
#include "caf/resumable.hpp"
#include "caf/scheduler/abstract_coordinator.hpp"

namespace shoal {

class steal_policy : public caf::policy::unprofiled {
public:
  using job_ptr = caf::resumable*;

  struct coordinator_data {
    explicit coordinator_data(caf::scheduler::abstract_coordinator*) {
      // nop
    }

    std::atomic<size_t> next_worker{0};
  };

  struct worker_data {
    explicit worker_data(caf::scheduler::abstract_coordinator*) {
      // nop
    }

    /// Each worker starts from a fresh copy of the coordinator's prototype.
    worker_data(const worker_data&) {
      // nop
    }

    /// The worker's jobs: the owner uses the front, thieves the back.
    std::mutex lock;
    std::deque<job_ptr> jobs;
    /// Blocking when idle.
    std::mutex wait_lock;
    std::condition_variable wake;
    std::atomic<bool> blocked{false};
    bool woken = false;
    std::minstd_rand rng{std::random_device{}()};

    void push_back(job_ptr job) {
      std::lock_guard<std::mutex> guard{lock};
      jobs.push_back(job);
    }

    job_ptr take_front() {
      std::lock_guard<std::mutex> guard{lock};
      if (jobs.empty())
        return nullptr;
      auto job = jobs.front();
      jobs.pop_front();
      return job;
    }

    /// The oldest job, if any; unless `wait`, also nothing when the queue
    /// is busy.
    job_ptr take_back(bool wait) {
      std::unique_lock<std::mutex> guard{lock, std::defer_lock};
      if (wait)
        guard.lock();
      else if (!guard.try_lock())
        return nullptr;
      if (jobs.empty())
        return nullptr;
      auto job = jobs.back();
      jobs.pop_back();
      return job;
    }

    /// Wakes the worker if it is blocked.
    void notify() {
      if (!blocked.load(std::memory_order_acquire))
        return;
      std::lock_guard<std::mutex> guard{wait_lock};
      woken = true;
      wake.notify_one();
    }
  };

  template <class Coordinator>
  void central_enqueue(Coordinator* self, job_ptr job) {
    auto n = self->num_workers();
    auto w = self->worker_by_id(d(self).next_worker++ % n);
    w->external_enqueue(job);
  }

  template <class Worker>
  void external_enqueue(Worker* self, job_ptr job) {
    d(self).push_back(job);
    d(self).notify();
  }

  template <class Worker>
  void internal_enqueue(Worker* self, job_ptr job) {
    auto& me = d(self);
    size_t queued;
    {
      std::lock_guard<std::mutex> guard{me.lock};
      me.jobs.push_front(job);
      queued = me.jobs.size();
    }
    // More than this worker can start now: let a blocked peer steal.
    if (queued > 1)
      wake_peer(self);
  }

  template <class Worker>
  void resume_job_later(Worker* self, job_ptr job) {
    d(self).push_back(job);
  }

  template <class Worker>
  job_ptr dequeue(Worker* self) {
    auto& me = d(self);
    for (size_t attempt = 0;; ++attempt) {
      if (auto job = me.take_front())
        return job;
      if (auto job = steal(self, false))
        return job;
      if (attempt < spin_attempts) {
        std::this_thread::yield();
      } else if (attempt < spin_attempts + nap_attempts) {
        std::this_thread::sleep_for(nap);
      } else if (auto job = block(self)) {
        return job;
      }
    }
  }

  template <class Worker, class UnaryFunction>
  void foreach_resumable(Worker* self, UnaryFunction f) {
    while (auto job = d(self).take_front())
      f(job);
  }

  template <class Coordinator, class UnaryFunction>
  void foreach_central_resumable(Coordinator*, UnaryFunction) {
    // nop
  }

private:
  /// Idle polls that only yield the processor, then polls that sleep `nap`.
  static constexpr size_t spin_attempts = 100;
  static constexpr size_t nap_attempts = 100;
  static constexpr std::chrono::microseconds nap{50};
  /// A blocked worker still looks for work to steal this often.
  static constexpr std::chrono::milliseconds patrol{10};

  /// The oldest job of another worker; unless `wait`, busy queues are
  /// skipped.
  template <class Worker>
  job_ptr steal(Worker* self, bool wait) {
    auto p = self->parent();
    auto n = p->num_workers();
    if (n < 2)
      return nullptr;
    auto start = d(self).rng() % n;
    for (size_t k = 0; k < n; ++k) {
      auto victim = (start + k) % n;
      if (victim == self->id())
        continue;
      if (auto job = d(p->worker_by_id(victim)).take_back(wait))
        return job;
    }
    return nullptr;
  }

  template <class Worker>
  void wake_peer(Worker* self) {
    auto p = self->parent();
    auto n = p->num_workers();
    for (size_t k = 0; k < n; ++k) {
      if (k == self->id())
        continue;
      auto& peer = d(p->worker_by_id(k));
      if (peer.blocked.load(std::memory_order_acquire)) {
        peer.notify();
        return;
      }
    }
  }

  /// Waits until woken or for `patrol`; returns a job found meanwhile.
  template <class Worker>
  job_ptr block(Worker* self) {
    auto& me = d(self);
    std::unique_lock<std::mutex> guard{me.wait_lock};
    me.blocked.store(true, std::memory_order_seq_cst);
    // A job queued before `blocked` was visible to its producer is found
    // here: the queues' locks order the producer's push and this look.
    auto job = me.take_front();
    if (!job)
      job = steal(self, true);
    if (!job)
      me.wake.wait_for(guard, patrol, [&] {
        return me.woken;
      });
    me.woken = false;
    me.blocked.store(false, std::memory_order_release);
    return job;
  }
};

} // namespace shoal
