// GuardedServer: cpp-httplib's Server with the limits a hostile client
// meets before any handler, session lookup or body buffering runs, over
// plain HTTP or (UseTls) HTTPS only.
//
// cpp-httplib 0.11 reads a whole request (a chunked body without any size
// limit, any number of header lines, one header line every few seconds for
// ever) on one of a fixed number of worker threads before kura sees it.
// GuardedServer takes over the connection loop (httplib's
// process_and_close_socket, which SSLServer overrides the same way) and
// hands httplib a Stream of its own, so that for every connection and
// request:
//
//   - an address holds at most max_per_address connections at once (the
//     next is answered 503 and closed), a trusted reverse proxy at most
//     max_per_proxy (it carries many clients' requests; its own cap, lower
//     than the pool, still leaves workers for direct clients), and the pool
//     has `workers` threads; over TLS a connection over the cap is closed
//     without an answer (a TLS client cannot read a plain-text 503, and a
//     handshake first would let the excess hold workers, which is what the
//     cap prevents);
//   - over TLS, the handshake must be finished within header_deadline of
//     the accept (one deadline for the whole handshake), and a client that
//     speaks plain HTTP to the port is answered 400 in plain text;
//   - the request line and headers must arrive complete within
//     header_deadline (408), in at most max_header_bytes and
//     max_header_lines (431), before httplib parses anything;
//   - the body may not exceed body_limit(method, path): a Content-Length
//     over it is answered 413 before a byte of the body is read, and a
//     chunked body is cut off with 413 when it reaches the limit;
//   - after body_grace, a body that arrives slower than min_body_rate is
//     cut off with 408;
//   - a body the handler did not read to its end (a request answered before
//     its body, e.g. an upload without a session) ends the connection, so
//     that the rest is never taken for the next request; so does a body of
//     unknown length (Transfer-Encoding), whose end the server cannot tell.
//
// How the header is checked, for plain and TLS alike: read, then replay.
// The connection's bytes come from a Transport (transport.h: plain TCP, or
// tls.h: decrypted TLS); they are read into a per-connection buffer until
// the header is complete, over a limit or late, and the Stream httplib
// reads from serves that buffer first, then the transport. (Peeking at the
// socket, as an earlier version did with MSG_PEEK, cannot work over TLS:
// SSL_peek shows at most one TLS record, and a header may span many.) Bytes
// of a pipelined next request stay in the buffer for the next round. The
// limits therefore apply to the decrypted stream.
//
// Behind a reverse proxy (SetTrustedProxies): httplib's req.remote_addr is
// the client address of client_address.h (X-Forwarded-For, believed only
// from a trusted proxy), so login throttling and the request log see the
// client, not the proxy.
//
// Error answers are JSON in Japanese ({"error": {"code", "message"}}) with
// Connection: close (and, over TLS, Strict-Transport-Security).
//
// Thread safety: as httplib::Server; the per-address counts are locked.
// UseTls and SetTrustedProxies only before listening.
#ifndef WEB_INTERNAL_GUARDED_SERVER_H_
#define WEB_INTERNAL_GUARDED_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <httplib.h>

#include "web/internal/client_address.h"

namespace web::internal {

class TlsContext;
struct Connection;

/// The Strict-Transport-Security value of every answer over TLS.
inline constexpr char kHstsValue[] = "max-age=31536000";

struct ConnectionLimits {
  size_t workers = 64;
  size_t max_per_address = 16;
  /// Connections at once from one trusted reverse proxy.
  size_t max_per_proxy = 48;
  size_t max_header_bytes = 16 * 1024;
  size_t max_header_lines = 100;
  std::chrono::milliseconds header_deadline{10'000};
  /// How long a kept-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{5'000};
  std::chrono::milliseconds body_grace{10'000};
  uint64_t min_body_rate = 16 * 1024;  ///< bytes per second, after the grace
  /// The most body bytes a request may send (1 MiB unless set).
  std::function<uint64_t(std::string_view method, std::string_view path)> body_limit;
};

/// What the header check found in the bytes read so far.
struct PeekedHeader {
  enum class State { kIncomplete, kComplete, kTooLarge, kMalformed } state = State::kIncomplete;
  size_t header_bytes = 0;  ///< request line and headers, final CRLF CRLF included
  std::string method, path;
  bool has_length = false;
  uint64_t content_length = 0;
  bool chunked = false;  ///< a Transfer-Encoding header: the body ends with its coding
};
/// Examines the start of a request (exposed for tests).
PeekedHeader ExamineHeader(std::string_view bytes, size_t max_header_bytes,
                           size_t max_header_lines);

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);
  ~GuardedServer() override;
  /// After bind_to_port: lets `backlog` connections wait to be accepted.
  void RaiseBacklog(int backlog = 256);
  /// Serves HTTPS only, with this context. Before listening.
  void UseTls(std::shared_ptr<const TlsContext> tls);
  /// Connections from these addresses are reverse proxies (see above).
  void SetTrustedProxies(TrustedProxies proxies);

 private:
  bool process_and_close_socket(socket_t sock) override;
  /// An admitted connection: the TLS handshake if any, its requests, the close.
  void Serve(socket_t sock, const std::string& peer, bool via_proxy);
  /// Serves the connection's requests; true if it ended with a refusal.
  bool ServeConnection(Connection& conn);
  bool Admit(const std::string& address, size_t cap);
  void Release(const std::string& address);

  ConnectionLimits limits_;
  std::shared_ptr<const TlsContext> tls_;
  TrustedProxies trusted_;
  std::mutex mu_;
  std::map<std::string, size_t> open_;  // GUARDED_BY(mu_): connections per address
};

}  // namespace web::internal

#endif  // WEB_INTERNAL_GUARDED_SERVER_H_
