#include "web/login_throttle.h"

#include <algorithm>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>

#include "base/utf8.h"

namespace web {

namespace {

constexpr size_t kMaxKeyBytes = 64;

// Keeps map under max entries: first drops the stale ones, then the oldest
// (by time_of) until a tenth of the room is free again, so that a full map
// is not scanned on every failure.
template <class Map, class TimeOf, class Stale>
void Bound(Map& map, size_t max, TimeOf time_of, Stale stale) {
  if (map.size() < max) return;
  std::erase_if(map, [&](const auto& kv) { return stale(kv.second); });
  if (map.size() < max) return;
  std::vector<base::Time> times;
  times.reserve(map.size());
  for (const auto& kv : map) times.push_back(time_of(kv.second));
  const size_t drop = map.size() - max + max / 10 + 1;
  std::nth_element(times.begin(), times.begin() + static_cast<long>(drop - 1), times.end());
  const base::Time cutoff = times[drop - 1];
  std::erase_if(map, [&](const auto& kv) { return time_of(kv.second) <= cutoff; });
}

}  // namespace

LoginThrottle::LoginThrottle(const base::Clock* clock, LoginThrottleOptions options)
    : clock_(clock),
      options_(options),
      event_tokens_(options.event_burst),
      event_tokens_at_(clock->Now()) {}

std::string LoginThrottle::LoginKey(std::string_view login) {
  return std::string(base::TruncateUtf8(login, kMaxKeyBytes));
}

std::string LoginThrottle::AddressKey(std::string_view address) {
  const std::string a(base::TruncateUtf8(address, kMaxKeyBytes));
  if (a.find(':') == std::string::npos) return a;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, a.c_str(), &v6) != 1) return a;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char buf[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &v6.s6_addr[12], buf, sizeof buf);
    return buf;
  }
  std::memset(&v6.s6_addr[8], 0, 8);  // one subscriber's /64
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, &v6, buf, sizeof buf);
  return std::string(buf) + "/64";
}

bool LoginThrottle::Live(const Count& c, base::Time now) const {
  return c.failures > 0 && now - c.last_failure <= options_.forget_after;
}

base::Time LoginThrottle::WaitEnd(const Count& c, int free) const {
  if (c.failures < free) return base::Time{};
  const int doublings = std::min(c.failures - free, 20);
  const auto wait = std::min<std::chrono::seconds>(options_.first_wait * (int64_t{1} << doublings),
                                                   options_.max_wait);
  return c.last_failure + wait;
}

bool LoginThrottle::KnownGoodLocked(const Pair& pair, base::Time now) const {
  auto it = known_good_.find(pair);
  return it != known_good_.end() && now - it->second <= options_.known_good_for;
}

int LoginThrottle::PairFreeLocked(const Pair& pair, base::Time now) const {
  auto name = names_.find(pair.first);
  const bool attacked = name != names_.end() && Live(name->second, now) &&
                        name->second.failures >= options_.name_attack_failures;
  return attacked && !KnownGoodLocked(pair, now) ? options_.attacked_pair_free_failures
                                                 : options_.pair_free_failures;
}

std::chrono::seconds LoginThrottle::WaitLocked(const Pair& pair, base::Time now) const {
  base::Time end{};
  if (auto p = pairs_.find(pair); p != pairs_.end() && Live(p->second, now)) {
    end = WaitEnd(p->second, PairFreeLocked(pair, now));
  }
  if (!KnownGoodLocked(pair, now)) {
    if (auto a = addresses_.find(pair.second); a != addresses_.end() && Live(a->second, now)) {
      end = std::max(end, WaitEnd(a->second, options_.address_free_failures));
    }
  }
  if (end <= now) return std::chrono::seconds(0);
  // Rounded up: "wait 0 seconds" must never be said to a throttled caller.
  return std::chrono::ceil<std::chrono::seconds>(end - now);
}

std::chrono::seconds LoginThrottle::Wait(std::string_view login, std::string_view address) {
  const Pair pair{LoginKey(login), AddressKey(address)};
  std::lock_guard<std::mutex> l(mu_);
  return WaitLocked(pair, clock_->Now());
}

LoginThrottle::Count& LoginThrottle::Bump(Count& c, bool live, base::Time now) {
  if (!live) c = Count{};  // forgotten: a new run of failures
  ++c.failures;
  c.last_failure = now;
  return c;
}

std::optional<ThrottleOnset> LoginThrottle::ReportLocked(ThrottleOnset onset, base::Time now) {
  // A token bucket: event_burst at once, then one per event_interval.
  if (now > event_tokens_at_) {
    const double refill = std::chrono::duration<double>(now - event_tokens_at_).count() /
                          static_cast<double>(options_.event_interval.count());
    event_tokens_ = std::min<double>(options_.event_burst, event_tokens_ + refill);
    event_tokens_at_ = now;
  }
  if (event_tokens_ < 1) {
    ++unlogged_;
    return std::nullopt;
  }
  event_tokens_ -= 1;
  onset.unlogged = unlogged_;
  unlogged_ = 0;
  return onset;
}

std::vector<ThrottleOnset> LoginThrottle::Failed(std::string_view login, std::string_view address) {
  const Pair pair{LoginKey(login), AddressKey(address)};
  std::lock_guard<std::mutex> l(mu_);
  const base::Time now = clock_->Now();
  PruneLocked(now);
  Count& name = names_[pair.first];
  Bump(name, Live(name, now), now);
  Count& p = pairs_[pair];
  Bump(p, Live(p, now), now);
  Count& a = addresses_[pair.second];
  Bump(a, Live(a, now), now);

  std::vector<ThrottleOnset> onsets;
  const int pair_free = PairFreeLocked(pair, now);
  if (p.failures >= pair_free && !p.onset_reported) {
    p.onset_reported = true;
    auto o = ReportLocked({ThrottleOnset::Scope::kPair, pair.first, pair.second, p.failures,
                           WaitEnd(p, pair_free), 0},
                          now);
    if (o) onsets.push_back(std::move(*o));
  }
  if (a.failures >= options_.address_free_failures && !a.onset_reported) {
    a.onset_reported = true;
    auto o = ReportLocked({ThrottleOnset::Scope::kAddress, "", pair.second, a.failures,
                           WaitEnd(a, options_.address_free_failures), 0},
                          now);
    if (o) onsets.push_back(std::move(*o));
  }
  return onsets;
}

void LoginThrottle::Succeeded(std::string_view login, std::string_view address) {
  const Pair pair{LoginKey(login), AddressKey(address)};
  std::lock_guard<std::mutex> l(mu_);
  const base::Time now = clock_->Now();
  pairs_.erase(pair);
  Bound(
      known_good_, options_.max_entries, [](base::Time t) { return t; },
      [&](base::Time t) { return now - t > options_.known_good_for; });
  known_good_[pair] = now;
}

void LoginThrottle::Unlock(std::string_view login, base::Time at) {
  const std::string key = LoginKey(login);
  std::lock_guard<std::mutex> l(mu_);
  for (auto it = pairs_.lower_bound(Pair{key, ""}); it != pairs_.end() && it->first.first == key;) {
    it = it->second.last_failure <= at ? pairs_.erase(it) : std::next(it);
  }
  if (auto it = names_.find(key); it != names_.end() && it->second.last_failure <= at) {
    names_.erase(it);
  }
}

std::optional<base::Time> LoginThrottle::ThrottledUntil(std::string_view login) const {
  const std::string key = LoginKey(login);
  std::lock_guard<std::mutex> l(mu_);
  const base::Time now = clock_->Now();
  std::optional<base::Time> latest;
  for (auto it = pairs_.lower_bound(Pair{key, ""}); it != pairs_.end() && it->first.first == key;
       ++it) {
    if (!Live(it->second, now)) continue;
    const base::Time end = WaitEnd(it->second, PairFreeLocked(it->first, now));
    if (end > now && (!latest || end > *latest)) latest = end;
  }
  return latest;
}

size_t LoginThrottle::tracked_entries() const {
  std::lock_guard<std::mutex> l(mu_);
  return pairs_.size() + addresses_.size() + names_.size() + known_good_.size();
}

void LoginThrottle::PruneLocked(base::Time now) {
  const auto last = [](const Count& c) { return c.last_failure; };
  const auto stale = [&](const Count& c) { return !Live(c, now); };
  Bound(pairs_, options_.max_entries, last, stale);
  Bound(addresses_, options_.max_entries, last, stale);
  Bound(names_, options_.max_entries, last, stale);
}

}  // namespace web
