// Payment runs (/api/v1/payment-runs...): the accounting office's 支払処理
// — preview, record, the 全銀 file and the CSV for 財務会計, confirm,
// cancel, and the list. Who may, and what a run holds, is the workflow's
// decision (workflow/payments.h, MayRunPayments and MayReadPaymentRuns);
// this only maps JSON and bytes.
#include <string>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

// The 振込指定日 of ?date= or {"date"}; InvalidArgument otherwise.
base::Result<base::Date> RunDate(const std::string& text) {
  auto date = base::Date::Parse(text);
  if (!date.ok()) {
    return base::Status::InvalidArgument("振込指定日（date）を YYYY-MM-DD で指定してください");
  }
  return *date;
}

void List(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  auto runs = ctx.workflow->ListPaymentRuns(c.user);
  if (!runs.ok()) return SendStatus(req, res, runs.status());
  json items = json::array();
  for (const workflow::PaymentRunRecord& r : *runs) items.push_back(workflow::ToJson(r));
  SendJson(res, 200, json{{"items", items}});
}

void Preview(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
             const Caller& c) {
  auto date = RunDate(req.get_param_value("date"));
  if (!date.ok()) return SendStatus(req, res, date.status());
  auto run = ctx.workflow->PreparePaymentRun(c.user, *date);
  if (!run.ok()) return SendStatus(req, res, run.status());
  SendJson(res, 200, workflow::ToJson(*run));
}

// POST {"date"}: prepares the run now and records it (201 with the run).
void Create(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto date = RunDate(StringMember(*body, "date"));
  if (!date.ok()) return SendStatus(req, res, date.status());
  auto run = ctx.workflow->PreparePaymentRun(c.user, *date);
  if (!run.ok()) return SendStatus(req, res, run.status());
  if (run->lines.empty()) {
    return SendStatus(req, res,
                      base::Status::FailedPrecondition("この日に支払える支出命令がありません"));
  }
  auto recorded = ctx.workflow->RecordPaymentRun(*run, c.user);
  if (!recorded.ok()) return SendStatus(req, res, recorded.status());
  json j = workflow::ToJson(*recorded);
  j["refused"] = workflow::ToJson(*run)["refused"];
  SendJson(res, 201, j);
}

void Show(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  auto run = ctx.workflow->GetPaymentRun(req.matches[1].str(), c.user);
  if (!run.ok()) return SendStatus(req, res, run.status());
  SendJson(res, 200, workflow::ToJson(*run));
}

// The file's bytes as stored: the 全銀 file (Shift_JIS, not text to a
// browser) or the CSV (UTF-8 with BOM).
void File(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c,
          const char* kind) {
  const std::string id = req.matches[1].str();
  auto bytes = ctx.workflow->PaymentRunFile(id, kind, c.user);
  if (!bytes.ok()) return SendStatus(req, res, bytes.status());
  const bool zengin = std::string(kind) == "zengin";
  res.set_header("Content-Disposition",
                 ContentDisposition("attachment", id + (zengin ? "-zengin.txt" : "-zaimu.csv")));
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(*bytes),
                  zengin ? "application/octet-stream" : "text/csv; charset=utf-8");
}

void Zengin(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  File(ctx, req, res, c, "zengin");
}

void Csv(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  File(ctx, req, res, c, "csv");
}

void Confirm(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
             const Caller& c) {
  auto run = ctx.workflow->ConfirmPaymentRun(req.matches[1].str(), c.user);
  if (!run.ok()) return SendStatus(req, res, run.status());
  SendJson(res, 200, workflow::ToJson(*run));
}

// POST {"reason"}.
void Cancel(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  auto run =
      ctx.workflow->CancelPaymentRun(req.matches[1].str(), StringMember(*body, "reason"), c.user);
  if (!run.ok()) return SendStatus(req, res, run.status());
  SendJson(res, 200, workflow::ToJson(*run));
}

}  // namespace

void AddPaymentRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/payment-runs", List);
  r.Change("POST", "/api/v1/payment-runs", Create);
  r.Read("GET", "/api/v1/payment-runs/preview", Preview);
  r.Read("GET", R"(/api/v1/payment-runs/(R[0-9]+-[0-9]+))", Show);
  r.Read("GET", R"(/api/v1/payment-runs/(R[0-9]+-[0-9]+)/zengin)", Zengin);
  r.Read("GET", R"(/api/v1/payment-runs/(R[0-9]+-[0-9]+)/csv)", Csv);
  r.Change("POST", R"(/api/v1/payment-runs/(R[0-9]+-[0-9]+)/confirm)", Confirm);
  r.Change("POST", R"(/api/v1/payment-runs/(R[0-9]+-[0-9]+)/cancel)", Cancel);
}

}  // namespace web::internal
