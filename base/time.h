// Points in time and the clock that tells them. kura stores instants in UTC
// with microsecond precision and shows them in Japan Standard Time (UTC+9,
// no daylight saving), which is also the zone of every civil date it derives
// (a document received at 2027-03-31T15:30Z belongs to 2027-04-01 in Japan).
//
// Business logic never asks the system for the time: a Clock is passed in
// (see ../shared/STYLE.md §3). Thread safety: Clock implementations are safe
// for concurrent use.
#ifndef BASE_TIME_H_
#define BASE_TIME_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace base {

using Time = std::chrono::sys_time<std::chrono::microseconds>;

/// Microseconds since the Unix epoch.
inline int64_t ToUnixMicros(Time t) { return t.time_since_epoch().count(); }
inline Time FromUnixMicros(int64_t us) { return Time(std::chrono::microseconds(us)); }

/// "2026-11-22T09:15:00.123456Z" (always UTC, always six fraction digits so
/// that strings sort like instants).
std::string FormatRfc3339(Time t);
/// Parses what FormatRfc3339 writes, and also "…Z" without a fraction or with
/// fewer digits, and an explicit "+09:00"-style offset.
Result<Time> ParseRfc3339(std::string_view text);
/// "2026-11-22 18:15:00 JST" for people.
std::string FormatJst(Time t);

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
};

/// The system's real-time clock. Only app/ constructs one.
class SystemClock final : public Clock {
 public:
  Time Now() const override;
};

/// A clock that tests set and move forward; never sleeps.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Time start) : now_us_(ToUnixMicros(start)) {}
  Time Now() const override;
  void Set(Time t);
  void Advance(std::chrono::microseconds d);

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace base

#endif  // BASE_TIME_H_
