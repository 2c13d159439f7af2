#include "web/internal/tls.h"

#include <algorithm>
#include <cstring>

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

namespace web::internal {

namespace {

using base::Status;
using Clock = std::chrono::steady_clock;

// TLS 1.2 suites: ECDHE key exchange and AEAD only (Mozilla's
// "intermediate" list without finite-field DHE).
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

BioPtr MemoryBio(std::string_view pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// An encrypted key is refused rather than asked for on the terminal.
int NoPassword(char*, int, int, void*) { return -1; }

// ALPN: HTTP/1.1 is all this server speaks; a client that offers ALPN
// without it is talking another protocol (cross-protocol attacks).
int SelectHttp11(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
                 unsigned int inlen, void*) {
  static constexpr unsigned char kHttp11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
  unsigned char* selected = nullptr;
  if (SSL_select_next_proto(&selected, outlen, kHttp11, sizeof kHttp11, in, inlen) !=
      OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

void WarnIfNotValidNow(X509* leaf) {
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    spdlog::warn("TLS の証明書は有効期限が切れています。ブラウザーは接続を拒否します");
  } else if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
    spdlog::warn("TLS の証明書はまだ有効期間に入っていません");
  }
}

// Certificate chain and key into ctx, each failure in words a person
// configuring kura can act on.
Status LoadIdentity(SSL_CTX* ctx, std::string_view cert_pem, std::string_view key_pem) {
  BioPtr certs = MemoryBio(cert_pem);
  X509Ptr leaf(certs ? PEM_read_bio_X509(certs.get(), nullptr, NoPassword, nullptr) : nullptr);
  if (!leaf) {
    return Status::InvalidArgument(
        "TLS の証明書ファイルに PEM 形式の証明書（-----BEGIN CERTIFICATE-----）がありません");
  }
  if (SSL_CTX_use_certificate(ctx, leaf.get()) != 1) {
    return Status::InvalidArgument("TLS の証明書を使えません（鍵の種類に対応していません）");
  }
  // The rest of the file: intermediate certificates, sent with the leaf.
  while (X509* extra = PEM_read_bio_X509(certs.get(), nullptr, NoPassword, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) {
      X509_free(extra);
      return Status::InvalidArgument("TLS の中間証明書を使えません");
    }
  }
  ERR_clear_error();  // the loop ends on "no start line"
  BioPtr key_bio = MemoryBio(key_pem);
  PkeyPtr key(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, NoPassword, nullptr)
                      : nullptr);
  if (!key) {
    return Status::InvalidArgument(
        "TLS の秘密鍵を読めません（PEM 形式で、パスワードで暗号化されていない秘密鍵が必要です）");
  }
  if (X509_check_private_key(leaf.get(), key.get()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    return Status::InvalidArgument("TLS の秘密鍵が証明書と一致しません（別の証明書の鍵です）");
  }
  WarnIfNotValidNow(leaf.get());
  return Status::OK();
}

// OpenSSL writes to the socket with write(2): a peer that has gone would
// raise SIGPIPE and end the process. Blocked on this worker thread, the
// signal stays pending and the write fails with EPIPE instead.
void BlockSigpipeOnThisThread() {
  thread_local bool blocked = false;
  if (blocked) return;
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
  blocked = true;
}

int MillisLeft(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return static_cast<int>(std::clamp<int64_t>(left, 0, 1 << 30));
}

}  // namespace

base::Result<std::shared_ptr<TlsContext>> TlsContext::Create(std::string_view cert_pem,
                                                             std::string_view key_pem) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) {
    return Status::Internal("TLS を準備できません（OpenSSL の SSL_CTX_new が失敗しました）");
  }
  std::shared_ptr<TlsContext> out(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_IGNORE_UNEXPECTED_EOF |
                               SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1) {
    return Status::Internal(
        "TLS の暗号方式を設定できません（OpenSSL の SSL_CTX_set_cipher_list が失敗しました）");
  }
  SSL_CTX_set_alpn_select_cb(ctx, SelectHttp11, nullptr);
  SSL_CTX_set_default_passwd_cb(ctx, NoPassword);
  const Status loaded = LoadIdentity(ctx, cert_pem, key_pem);
  ERR_clear_error();
  if (!loaded.ok()) return loaded;
  return out;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

TlsTransport::TlsTransport(int sock, const TlsContext& ctx)
    : Transport(sock), ssl_(SSL_new(ctx.get())) {
  BlockSigpipeOnThisThread();
  ::fcntl(sock, F_SETFL, ::fcntl(sock, F_GETFL, 0) | O_NONBLOCK);
  if (ssl_ != nullptr) SSL_set_fd(ssl_, sock);
}

TlsTransport::~TlsTransport() { SSL_free(ssl_); }

TlsTransport::Handshake TlsTransport::Accept(Clock::time_point deadline) {
  if (ssl_ == nullptr) return Handshake::kFailed;
  for (;;) {
    ERR_clear_error();
    const int r = SSL_accept(ssl_);
    if (r == 1) {
      usable_ = true;
      return Handshake::kDone;
    }
    const int err = SSL_get_error(ssl_, r);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
      const bool http = ERR_GET_REASON(ERR_peek_error()) == SSL_R_HTTP_REQUEST;
      ERR_clear_error();
      return http ? Handshake::kPlainHttp : Handshake::kFailed;
    }
    const int left = MillisLeft(deadline);
    if (left == 0 || !WaitFor(sock_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, left)) {
      return Handshake::kTimeout;
    }
  }
}

IoResult TlsTransport::Read(char* buf, size_t size, int timeout_ms) {
  if (!usable_) return {IoStatus::kError, 0};
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    ERR_clear_error();
    size_t got = 0;
    const int r = SSL_read_ex(ssl_, buf, size, &got);
    if (r == 1) return {IoStatus::kOk, got};
    const int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_ZERO_RETURN) return {IoStatus::kClosed, 0};
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
      usable_ = false;
      ERR_clear_error();
      return {IoStatus::kError, 0};
    }
    const int left = MillisLeft(deadline);
    if (left == 0 || !WaitFor(sock_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, left)) {
      return {IoStatus::kTimeout, 0};
    }
  }
}

bool TlsTransport::Write(std::string_view data, int timeout_ms) {
  while (usable_ && !data.empty()) {
    ERR_clear_error();
    size_t written = 0;
    const int r = SSL_write_ex(ssl_, data.data(), data.size(), &written);
    if (r == 1) {
      data.remove_prefix(written);
      continue;
    }
    const int err = SSL_get_error(ssl_, r);
    if ((err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) ||
        !WaitFor(sock_, err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, timeout_ms)) {
      usable_ = false;
      ERR_clear_error();
      return false;
    }
  }
  return usable_;
}

bool TlsTransport::HasBuffered() const {
  return usable_ && (SSL_pending(ssl_) > 0 || SSL_has_pending(ssl_) == 1);
}

void TlsTransport::FinishSending() {
  if (usable_) {
    // One call: queues and tries to send close_notify; the peer's own
    // close_notify is not waited for.
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
    usable_ = false;
  }
  ::shutdown(sock_, SHUT_WR);
}

}  // namespace web::internal
