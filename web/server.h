// Server: kura's HTTP server: /healthz, the version endpoint, a start page
// and, given a workflow, the JSON API under /api/v1 (web/api.h,
// docs/API.md). cpp-httplib is used only in this module's .cc files.
//
// Thread safety: Stop may be called from any thread; everything else from
// the thread that owns the Server.
#ifndef WEB_SERVER_H_
#define WEB_SERVER_H_

#include <memory>
#include <string>

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
  ApiOptions api;
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

  /// Binds the listening socket; returns the port. Unavailable if the
  /// address is in use.
  base::Result<int> Bind();
  /// Serves requests until Stop(). REQUIRES: Bind() succeeded.
  base::Status Run();
  void Stop();

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace web

#endif  // WEB_SERVER_H_
