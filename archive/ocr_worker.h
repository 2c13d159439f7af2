// OcrWorker: OCR of scans in the background, so that no ingest waits for
// Tesseract (issue 15). One thread, at the lowest CPU priority (nice 19,
// which Tesseract's own threads inherit), reads one scan at a time:
//   - the scans handed to Enqueue after their ingest committed (a bounded
//     queue; Enqueue never blocks and never reads anything);
//   - when the queue is empty, the backlog: every scan (search format
//     "scan", newest receipt first) without a proposal or a recorded
//     failure, a page of the search at a time — on Start, and again after
//     the queue overflowed, so that a scan dropped from a full queue is
//     still read.
// Each result is stored through OcrStore: a proposal (ocr.proposed), or a
// failure (ocr.failed) that the worker never retries (`kura ocr` may).
//
// Reading is injected (app/ wires ocr::ReadScan and ocr::ReadInvoice, with
// the per-page time cap of ocr::EngineOptions), so that the archive links
// no OCR library and tests can hold a reading open.
//
// Priority inversion: the worker's own store write may lead a group of the
// ledger's writer queue; at nice 19 it still gets a share of the CPU (unlike
// SCHED_IDLE, which an unprivileged thread cannot leave again), so such a
// write is delayed, never starved.
//
// Thread safety: Enqueue, StateOf, Stop and WaitIdle may be called from any
// thread; the reader runs on the worker's thread only.
#ifndef ARCHIVE_OCR_WORKER_H_
#define ARCHIVE_OCR_WORKER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/ocr_store.h"
#include "base/result.h"
#include "base/time.h"

namespace archive {

/// Reads a scan's original: the record for OcrStore::Put ({"proposal",
/// "confidence", "regions", "scan", "engine", ...}), or why it could not
/// (Japanese). Called on the worker's thread, one document at a time, with
/// the worker's cancel flag (the same for every call, living as long as the
/// worker): it should stop early (Aborted) once the flag is true.
using OcrReader = std::function<base::Result<nlohmann::json>(
    std::string_view id, std::string_view original, const std::atomic<bool>* cancelled)>;

struct OcrWorkerOptions {
  size_t max_queue = 1000;            ///< Enqueue beyond this drops (backlog again)
  std::string actor = "ocr:background";  ///< "by" of what the worker stores
  bool backlog = true;                ///< pass over the unread scans on Start
  bool low_priority = true;           ///< nice 19 for the worker's thread
  uint32_t backlog_page = 100;        ///< documents per search page
  /// Called on the worker's thread after each document it read (OK: a
  /// proposal stored; else the failure it recorded): for the log.
  std::function<void(std::string_view id, const base::Status& result)> on_read;
};

/// Where a document's OCR stands, as GET /api/v1/documents/{id}/ocr says.
enum class OcrState {
  kWaiting,  ///< not read yet (queued, in the backlog, or no worker runs)
  kReading,  ///< the worker is reading it now
  kDone,     ///< a proposal is stored
  kFailed,   ///< a failure is recorded
};
/// "waiting", "reading", "done", "failed".
std::string_view OcrStateName(OcrState state);

struct OcrWorkerStats {
  uint64_t read = 0;     ///< proposals stored
  uint64_t failed = 0;   ///< failures recorded
  uint64_t skipped = 0;  ///< not a scan, or already read
  uint64_t dropped = 0;  ///< Enqueue on a full queue
};

class OcrWorker {
 public:
  /// archive, store and clock must outlive the worker.
  OcrWorker(Archive* archive, OcrStore* store, OcrReader reader, const base::Clock* clock,
            OcrWorkerOptions options = {});
  /// Stop().
  ~OcrWorker();
  OcrWorker(const OcrWorker&) = delete;
  OcrWorker& operator=(const OcrWorker&) = delete;

  /// Starts the thread (and the backlog pass, if options.backlog). Once.
  void Start();
  /// Hands over a document whose ingest has committed. Returns at once;
  /// false if the worker is stopped or the queue is full (the document is
  /// then read by a backlog pass after the queue drains). Ids already queued
  /// are not queued twice.
  bool Enqueue(std::string_view id);
  /// Cancels the reading in progress (nothing is recorded for it), drops
  /// the queue (the next start's backlog pass reads those scans) and joins
  /// the thread. Idempotent.
  void Stop();
  /// Where document id's OCR stands (the store first, then the worker).
  OcrState StateOf(std::string_view id) const;
  /// Blocks until the queue and the backlog are empty and nothing is being
  /// read (tests, benchmarks). Returns at once once stopped.
  void WaitIdle();
  OcrWorkerStats stats() const;

 private:
  void Loop();
  // The next document to read (queue first, then the backlog, fetching its
  // next page unlocked); nullopt when stopping or there is nothing. Waits
  // while there is nothing to do.
  std::optional<std::string> Next(std::unique_lock<std::mutex>& lock);
  // Adds the unread scans of the next search page to backlog_; false when
  // there is no page after it.
  bool FetchBacklogPage(std::unique_lock<std::mutex>& lock);
  void Process(const std::string& id);

  Archive* const archive_;
  OcrStore* const store_;
  const OcrReader reader_;
  const base::Clock* const clock_;
  const OcrWorkerOptions options_;

  mutable std::mutex mu_;
  std::condition_variable wake_;  // work arrived, or stopping
  std::condition_variable idle_;  // the worker ran out of work
  std::deque<std::string> queue_;     // guarded by mu_
  std::set<std::string> queued_;      // guarded by mu_: ids in queue_
  std::deque<std::string> backlog_;   // guarded by mu_: this page's ids
  bool backlog_active_ = false;       // guarded by mu_: pages left to fetch
  std::string backlog_after_;         // guarded by mu_: the search cursor
  bool rescan_ = false;               // guarded by mu_: overflow since the pass began
  std::string reading_;               // guarded by mu_: "" when idle
  bool stopping_ = false;             // guarded by mu_
  bool started_ = false;              // guarded by mu_
  OcrWorkerStats stats_;              // guarded by mu_
  std::atomic<bool> cancelled_{false};
  std::thread thread_;
};

}  // namespace archive

#endif  // ARCHIVE_OCR_WORKER_H_
