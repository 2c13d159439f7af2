// The checkpoint publisher: signs the log's root as a C2SP checkpoint every
// N uncovered events or T seconds (kura.toml [checkpoints]), and on clean
// shutdown, then time-stamps it — outside the writer queue, so that no
// writer waits for a TSA.
#include <spdlog/spdlog.h>

#include "base/status_text.h"
#include "ledger/internal/ledger_rep.h"
#include "signing/checkpoint.h"

namespace ledger {

using base::Result;
using base::Status;
using signing::Digest;

namespace {

// What to sign: the log's size and root now, after proving that they extend
// the latest stored checkpoint (a log must never sign two inconsistent
// checkpoints). size 0 or already covered: nothing to sign.
struct Unsigned {
  uint64_t size = 0;
  Digest root;
  uint64_t covered = 0;
};

Result<Unsigned> NextCheckpoint(const Ledger::Rep& rep) {
  Unsigned u;
  RETURN_IF_ERROR(rep.env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const signing::CompactRange range, rep.log->Frontier(txn));
    u.size = range.size();
    u.root = range.Root();
    auto latest = rep.checkpoints->Latest(txn);
    if (!latest.ok()) return latest.status().IsNotFound() ? Status::OK() : latest.status();
    ASSIGN_OR_RETURN(const signing::Checkpoint previous,
                     signing::VerifyCheckpoint(latest->note, *rep.verifier, rep.keys.origin));
    u.covered = previous.size;
    if (previous.size > u.size) {
      return Status::Corruption(
          "台帳のイベントは " + std::to_string(u.size) +
          " 件ですが、署名済みのチェックポイントは " + std::to_string(previous.size) +
          " 件分です。イベントが削除されています（台帳が改ざんされた可能性があります）");
    }
    if (previous.size == u.size) return Status::OK();
    ASSIGN_OR_RETURN(const auto proof, rep.log->ConsistencyProof(txn, previous.size, u.size));
    const Status consistent =
        signing::VerifyConsistency(previous.size, u.size, previous.root, u.root, proof);
    if (!consistent.ok()) {
      return Status::Corruption("チェックポイント " + std::to_string(u.size) +
                                " に署名しません: 署名済みのチェックポイント " +
                                std::to_string(previous.size) +
                                " の続きになっていません（台帳が改ざんされた可能性があります。" +
                                consistent.message() + "）");
    }
    return Status::OK();
  }));
  return u;
}

}  // namespace

Status Ledger::PublishCheckpoint() {
  if (rep_->options.read_only) {
    return Status::FailedPrecondition(
        "データディレクトリが読み取り専用で開かれているため、チェックポイントを公開できません");
  }
  std::lock_guard<std::mutex> one_at_a_time(rep_->publish_mu);
  ASSIGN_OR_RETURN(const Unsigned u, NextCheckpoint(*rep_));
  if (u.size == 0 || u.covered >= u.size) return Status::OK();
  ASSIGN_OR_RETURN(const std::string note,
                   signing::SignCheckpoint(
                       signing::Checkpoint{rep_->keys.origin, u.size, u.root, {}}, *rep_->signer));
  const base::Time now = rep_->clock->Now();
  bool stored = false;
  RETURN_IF_ERROR(rep_->env->Write([&](storage::WriteTxn& txn) -> Status {
    // Another process may have published this size (or a larger) meanwhile.
    auto latest = rep_->checkpoints->Latest(txn);
    if (latest.ok() && latest->size >= u.size) return Status::OK();
    StoredCheckpoint c;
    c.size = u.size;
    c.note = note;
    c.created_at = now;
    stored = true;
    return rep_->checkpoints->Put(txn, c);
  }));
  if (!stored) return Status::OK();
  // Stored first, stamped after: a TSA that is down delays only the token.
  // A checkpoint whose stamp failed stays without one; the next is stamped.
  auto stamp = rep_->stamper->StampDigest(signing::Sha256(note), now);
  if (!stamp.ok()) {
    return stamp.status().WithContext("チェックポイント " + std::to_string(u.size) +
                                      " のタイムスタンプを取得できません");
  }
  return rep_->env->Write([&](storage::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const std::string tsr, PutResponse(txn, stamp->response_der));
    return rep_->checkpoints->AttachToken(txn, u.size, tsr);
  });
}

Status Ledger::PublishDue() {
  if (rep_->options.read_only) return Status::OK();
  uint64_t size = 0, covered = 0;
  RETURN_IF_ERROR(rep_->env->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(size, rep_->log->Size(txn));
    auto latest = rep_->checkpoints->Latest(txn);
    if (latest.ok()) covered = latest->size;
    return latest.ok() || latest.status().IsNotFound() ? Status::OK() : latest.status();
  }));
  const base::Time now = rep_->clock->Now();
  bool due = false;
  {
    std::lock_guard<std::mutex> l(rep_->schedule_mu);
    rep_->covered_hint = std::max(rep_->covered_hint, covered);
    if (size <= covered) {
      rep_->uncovered_since.reset();
      return Status::OK();
    }
    if (!rep_->uncovered_since) rep_->uncovered_since = now;
    const CheckpointOptions& c = rep_->options.checkpoints;
    due = size - covered >= c.every_events || now - *rep_->uncovered_since >= c.every;
  }
  if (!due) return Status::OK();
  const Status s = PublishCheckpoint();
  std::lock_guard<std::mutex> l(rep_->schedule_mu);
  rep_->uncovered_since.reset();
  return s;
}

void Ledger::Rep::Committed(uint64_t log_size) {
  std::lock_guard<std::mutex> l(schedule_mu);
  // Wake the publisher when the count alone makes a checkpoint due; the
  // time rule it checks on its own.
  if (log_size >= covered_hint + options.checkpoints.every_events) {
    covered_hint = log_size;  // one kick per batch of events
    kick = true;
    schedule_cv.notify_one();
  }
}

void Ledger::Rep::StartPublisher(Ledger* ledger) {
  publisher = std::thread([this, ledger] { PublisherLoop(ledger); });
}

void Ledger::Rep::StopPublisher() {
  {
    std::lock_guard<std::mutex> l(schedule_mu);
    stopping = true;
  }
  schedule_cv.notify_one();
  if (publisher.joinable()) publisher.join();
}

void Ledger::Rep::PublisherLoop(Ledger* ledger) {
  // Wakes when kicked and otherwise polls, so that events of other
  // processes and the time rule are seen too.
  const auto poll =
      std::min<std::chrono::milliseconds>(options.checkpoints.every, std::chrono::seconds(1));
  std::unique_lock<std::mutex> l(schedule_mu);
  while (!stopping) {
    schedule_cv.wait_for(l, poll, [&] { return stopping || kick; });
    if (stopping) break;
    kick = false;
    l.unlock();
    const Status s = ledger->PublishDue();
    if (!s.ok()) {
      spdlog::warn("チェックポイントを公開できませんでした: {}: {}",
                   base::JapaneseSummary(s.code()), s.message());
    }
    l.lock();
  }
}

}  // namespace ledger
