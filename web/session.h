// SessionStore: the logged-in sessions of the JSON API, in memory. A
// session is a random 256-bit id (the HttpOnly cookie) bound to a login and
// a random 256-bit CSRF token that state-changing requests must echo in the
// X-CSRF-Token header. A session expires after `idle` without a request and
// in any case `absolute` after login; a restart of the server logs everyone
// out (sessions are not persisted on purpose: nothing to steal from disk).
//
// Ids and tokens come from OpenSSL's CSPRNG (RAND_bytes). Time comes from
// the injected clock, so tests move it forward instead of sleeping.
//
// Thread safety: a SessionStore is safe for concurrent use.
#ifndef WEB_SESSION_H_
#define WEB_SESSION_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/time.h"

namespace web {

struct Session {
  std::string id;          ///< 64 hex digits; the cookie value
  std::string csrf_token;  ///< 64 hex digits
  std::string login;
  /// The user's session_generation at login (workflow::User): a session
  /// whose user has a newer one (a password change or reset, disabling, a
  /// change of roles or department) is ended by the API on its next request.
  uint64_t user_generation = 0;
  base::Time created_at;
  base::Time last_seen;
};

struct SessionOptions {
  std::chrono::seconds idle{std::chrono::hours(8)};
  std::chrono::seconds absolute{std::chrono::hours(24)};
  /// More live sessions than this and the oldest is dropped (a bound on
  /// memory if someone logs in in a loop).
  size_t max_sessions = 10000;
};

class SessionStore {
 public:
  /// clock must outlive the store.
  SessionStore(const base::Clock* clock, SessionOptions options = {});
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  /// A new session for login, begun under the user's session generation.
  /// Internal if the random generator fails.
  base::Result<Session> Create(std::string_view login, uint64_t user_generation = 0);
  /// The live session with this id, its idle timer restarted; nullopt for
  /// an unknown or expired id (an expired one is removed).
  std::optional<Session> Touch(std::string_view id);
  /// Ends the session (no-op for an unknown id).
  void Remove(std::string_view id);
  /// Ends every session of login (e.g. after a password change); returns
  /// how many.
  size_t RemoveLogin(std::string_view login);
  /// Ends the sessions of login begun under another user generation than
  /// `generation` (after a change that raised it); returns how many.
  size_t RemoveStale(std::string_view login, uint64_t generation);
  size_t size() const;

 private:
  bool Expired(const Session& s, base::Time now) const;
  void PruneLocked(base::Time now);

  const base::Clock* const clock_;
  const SessionOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Session, std::less<>> sessions_;  // GUARDED_BY(mu_)
};

/// True if a and b are equal, in time that depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace web

#endif  // WEB_SESSION_H_
