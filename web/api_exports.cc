// Evidence exports from the screens (/api/v1/exports...): start one with
// the filters of a search, follow its progress, cancel it, download the
// ZIP. The jobs, their bounds and who may are compliance::ExportJobs' and
// workflow::MayExportEvidence's; this only maps JSON and streams the file.
#include <fcntl.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "compliance/export_jobs.h"
#include "web/internal/api_context.h"
#include "web/internal/http_util.h"
#include "workflow/workflow.h"

namespace web::internal {
namespace {

using base::Status;
using nlohmann::json;

// The export jobs, or the error sent.
compliance::ExportJobs* Jobs(ApiContext& ctx, const httplib::Request& req,
                             httplib::Response& res) {
  auto jobs = ctx.Exports();
  if (!jobs.ok()) {
    SendStatus(req, res, jobs.status());
    return nullptr;
  }
  return *jobs;
}

// GET /api/v1/exports → {"items": [...], "limits": {...}}: the caller's.
void List(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  compliance::ExportJobs* jobs = Jobs(ctx, req, res);
  if (jobs == nullptr) return;
  auto list = jobs->List(c.user);
  if (!list.ok()) return SendStatus(req, res, list.status());
  json items = json::array();
  for (const auto& j : *list) items.push_back(compliance::ToJson(j));
  const auto& o = ctx.options.exports;
  SendJson(res, 200,
           json{{"items", items},
                {"limits",
                 {{"max_documents", o.max_documents},
                  {"max_original_bytes", o.max_original_bytes},
                  {"keep_hours", std::chrono::duration_cast<std::chrono::hours>(o.keep).count()}}}});
}

// POST /api/v1/exports {"query": {the parameters of GET /api/v1/documents}}
// → 202 with the job. Paging, sorting and output are ignored.
void Start(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  auto body = ParseBody(req);
  if (!body.ok()) return SendStatus(req, res, body.status());
  const json query = body->value("query", json::object());
  if (!query.is_object()) {
    return SendStatus(req, res,
                      Status::InvalidArgument("query は検索条件のオブジェクトで指定してください"));
  }
  std::vector<std::pair<std::string, std::string>> params, shown;
  std::string state;
  for (const auto& [key, value] : query.items()) {
    if (!value.is_string()) {
      return SendStatus(req, res, Status::InvalidArgument(key + " は文字列で指定してください"));
    }
    const std::string v = value.get<std::string>();
    if (key == "limit" || key == "offset" || key == "after" || key == "sort" || key == "desc" ||
        key == "order" || key == "output" || v.empty()) {
      continue;
    }
    shown.emplace_back(key, v);
    if (key == "state") {
      state = v;
    } else {
      params.emplace_back(key, v);
    }
  }
  auto q = archive::SearchQueryFromParams(params);
  if (!q.ok()) return SendStatus(req, res, q.status());
  if (const Status s = NarrowToReadScope(ctx, c.user, &q->department); !s.ok()) {
    return SendStatus(req, res, s);
  }
  if (const Status s = ctx.workflow->NarrowToState(&*q, state); !s.ok()) {
    return SendStatus(req, res, s);
  }
  compliance::ExportJobs* jobs = Jobs(ctx, req, res);
  if (jobs == nullptr) return;
  auto job = jobs->Start(c.user, std::move(*q), std::move(shown));
  if (!job.ok()) return SendStatus(req, res, job.status());
  // The export changes nothing and records no event (as `kura export`);
  // the server's log says who packed what.
  spdlog::info("証跡出力 {}: {} が開始（{} 件、条件 {}）", job->id, c.user.login,
               job->documents_total, ForLog(compliance::ToJson(*job)["query"].dump()));
  res.set_header("Location", "/api/v1/exports/" + job->id);
  SendJson(res, 202, compliance::ToJson(*job));
}

void Show(ApiContext& ctx, const httplib::Request& req, httplib::Response& res, const Caller& c) {
  compliance::ExportJobs* jobs = Jobs(ctx, req, res);
  if (jobs == nullptr) return;
  auto job = jobs->Get(req.matches[1].str(), c.user);
  if (!job.ok()) return SendStatus(req, res, job.status());
  SendJson(res, 200, compliance::ToJson(*job));
}

// DELETE: cancels a running export, or removes a finished one's file.
void Cancel(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
            const Caller& c) {
  compliance::ExportJobs* jobs = Jobs(ctx, req, res);
  if (jobs == nullptr) return;
  auto job = jobs->Cancel(req.matches[1].str(), c.user);
  if (!job.ok()) return SendStatus(req, res, job.status());
  SendJson(res, 200, compliance::ToJson(*job));
}

// The ZIP, streamed from an open descriptor (a clean-up that removes the
// file meanwhile does not cut the download short).
void Download(ApiContext& ctx, const httplib::Request& req, httplib::Response& res,
              const Caller& c) {
  compliance::ExportJobs* jobs = Jobs(ctx, req, res);
  if (jobs == nullptr) return;
  auto file = jobs->Download(req.matches[1].str(), c.user);
  if (!file.ok()) return SendStatus(req, res, file.status());
  const int fd = ::open(file->path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return SendStatus(req, res,
                      Status::NotFound("証跡出力のファイルがありません（削除された可能性があります）"));
  }
  auto owned = std::shared_ptr<int>(new int(fd), [](int* p) {
    ::close(*p);
    delete p;
  });
  spdlog::info("証跡出力 {}: {} がダウンロード（{} バイト）", req.matches[1].str(), c.user.login,
               file->size);
  res.status = 200;
  res.set_header("Content-Disposition",
                 ContentDisposition("attachment", file->file_name, file->ascii_file_name));
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Cache-Control", "private, no-store");
  res.set_content_provider(
      file->size, "application/zip",
      [owned](size_t offset, size_t length, httplib::DataSink& sink) {
        std::string buffer(std::min<size_t>(length, 1 << 20), '\0');
        const ssize_t n = ::pread(*owned, buffer.data(), buffer.size(), static_cast<off_t>(offset));
        if (n <= 0) return false;
        return sink.write(buffer.data(), static_cast<size_t>(n));
      });
}

}  // namespace

void AddExportRoutes(const ApiRoutes& r) {
  r.Read("GET", "/api/v1/exports", List);
  r.Change("POST", "/api/v1/exports", Start);
  r.Read("GET", "/api/v1/exports/([0-9a-f]+)", Show);
  r.Change("DELETE", "/api/v1/exports/([0-9a-f]+)", Cancel);
  r.Read("GET", "/api/v1/exports/([0-9a-f]+)/download", Download);
}

}  // namespace web::internal
