// HttpTsaTransport: the RFC 3161 §3.4 "Time-Stamp Protocol via HTTP" for
// signing::TsaClient. Each Post() sends one HTTP/1.1 POST (http:// or
// https://) and returns the reply body only if the TSA answered
// 200 OK with Content-Type application/timestamp-reply and a body no larger
// than the configured cap. It does not look inside the body: the
// TsaClient verifies the token.
//
// cpp-httplib does the HTTP; it stays in web/http_tsa_transport.cc. No
// exception leaves Post(). Redirects are not followed (a TSA URL is
// configured, not discovered). For https:// the server certificate and host
// name are verified against ca_cert_path, or the system's trust store.
//
// Thread safety: Post() may be called from many threads at once; each call
// uses its own connection.
#ifndef WEB_HTTP_TSA_TRANSPORT_H_
#define WEB_HTTP_TSA_TRANSPORT_H_

#include <chrono>
#include <cstddef>
#include <string>

#include "base/result.h"
#include "signing/tsa_client.h"

namespace web {

struct HttpTsaTransportOptions {
  /// Longest wait for the TCP (and TLS) connection to be established.
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);
  /// Longest wait for each read or write on the connection once it is up
  /// (so a TSA that accepts but never answers fails after this long).
  std::chrono::milliseconds read_timeout = std::chrono::seconds(10);
  /// Largest reply body accepted. A TimeStampResp with a certificate chain
  /// is a few KiB.
  size_t max_response_bytes = 1 << 20;
  /// https:// only: a PEM file of the CA certificates that may issue the
  /// TSA's TLS server certificate; empty: the system's trust store.
  std::string ca_cert_path;
};

class HttpTsaTransport final : public signing::TsaTransport {
 public:
  explicit HttpTsaTransport(HttpTsaTransportOptions options = {});

  /// POSTs body to url ("http[s]://host[:port][/path]") with the given
  /// Content-Type and returns the reply body.
  /// Errors (messages, in Japanese, say what failed and name the peer but
  /// not the URL, which the caller adds: TsaClient prefixes it; text the
  /// server sent, its reason phrase or Content-Type, is repeated without
  /// control characters):
  ///  - InvalidArgument: url is not an http:// or https:// URL with a host
  ///    and, if given, a port in 1..65535.
  ///  - Unavailable: no connection (refused, unreachable, connect timeout,
  ///    TLS handshake or server-certificate failure), no complete reply
  ///    within read_timeout, or any HTTP status other than 200 (5xx, 4xx,
  ///    redirects).
  ///  - Corruption: 200 OK but a Content-Type other than
  ///    application/timestamp-reply (none, or several, count as other;
  ///    case and parameters are ignored), or a body over
  ///    max_response_bytes.
  ///  - Internal: the HTTP library failed otherwise.
  base::Result<std::string> Post(const std::string& url, const std::string& content_type,
                                 const std::string& body) override;

 private:
  const HttpTsaTransportOptions options_;
};

}  // namespace web

#endif  // WEB_HTTP_TSA_TRANSPORT_H_
