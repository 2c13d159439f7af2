// The payment orders (支出命令): draft, read, act (submit, approve, return,
// ...), and the inbox, the home screen of orders and unprocessed invoices.
#include <memory>
#include <mutex>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/file_system.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/nta_registry.h"
#include "workflow/requests.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

// ?limit= (0..100, default 20: what the home screen shows) items of each
// list; 0 gives the counts alone.
bool ParseLimit(const httplib::Request& req, size_t fallback, size_t max, size_t* limit) {
  *limit = fallback;
  if (!req.has_param("limit")) return true;
  const std::string v = req.get_param_value("limit");
  size_t n = 0;
  if (v.empty() || v.size() > 4) return false;
  for (char ch : v) {
    if (ch < '0' || ch > '9') return false;
    n = n * 10 + static_cast<size_t>(ch - '0');
  }
  if (n > max) return false;
  *limit = n;
  return true;
}

void Inbox(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  size_t limit = 0;
  if (!ParseLimit(req, 20, 100, &limit)) {
    return SendError(res, 400, "invalid_argument", "limit は 0 から 100 までの整数で指定してください");
  }
  auto inbox = ctx.workflow->GetInbox(c.user, limit);
  if (!inbox.ok()) return SendStatus(req, res, inbox.status());
  json j = workflow::ToJson(*inbox);
  j["user"] = workflow::ToJson(c.user);
  j["today"] = base::Date::InJapan(ctx.clock->Now()).ToString();
  SendJson(res, 200, j);
}

// One list of the inbox, a page at a time: ?after=<next of the page
// before>&limit=1..500 (default 50).
void InboxList(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller& c) {
  auto list = workflow::ParseInboxList(req.matches[1].str());
  if (!list.ok()) return SendStatus(req, res, list.status());
  size_t limit = 0;
  if (!ParseLimit(req, 50, 500, &limit) || limit == 0) {
    return SendError(res, 400, "invalid_argument", "limit は 1 から 500 までの整数で指定してください");
  }
  auto page = ctx.workflow->GetInboxList(c.user, *list, req.get_param_value("after"), limit);
  if (!page.ok()) return SendStatus(req, res, page.status());
  SendJson(res, 200, workflow::ToJson(*page));
}

void DraftOrder(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  const std::string document_id = StringMember(*body, "document_id");
  const std::string commitment_id = StringMember(*body, "commitment_id");
  if (document_id.empty() || commitment_id.empty()) {
    return SendError(res, 400, "invalid_argument",
                     "document_id と commitment_id を指定してください");
  }
  auto view = ctx.workflow->Draft(document_id, commitment_id, c.user);
  if (!view.ok()) return SendStatus(req, res, view.status());
  SendJson(res, 201, workflow::ToJson(*view));
}

// Orders of another department are neither shown nor acted on (403) for a
// user confined to their own (Workflow::CheckRead); an order's department
// never changes, so reading it before acting is safe.
base::Result<workflow::OrderView> ReadableOrder(ApiContext& ctx, const std::string& id,
                                                const workflow::User& user) {
  auto view = ctx.workflow->GetOrder(id, user);
  if (!view.ok()) return view.status();
  RETURN_IF_ERROR(ctx.workflow->CheckRead(user, view->order.department));
  return view;
}

// The order's invoice checked against the registry as of its issue date,
// with the vendor master's name (docs/API.md "NTA registry offline").
json RegistryCheckOf(ApiContext& ctx, const workflow::OrderView& view) {
  auto doc = ctx.archive->Get(view.order.document_id);
  if (!doc.ok() || doc->versions.empty()) return nullptr;
  const invoice::InvoiceFields& f = doc->versions.back().fields;
  auto vendor = ctx.workflow->GetVendor(view.order.vendor_id);
  const std::string name = vendor.ok() ? vendor->name : view.order.counterparty;
  return workflow::ToJson(workflow::CheckRegistration(
      DataDirRegistry(ctx).get(), f.registration_number.value_or(""), f.issue_date.value_or(""),
      name, base::Date::InJapan(ctx.clock->Now()).ToString()));
}

void GetOrder(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  auto view = ReadableOrder(ctx, req.matches[1].str(), c.user);
  if (!view.ok()) return SendStatus(req, res, view.status());
  json j = workflow::ToJson(*view);
  j["registry"] = RegistryCheckOf(ctx, *view);
  SendJson(res, 200, j);
}

void Act(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto request = workflow::ActionRequestFromJson(*body);
  if (!request.ok()) return SendStatus(req, res, request.status());
  if (auto readable = ReadableOrder(ctx, req.matches[1].str(), c.user); !readable.ok()) {
    return SendStatus(req, res, readable.status());
  }
  auto view = ctx.workflow->Act(req.matches[1].str(), *request, c.user);
  if (!view.ok()) return SendStatus(req, res, view.status());
  SendJson(res, 200, workflow::ToJson(*view));
}

}  // namespace

void AddOrderRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/inbox", Inbox);
  r.Read("GET", R"(/api/v1/inbox/([a-z_]+))", InboxList);
  r.Change("POST", "/api/v1/payment-orders", DraftOrder);
  r.Read("GET", R"(/api/v1/payment-orders/([^/]+))", GetOrder);
  r.Change("POST", R"(/api/v1/payment-orders/([^/]+)/actions)", Act);
}

}  // namespace web::internal
