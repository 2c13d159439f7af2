// Api: kura's JSON API under /api/v1 (documented in docs/API.md), over the
// archive (documents, search, originals) and the workflow (inbox,
// commitments, payment orders). It maps JSON to calls and base::Status to
// HTTP; the decisions are the workflow's.
//
// Authentication: POST /api/v1/session checks login and password
// (workflow::Workflow::Authenticate) and sets an HttpOnly, SameSite=Strict
// session cookie; every other endpoint under /api/v1 except the version
// needs that cookie (401). Requests that change something (POST, DELETE)
// must also carry the session's CSRF token in X-CSRF-Token (403). The user
// is re-read on every request, so a disabled account is locked out at once.
//
// Errors are {"error": {"code", "message"}} with the status of
// HttpStatusFor; messages are Japanese, for the user.
//
// cpp-httplib stays out of this header: Register takes the server by a
// forward declaration, and every exception of nlohmann-json or cpp-httplib
// is caught by the handler wrappers (internal/api_context.h). The handlers
// are split by resource: api_session.cc, api_documents.cc,
// api_commitments.cc (with the organisation lists), api_orders.cc (with
// the inbox) and api_users.cc (accounts).
//
// Thread safety: an Api is safe for concurrent use by the server's worker
// threads (the session store locks; Archive and Workflow are thread-safe).
#ifndef WEB_API_H_
#define WEB_API_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "base/time.h"
#include "compliance/export_jobs.h"
#include "retention/schedule.h"
#include "web/login_throttle.h"
#include "web/session.h"

namespace httplib {
class Server;
}
namespace archive {
class Archive;
class OcrWorker;
}
namespace workflow {
class Workflow;
}

namespace web {
namespace internal {
class RouteTable;
}

struct ApiOptions {
  /// Uploads larger than this are refused with 413 (kura.toml [ingest]
  /// max_file_mb).
  uint64_t max_upload_bytes = uint64_t{100} << 20;
  /// An upload with more `file` parts than this is refused whole (400).
  size_t max_upload_files = 100;
  /// A legacy creditor export uploaded to /api/v1/legacy-creditors/imports
  /// larger than this is refused with 413 (130,000 rows are about 25 MiB).
  uint64_t max_legacy_creditors_bytes = uint64_t{48} << 20;
  SessionOptions sessions;
  /// How failed logins are slowed down (web/login_throttle.h).
  LoginThrottleOptions login_throttle;
  /// Add "Secure" to the session cookie (web::Server sets it when it serves
  /// HTTPS itself).
  bool secure_cookie = false;
  /// The retention schedule (kura.toml [retention]) of /api/v1/retention.
  retention::Schedule retention;
  /// Evidence exports from the screens (/api/v1/exports): where the ZIP
  /// files go (the data directory's exports/; empty: refused with 503) and
  /// their bounds.
  compliance::ExportJobsOptions exports;
  /// The background OCR (archive/ocr_worker.h; kura serve starts it): each
  /// uploaded scan is handed to it once archived, and GET …/ocr says where
  /// its reading stands. Null: no background OCR. Must outlive the Api.
  archive::OcrWorker* ocr_worker = nullptr;
};

/// The HTTP status for a Status: InvalidArgument 400, PermissionDenied 403,
/// NotFound 404, Aborted and AlreadyExists 409, ResourceExhausted 413,
/// FailedPrecondition 422, Unavailable 503, anything else 500.
int HttpStatusFor(const base::Status& status);
/// The "code" of the error body: "invalid_argument", "permission_denied",
/// "not_found", "conflict", "already_exists", "too_large",
/// "failed_precondition", "unavailable", "internal".
std::string ErrorCodeFor(const base::Status& status);

class Api {
 public:
  /// archive, workflow and clock must outlive the Api.
  Api(ApiOptions options, archive::Archive* archive, workflow::Workflow* workflow,
      const base::Clock* clock);
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  /// Adds the /api/v1 routes (except /api/v1/version, which the Server
  /// owns) to routes, and to server a JSON body for error statuses that
  /// have none. The Api must outlive the server's use of the routes.
  void Register(internal::RouteTable* routes, httplib::Server* server);

  SessionStore* sessions();

 private:
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

}  // namespace web

#endif  // WEB_API_H_
