// What the API's handlers share (the options, the archive, the workflow,
// the sessions and the login throttle), the wrappers that check the session
// and the CSRF token before a handler runs, and the per-resource route
// tables. Internal to web/: web::Api (api.h) owns one ApiContext and
// registers the routes of api_session.cc, api_documents.cc,
// api_commitments.cc, api_organization.cc, api_orders.cc and api_users.cc.
//
// cpp-httplib stays out of this header (forward declarations only).
//
// Thread safety: an ApiContext is used by all the server's worker threads;
// its SessionStore and LoginThrottle lock, the archive and workflow are
// thread-safe, and the rest is read-only after construction.
#ifndef WEB_INTERNAL_API_CONTEXT_H_
#define WEB_INTERNAL_API_CONTEXT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "base/status.h"

#include "base/time.h"
#include "web/api.h"
#include "web/login_throttle.h"
#include "web/internal/route_table.h"
#include "compliance/export_jobs.h"
#include "archive/ocr_store.h"
#include "retention/retention.h"
#include "web/session.h"
#include "workflow/nta_registry.h"
#include "workflow/organization.h"

namespace httplib {
struct Request;
struct Response;
class Server;
class ContentReader;
}  // namespace httplib

namespace web::internal {

inline constexpr char kCookieName[] = "kura_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

struct ApiContext {
  /// archive, workflow and clock must outlive the context.
  ApiContext(ApiOptions o, archive::Archive* a, workflow::Workflow* w, const base::Clock* c);

  /// The Set-Cookie value for a session id that lives max_age seconds ("" and
  /// 0 end the session in the browser).
  std::string SessionCookie(const std::string& value, int64_t max_age) const;

  const ApiOptions options;
  archive::Archive* const archive;
  workflow::Workflow* const workflow;
  const base::Clock* const clock;
  SessionStore sessions;
  LoginThrottle throttle;

  /// The retention module (api_retention.cc), opened on first use: its Open
  /// checks the schedule against the recorded one and may record it.
  base::Result<retention::Retention*> Retention();
  /// The evidence export jobs (api_exports.cc), made on first use;
  /// Unavailable if options.exports.dir is not set.
  base::Result<compliance::ExportJobs*> Exports();
  /// The OCR proposals (api_ocr.cc), opened on first use.
  base::Result<archive::OcrStore*> OcrProposals();

 private:
  std::mutex retention_mu_;
  std::unique_ptr<retention::Retention> retention_;  // guarded by retention_mu_
  std::mutex exports_mu_;
  std::unique_ptr<base::FileSystem> exports_fs_;      // guarded by exports_mu_
  std::unique_ptr<compliance::ExportJobs> exports_;  // guarded by exports_mu_; before exports_fs_ goes
  std::mutex ocr_mu_;
  std::unique_ptr<archive::OcrStore> ocr_;  // guarded by ocr_mu_
};

/// The logged-in caller of a request: the session and the user as the
/// workflow knows them now.
struct Caller {
  Session session;
  workflow::User user;
};

/// A handler for a logged-in caller.
using AuthedHandler = void (*)(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                               const Caller& caller);
/// A handler for a logged-in caller that reads the request's body itself,
/// as it arrives, with body (an upload).
using AuthedReadingHandler = void (*)(ApiContext& ctx, const httplib::Request& req,
                                      httplib::Response& res, const Caller& caller,
                                      const httplib::ContentReader& body);
/// A handler that needs no session (the login).
using OpenHandler = void (*)(ApiContext& ctx, const httplib::Request& req, httplib::Response& res);

/// Whether a request changes something and so must carry the CSRF token,
/// and whether an API token may make it instead of a session.
enum class RequestKind { kRead, kChange, kChangeOrUploadToken };

/// Wraps h with the session check (401 without a live session or for a
/// user that may not use one), the CSRF check for kChange (403), and the
/// exception net (500). For kChangeOrUploadToken a request with
/// `Authorization: Bearer <token>` is checked against the API tokens
/// instead (401 for an unknown or revoked token, 403 without the upload
/// scope) and runs as the token's user (workflow::TokenUser), with no
/// session and no CSRF token (a browser never sends this header on its
/// own). ctx must outlive the returned handler.
HttpHandler Authed(ApiContext* ctx, AuthedHandler h, RequestKind kind);
/// As Authed, for a handler that reads its own body: the checks run before
/// a byte of the body is read, and a request they refuse is answered
/// without reading it (the connection then closes: RouteTable).
HttpReadingHandler AuthedReading(ApiContext* ctx, AuthedReadingHandler h, RequestKind kind);
/// Wraps h with the exception net only.
HttpHandler Open(ApiContext* ctx, OpenHandler h);

/// Narrows a search or list to what user may read: a user confined to a
/// department (Workflow::ReadScope) gets it as *department when none was
/// asked for, and PermissionDenied for another department; others keep
/// *department as asked ("" is all).
base::Status NarrowToReadScope(const ApiContext& ctx, const workflow::User& user,
                               std::string* department);

/// Adds the API's routes to a RouteTable with the wrapper their access
/// needs. ctx must outlive the table's use of the routes.
struct ApiRoutes {
  ApiContext* ctx;
  RouteTable* table;

  /// A read for a logged-in caller (RouteAccess::kSession).
  void Read(const char* method, const char* pattern, AuthedHandler h) const;
  /// A change: session and CSRF token (RouteAccess::kChange).
  void Change(const char* method, const char* pattern, AuthedHandler h) const;
  /// A change whose handler reads the body as it arrives (an upload):
  /// session and CSRF token are checked before the body is read
  /// (RouteAccess::kChange).
  void ChangeReading(const char* method, const char* pattern, AuthedReadingHandler h) const;
  /// ChangeReading that an API token with the upload scope may call too,
  /// for its department (RouteAccess::kChangeOrToken): the upload.
  void UploadReading(const char* method, const char* pattern, AuthedReadingHandler h) const;
  /// No session needed (RouteAccess::kPublic): the login.
  void Public(const char* method, const char* pattern, OpenHandler h) const;
};

/// POST /api/v1/documents (api_upload.cc; AddDocumentRoutes registers it).
void UploadDocuments(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                     const Caller& caller, const httplib::ContentReader& body);

/// The routes of each resource (api_*.cc).
void AddSessionRoutes(const ApiRoutes& routes);
void AddDocumentRoutes(const ApiRoutes& routes);
void AddCommitmentRoutes(const ApiRoutes& routes);
void AddOrganizationRoutes(const ApiRoutes& routes);
void AddOrderRoutes(const ApiRoutes& routes);
void AddTokenRoutes(const ApiRoutes& routes);
void AddUserRoutes(const ApiRoutes& routes);
void AddFigureRoutes(const ApiRoutes& routes);
void AddRetentionRoutes(const ApiRoutes& routes);
void AddComplianceRoutes(const ApiRoutes& routes);
void AddExportRoutes(const ApiRoutes& routes);
void AddOcrRoutes(const ApiRoutes& routes);
void AddPaymentRoutes(const ApiRoutes& routes);
void AddLegacyCreditorRoutes(const ApiRoutes& routes);
void AddRegistryRoutes(const ApiRoutes& routes);

/// The 国税庁 registry of ctx's data directory (workflow/nta_registry.h,
/// api_registry.cc), opened once (again if another data directory asks)
/// and shared: it follows imports by itself. nullptr if it cannot be
/// opened.
std::shared_ptr<const workflow::NtaRegistry> DataDirRegistry(ApiContext& ctx);

}  // namespace web::internal

#endif  // WEB_INTERNAL_API_CONTEXT_H_
