// The payment orders (支出命令): draft, read, act (submit, approve, return,
// ...), and the inbox, the home screen of orders and unprocessed invoices.
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/search.h"
#include "base/date.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/requests.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

// How many documents the inbox looks at, at most (pages of 1000).
constexpr int kInboxMaxPages = 20;

bool HasAnyRole(const workflow::User& u, std::initializer_list<workflow::Role> roles) {
  for (workflow::Role r : roles) {
    if (u.HasRole(r)) return true;
  }
  return false;
}

// A search item as the workflow's inbox takes it. The search knows the
// receipt's Japan date only; midnight JST of that date stands for the time.
workflow::DocumentSummary ToSummary(const archive::SearchItem& item) {
  workflow::DocumentSummary d;
  d.id = item.id;
  d.department = item.department;
  if (auto date = base::Date::Parse(item.received_date); date.ok()) {
    const int64_t seconds = int64_t{date->DaysSinceEpoch()} * 86400 - 9 * 3600;
    d.received_at = base::FromUnixMicros(seconds * 1'000'000);
  }
  d.counterparty = item.counterparty;
  d.total = item.total.value_or("");
  d.issue_date = item.issue_date.value_or("");
  return d;
}

void Inbox(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  archive::SearchQuery q;
  const base::Date today = base::Date::InJapan(ctx.clock->Now());
  q.received_from = today.AddDays(-ctx.options.inbox_days);
  q.limit = 1000;
  // A clerk sees the own department; everyone else may see more, and the
  // workflow keeps to each user's scope (workflow/inbox.h).
  if (!HasAnyRole(c.user,
                  {workflow::Role::kApprover, workflow::Role::kAccountant, workflow::Role::kAuditor,
                   workflow::Role::kCompliance, workflow::Role::kAdmin})) {
    q.department = c.user.department;
  }
  std::vector<workflow::DocumentSummary> received;
  for (int page = 0; page < kInboxMaxPages; ++page) {
    auto r = ctx.archive->Search(q);
    if (!r.ok()) return SendStatus(req, res, r.status());
    for (const archive::SearchItem& item : r->items) received.push_back(ToSummary(item));
    if (!r->next) break;
    q.after = *r->next;
    q.count = false;
  }
  auto inbox = ctx.workflow->GetInbox(c.user, received);
  if (!inbox.ok()) return SendStatus(req, res, inbox.status());
  json j = workflow::ToJson(*inbox);
  j["user"] = workflow::ToJson(c.user);
  j["today"] = today.ToString();
  SendJson(res, 200, j);
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

void GetOrder(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  auto view = ctx.workflow->GetOrder(req.matches[1].str(), c.user);
  if (!view.ok()) return SendStatus(req, res, view.status());
  SendJson(res, 200, workflow::ToJson(*view));
}

void Act(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto request = workflow::ActionRequestFromJson(*body);
  if (!request.ok()) return SendStatus(req, res, request.status());
  auto view = ctx.workflow->Act(req.matches[1].str(), *request, c.user);
  if (!view.ok()) return SendStatus(req, res, view.status());
  SendJson(res, 200, workflow::ToJson(*view));
}

}  // namespace

void AddOrderRoutes(ApiContext* ctx, httplib::Server* server) {
  constexpr RequestKind kRead = RequestKind::kRead, kChange = RequestKind::kChange;
  server->Get("/api/v1/inbox", Authed(ctx, Inbox, kRead));
  server->Post("/api/v1/payment-orders", Authed(ctx, DraftOrder, kChange));
  server->Get(R"(/api/v1/payment-orders/([^/]+))", Authed(ctx, GetOrder, kRead));
  server->Post(R"(/api/v1/payment-orders/([^/]+)/actions)", Authed(ctx, Act, kChange));
}

}  // namespace web::internal
