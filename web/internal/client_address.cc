#include "web/internal/client_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include "base/text.h"

namespace web::internal {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One X-Forwarded-For entry without a port: "[v6]:port" → "v6",
// "v4:port" → "v4"; a bare IPv6 address (several colons) is kept.
std::string_view WithoutPort(std::string_view entry) {
  if (!entry.empty() && entry.front() == '[') {
    const size_t close = entry.find(']');
    return close == std::string_view::npos ? std::string_view() : entry.substr(1, close - 1);
  }
  const size_t colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    return entry.substr(0, colon);
  }
  return entry;
}

}  // namespace

std::string CanonicalAddress(std::string_view text) {
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return "";
  const std::string s(text);
  char out[INET6_ADDRSTRLEN] = "";
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    return inet_ntop(AF_INET, &v4, out, sizeof out) ? out : "";
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) != 1) return "";
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    return inet_ntop(AF_INET, &v6.s6_addr[12], out, sizeof out) ? out : "";
  }
  return inet_ntop(AF_INET6, &v6, out, sizeof out) ? out : "";
}

base::Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& addresses) {
  TrustedProxies t;
  for (const std::string& a : addresses) {
    std::string canonical = CanonicalAddress(a);
    if (canonical.empty()) {
      return base::Status::InvalidArgument("信頼するプロキシの \"" + base::DisplayName(a, 64) +
                                           "\" は IP アドレスではありません（例: \"10.0.0.5\"）");
    }
    t.canonical_.insert(std::move(canonical));
  }
  return t;
}

bool TrustedProxies::Contains(std::string_view address) const {
  if (canonical_.empty()) return false;
  const std::string canonical = CanonicalAddress(address);
  return !canonical.empty() && canonical_.count(canonical) > 0;
}

std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted) {
  if (!trusted.Contains(peer)) return peer;
  std::string leftmost;
  while (!forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string_view entry =
        Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for =
        comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    if (entry.empty()) continue;  // "a, , b" or a trailing comma
    std::string address = CanonicalAddress(WithoutPort(entry));
    if (address.empty()) return peer;
    if (!trusted.Contains(address)) return address;
    leftmost = std::move(address);
  }
  return leftmost.empty() ? peer : leftmost;
}

}  // namespace web::internal
