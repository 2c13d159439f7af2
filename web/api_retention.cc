// Retention (/api/v1/retention/...): where a document stands (retain-until,
// holds), the due documents, legal holds and two-person disposal. Who may
// is retention's and workflow/access.h's decision (compliance officers
// change, auditors and compliance officers read); this only maps JSON.
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "retention/retention.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"

namespace web::internal {
namespace {

using nlohmann::json;

bool AllParam(const httplib::Request& req) {
  return req.has_param("all") && req.get_param_value("all") == "true";
}

// The retention module, or the error sent.
retention::Retention* Module(ApiContext& ctx, const httplib::Request& req,
                             httplib::Response& res) {
  auto r = ctx.Retention();
  if (!r.ok()) {
    SendStatus(req, res, r.status());
    return nullptr;
  }
  return *r;
}

void ShowDocument(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                  const Caller& c) {
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  auto d = r->Show(req.matches[1].str(), c.user);
  if (!d.ok()) return SendStatus(req, res, d.status());
  SendJson(res, 200, retention::ToJson(*d));
}

// POST /api/v1/retention/documents/{id}/extend {"until", "reason"}
void Extend(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto until = base::Date::Parse(StringMember(*body, "until"));
  if (!until.ok()) {
    return SendStatus(req, res,
                      base::Status::InvalidArgument("until は YYYY-MM-DD の日付で指定してください"));
  }
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  auto d = r->Extend(req.matches[1].str(), *until, StringMember(*body, "reason"), c.user);
  if (!d.ok()) return SendStatus(req, res, d.status());
  SendJson(res, 200, retention::ToJson(*d));
}

void Due(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  size_t limit = 1000;
  if (req.has_param("limit")) {
    const std::string v = req.get_param_value("limit");
    if (v.empty() || v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(v) < 1 || std::stoul(v) > 1000) {
      return SendStatus(req, res,
                        base::Status::InvalidArgument("limit は 1〜1000 で指定してください"));
    }
    limit = std::stoul(v);
  }
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  auto list = r->Due(c.user, limit);
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& d : *list) items.push_back(retention::ToJson(d));
  SendJson(res, 200, json{{"items", items}});
}

void Holds(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
           const Caller& c) {
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  auto list = r->ListHolds(AllParam(req), c.user);
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& h : *list) items.push_back(retention::ToJson(h));
  SendJson(res, 200, json{{"items", items}});
}

// POST /api/v1/retention/holds {"kind", "reason", "documents": [...]} or
// {"kind", "reason", "query": {"counterparty": "...", ...}} → 201.
void PlaceHold(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  retention::HoldRequest h;
  h.kind = StringMember(*body, "kind");
  h.reason = StringMember(*body, "reason");
  const json documents = body->value("documents", json::array());
  const json query = body->value("query", json::object());
  if (!documents.is_array() || !query.is_object()) {
    return SendStatus(req, res,
                      base::Status::InvalidArgument(
                          "documents は文書IDの配列、query は検索条件のオブジェクトで指定してください"));
  }
  for (const json& d : documents) {
    if (d.is_string()) h.documents.push_back(d.get<std::string>());
  }
  for (const auto& [k, v] : query.items()) {
    if (v.is_string()) h.query.emplace_back(k, v.get<std::string>());
  }
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  auto placed = r->PlaceHold(h, c.user);
  if (!placed.ok()) return SendStatus(req, res, placed.status());
  SendJson(res, 201, retention::ToJson(*placed));
}

// POST /api/v1/retention/holds/{id}/release {"reason"}
void ReleaseHold(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  auto h = r->ReleaseHold(req.matches[1].str(), StringMember(*body, "reason"), c.user);
  if (!h.ok()) return SendStatus(req, res, h.status());
  SendJson(res, 200, retention::ToJson(*h));
}

void Disposals(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller& c) {
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  auto list = r->ListDisposals(AllParam(req), c.user);
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& d : *list) items.push_back(retention::ToJson(d));
  SendJson(res, 200, json{{"items", items}});
}

// POST /api/v1/retention/disposals {"document", "reason"} → 201
void RequestDisposal(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                     const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  auto d = r->RequestDisposal(StringMember(*body, "document"), StringMember(*body, "reason"),
                              c.user);
  if (!d.ok()) return SendStatus(req, res, d.status());
  SendJson(res, 201, retention::ToJson(*d));
}

// POST /api/v1/retention/disposals/{id}/approve
void ApproveDisposal(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                     const Caller& c) {
  retention::Retention* r = Module(ctx, req, res);
  if (r == nullptr) return;
  bool removed = false;
  auto d = r->ApproveDisposal(req.matches[1].str(), c.user, &removed);
  if (!d.ok()) return SendStatus(req, res, d.status());
  json out = retention::ToJson(*d);
  out["bytes_removed"] = removed;
  SendJson(res, 200, out);
}

}  // namespace

void AddRetentionRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/retention/documents/([^/]+)", ShowDocument);
  r.Change("POST", "/api/v1/retention/documents/([^/]+)/extend", Extend);
  r.Read("GET", "/api/v1/retention/due", Due);
  r.Read("GET", "/api/v1/retention/holds", Holds);
  r.Change("POST", "/api/v1/retention/holds", PlaceHold);
  r.Change("POST", "/api/v1/retention/holds/([^/]+)/release", ReleaseHold);
  r.Read("GET", "/api/v1/retention/disposals", Disposals);
  r.Change("POST", "/api/v1/retention/disposals", RequestDisposal);
  r.Change("POST", "/api/v1/retention/disposals/([^/]+)/approve", ApproveDisposal);
}

}  // namespace web::internal
