// OCR proposals of a scanned document (GET /api/v1/documents/{id}/ocr):
// what `kura ocr` stored (archive/ocr_store.h), for whoever may read the
// document (workflow CheckRead: clerks and 課長 their department, the rest
// all). The body is `kura ocr`'s line plus "regions" (where each field was
// read, for the 項目入力 screen), "done": true, "status": "done", "engine",
// "by" and "at"; before, {"id", "done": false, "status"}: "waiting" (not
// read yet), "reading" (the background worker is reading it now), "failed"
// (with "error" and "at": recorded once, not retried) or "not_scan". Beside
// the stored record, a finished body adds "pages" (each page's pixel size,
// which the regions are in, decoded from the original: the screen places the
// regions over the page it draws) and "counterparty_vendor" (the vendor
// master's id that confirmed the counterparty, or null).
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/ocr_worker.h"
#include "ocr/scan.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/access.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using nlohmann::json;

// [{"page": 1, "width": 1654, "height": 2339}, …] of the scan's original:
// as the record keeps them (app/ocr_run.cc, since 2026-12), or for an
// older record decoded from the original; [] if it cannot be read (the
// screen then sizes the regions by the image).
json PageSizes(ApiContext& ctx, const std::string& id, const json& scan) {
  if (const auto kept = scan.find("page_sizes"); kept != scan.end() && kept->is_array()) {
    return *kept;
  }
  json out = json::array();
  auto bytes = ctx.archive->ReadOriginal(id);
  if (!bytes.ok()) return out;
  ocr::ScanOptions options;
  options.keep_pixels = false;
  auto pages = ocr::ReadScan(*bytes, options);
  if (!pages.ok()) return out;
  int number = 0;
  for (const ocr::ScanPage& p : *pages) {
    out.push_back({{"page", ++number}, {"width", p.width}, {"height", p.height}});
  }
  return out;
}

// The body before a proposal is stored: where the reading stands.
void SendNotDone(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
                 const archive::OcrStore& store, const std::string& id,
                 const archive::DocumentView& view) {
  json body{{"id", id}, {"done", false}, {"status", "waiting"}};
  auto failure = store.GetFailure(id);
  if (failure.ok()) {
    body["status"] = "failed";
    body["error"] = failure->value("error", "");
    body["at"] = failure->value("at", "");
  } else if (!failure.status().IsNotFound()) {
    return SendStatus(req, res, failure.status());
  } else if (ctx.options.ocr_worker != nullptr &&
             ctx.options.ocr_worker->StateOf(id) == archive::OcrState::kReading) {
    body["status"] = "reading";
  } else if (view.versions.empty() || view.versions.back().fields.format != "scan") {
    body["status"] = "not_scan";
  }
  SendJson(res, 200, body);
}

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
    return SendNotDone(ctx, req, res, **store, id, *view);
  }
  if (!record.ok()) return SendStatus(req, res, record.status());
  const json scan = record->value("scan", json::object());
  json body{{"id", record->value("id", id)},
            {"done", true},
            {"status", "done"},
            {"proposal", record->value("proposal", json::object())},
            {"confidence", record->value("confidence", json::object())},
            {"scan",
             {{"dpi", scan.value("dpi", 0)},
              {"colour", scan.value("colour", "")},
              {"warnings", scan.value("warnings", json::array())}}},
            {"regions", record->value("regions", json::object())},
            {"engine", record->value("engine", "")},
            {"by", record->value("by", "")},
            {"at", record->value("at", "")}};
  body["pages"] = PageSizes(ctx, id, scan);
  body["counterparty_vendor"] = record->value("counterparty_vendor", json(nullptr));
  SendJson(res, 200, body);
}

}  // namespace

void AddOcrRoutes(const ApiRoutes& r) {
  r.Read("GET", R"(/api/v1/documents/([^/]+)/ocr)", Proposals);
}

}  // namespace web::internal
