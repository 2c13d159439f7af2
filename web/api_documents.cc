// The documents resource: upload (POST /api/v1/documents), search as JSON
// pages or CSV (GET /api/v1/documents), one document's record, its original
// bytes, and the corrections people enter.
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
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using base::Status;
using nlohmann::json;

// A CSV export of every hit stops here; narrow the search for more.
constexpr uint64_t kCsvMaxRows = 200'000;

// One file part of an upload: its name, and why it was refused before the
// archive saw it (OK if it goes to Archive::Ingest).
struct UploadPart {
  std::string name;
  Status refused;
};

// The refusals the archive would make too (empty, over the limit), in
// Japanese and naming the file, so that a person sees which file it was.
Status CheckPart(const httplib::MultipartFormData& file, const std::string& name,
                 uint64_t max_bytes) {
  // Worded as archive::Archive::Ingest words them (kura ingest, the intake).
  if (file.content.empty()) return Status::InvalidArgument(name + ": ファイルが空です");
  if (file.content.size() > max_bytes) {
    return Status::ResourceExhausted(name + ": ファイルが上限（" + std::to_string(max_bytes >> 20) +
                                     " MiB）を超えています");
  }
  return Status::OK();
}

// The response of an upload (docs/API.md): one entry per file in order, the
// counts, and for exactly one file that file's entry at the top level too
// (the body a single upload has always had). 201 if any file became a new
// document, 200 if every archived file was a further receipt, else the
// status of the first refusal.
void SendUploadResults(const httplib::Request& req, httplib::Response& res,
                       const std::vector<UploadPart>& parts,
                       const std::vector<base::Result<archive::IngestOutcome>>& ingested) {
  json entries = json::array();
  int archived = 0, duplicates = 0, refused = 0;
  Status first_refusal;
  size_t next = 0;
  for (const UploadPart& part : parts) {
    Status s = part.refused;
    if (s.ok()) {
      s = next < ingested.size() ? ingested[next].status()
                                 : Status::Internal("ingest returned too few results");
    }
    json entry;
    if (s.ok()) {
      entry = archive::ToJson(*ingested[next]);
      if (ingested[next]->duplicate) {
        ++duplicates;
      } else {
        ++archived;
      }
    } else {
      entry = json{{"status", "error"}, {"error", ErrorJson(req, s)}};
      if (refused++ == 0) first_refusal = s;
    }
    if (part.refused.ok()) ++next;
    entry["file"] = part.name;
    entries.push_back(std::move(entry));
  }
  json body = parts.size() == 1 ? entries[0] : json::object();
  if (parts.size() > 1 && archived + duplicates == 0) {
    body["error"] = {{"code", ErrorCodeFor(first_refusal)},
                     {"message", "どのファイルも保存できませんでした（" + std::to_string(refused) +
                                     " 件）。ファイルごとの理由は results にあります"}};
  }
  body["results"] = std::move(entries);
  body["counts"] = {{"archived", archived}, {"duplicate", duplicates}, {"refused", refused}};
  const int status = archived > 0 ? 201 : duplicates > 0 ? 200 : HttpStatusFor(first_refusal);
  SendJson(res, status, body);
}

// POST /api/v1/documents: every `file` part is archived with its own result,
// all of them in one Archive::Ingest batch. A part that is empty or too
// large is refused alone; the others are still archived (as `kura ingest`
// does). The department and who may upload for it are checked once: every
// file of a request goes to the same department.
void Upload(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  if (!req.is_multipart_form_data() || !req.has_file("file")) {
    return SendError(res, 400, "invalid_argument",
                     "multipart/form-data の file にファイルを指定してください");
  }
  const auto [first, last] = req.files.equal_range("file");
  const size_t count = static_cast<size_t>(std::distance(first, last));
  if (count > ctx.options.max_upload_files) {
    return SendError(res, 400, "invalid_argument",
                     "一度に送れるファイルは " + std::to_string(ctx.options.max_upload_files) +
                         " 件までです（" + std::to_string(count) +
                         " 件）。分けて送ってください。どのファイルも保存していません");
  }
  std::string department = workflow::DefaultUploadDepartment(c.user);
  if (req.has_file("department")) department = req.get_file_value("department").content;
  if (const Status s = ctx.workflow->CheckUpload(c.user, department); !s.ok()) {
    return SendStatus(req, res, s);
  }
  std::vector<UploadPart> parts;
  std::vector<archive::IncomingFile> files;
  for (auto it = first; it != last; ++it) {
    UploadPart part{BaseName(it->second.filename), Status::OK()};
    part.refused = CheckPart(it->second, part.name, ctx.options.max_upload_bytes);
    if (part.refused.ok()) {
      files.push_back({part.name, department, "upload", c.user.login, it->second.content});
    }
    parts.push_back(std::move(part));
  }
  std::vector<base::Result<archive::IngestOutcome>> ingested;
  if (!files.empty()) ingested = ctx.archive->Ingest(std::move(files));
  SendUploadResults(req, res, parts, ingested);
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

// Search and its CSV: a user confined to a department searches it alone,
// inside the query, so counts and pages are theirs.
void Search(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
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
  if (const Status s = NarrowToReadScope(ctx, c.user, &q->department); !s.ok()) {
    return SendStatus(req, res, s);
  }
  if (output == "csv") return SendCsv(ctx, req, res, std::move(*q), paged);
  auto r = ctx.archive->Search(*q);
  if (!r.ok()) return SendStatus(req, res, r.status());
  SendJson(res, 200, archive::ToJson(*r));
}

void Document(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  auto view = ctx.archive->Get(req.matches[1].str());
  if (!view.ok()) return SendStatus(req, res, view.status());
  const Status may = ctx.workflow->CheckRead(c.user, workflow::ReceivingDepartment(*view));
  if (!may.ok()) return SendStatus(req, res, may);
  SendJson(res, 200, archive::ToJson(*view));
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
  r.ChangeOrUploadToken("POST", "/api/v1/documents", Upload);
  r.Read("GET", "/api/v1/documents", Search);
  r.Read("GET", R"(/api/v1/documents/([^/]+))", Document);
  r.Read("GET", R"(/api/v1/documents/([^/]+)/original)", Original);
  r.Change("POST", R"(/api/v1/documents/([^/]+)/corrections)", Correct);
}

}  // namespace web::internal
