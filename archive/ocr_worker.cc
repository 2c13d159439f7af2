#include "archive/ocr_worker.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <utility>

#include "archive/search.h"

namespace archive {

using base::Status;

std::string_view OcrStateName(OcrState state) {
  switch (state) {
    case OcrState::kWaiting:
      return "waiting";
    case OcrState::kReading:
      return "reading";
    case OcrState::kDone:
      return "done";
    case OcrState::kFailed:
      return "failed";
  }
  return "waiting";
}

OcrWorker::OcrWorker(Archive* archive, OcrStore* store, OcrReader reader,
                     const base::Clock* clock, OcrWorkerOptions options)
    : archive_(archive),
      store_(store),
      reader_(std::move(reader)),
      clock_(clock),
      options_(std::move(options)) {}

OcrWorker::~OcrWorker() { Stop(); }

void OcrWorker::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || stopping_) return;
  started_ = true;
  backlog_active_ = options_.backlog;
  thread_ = std::thread([this] { Loop(); });
}

bool OcrWorker::Enqueue(std::string_view id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return false;
    if (queued_.count(std::string(id)) > 0) return true;
    if (queue_.size() >= options_.max_queue) {
      ++stats_.dropped;
      rescan_ = true;  // a backlog pass after the queue drains reads it
      return false;
    }
    queue_.emplace_back(id);
    queued_.emplace(id);
  }
  wake_.notify_one();
  return true;
}

void OcrWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
    queued_.clear();
    backlog_.clear();
    backlog_active_ = false;
  }
  cancelled_ = true;
  wake_.notify_all();
  idle_.notify_all();
  if (thread_.joinable()) thread_.join();
}

OcrState OcrWorker::StateOf(std::string_view id) const {
  if (store_->Get(id).ok()) return OcrState::kDone;
  if (store_->GetFailure(id).ok()) return OcrState::kFailed;
  std::lock_guard<std::mutex> lock(mu_);
  return reading_ == id ? OcrState::kReading : OcrState::kWaiting;
}

void OcrWorker::WaitIdle() {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] {
    return stopping_ || !started_ ||
           (queue_.empty() && backlog_.empty() && !backlog_active_ && !rescan_ &&
            reading_.empty());
  });
}

OcrWorkerStats OcrWorker::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void OcrWorker::Loop() {
  if (options_.low_priority) {
    // Per thread on Linux (the thread id); Tesseract's threads inherit it.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19);
  }
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    std::optional<std::string> id = Next(lock);
    if (!id) return;
    reading_ = *id;
    lock.unlock();
    Process(*id);
    lock.lock();
    reading_.clear();
  }
}

std::optional<std::string> OcrWorker::Next(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    if (stopping_) return std::nullopt;
    if (!queue_.empty()) {
      std::string id = std::move(queue_.front());
      queue_.pop_front();
      queued_.erase(id);
      return id;
    }
    if (!backlog_.empty()) {
      std::string id = std::move(backlog_.front());
      backlog_.pop_front();
      return id;
    }
    if (backlog_active_) {
      if (!FetchBacklogPage(lock)) backlog_active_ = false;
      continue;
    }
    if (rescan_) {
      rescan_ = false;
      backlog_active_ = true;
      backlog_after_.clear();
      continue;
    }
    idle_.notify_all();
    wake_.wait(lock, [&] { return stopping_ || !queue_.empty() || rescan_; });
  }
}

bool OcrWorker::FetchBacklogPage(std::unique_lock<std::mutex>& lock) {
  SearchQuery q;
  q.format = "scan";
  q.sort = SearchSort::kReceived;
  q.limit = options_.backlog_page;
  q.count = false;
  q.after = backlog_after_;
  lock.unlock();
  auto page = archive_->Search(q);
  std::deque<std::string> unread;
  if (page.ok()) {
    for (const SearchItem& item : page->items) {
      if (store_->Get(item.id).ok() || store_->GetFailure(item.id).ok()) continue;
      unread.push_back(item.id);
    }
  }
  lock.lock();
  if (!page.ok()) {
    if (options_.on_read) options_.on_read("", page.status());
    return false;
  }
  for (std::string& id : unread) backlog_.push_back(std::move(id));
  if (!page->next) return false;  // this page's ids are still read
  backlog_after_ = *page->next;
  return true;
}

void OcrWorker::Process(const std::string& id) {
  auto skip = [&] {
    std::lock_guard<std::mutex> lock(mu_);
    ++stats_.skipped;
  };
  if (store_->Get(id).ok() || store_->GetFailure(id).ok()) return skip();
  auto view = archive_->Get(id);
  if (!view.ok() || view->disposed || view->versions.empty() ||
      view->versions.back().fields.format != "scan") {
    return skip();
  }
  auto original = archive_->ReadOriginal(id);
  base::Result<nlohmann::json> record =
      original.ok() ? reader_(id, *original, &cancelled_)
                    : base::Result<nlohmann::json>(original.status());
  if (cancelled_) return;  // shutting down: the next start reads it again
  Status stored = record.ok() ? store_->Put(id, std::move(*record), options_.actor, clock_->Now())
                              : record.status();
  if (!stored.ok()) {
    const Status put_failure =
        store_->PutFailure(id, stored.message(), options_.actor, clock_->Now());
    if (!put_failure.ok()) stored = put_failure;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++(stored.ok() ? stats_.read : stats_.failed);
  }
  if (options_.on_read) options_.on_read(id, stored);
}

}  // namespace archive
