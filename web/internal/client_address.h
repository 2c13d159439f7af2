// The client address of a request behind a trusted reverse proxy.
//
// A connection from an address in [server] trusted_proxies is a reverse
// proxy that speaks for its clients: the address kura uses for a request
// (login throttling, logs) is then taken from X-Forwarded-For, reading its
// entries from the right (the proxy appends the address it saw last) and
// taking the first that is not itself a trusted proxy. From anyone else
// X-Forwarded-For is ignored: a client could write anything there.
//
// Thread safety: TrustedProxies is a value, immutable after Parse; the
// functions are pure.
#ifndef WEB_INTERNAL_CLIENT_ADDRESS_H_
#define WEB_INTERNAL_CLIENT_ADDRESS_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace web::internal {

/// The canonical text of an IP address: IPv4 dotted ("10.0.0.5", also for
/// the IPv4-mapped "::ffff:10.0.0.5" a dual-stack socket reports), IPv6 in
/// its compressed lower-case form. "" if text is not an IP address.
std::string CanonicalAddress(std::string_view text);

class TrustedProxies {
 public:
  TrustedProxies() = default;
  /// InvalidArgument (Japanese, naming the entry) if one is not an address.
  static base::Result<TrustedProxies> Parse(const std::vector<std::string>& addresses);

  /// Whether address (any spelling CanonicalAddress accepts) is trusted.
  bool Contains(std::string_view address) const;
  bool empty() const { return canonical_.empty(); }

 private:
  std::set<std::string, std::less<>> canonical_;
};

/// The client address of a request that came from peer with the given
/// X-Forwarded-For values (all of its header lines, joined by ","; "" if
/// none):
///   - peer is not trusted: peer, unchanged;
///   - else the right-most entry that is not a trusted proxy (canonical);
///     an entry may carry a port ("1.2.3.4:5678", "[2001:db8::1]:443");
///   - every entry trusted: the left-most; no entry: peer;
///   - an entry that is not an address before a usable one is found: peer
///     (the proxy's own address: all such requests share its throttling,
///     which errs on the safe side).
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted);

}  // namespace web::internal

#endif  // WEB_INTERNAL_CLIENT_ADDRESS_H_
