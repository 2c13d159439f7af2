// ExportJobs (compliance/export_jobs.h).
#include "compliance/export_jobs.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include <botan/hex.h>
#include <botan/system_rng.h>

#include "workflow/access.h"

namespace compliance {

using base::Result;
using base::Status;
using nlohmann::json;

struct ExportJobs::Job {
  ExportJobStatus status;  // guarded by ExportJobs::mu_
  std::atomic<bool> cancel{false};
  std::thread thread;  // joined by CleanUp or the destructor
};

namespace {

constexpr char kCancelled[] = "証跡出力を中止しました";

json Time(base::Time t, bool set) { return set ? json(base::FormatRfc3339(t)) : json(nullptr); }

std::string NewId() {
  uint8_t raw[12];
  Botan::system_rng().randomize(raw, sizeof raw);
  return Botan::hex_encode(raw, sizeof raw, false);
}

// "2026-12-03 19:30:00 JST" → "20261203-1930".
std::string Stamp(base::Time t) {
  const std::string jst = base::FormatJst(t);
  return jst.substr(0, 4) + jst.substr(5, 2) + jst.substr(8, 2) + "-" + jst.substr(11, 2) +
         jst.substr(14, 2);
}

std::string QueryText(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    out += (out.empty() ? "" : " ") + name + "=" + value;
  }
  return out;
}

}  // namespace

json ToJson(const ExportJobStatus& j) {
  json query = json::object();
  for (const auto& [name, value] : j.query) query[name] = value;
  const bool ended = j.state != "running";
  return json{{"id", j.id},
              {"state", j.state},
              {"phase", j.phase},
              {"documents_done", j.documents_done},
              {"documents_total", j.documents_total},
              {"bytes", j.bytes},
              {"query", query},
              {"started_at", Time(j.started, true)},
              {"finished_at", Time(j.finished, ended)},
              {"expires_at", Time(j.expires, ended)},
              {"error", j.error.empty() ? json(nullptr) : json(j.error)},
              {"file_name", j.file_name},
              {"missing_originals", j.missing_originals}};
}

ExportJobs::ExportJobs(archive::Archive* archive, base::FileSystem* fs, const base::Clock* clock,
                       ExportJobsOptions options)
    : archive_(archive), fs_(fs), clock_(clock), options_(std::move(options)) {
  auto left = fs_->ListDir(options_.dir);
  if (!left.ok()) return;  // not made yet
  for (const std::string& name : *left) {
    fs_->RemoveFile(base::JoinPath(options_.dir, name)).IgnoreError();
  }
}

ExportJobs::~ExportJobs() {
  std::map<std::string, std::shared_ptr<Job>> jobs;
  {
    std::lock_guard lock(mu_);
    jobs.swap(jobs_);
  }
  for (auto& [id, job] : jobs) {
    job->cancel = true;
    if (job->thread.joinable()) job->thread.join();
    fs_->RemoveFile(ZipPath(id)).IgnoreError();
  }
}

std::string ExportJobs::ZipPath(const std::string& id) const {
  return base::JoinPath(options_.dir, id + ".zip");
}

Result<ExportJobStatus> ExportJobs::Start(
    const workflow::User& user, archive::SearchQuery query,
    std::vector<std::pair<std::string, std::string>> params) {
  RETURN_IF_ERROR(workflow::MayExportEvidence(user));
  CleanUp();
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, job] : jobs_) {
      if (job->status.owner == user.login && job->status.state == "running") {
        return Status::FailedPrecondition(
            "実行中の証跡出力があります。終わるのを待つか、中止してから新しく始めてください");
      }
    }
  }
  archive::SearchQuery counted = query;
  counted.count = true;
  counted.limit = 1;
  counted.offset = 0;
  counted.after.clear();
  ASSIGN_OR_RETURN(const archive::SearchResult found, archive_->Search(counted));
  if (found.count == 0) {
    return Status::FailedPrecondition("条件に合う書類がありません。条件を変えてください");
  }
  if (found.count > options_.max_documents) {
    return Status::ResourceExhausted(
        "該当する書類が " + std::to_string(found.count) + " 件あり、一度に出力できる " +
        std::to_string(options_.max_documents) +
        " 件を超えています。期間などの条件を絞って分けて出力してください");
  }
  RETURN_IF_ERROR(fs_->CreateDirs(options_.dir, 0700));
  auto job = std::make_shared<Job>();
  ExportJobStatus& s = job->status;
  s.id = NewId();
  s.owner = user.login;
  s.state = "running";
  s.phase = "checkpoint";
  s.documents_total = found.count;
  s.query = std::move(params);
  s.started = clock_->Now();
  s.file_name = "証跡出力_" + Stamp(s.started) + ".zip";
  s.ascii_file_name = "kura-export-" + Stamp(s.started) + ".zip";
  std::lock_guard lock(mu_);
  // Checked again under the lock: two requests of one user at once.
  for (const auto& [id, other] : jobs_) {
    if (other->status.owner == user.login && other->status.state == "running") {
      return Status::FailedPrecondition(
          "実行中の証跡出力があります。終わるのを待つか、中止してから新しく始めてください");
    }
  }
  jobs_[s.id] = job;
  const ExportJobStatus started = s;
  job->thread = std::thread([this, job, q = std::move(query)]() mutable { Run(job, std::move(q)); });
  return started;
}

void ExportJobs::Run(const std::shared_ptr<Job>& job, archive::SearchQuery query) {
  std::string query_text, id;
  {
    std::lock_guard lock(mu_);
    query_text = QueryText(job->status.query);
    id = job->status.id;
  }
  if (options_.before_run) options_.before_run(id);
  // Every event so far is proved: a checkpoint first if the newest are
  // not covered yet (as `kura export` does).
  Status published = archive_->ledger().read_only() ? Status::OK()
                                                    : archive_->ledger().PublishCheckpoint();
  if (!published.ok()) return Finish(*job, published);
  ExportOptions o;
  o.query = std::move(query);
  o.query_text = query_text;
  o.out = ZipPath(id);
  o.organization = options_.organization;
  if (!options_.font_file.empty()) o.font_file = options_.font_file;
  o.cancel = &job->cancel;
  o.max_original_bytes = options_.max_original_bytes;
  o.progress = [this, &job](std::string_view phase, uint64_t done, uint64_t total) {
    std::lock_guard lock(mu_);
    job->status.phase = std::string(phase);
    if (total > 0) {
      job->status.documents_done = done;
      job->status.documents_total = total;
    }
  };
  Finish(*job, ExportBag(*archive_, *clock_, o));
}

void ExportJobs::Finish(Job& job, const Result<ExportSummary>& result) {
  const base::Time now = clock_->Now();
  std::lock_guard lock(mu_);
  ExportJobStatus& s = job.status;
  s.finished = now;
  s.expires = now + std::chrono::duration_cast<std::chrono::microseconds>(options_.keep);
  if (result.ok()) {
    s.state = "done";
    s.phase = "done";
    s.documents_done = s.documents_total = result->documents;
    s.missing_originals = result->missing_originals;
    auto info = fs_->Stat(ZipPath(s.id));
    s.bytes = info.ok() ? info->size : 0;
  } else if (job.cancel || result.status().code() == Status::Code::kAborted) {
    s.state = "cancelled";
    s.error = kCancelled;
  } else {
    s.state = "failed";
    s.error = std::string(result.status().message());
  }
}

void ExportJobs::CleanUp() {
  const base::Time now = clock_->Now();
  std::vector<std::thread> ended;
  {
    std::lock_guard lock(mu_);
    for (auto it = jobs_.begin(); it != jobs_.end();) {
      Job& job = *it->second;
      // An ended job's thread has only to return: taken out under the lock
      // (so that it is joined once) and joined outside it.
      if (job.status.state != "running" && job.thread.joinable()) {
        ended.push_back(std::move(job.thread));
      }
      if (job.status.state != "running" && job.status.expires <= now) {
        fs_->RemoveFile(ZipPath(it->first)).IgnoreError();
        it = jobs_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (std::thread& t : ended) t.join();
}

Result<std::shared_ptr<ExportJobs::Job>> ExportJobs::Find(const std::string& id,
                                                          const workflow::User& user) {
  RETURN_IF_ERROR(workflow::MayExportEvidence(user));
  CleanUp();
  std::lock_guard lock(mu_);
  const auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->status.owner != user.login) {
    return Status::NotFound(
        "その証跡出力はありません（保存期間を過ぎて削除されたか、サーバーが再起動しました）");
  }
  return it->second;
}

ExportJobStatus ExportJobs::Snapshot(const Job& job) {
  ExportJobStatus s;
  {
    std::lock_guard lock(mu_);
    s = job.status;
  }
  if (s.state == "running") {
    auto info = fs_->Stat(ZipPath(s.id) + ".partial");
    s.bytes = info.ok() ? info->size : 0;
  }
  return s;
}

Result<ExportJobStatus> ExportJobs::Get(const std::string& id, const workflow::User& user) {
  ASSIGN_OR_RETURN(auto job, Find(id, user));
  return Snapshot(*job);
}

Result<std::vector<ExportJobStatus>> ExportJobs::List(const workflow::User& user) {
  RETURN_IF_ERROR(workflow::MayExportEvidence(user));
  CleanUp();
  std::vector<std::shared_ptr<Job>> mine;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, job] : jobs_) {
      if (job->status.owner == user.login) mine.push_back(job);
    }
  }
  std::vector<ExportJobStatus> out;
  for (const auto& job : mine) out.push_back(Snapshot(*job));
  std::sort(out.begin(), out.end(), [](const ExportJobStatus& a, const ExportJobStatus& b) {
    return a.started != b.started ? a.started > b.started : a.id > b.id;
  });
  return out;
}

Result<ExportJobStatus> ExportJobs::Cancel(const std::string& id, const workflow::User& user) {
  ASSIGN_OR_RETURN(auto job, Find(id, user));
  std::thread ended;
  {
    std::lock_guard lock(mu_);
    if (job->status.state == "running") {
      job->cancel = true;
      return ExportJobStatus(job->status);
    }
    jobs_.erase(id);
    ended = std::move(job->thread);
  }
  if (ended.joinable()) ended.join();
  fs_->RemoveFile(ZipPath(id)).IgnoreError();
  return Snapshot(*job);
}

Result<ExportDownload> ExportJobs::Download(const std::string& id, const workflow::User& user) {
  ASSIGN_OR_RETURN(auto job, Find(id, user));
  const ExportJobStatus s = Snapshot(*job);
  if (s.state == "running") {
    return Status::FailedPrecondition("証跡出力はまだ終わっていません。終わってからダウンロードしてください");
  }
  if (s.state != "done") {
    return Status::FailedPrecondition("この証跡出力は完了しなかったため、ダウンロードできるファイルはありません");
  }
  return ExportDownload{ZipPath(id), s.file_name, s.ascii_file_name, s.bytes};
}

}  // namespace compliance
