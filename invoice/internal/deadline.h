// Deadline: the wall-clock budget of one read (ReadLimits::max_time).
//
// It guards resources, not results: a read that finishes in time does not
// depend on the clock. Uses the monotonic clock, so it is immune to changes
// of the system time.
//
// Thread safety: immutable after construction.
#ifndef INVOICE_INTERNAL_DEADLINE_H_
#define INVOICE_INTERNAL_DEADLINE_H_

#include <chrono>

namespace invoice::internal {

class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds budget)
      : budget_(budget), end_(std::chrono::steady_clock::now() + budget) {}

  bool Expired() const { return std::chrono::steady_clock::now() > end_; }
  std::chrono::milliseconds budget() const { return budget_; }

 private:
  std::chrono::milliseconds budget_;
  std::chrono::steady_clock::time_point end_;
};

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_DEADLINE_H_
