// LoginThrottle: slows down password guessing against POST /api/v1/session
// (and the current password of POST /api/v1/session/password) without
// letting anyone lock a colleague out (OWASP ASVS 4.0 V2.2.1: soft
// lockouts with increasing delays, never a hard lock of an account).
//
// Failures are counted in three ways; a count is forgotten `forget_after`
// (1 hour) after its last failure:
//
//  1. Per pair (login name, client address). After `pair_free_failures` (5)
//     the pair must wait `first_wait` (1 minute) after its last failure,
//     doubling with each further failure up to `max_wait` (15 minutes). A
//     successful login clears its pair. This is the only limit that can make
//     someone wait at an address where they have logged in before.
//  2. Per address, over every name (credential stuffing): after
//     `address_free_failures` (100), attempts from that address wait the
//     same way — except for names that have logged in successfully from that
//     address since the server started (`known_good_for`, 30 days): an
//     attacker behind the office's NAT address does not keep colleagues who
//     work there out.
//  3. Per name, over every address (a distributed attack): once a name has
//     `name_attack_failures` (20), a pair of that name that has not logged in
//     from its address before gets only `attacked_pair_free_failures` (1)
//     free failure instead of 5 before its own waits begin. The name is
//     never refused as such: an address that has not failed for the name
//     always gets its attempt, so an attacker elsewhere cannot keep the real
//     user (at their own address, with their right password) out.
//
// A throttled attempt is refused before the password is checked. Unknown
// names are throttled like known ones. Onsets — the moment a pair or an
// address becomes throttled — are returned by Failed for the event log,
// one per onset (not per attempt) and at most `event_burst` at once and one
// per `event_interval` on average after that, so that no attacker can turn
// them into a write flood; those left out are counted in the next one's
// `unlogged`.
//
// An administrator's unlock (Unlock) forgives every failure of a name up to
// a moment; addresses keep their own count. Login names are keyed by their
// first 64 bytes; IPv6 addresses by their /64 prefix (one subscriber), an
// IPv4-mapped IPv6 address as its IPv4 address.
//
// State is in memory (a restart forgets it) and each table is bounded by
// `max_entries`; time comes from the injected clock.
//
// Thread safety: a LoginThrottle is safe for concurrent use.
#ifndef WEB_LOGIN_THROTTLE_H_
#define WEB_LOGIN_THROTTLE_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/time.h"

namespace web {

struct LoginThrottleOptions {
  int pair_free_failures = 5;
  int attacked_pair_free_failures = 1;
  int name_attack_failures = 20;
  int address_free_failures = 100;
  std::chrono::seconds first_wait{std::chrono::minutes(1)};
  std::chrono::seconds max_wait{std::chrono::minutes(15)};
  std::chrono::seconds forget_after{std::chrono::hours(1)};
  std::chrono::seconds known_good_for{std::chrono::hours(24 * 30)};
  size_t max_entries = 100000;
  int event_burst = 60;
  std::chrono::seconds event_interval{10};
};

/// A pair or an address became throttled.
struct ThrottleOnset {
  enum class Scope { kPair, kAddress };
  Scope scope = Scope::kPair;
  std::string login;    ///< the name (as keyed); "" for kAddress
  std::string address;  ///< the address (as keyed)
  int failures = 0;
  base::Time until;       ///< when the first wait ends
  uint64_t unlogged = 0;  ///< onsets since the previous one returned that were left out
};

class LoginThrottle {
 public:
  /// clock must outlive the throttle.
  LoginThrottle(const base::Clock* clock, LoginThrottleOptions options = {});
  LoginThrottle(const LoginThrottle&) = delete;
  LoginThrottle& operator=(const LoginThrottle&) = delete;

  /// Zero if an attempt for login from address may go ahead, else how long
  /// to wait before the next one (rounded up to whole seconds).
  std::chrono::seconds Wait(std::string_view login, std::string_view address);
  /// Records a failed attempt that went ahead; returns the onsets it caused
  /// that should be logged (usually none).
  std::vector<ThrottleOnset> Failed(std::string_view login, std::string_view address);
  /// Records a successful login: clears the pair and remembers the pair as
  /// known good (exempt from the address and name limits).
  void Succeeded(std::string_view login, std::string_view address);
  /// Forgives the failures of login up to and including `at` (an
  /// administrator's unlock): its pairs and its count over all addresses.
  /// Idempotent.
  void Unlock(std::string_view login, base::Time at);
  /// The latest moment until which some pair of login must wait, if any
  /// (for the administrator's list of users).
  std::optional<base::Time> ThrottledUntil(std::string_view login) const;
  /// Entries held (pairs, addresses, names, known-good pairs), for tests.
  size_t tracked_entries() const;

  /// The keys the throttle uses: the first 64 bytes of a login; an IPv6
  /// address as "<its /64 prefix>/64", an IPv4-mapped one as IPv4.
  static std::string LoginKey(std::string_view login);
  static std::string AddressKey(std::string_view address);

 private:
  struct Count {
    int failures = 0;
    base::Time last_failure;
    bool onset_reported = false;  // this run of failures has had its onset
  };
  using Pair = std::pair<std::string, std::string>;  // login key, address key

  bool Live(const Count& c, base::Time now) const;
  base::Time WaitEnd(const Count& c, int free) const;
  bool KnownGoodLocked(const Pair& pair, base::Time now) const;
  int PairFreeLocked(const Pair& pair, base::Time now) const;
  std::chrono::seconds WaitLocked(const Pair& pair, base::Time now) const;
  static Count& Bump(Count& c, bool live, base::Time now);
  std::optional<ThrottleOnset> ReportLocked(ThrottleOnset onset, base::Time now);
  void PruneLocked(base::Time now);

  const base::Clock* const clock_;
  const LoginThrottleOptions options_;
  mutable std::mutex mu_;
  std::map<Pair, Count> pairs_;                          // GUARDED_BY(mu_)
  std::map<std::string, Count, std::less<>> addresses_;  // GUARDED_BY(mu_)
  std::map<std::string, Count, std::less<>> names_;      // GUARDED_BY(mu_)
  std::map<Pair, base::Time> known_good_;                // GUARDED_BY(mu_): last success
  double event_tokens_;                                  // GUARDED_BY(mu_)
  base::Time event_tokens_at_;                           // GUARDED_BY(mu_)
  uint64_t unlogged_ = 0;                                // GUARDED_BY(mu_)
};

}  // namespace web

#endif  // WEB_LOGIN_THROTTLE_H_
