// ExportJobs: evidence exports (証跡出力, compliance/export.h) made for the
// screens, as background jobs of the server: a compliance officer starts
// one with the filters of a search, polls its progress (phase, documents
// done of all, bytes written), may cancel it, and downloads the ZIP when it
// is done.
//
// Bounds: one running export per user; at most max_documents documents and
// max_original_bytes of originals per export (ResourceExhausted, with a
// Japanese message telling to narrow the search); a finished ZIP is kept
// `keep` after it finished, then removed with its job by the next call
// (every call cleans up first). Jobs live in memory: the files of an
// earlier server process are removed when the next one starts (nobody
// could download them any more).
//
// Files: <dir>/<job id>.zip, written as <job id>.zip.partial until done
// (the ZIP sink's own temporary name).
//
// Who may: workflow::MayExportEvidence (compliance officers). Each job is
// its starter's own: another user's job is NotFound to them.
//
// Thread safety: every method is safe for concurrent use. Each running
// job has its own thread, which reads the archive through read snapshots;
// the destructor cancels the running jobs and waits for them.
#ifndef COMPLIANCE_EXPORT_JOBS_H_
#define COMPLIANCE_EXPORT_JOBS_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/search.h"
#include "base/file_system.h"
#include "base/result.h"
#include "base/time.h"
#include "compliance/export.h"
#include "workflow/organization.h"

namespace compliance {

struct ExportJobsOptions {
  /// Where the ZIP files go (the data directory's exports/); created on
  /// first use.
  std::string dir;
  /// bag-info.txt Source-Organization.
  std::string organization = "kura";
  uint64_t max_documents = 20'000;
  uint64_t max_original_bytes = uint64_t{4} << 30;
  std::chrono::seconds keep = std::chrono::hours(24);
  /// report.pdf's font (ExportOptions::font_file); empty keeps its default.
  std::string font_file;
  /// If set, called on a job's thread before it begins (tests hold a job
  /// running with it).
  std::function<void(const std::string& id)> before_run;
};

struct ExportJobStatus {
  std::string id;
  std::string owner;  ///< login of who started it
  /// "running", "done", "failed" or "cancelled".
  std::string state;
  /// What it does now: "checkpoint", "search", "originals", "finish",
  /// "report", "sync", and "done" at the end (ExportOptions::progress).
  std::string phase;
  uint64_t documents_done = 0;
  uint64_t documents_total = 0;  ///< the search's count when started
  uint64_t bytes = 0;            ///< of the ZIP, written so far
  /// The search's filters as given (API parameter names and values).
  std::vector<std::pair<std::string, std::string>> query;
  base::Time started{};
  base::Time finished{};  ///< when not running
  base::Time expires{};   ///< when not running: the file is removed then
  std::string error;      ///< "failed": what went wrong (Japanese)
  /// The download's name: "証跡出力_20261203-1930.zip" (JST), and a
  /// plain ASCII one for old clients.
  std::string file_name, ascii_file_name;
  uint64_t missing_originals = 0;  ///< "done"
};

/// {"id", "state", "phase", "documents_done", "documents_total", "bytes",
///  "query": {name: value}, "started_at", "finished_at", "expires_at",
///  "error", "file_name", "missing_originals"}; times RFC 3339, null while
///  running.
nlohmann::json ToJson(const ExportJobStatus& job);

/// Where a finished export is.
struct ExportDownload {
  std::string path;
  std::string file_name, ascii_file_name;
  uint64_t size = 0;
};

class ExportJobs {
 public:
  /// archive, fs and clock must outlive this. Removes what an earlier
  /// process left in options.dir.
  ExportJobs(archive::Archive* archive, base::FileSystem* fs, const base::Clock* clock,
             ExportJobsOptions options);
  ~ExportJobs();
  ExportJobs(const ExportJobs&) = delete;
  ExportJobs& operator=(const ExportJobs&) = delete;

  /// Starts exporting what query finds (already confined to what user may
  /// read; its paging is ignored). params are the filters as given, kept
  /// for the status and bag-info.txt. Errors: PermissionDenied
  /// (MayExportEvidence); FailedPrecondition if user has an export running
  /// or the search finds nothing; ResourceExhausted over max_documents
  /// (max_original_bytes is checked by the job, which then fails with that
  /// message); InvalidArgument from the search; IOError for the folder.
  base::Result<ExportJobStatus> Start(const workflow::User& user, archive::SearchQuery query,
                                      std::vector<std::pair<std::string, std::string>> params);
  /// NotFound for an unknown, expired or another user's job.
  base::Result<ExportJobStatus> Get(const std::string& id, const workflow::User& user);
  /// user's jobs, newest first.
  base::Result<std::vector<ExportJobStatus>> List(const workflow::User& user);
  /// Cancels a running job (it ends "cancelled" shortly after; the status
  /// returned may still say "running"), or removes a finished one and its
  /// file (then the status is its last). NotFound as Get.
  base::Result<ExportJobStatus> Cancel(const std::string& id, const workflow::User& user);
  /// The ZIP of a "done" job. FailedPrecondition if it is not done (yet);
  /// NotFound as Get.
  base::Result<ExportDownload> Download(const std::string& id, const workflow::User& user);

 private:
  struct Job;
  void Run(const std::shared_ptr<Job>& job, archive::SearchQuery query);
  void Finish(Job& job, const base::Result<ExportSummary>& result);
  /// Removes expired jobs and their files; joins the threads of ended ones.
  void CleanUp();
  base::Result<std::shared_ptr<Job>> Find(const std::string& id, const workflow::User& user);
  ExportJobStatus Snapshot(const Job& job);
  std::string ZipPath(const std::string& id) const;

  archive::Archive* const archive_;
  base::FileSystem* const fs_;
  const base::Clock* const clock_;
  const ExportJobsOptions options_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;  // guarded by mu_
};

}  // namespace compliance

#endif  // COMPLIANCE_EXPORT_JOBS_H_
