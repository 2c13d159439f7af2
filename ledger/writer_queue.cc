// Ledger::Write: the writer queue, after leveldb's DBImpl::Write and
// BuildBatchGroup (db/db_impl.cc). Each caller queues; the one at the front
// leads a group of the writers behind it through one round of blob syncs and
// one LMDB commit, each writer in a nested transaction of its own; the
// others sleep until the leader hands them their result.
#include <algorithm>
#include <chrono>
#include <exception>

#include "ledger/internal/ledger_rep.h"
#include "ledger/internal/write_set.h"

namespace ledger {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// Most writers a group takes: bounds a group's transaction and the time the
// last of them waits for the first.
constexpr size_t kMaxGroup = 128;

// True while this thread leads a group: a Write from inside a write
// function would wait for itself.
thread_local bool t_leading = false;

}  // namespace

Status Ledger::Write(const WriteFn& fn, const WriteOptions& options) {
  if (rep_->options.read_only) {
    return Status::FailedPrecondition(
        "データディレクトリが読み取り専用で開かれているため書き込めません");
  }
  if (t_leading) {
    return Status::FailedPrecondition(
        "台帳への書き込みの中で、さらに書き込もうとしました（プログラムの誤りです）");
  }
  QueuedWriter w;
  w.fn = &fn;
  w.options = options;
  std::unique_lock<std::mutex> l(rep_->queue_mu);
  rep_->writers.push_back(&w);
  rep_->gather_cv.notify_one();
  while (!w.done && &w != rep_->writers.front()) w.cv.wait(l);
  if (w.done) return w.status;

  // This writer leads: take the writers queued behind it.
  rep_->Gather(l);
  const auto started = std::chrono::steady_clock::now();
  std::vector<QueuedWriter*> group;
  for (QueuedWriter* q : rep_->writers) {
    if (group.size() == kMaxGroup) break;
    group.push_back(q);
  }
  l.unlock();
  t_leading = true;
  rep_->RunGroup(group);
  t_leading = false;
  l.lock();
  ++rep_->groups_done;
  rep_->writes_done += group.size();
  rep_->last_group_size = group.size();
  rep_->last_group_time = std::chrono::steady_clock::now() - started;
  for (QueuedWriter* q : group) {
    rep_->writers.pop_front();
    if (q != &w) {
      q->done = true;
      q->cv.notify_one();
    }
  }
  if (!rep_->writers.empty()) rep_->writers.front()->cv.notify_one();
  return w.status;
}

void Ledger::Rep::Gather(std::unique_lock<std::mutex>& l) {
  // A leader with fewer writers behind it than the last group had waits a
  // moment for the others, which are on their way (PostgreSQL's
  // commit_delay and commit_siblings): they share this commit instead of
  // queueing for the next. A writer alone (last group of one) never waits;
  // the wait is at most half the last group's time, and 5 ms.
  if (last_group_size <= 1 || writers.size() >= last_group_size) return;
  const auto wait = std::min<std::chrono::steady_clock::duration>(last_group_time / 2,
                                                                 std::chrono::milliseconds(5));
  gather_cv.wait_for(l, wait, [&] { return writers.size() >= last_group_size; });
}

WriteStats Ledger::write_stats() const {
  std::lock_guard<std::mutex> l(rep_->queue_mu);
  return WriteStats{rep_->writes_done, rep_->groups_done, rep_->writers.size()};
}

void Ledger::Rep::RunGroup(const std::vector<QueuedWriter*>& group) {
  // 1. The originals of every writer, durable in one round of syncs.
  std::vector<storage::BlobStore::Batch*> batches;
  for (QueuedWriter* w : group) {
    storage::BlobStore::Batch* b = w->options.blobs;
    if (b != nullptr && !b->empty() && b->store() != nullptr) batches.push_back(b);
  }
  const Status blobs = batches.empty() ? Status::OK() : batches[0]->store()->Publish(batches);

  // 2. One transaction; each writer nested in it, failing on its own. The
  // callback may run again (map growth), so it starts afresh each time.
  uint64_t log_size = 0;
  const Status commit = env->Write([&](storage::WriteTxn& txn) -> Status {
    for (QueuedWriter* w : group) {
      const bool has_blobs = w->options.blobs != nullptr && !w->options.blobs->empty();
      if (has_blobs && !blobs.ok()) {
        w->status = blobs;
        continue;
      }
      w->status = txn.Nested([&](storage::WriteTxn& child) { return RunWriter(child, *w); });
    }
    ASSIGN_OR_RETURN(log_size, log->Size(txn));
    return Status::OK();
  });
  for (QueuedWriter* w : group) {
    if (!commit.ok() && w->status.ok()) w->status = commit;
  }

  // 3. The intents of committed originals go; those of failed writers stay
  // for Recover (their objects are named by no record).
  for (QueuedWriter* w : group) {
    if (w->status.ok() && w->options.blobs != nullptr && w->options.blobs->store() != nullptr) {
      w->options.blobs->store()->Finish(*w->options.blobs);
    }
  }
  if (commit.ok()) Committed(log_size);
}

Status Ledger::Rep::RunWriter(storage::WriteTxn& txn, QueuedWriter& w) {
  ASSIGN_OR_RETURN(const uint64_t first_index, log->Size(txn));
  std::vector<json> events;
  WriteSet writes;
  const AppendEvent append(first_index, &events, &owners, w.options.owner);
  const storage::WriteTxn::Observer observer = [&](const storage::Table& table,
                                                   std::string_view key,
                                                   std::optional<std::string_view> value) {
    std::shared_lock<std::shared_mutex> l(tables_mu);
    if (replayed.count(table.name) == 0 && !IsDerivedTableName(table.name)) {
      writes.Record(table.name, key, value);
    }
  };
  txn.SetObserver(&observer);
  Status s;
  // The function is the caller's code running on this thread: whatever it
  // throws (a bug) fails its own write, not the group or the process.
  try {
    s = (*w.fn)(txn, append);
  } catch (const std::exception& e) {
    s = Status::Internal(std::string("書き込み処理で例外が発生しました: ") + e.what());
  } catch (...) {
    s = Status::Internal("書き込み処理で例外が発生しました");
  }
  txn.SetObserver(nullptr);
  RETURN_IF_ERROR(s);
  if (!writes.empty() && events.empty()) {
    return Status::FailedPrecondition(
        "イベントを伴わない変更です。台帳への書き込みには、その変更を記録するイベントが必要です（プ"
        "ログラムの誤りです）");
  }
  if (!writes.empty()) events.back()["writes"] = writes.ToJson();
  for (const json& e : events) RETURN_IF_ERROR(log->Append(txn, e).status());
  // An original staged before the group may have been removed since by a
  // Recover of another process (a dead writer's orphan with the same
  // bytes); inside the transaction that cannot happen any more.
  if (w.options.blobs != nullptr && w.options.blobs->store() != nullptr) {
    for (const std::string& hex : w.options.blobs->digests()) {
      ASSIGN_OR_RETURN(const bool present, w.options.blobs->store()->Contains(hex));
      if (!present) {
        return Status::Unavailable("原本 " + hex +
                                   " が保存の途中で削除されました。もう一度送信してください");
      }
    }
  }
  return Status::OK();
}

}  // namespace ledger
