#include "web/login_throttle.h"

#include <algorithm>

namespace web {

LoginThrottle::LoginThrottle(const base::Clock* clock, LoginThrottleOptions options)
    : clock_(clock), options_(options) {}

std::chrono::seconds LoginThrottle::WaitLocked(std::map<std::string, Entry, std::less<>>& map,
                                               std::string_view key, base::Time now) {
  auto it = map.find(key);
  if (it == map.end() || it->second.locked_until <= now) return std::chrono::seconds(0);
  // Rounded up: "wait 0 seconds" must never be said to a locked caller.
  return std::chrono::ceil<std::chrono::seconds>(it->second.locked_until - now);
}

std::chrono::seconds LoginThrottle::Wait(std::string_view login, std::string_view address) {
  std::lock_guard<std::mutex> l(mu_);
  const base::Time now = clock_->Now();
  return std::max(WaitLocked(logins_, login, now), WaitLocked(addresses_, address, now));
}

void LoginThrottle::FailLocked(std::map<std::string, Entry, std::less<>>& map,
                               std::string_view key, int max_failures, base::Time now) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), Entry{}).first;
  Entry& e = it->second;
  if (e.failures == 0 || now - e.first_failure > options_.window) {
    e.failures = 0;  // a new window
    e.first_failure = now;
  }
  if (++e.failures >= max_failures) {
    e.locked_until = now + options_.lockout;
    e.failures = 0;  // after the lockout, a fresh allowance
  }
}

void LoginThrottle::Failed(std::string_view login, std::string_view address) {
  std::lock_guard<std::mutex> l(mu_);
  const base::Time now = clock_->Now();
  PruneLocked(now);
  FailLocked(logins_, login, options_.max_failures, now);
  FailLocked(addresses_, address, options_.max_failures_per_address, now);
}

void LoginThrottle::Succeeded(std::string_view login) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = logins_.find(login);
  if (it != logins_.end()) logins_.erase(it);
}

size_t LoginThrottle::tracked_logins() const {
  std::lock_guard<std::mutex> l(mu_);
  return logins_.size();
}

// Drops entries that neither lock nor count any more; if still too many
// (someone trying endless names), the oldest windows go first.
void LoginThrottle::PruneLocked(base::Time now) {
  for (auto* map : {&logins_, &addresses_}) {
    if (map->size() < options_.max_entries) continue;
    for (auto it = map->begin(); it != map->end();) {
      const Entry& e = it->second;
      const bool stale = e.locked_until <= now && now - e.first_failure > options_.window;
      it = stale ? map->erase(it) : std::next(it);
    }
    while (map->size() >= options_.max_entries) {
      auto oldest = std::min_element(map->begin(), map->end(), [](const auto& a, const auto& b) {
        return a.second.first_failure < b.second.first_failure;
      });
      map->erase(oldest);
    }
  }
}

}  // namespace web
