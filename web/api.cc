// Api: the status mapping and the route table. The handlers are in
// api_session.cc, api_documents.cc, api_commitments.cc, api_orders.cc and
// api_users.cc; what they share is in internal/api_context.h and
// internal/http_util.h.
#include "web/api.h"

#include <utility>

#include <httplib.h>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"

namespace web {

using base::Status;
using Code = base::Status::Code;

int HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAborted:
    case Code::kAlreadyExists:
      return 409;
    case Code::kResourceExhausted:
      return 413;
    case Code::kFailedPrecondition:
      return 422;
    case Code::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

std::string ErrorCodeFor(const Status& status) {
  switch (status.code()) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidArgument:
      return "invalid_argument";
    case Code::kPermissionDenied:
      return "permission_denied";
    case Code::kNotFound:
      return "not_found";
    case Code::kAborted:
      return "conflict";
    case Code::kAlreadyExists:
      return "already_exists";
    case Code::kResourceExhausted:
      return "too_large";
    case Code::kFailedPrecondition:
      return "failed_precondition";
    case Code::kUnavailable:
      return "unavailable";
    default:
      return "internal";
  }
}

struct Api::Rep {
  Rep(ApiOptions o, archive::Archive* a, workflow::Workflow* w, const base::Clock* c)
      : context(std::move(o), a, w, c) {}

  internal::ApiContext context;
};

Api::Api(ApiOptions options, archive::Archive* archive, workflow::Workflow* workflow,
         const base::Clock* clock)
    : rep_(std::make_unique<Rep>(std::move(options), archive, workflow, clock)) {}

Api::~Api() = default;

SessionStore* Api::sessions() { return &rep_->context.sessions; }

void Api::Register(internal::RouteTable* routes, httplib::Server* server) {
  const internal::ApiRoutes r{&rep_->context, routes};
  internal::AddSessionRoutes(r);
  internal::AddDocumentRoutes(r);
  internal::AddCommitmentRoutes(r);
  internal::AddOrganizationRoutes(r);
  internal::AddOrderRoutes(r);
  internal::AddTokenRoutes(r);
  internal::AddUserRoutes(r);
  internal::AddFigureRoutes(r);
  internal::AddRetentionRoutes(r);
  internal::AddComplianceRoutes(r);
  internal::AddExportRoutes(r);
  internal::AddOcrRoutes(r);
  internal::AddPaymentRoutes(r);
  internal::AddLegacyCreditorRoutes(r);
  internal::AddRegistryRoutes(r);
  // Statuses httplib sets itself (404 for an unknown path, 413 for a body
  // over the limit, 400 for a malformed request) get the same JSON shape.
  server->set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty() || req.path.rfind("/api/", 0) != 0) return;
    internal::SendError(res, res.status, internal::CodeForHttp(res.status),
                        internal::DefaultMessage(res.status));
  });
}

}  // namespace web
