// Ledger::Write: the writer queue, after leveldb's DBImpl::Write and
// BuildBatchGroup (db/db_impl.cc). Each caller queues; the one at the front
// leads a group of the writers behind it through one round of blob syncs and
// one LMDB commit (each writer nested only if one of them fails); the
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

// RunTxn's word that a writer failed in the shared transaction: run the
// group again, nested.
constexpr char kRunNested[] = "a writer failed: run the group nested";

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
  const uint64_t txnid = rep_->RunGroup(group);
  t_leading = false;
  l.lock();
  ++rep_->groups_done;
  rep_->writes_done += group.size();
  rep_->last_group_size = group.size();
  rep_->last_group_time = std::chrono::steady_clock::now() - started;
  for (size_t i = 0; i < group.size(); ++i) rep_->writers.pop_front();
  rep_->Settle(l, std::move(group), txnid);
  if (!rep_->writers.empty()) rep_->writers.front()->cv.notify_one();
  while (!w.done) w.cv.wait(l);
  return w.status;
}

void Ledger::Rep::Settle(std::unique_lock<std::mutex>& l, std::vector<QueuedWriter*> group,
                         uint64_t txnid) {
  if (txnid != 0) {
    pending.push_back(PendingGroup{std::move(group), txnid});
  } else {
    pending.push_front(PendingGroup{std::move(group), 0});  // nothing to flush
  }
  // A commit with a larger id flushed the data file after the meta pages of
  // all smaller ones were written (LMDB: fdatasync, then the meta page).
  const uint64_t latest = env->LastCommitted();
  const size_t before = pending.size();
  Acknowledge(l, latest == 0 ? 0 : latest - 1, Status::OK());
  carried += before - pending.size() - (txnid == 0 ? 1 : 0);
  if (pending.empty() || !writers.empty()) return;
  // Nobody is queued whose commit would carry the meta page to disk: flush
  // it now. Writers arriving meanwhile lead their own group.
  const uint64_t last = env->LastCommitted();
  l.unlock();
  const Result<uint64_t> synced = env->Sync();
  l.lock();
  ++flushes;
  if (synced.ok()) {
    Acknowledge(l, *synced, Status::OK());
  } else {
    Acknowledge(l, last, synced.status().WithContext("書き込みを確定できません"));
  }
}

void Ledger::Rep::Acknowledge(std::unique_lock<std::mutex>& l, uint64_t through,
                              const Status& status) {
  (void)l;
  while (!pending.empty() && pending.front().txnid <= through) {
    for (QueuedWriter* q : pending.front().writers) {
      if (!status.ok() && q->status.ok()) q->status = status;
      // The intents of durable originals go; those of failed writers stay
      // for Recover (their objects are named by no record).
      storage::BlobStore::Batch* b = q->options.blobs;
      if (q->status.ok() && b != nullptr && b->store() != nullptr) b->store()->Finish(*b);
      q->done = true;
      q->cv.notify_one();
    }
    pending.pop_front();
  }
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
  return WriteStats{rep_->writes_done, rep_->groups_done, rep_->writers.size(), rep_->carried,
                    rep_->flushes, rep_->reruns};
}

uint64_t Ledger::Rep::RunGroup(const std::vector<QueuedWriter*>& group) {
  // 1. The originals of every writer, durable in one round of syncs.
  std::vector<storage::BlobStore::Batch*> batches;
  for (QueuedWriter* w : group) {
    storage::BlobStore::Batch* b = w->options.blobs;
    if (b != nullptr && !b->empty() && b->store() != nullptr) batches.push_back(b);
  }
  const Status blobs = batches.empty() ? Status::OK() : batches[0]->store()->Publish(batches);

  // 2. One transaction. First every writer straight in it: a nested LMDB
  // transaction per writer costs a dirty-page list allocated, copied and
  // merged each time, which was the writer queue's largest cost of its own
  // (issue 11). If a writer fails, its partial changes must not reach the
  // commit: that transaction is dropped and the group runs again with each
  // writer nested, failing on its own. A writer alone needs no nesting:
  // its failure is the transaction's.
  uint64_t txnid = 0;
  uint64_t log_size = 0;
  Status commit = RunTxn(group, blobs, /*nested=*/false, &log_size, &txnid);
  if (commit.code() == Status::Code::kAborted && commit.message() == kRunNested) {
    ++reruns;
    commit = RunTxn(group, blobs, /*nested=*/true, &log_size, &txnid);
  }
  for (QueuedWriter* w : group) {
    if (!commit.ok() && w->status.ok()) w->status = commit;
  }

  if (commit.ok()) Committed(log_size);
  return commit.ok() ? txnid : 0;
}

Status Ledger::Rep::RunTxn(const std::vector<QueuedWriter*>& group, const Status& blobs,
                           bool nested, uint64_t* log_size, uint64_t* txnid) {
  // The callback may run again (map growth), so it starts afresh each time.
  return env->WriteDeferred([&](storage::WriteTxn& txn) -> Status {
    for (QueuedWriter* w : group) {
      const bool has_blobs = w->options.blobs != nullptr && !w->options.blobs->empty();
      if (has_blobs && !blobs.ok()) {
        w->status = blobs;
        continue;
      }
      if (nested) {
        w->status = txn.Nested([&](storage::WriteTxn& child) { return RunWriter(child, *w); });
        continue;
      }
      w->status = RunWriter(txn, *w);
      if (!w->status.ok()) {
        return group.size() == 1 ? w->status : Status::Aborted(kRunNested);
      }
    }
    ASSIGN_OR_RETURN(*log_size, log->Size(txn));
    return Status::OK();
  }, txnid);
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
