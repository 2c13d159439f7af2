// The commitments (支出負担行為): list with filters, create, and those an
// invoice's payment order may be drafted from. (Departments and vendors:
// api_organization.cc.)
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/requests.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

void Commitments(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const Caller& c) {
  workflow::CommitmentFilter filter;
  filter.department = req.get_param_value("department");
  if (const base::Status s = NarrowToReadScope(ctx, c.user, &filter.department); !s.ok()) {
    return SendStatus(req, res, s);
  }
  filter.vendor_id = req.get_param_value("vendor_id");
  if (const std::string fy = req.get_param_value("fiscal_year"); !fy.empty()) {
    int year = 0;
    for (char ch : fy) {
      if (ch < '0' || ch > '9' || year > 100000) {
        return SendError(res, 400, "invalid_argument", "fiscal_year は年（例: 2026）です");
      }
      year = year * 10 + (ch - '0');
    }
    filter.fiscal_year = year;
  }
  auto list = ctx.workflow->ListCommitments(filter);
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& cm : *list) items.push_back(workflow::ToJson(cm));
  SendJson(res, 200, json{{"items", items}});
}

void CreateCommitment(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                      const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto commitment = workflow::CommitmentFromRequest(*body);
  if (!commitment.ok()) return SendStatus(req, res, commitment.status());
  auto created = ctx.workflow->CreateCommitment(*commitment, c.user);
  if (!created.ok()) return SendStatus(req, res, created.status());
  SendJson(res, 201, workflow::ToJson(*created));
}

// GET /api/v1/documents/{id}/commitments: what the drafting screen offers
// (Workflow::DraftCandidatesFor decides, the read scope included).
void DraftCandidates(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                     const Caller& c) {
  auto candidates = ctx.workflow->DraftCandidatesFor(req.matches[1].str(), c.user);
  if (!candidates.ok()) return SendStatus(req, res, candidates.status());
  SendJson(res, 200, workflow::ToJson(*candidates));
}

}  // namespace

void AddCommitmentRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/commitments", Commitments);
  r.Change("POST", "/api/v1/commitments", CreateCommitment);
  r.Read("GET", R"(/api/v1/documents/([^/]+)/commitments)", DraftCandidates);
}

}  // namespace web::internal
