#include "web/session.h"

#include <openssl/rand.h>

#include "base/hex.h"

namespace web {

namespace {

base::Result<std::string> RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (::RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    return base::Status::Internal("乱数を生成できません（OpenSSL の RAND_bytes が失敗しました）");
  }
  return base::HexEncode(raw);
}

}  // namespace

SessionStore::SessionStore(const base::Clock* clock, SessionOptions options)
    : clock_(clock), options_(options) {}

bool SessionStore::Expired(const Session& s, base::Time now) const {
  return now - s.last_seen >= options_.idle || now - s.created_at >= options_.absolute;
}

void SessionStore::PruneLocked(base::Time now) {
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    it = Expired(it->second, now) ? sessions_.erase(it) : std::next(it);
  }
  while (sessions_.size() >= options_.max_sessions) {
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.last_seen < oldest->second.last_seen) oldest = it;
    }
    sessions_.erase(oldest);
  }
}

base::Result<Session> SessionStore::Create(std::string_view login, uint64_t user_generation) {
  Session s;
  ASSIGN_OR_RETURN(s.id, RandomHex(32));
  ASSIGN_OR_RETURN(s.csrf_token, RandomHex(32));
  s.login = std::string(login);
  s.user_generation = user_generation;
  s.created_at = s.last_seen = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  PruneLocked(s.created_at);
  sessions_[s.id] = s;
  return s;
}

std::optional<Session> SessionStore::Touch(std::string_view id) {
  const base::Time now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(id);
  if (it == sessions_.end()) return std::nullopt;
  if (Expired(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second;
}

void SessionStore::Remove(std::string_view id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = sessions_.find(id); it != sessions_.end()) sessions_.erase(it);
}

size_t SessionStore::RemoveLogin(std::string_view login) {
  std::lock_guard<std::mutex> lock(mu_);
  return std::erase_if(sessions_, [&](const auto& kv) { return kv.second.login == login; });
}

size_t SessionStore::RemoveStale(std::string_view login, uint64_t generation) {
  std::lock_guard<std::mutex> lock(mu_);
  return std::erase_if(sessions_, [&](const auto& kv) {
    return kv.second.login == login && kv.second.user_generation != generation;
  });
}

size_t SessionStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace web
