// GuardedServer: cpp-httplib's Server with the limits a hostile client
// meets before any handler, session lookup or body buffering runs.
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
//     next is answered 503 and closed), and the pool has `workers` threads;
//   - the request line and headers must arrive complete within
//     header_deadline (408), in at most max_header_bytes and
//     max_header_lines (431) — checked by peeking at the socket, before
//     httplib parses anything;
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
// Error answers are JSON in Japanese ({"error": {"code", "message"}}) with
// Connection: close.
//
// Thread safety: as httplib::Server; the per-address counts are locked.
#ifndef WEB_INTERNAL_GUARDED_SERVER_H_
#define WEB_INTERNAL_GUARDED_SERVER_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include <httplib.h>

namespace web::internal {

struct ConnectionLimits {
  size_t workers = 64;
  size_t max_per_address = 16;
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

/// What the header check found in the bytes peeked from a socket.
struct PeekedHeader {
  enum class State { kIncomplete, kComplete, kTooLarge, kMalformed } state = State::kIncomplete;
  size_t header_bytes = 0;  ///< request line and headers, final CRLF CRLF included
  std::string method, path;
  bool has_length = false;
  uint64_t content_length = 0;
  bool has_transfer_encoding = false;  ///< chunked: the length is not known
};
/// Examines the start of a request (exposed for tests).
PeekedHeader ExamineHeader(std::string_view bytes, size_t max_header_bytes,
                           size_t max_header_lines);

class GuardedServer : public httplib::Server {
 public:
  explicit GuardedServer(ConnectionLimits limits);
  /// After bind_to_port: lets `backlog` connections wait to be accepted.
  void RaiseBacklog(int backlog = 256);

 private:
  bool process_and_close_socket(socket_t sock) override;
  /// Serves the connection's requests; true if it ended with a refusal.
  bool ServeConnection(socket_t sock);
  bool Admit(const std::string& address);
  void Release(const std::string& address);

  ConnectionLimits limits_;
  std::mutex mu_;
  std::map<std::string, size_t> open_;  // GUARDED_BY(mu_): connections per address
};

}  // namespace web::internal

#endif  // WEB_INTERNAL_GUARDED_SERVER_H_
