// The documents resource: search as JSON pages or CSV (GET
// /api/v1/documents), one document's record, its original bytes, and the
// corrections people enter. The upload (POST /api/v1/documents) reads its
// body as it arrives: api_upload.cc.
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/correction.h"
#include "archive/search.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/access.h"
#include "workflow/nta_registry.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using base::Status;
using nlohmann::json;

// A CSV export of every hit stops here; narrow the search for more.
constexpr uint64_t kCsvMaxRows = 200'000;

// CSV: one page if the request pages, else every hit (電帳法: hand over the
// data in the form asked), up to kCsvMaxRows.
void SendCsv(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
             archive::SearchQuery q, bool paged) {
  std::string csv = archive::SearchCsvHeader();
  uint64_t rows = 0;
  if (!paged) q.limit = 1000;
  while (true) {
    auto r = ctx.archive->Search(q);
    if (!r.ok()) return SendStatus(req, res, r.status());
    csv += archive::SearchCsvRows(r->items);
    rows += r->items.size();
    if (paged || !r->next) break;
    if (rows >= kCsvMaxRows) {
      return SendError(res, 413, "too_large",
                       "該当件数が多すぎます（" + std::to_string(kCsvMaxRows) +
                           " 件まで）。条件を絞ってください");
    }
    q.after = *r->next;
    q.count = false;
  }
  res.status = 200;
  res.set_header("Content-Disposition", ContentDisposition("attachment", "kura-search.csv"));
  res.set_content(csv, "text/csv; charset=utf-8");
}

// Search and its CSV: a user confined to a department searches it alone,
// inside the query, so counts and pages are theirs.
void Search(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string output = "json";
  std::string state;  // the workflow's condition (received, draft, ...)
  bool paged = false;
  for (const auto& [key, value] : req.params) {
    if (key == "output") {
      output = value;
      continue;
    }
    if (key == "state") {
      state = value;
      continue;
    }
    paged = paged || key == "limit" || key == "offset" || key == "after";
    params.emplace_back(key, value);
  }
  if (req.get_header_value("Accept").find("text/csv") != std::string::npos) output = "csv";
  if (output != "json" && output != "csv") {
    return SendError(res, 400, "invalid_argument", "output は json か csv です");
  }
  auto q = archive::SearchQueryFromParams(params);
  if (!q.ok()) return SendStatus(req, res, q.status());
  if (const Status s = NarrowToReadScope(ctx, c.user, &q->department); !s.ok()) {
    return SendStatus(req, res, s);
  }
  if (output == "csv") {
    if (const Status s = ctx.workflow->NarrowToState(&*q, state); !s.ok()) {
      return SendStatus(req, res, s);
    }
    return SendCsv(ctx, req, res, std::move(*q), paged);
  }
  auto r = ctx.workflow->SearchDocuments(std::move(*q), state);
  if (!r.ok()) return SendStatus(req, res, r.status());
  SendJson(res, 200, workflow::ToJson(*r));
}

void Document(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  auto view = ctx.archive->Get(req.matches[1].str());
  if (!view.ok()) return SendStatus(req, res, view.status());
  const Status may = ctx.workflow->CheckRead(c.user, workflow::ReceivingDepartment(*view));
  if (!may.ok()) return SendStatus(req, res, may);
  // Beside the record: where it stands in the workflow, what this reader
  // may do with it, its time-stamp checked, and its history.
  const std::string id = archive::FormatDocumentId(view->document.seq);
  auto standing = ctx.workflow->GetDocumentStanding(id, c.user);
  if (!standing.ok()) return SendStatus(req, res, standing.status());
  auto timestamp = ctx.archive->CheckTimestamp(id);
  if (!timestamp.ok()) return SendStatus(req, res, timestamp.status());
  json body = archive::ToJson(*view);
  body.update(workflow::ToJson(*standing));
  body["timestamp"] = archive::ToJson(*timestamp);
  body["history"] = workflow::ToJson(workflow::DocumentHistory(*view, *timestamp, standing->order));
  // The 国税庁 registry's word on its registration number as of its date.
  auto registry = ctx.workflow->CheckDocumentRegistration(DataDirRegistry(ctx).get(), *view);
  if (!registry.ok()) return SendStatus(req, res, registry.status());
  body["registry"] = workflow::ToJson(*registry);
  SendJson(res, 200, body);
}

// A person enters or corrects a document's metadata (a scanned paper
// invoice has none until someone types it): a new version with the reason,
// the old one kept, and what that means for its payment order
// (Workflow::CorrectDocument: a draft follows, an order under way refuses
// it). Who may: workflow::MayCorrectDocument.
void Correct(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
             const Caller& c) {
  const std::string id = req.matches[1].str();
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  const std::string reason = StringMember(*body, "reason");
  if (reason.empty()) {
    return SendError(res, 400, "invalid_argument", "訂正の理由（reason）を入力してください");
  }
  auto patch = archive::NormalizeCorrection(body->value("changes", json()));
  if (!patch.ok()) return SendStatus(req, res, patch.status());
  uint32_t expected_version = 0;
  if (auto v = body->find("version"); v != body->end()) {
    if (!v->is_number_unsigned() || v->get<uint64_t>() > UINT32_MAX) {
      return SendError(res, 400, "invalid_argument", "version は正の整数で指定してください");
    }
    expected_version = v->get<uint32_t>();
  }
  auto version =
      ctx.workflow->CorrectDocument({id, std::move(*patch), reason, expected_version}, c.user);
  if (!version.ok()) return SendStatus(req, res, version.status());
  SendJson(res, 200, archive::ToJson(*version));
}

void Original(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  const std::string id = req.matches[1].str();
  auto view = ctx.archive->Get(id);
  if (!view.ok()) return SendStatus(req, res, view.status());
  const Status may = ctx.workflow->CheckRead(c.user, workflow::ReceivingDepartment(*view));
  if (!may.ok()) return SendStatus(req, res, may);
  auto bytes = ctx.archive->ReadOriginal(id);
  if (!bytes.ok()) return SendStatus(req, res, bytes.status());
  const std::string& type = view->document.media_type;
  const std::string name = view->receipts.empty() ? id : BaseName(view->receipts.front().file_name);
  // PDFs open in the browser; anything else (XML may carry script) is a
  // download, and nothing runs in our origin (sandbox, nosniff).
  const bool pdf = type == "application/pdf";
  res.status = 200;
  res.set_header("Content-Disposition", ContentDisposition(pdf ? "inline" : "attachment", name));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", "sandbox");
  res.set_header("Cache-Control", "private, no-cache");
  res.set_content(std::move(*bytes), type.empty() ? "application/octet-stream" : type);
}

}  // namespace

void AddDocumentRoutes(const ApiRoutes& r) {
  r.UploadReading("POST", "/api/v1/documents", UploadDocuments);
  r.Read("GET", "/api/v1/documents", Search);
  r.Read("GET", R"(/api/v1/documents/([^/]+))", Document);
  r.Read("GET", R"(/api/v1/documents/([^/]+)/original)", Original);
  r.Change("POST", R"(/api/v1/documents/([^/]+)/corrections)", Correct);
}

}  // namespace web::internal
