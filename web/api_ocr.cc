// OCR proposals of a scanned document (GET /api/v1/documents/{id}/ocr):
// what `kura ocr` stored (archive/ocr_store.h), for whoever may read the
// document (workflow CheckRead: clerks and 課長 their department, the rest
// all). The body is `kura ocr`'s line plus "regions" (where each field was
// read, for the 項目入力 screen), "done": true, "engine", "by" and "at";
// before OCR ran, {"id", "done": false}.
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/access.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

void Proposals(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
               const Caller& c) {
  const std::string id = req.matches[1].str();
  auto view = ctx.archive->Get(id);
  if (!view.ok()) return SendStatus(req, res, view.status());
  const base::Status may = ctx.workflow->CheckRead(c.user, workflow::ReceivingDepartment(*view));
  if (!may.ok()) return SendStatus(req, res, may);
  auto store = ctx.OcrProposals();
  if (!store.ok()) return SendStatus(req, res, store.status());
  auto record = (*store)->Get(id);
  if (!record.ok() && record.status().IsNotFound()) {
    return SendJson(res, 200, json{{"id", id}, {"done", false}});
  }
  if (!record.ok()) return SendStatus(req, res, record.status());
  const json scan = record->value("scan", json::object());
  SendJson(res, 200,
           json{{"id", record->value("id", id)},
                {"proposal", record->value("proposal", json::object())},
                {"confidence", record->value("confidence", json::object())},
                {"scan",
                 {{"dpi", scan.value("dpi", 0)},
                  {"colour", scan.value("colour", "")},
                  {"warnings", scan.value("warnings", json::array())}}},
                {"regions", record->value("regions", json::object())},
                {"engine", record->value("engine", "")},
                {"by", record->value("by", "")},
                {"at", record->value("at", "")}});
}

}  // namespace

void AddOcrRoutes(const ApiRoutes& r) {
  r.Read("GET", R"(/api/v1/documents/([^/]+)/ocr)", Proposals);
}

}  // namespace web::internal
