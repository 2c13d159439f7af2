// TLS for GuardedServer: the server's OpenSSL context (certificate, key,
// protocol settings) and the Transport of one TLS connection.
//
// Settings (as cpp-httplib's SSLServer, tightened): TLS 1.2 at least;
// TLS 1.2 only with forward-secret AEAD suites (ECDHE with AES-GCM or
// ChaCha20-Poly1305; TLS 1.3 has nothing else); no compression, no
// renegotiation; ALPN, when offered, must include http/1.1. The socket is
// non-blocking from the handshake on, so every OpenSSL call returns at once
// and each wait is a poll with the caller's deadline: the handshake as a
// whole has one deadline (Handshake), not one per read as in cpp-httplib,
// so a client that trickles a ClientHello holds a worker no longer than it.
//
// Thread safety: a TlsContext is shared by all connections (OpenSSL's
// SSL_CTX is safe for SSL_new from several threads once set up); a
// TlsTransport is used by one thread at a time.
#ifndef WEB_INTERNAL_TLS_H_
#define WEB_INTERNAL_TLS_H_

#include <chrono>
#include <memory>
#include <string_view>

#include "base/result.h"
#include "web/internal/transport.h"

struct ssl_ctx_st;
struct ssl_st;

namespace web::internal {

class TlsContext {
 public:
  /// cert_pem: the server certificate, then any intermediate certificates;
  /// key_pem: its private key, unencrypted. InvalidArgument (Japanese) if
  /// either holds no usable PEM or the key is not the certificate's.
  static base::Result<std::shared_ptr<TlsContext>> Create(std::string_view cert_pem,
                                                          std::string_view key_pem);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  ssl_ctx_st* get() const { return ctx_; }

 private:
  explicit TlsContext(ssl_ctx_st* ctx) : ctx_(ctx) {}
  ssl_ctx_st* ctx_;
};

class TlsTransport final : public Transport {
 public:
  enum class Handshake {
    kDone,
    kTimeout,    ///< not finished by the deadline
    kPlainHttp,  ///< the client spoke plain HTTP to the TLS port
    kFailed,     ///< anything else (bad ClientHello, no common cipher, reset)
  };

  /// Makes sock non-blocking.
  TlsTransport(int sock, const TlsContext& ctx);
  ~TlsTransport() override;

  /// The server side of the handshake, finished by deadline or not at all.
  Handshake Accept(std::chrono::steady_clock::time_point deadline);

  bool secure() const override { return true; }
  IoResult Read(char* buf, size_t size, int timeout_ms) override;
  bool Write(std::string_view data, int timeout_ms) override;
  bool HasBuffered() const override;
  /// Sends close_notify (if the connection is sound) and the TCP FIN.
  void FinishSending() override;

 private:
  ssl_st* ssl_;
  bool usable_ = false;  ///< handshake done and no fatal error since
};

}  // namespace web::internal

#endif  // WEB_INTERNAL_TLS_H_
