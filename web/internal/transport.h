// Transport: the bytes of one accepted connection, plain TCP or TLS, as
// GuardedServer reads and writes them. Every call waits at most the time it
// is given, so a client can hold a worker only as long as the caller's
// deadlines allow.
//
// Thread safety: one Transport is used by one thread at a time.
#ifndef WEB_INTERNAL_TRANSPORT_H_
#define WEB_INTERNAL_TRANSPORT_H_

#include <cstddef>
#include <string_view>

namespace web::internal {

enum class IoStatus {
  kOk,       ///< some bytes were read
  kTimeout,  ///< nothing within the time given
  kClosed,   ///< the peer ended the stream (TCP FIN, TLS close_notify)
  kError,    ///< reset, or a TLS failure: the transport is unusable
};
struct IoResult {
  IoStatus status = IoStatus::kError;
  size_t bytes = 0;
};

/// Waits up to timeout_ms for events (POLLIN, POLLOUT) on sock; true if one
/// (or an error or hang-up) is reported.
bool WaitFor(int sock, short events, int timeout_ms);

class Transport {
 public:
  explicit Transport(int sock) : sock_(sock) {}
  virtual ~Transport() = default;
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  int socket() const { return sock_; }
  /// TLS: answers carry Strict-Transport-Security.
  virtual bool secure() const = 0;
  /// Reads at most size (> 0) bytes, waiting at most timeout_ms in all.
  virtual IoResult Read(char* buf, size_t size, int timeout_ms) = 0;
  /// Writes all of data; false if the peer is gone or a wait for room
  /// exceeded timeout_ms.
  virtual bool Write(std::string_view data, int timeout_ms) = 0;
  /// Bytes are readable without waiting for the socket (TLS: decrypted or
  /// received records buffered inside OpenSSL).
  virtual bool HasBuffered() const = 0;
  /// Ends what this side sends (TLS: a close_notify first, without waiting
  /// for the peer's); reading stays possible at the socket.
  virtual void FinishSending() = 0;

 protected:
  const int sock_;
};

/// Plain TCP. Works on a blocking or a non-blocking socket.
class PlainTransport final : public Transport {
 public:
  using Transport::Transport;
  bool secure() const override { return false; }
  IoResult Read(char* buf, size_t size, int timeout_ms) override;
  bool Write(std::string_view data, int timeout_ms) override;
  bool HasBuffered() const override { return false; }
  void FinishSending() override;
};

}  // namespace web::internal

#endif  // WEB_INTERNAL_TRANSPORT_H_
