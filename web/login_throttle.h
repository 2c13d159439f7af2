// LoginThrottle: slows down password guessing against POST /api/v1/session.
// After `max_failures` failed logins for one login name within `window`, or
// `max_failures_per_address` from one client address, further attempts for
// that name (or from that address) are refused for `lockout` without the
// password being checked, with the time to wait. A successful login clears
// its name's failures. Unknown names are throttled like known ones, so the
// answer does not tell which names exist.
//
// State is in memory (a restart forgets it) and bounded by `max_entries`;
// time comes from the injected clock.
//
// Thread safety: a LoginThrottle is safe for concurrent use.
#ifndef WEB_LOGIN_THROTTLE_H_
#define WEB_LOGIN_THROTTLE_H_

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "base/time.h"

namespace web {

struct LoginThrottleOptions {
  int max_failures = 5;
  int max_failures_per_address = 50;
  std::chrono::seconds window{std::chrono::minutes(15)};
  std::chrono::seconds lockout{std::chrono::minutes(15)};
  size_t max_entries = 100000;
};

class LoginThrottle {
 public:
  /// clock must outlive the throttle.
  LoginThrottle(const base::Clock* clock, LoginThrottleOptions options = {});
  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  /// Zero if an attempt for login from address may go ahead, else how long
  /// to wait before the next one.
  std::chrono::seconds Wait(std::string_view login, std::string_view address);
  /// Records the outcome of an attempt that went ahead.
  void Failed(std::string_view login, std::string_view address);
  void Succeeded(std::string_view login);
  /// Login names with failures or a lock on record.
  size_t tracked_logins() const;

 private:
  struct Entry {
    int failures = 0;
    base::Time first_failure;
    base::Time locked_until;  // epoch: not locked
  };
  std::chrono::seconds WaitLocked(std::map<std::string, Entry, std::less<>>& map,
                                  std::string_view key, base::Time now);
  void FailLocked(std::map<std::string, Entry, std::less<>>& map, std::string_view key,
                  int max_failures, base::Time now);
  void PruneLocked(base::Time now);

  const base::Clock* const clock_;
  const LoginThrottleOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> logins_;     // GUARDED_BY(mu_)
  std::map<std::string, Entry, std::less<>> addresses_;  // GUARDED_BY(mu_)
};

}  // namespace web

#endif  // WEB_LOGIN_THROTTLE_H_
