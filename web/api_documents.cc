// The documents resource: upload (POST /api/v1/documents), search as JSON
// pages or CSV (GET /api/v1/documents), one document's record, its original
// bytes, and the corrections people enter.
#include <cstdint>
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
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using base::Status;
using nlohmann::json;

// A CSV export of every hit stops here; narrow the search for more.
constexpr uint64_t kCsvMaxRows = 200'000;

void Upload(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  if (!req.is_multipart_form_data() || !req.has_file("file")) {
    return SendError(res, 400, "invalid_argument",
                     "multipart/form-data の file にファイルを指定してください");
  }
  const httplib::MultipartFormData file = req.get_file_value("file");
  if (file.content.size() > ctx.options.max_upload_bytes) {
    return SendError(res, 413, "too_large",
                     "ファイルが大きすぎます（上限 " +
                         std::to_string(ctx.options.max_upload_bytes >> 20) +
                         " MiB）: " + BaseName(file.filename));
  }
  std::string department = workflow::DefaultUploadDepartment(c.user);
  if (req.has_file("department")) department = req.get_file_value("department").content;
  if (const Status s = ctx.workflow->CheckUpload(c.user, department); !s.ok()) {
    return SendStatus(req, res, s);
  }
  std::vector<archive::IncomingFile> files;
  files.push_back({BaseName(file.filename), department, "upload", c.user.login, file.content});
  auto results = ctx.archive->Ingest(std::move(files));
  if (results.empty()) return SendStatus(req, res, Status::Internal("ingest returned nothing"));
  if (!results[0].ok()) return SendStatus(req, res, results[0].status());
  SendJson(res, results[0]->duplicate ? 200 : 201, archive::ToJson(*results[0]));
}

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

void Search(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller&) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string output = "json";
  bool paged = false;
  for (const auto& [key, value] : req.params) {
    if (key == "output") {
      output = value;
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
  if (output == "csv") return SendCsv(ctx, req, res, std::move(*q), paged);
  auto r = ctx.archive->Search(*q);
  if (!r.ok()) return SendStatus(req, res, r.status());
  SendJson(res, 200, archive::ToJson(*r));
}

void Document(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  auto view = ctx.archive->Get(req.matches[1].str());
  if (!view.ok()) return SendStatus(req, res, view.status());
  const Status may = workflow::MayReadDocument(c.user, workflow::ReceivingDepartment(*view));
  if (!may.ok()) return SendStatus(req, res, may);
  SendJson(res, 200, archive::ToJson(*view));
}

// A person enters or corrects a document's metadata (a scanned paper
// invoice has none until someone types it): a new version with the reason,
// the old one kept. Who may: workflow::MayCorrectDocument.
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
  auto view = ctx.archive->Get(id);
  if (!view.ok()) return SendStatus(req, res, view.status());
  const Status may = workflow::MayCorrectDocument(c.user, workflow::ReceivingDepartment(*view));
  if (!may.ok()) return SendStatus(req, res, may);
  auto version = ctx.archive->Correct(id, *patch, c.user.login, reason, expected_version);
  if (!version.ok()) return SendStatus(req, res, version.status());
  SendJson(res, 200, archive::ToJson(*version));
}

void Original(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  const std::string id = req.matches[1].str();
  auto view = ctx.archive->Get(id);
  if (!view.ok()) return SendStatus(req, res, view.status());
  const Status may = workflow::MayReadDocument(c.user, workflow::ReceivingDepartment(*view));
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

void AddDocumentRoutes(ApiContext* ctx, httplib::Server* server) {
  constexpr RequestKind kRead = RequestKind::kRead, kChange = RequestKind::kChange;
  server->Post("/api/v1/documents", Authed(ctx, Upload, kChange));
  server->Get("/api/v1/documents", Authed(ctx, Search, kRead));
  server->Get(R"(/api/v1/documents/([^/]+))", Authed(ctx, Document, kRead));
  server->Get(R"(/api/v1/documents/([^/]+)/original)", Authed(ctx, Original, kRead));
  server->Post(R"(/api/v1/documents/([^/]+)/corrections)", Authed(ctx, Correct, kChange));
}

}  // namespace web::internal
