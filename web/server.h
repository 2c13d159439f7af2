// Server: kura's HTTP server: /healthz, the version endpoint, a start page
// and, given a workflow, the JSON API under /api/v1 (web/api.h,
// docs/API.md). cpp-httplib and OpenSSL are used only in this module's .cc
// files. With a certificate and key it serves HTTPS only (TLS 1.2 or
// later, web/internal/tls.h): session cookies are then Secure and every
// response carries Strict-Transport-Security.
//
// Thread safety: Stop may be called from any thread; everything else from
// the thread that owns the Server.
#ifndef WEB_SERVER_H_
#define WEB_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "web/api.h"

namespace archive {
class Archive;
}
namespace workflow {
class Workflow;
}

namespace web {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  ///< 0 picks a free port (tests)
  std::string version;
  /// PEM text of the server's certificate (intermediate certificates after
  /// it) and of its unencrypted private key; both empty: plain HTTP. Both
  /// set: HTTPS only, and api.secure_cookie is set.
  std::string tls_cert_pem;
  std::string tls_key_pem;
  /// Addresses of reverse proxies whose X-Forwarded-For names the client
  /// (login throttling, logs); from any other peer it is ignored.
  std::vector<std::string> trusted_proxies;
  ApiOptions api;
};

/// Who may call a route at all. What a caller may see or do beyond that
/// (the department, the role at a route step) is decided by the handler and
/// the workflow.
enum class RouteAccess {
  kPublic,   ///< anyone: /healthz, the version, the start page, the login
  kSession,  ///< a logged-in user (401 otherwise); reads
  kChange,   ///< a logged-in user with the session's CSRF token (403)
  /// kChange, or an API token (Authorization: Bearer) with the route's
  /// scope, acting for the token's department only (workflow/api_token.h).
  kChangeOrToken,
};

/// One route of the server, as the authorization test and docs/API.md list
/// them.
struct RouteInfo {
  std::string method;   ///< "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string pattern;  ///< the path as a regular expression
  RouteAccess access = RouteAccess::kPublic;
};

/// Splits "HOST:PORT" ("[::1]:8080" for IPv6); InvalidArgument otherwise.
base::Result<ServerOptions> ParseListen(const std::string& listen);

class Server {
 public:
  /// archive (and workflow and clock, if given) must outlive the server.
  /// Without a workflow the server has no JSON API (only /healthz, the
  /// version and the start page). REQUIRES: clock if workflow.
  Server(ServerOptions options, archive::Archive* archive, workflow::Workflow* workflow = nullptr,
         const base::Clock* clock = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Sets up TLS (if configured) and binds the listening socket; returns
  /// the port. InvalidArgument (Japanese) for a certificate or key that
  /// cannot be used or a trusted proxy that is not an address; Unavailable
  /// if the address is in use.
  base::Result<int> Bind();
  /// Serves requests until Stop(). REQUIRES: Bind() succeeded.
  base::Status Run();
  void Stop();

  /// Every route the server answers, in registration order.
  std::vector<RouteInfo> Routes() const;

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace web

#endif  // WEB_SERVER_H_
