// Archive::RetryPendingTimestamps: documents archived while the TSA could
// not be reached get their token later. Each token granted is a
// "document.timestamped" event; a round in which the TSA fails is one
// "document.timestamp_retry" event naming the documents, the error and when
// each is tried next — evidence that the time-stamps were sought promptly
// (電子帳簿保存法), and the reason the retry schedule changed. And
// Archive::CheckTimestamp, a document's time-stamp as the screens show it.
#include <algorithm>

#include "archive/internal/archive_rep.h"
#include "ledger/event_types.h"
#include "signing/merkle.h"
#include "signing/tsa_verify.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;
using signing::Digest;

namespace {

// Backoff doubles per failed attempt, from 1 minute to 1 day.
std::chrono::microseconds Backoff(uint32_t attempts) {
  return std::min<std::chrono::microseconds>(
      std::chrono::minutes(1) * (1LL << std::min<uint32_t>(attempts - 1, 12)),
      std::chrono::hours(24));
}

}  // namespace

json ToJson(const TimestampStatus& t) {
  const auto time = [](const std::optional<base::Time>& v) {
    return v ? json(base::FormatRfc3339(*v)) : json(nullptr);
  };
  return json{{"status", t.status},
              {"gen_time", time(t.gen_time)},
              {"tsa", t.tsa},
              {"serial", t.serial},
              {"batch", t.batch},
              {"problem", t.problem},
              {"pending_since", time(t.pending_since)},
              {"next_attempt", time(t.next_attempt)},
              {"attempts", t.attempts},
              {"last_error", t.last_error}};
}

Result<TimestampStatus> Archive::CheckTimestamp(std::string_view id) const {
  ASSIGN_OR_RETURN(const uint64_t seq, ParseDocumentId(id));
  TimestampStatus out;
  Document doc;
  std::optional<TokenRecord> token;
  std::string der;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(doc, rep_->catalog->GetDocument(txn, seq));
    auto t = rep_->tokens->GetToken(txn, seq);
    if (t.ok()) {
      token = std::move(*t);
      ASSIGN_OR_RETURN(der, rep_->tokens->GetResponse(txn, token->tsr_sha256));
      return Status::OK();
    }
    if (!t.status().IsNotFound()) return t.status();
    auto p = rep_->tokens->GetPending(txn, seq);
    if (p.ok()) {
      out.status = "pending";
      out.pending_since = p->since;
      out.next_attempt = p->next_attempt;
      out.attempts = p->attempts;
      out.last_error = p->last_error;
      return Status::OK();
    }
    if (!p.status().IsNotFound()) return p.status();
    out.status = "none";
    return Status::OK();
  }));
  if (!token) return out;
  out.gen_time = token->gen_time;
  out.tsa = token->tsa;
  out.serial = token->serial_hex;
  out.batch = token->batch;
  // Slow work (the signature) outside the read transaction.
  Status s = Status::OK();
  ASSIGN_OR_RETURN(const Digest digest, Digest::FromHex(doc.sha256));
  Digest covered = digest;
  if (token->batch) {
    auto root = signing::RootFromInclusionProof(token->batch_index, token->batch_size,
                                                signing::HashLeaf(digest.AsStringView()),
                                                token->batch_path);
    if (root.ok()) {
      covered = *root;
    } else {
      s = root.status();
    }
  }
  if (s.ok()) {
    s = signing::VerifyTimestampResponse(der, covered, rep_->ledger->TrustedTsaPem()).status();
  }
  out.status = s.ok() ? "verified" : "invalid";
  if (!s.ok()) out.problem = s.message();
  return out;
}

Result<std::optional<StoredToken>> Archive::StoredTokenOf(const storage::ReadTxn& txn,
                                                          uint64_t seq) const {
  ASSIGN_OR_RETURN(const Document doc, rep_->catalog->GetDocument(txn, seq));
  auto t = rep_->tokens->GetToken(txn, seq);
  if (!t.ok()) {
    if (t.status().IsNotFound()) return std::optional<StoredToken>();
    return t.status();
  }
  StoredToken out;
  out.id = FormatDocumentId(seq);
  out.gen_time = t->gen_time;
  ASSIGN_OR_RETURN(out.der, rep_->tokens->GetResponse(txn, t->tsr_sha256));
  ASSIGN_OR_RETURN(out.covered, Digest::FromHex(doc.sha256));
  if (t->batch) {
    auto root = signing::RootFromInclusionProof(
        t->batch_index, t->batch_size, signing::HashLeaf(out.covered.AsStringView()), t->batch_path);
    if (!root.ok()) {
      return Status::Corruption(out.id + ": バッチのタイムスタンプの包含証明が壊れています");
    }
    out.covered = *root;
  }
  return std::optional<StoredToken>(std::move(out));
}

Result<uint64_t> Archive::PendingTimestampCount() const {
  uint64_t n = 0;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(n, rep_->tokens->PendingCount(txn));
    return Status::OK();
  }));
  return n;
}

Result<uint64_t> Archive::RetryPendingTimestamps() {
  if (rep_->options.read_only) {
    return Status::FailedPrecondition(
        "読み取り専用で開いているため、タイムスタンプを再取得できません");
  }
  const base::Time now = rep_->clock->Now();
  std::vector<std::pair<PendingStamp, Digest>> due;  // with the document's digest
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const auto pending, rep_->tokens->ListPending(txn, now, 1000));
    for (const auto& p : pending) {
      ASSIGN_OR_RETURN(const Document doc, rep_->catalog->GetDocument(txn, p.seq));
      auto digest = Digest::FromHex(doc.sha256);
      if (!digest.ok()) {
        return Status::Corruption(FormatDocumentId(p.seq) +
                                  ": 記録された SHA-256 が正しくありません");
      }
      due.emplace_back(p, *digest);
    }
    return Status::OK();
  }));
  // Ask the TSA outside any write, one document after the other; once it
  // fails, the rest of the round only has its backoff moved on (no more
  // calls that would each wait for a timeout).
  std::vector<std::pair<PendingStamp, signing::Stamp>> granted;
  std::vector<PendingStamp> deferred;
  std::string error;
  for (auto& [pending, digest] : due) {
    if (error.empty()) {
      auto stamp = rep_->ledger->stamper()->StampDigest(digest, now);
      if (stamp.ok()) {
        granted.emplace_back(pending, std::move(*stamp));
        continue;
      }
      error = stamp.status().message();
    }
    PendingStamp p = pending;
    ++p.attempts;
    p.next_attempt = now + Backoff(p.attempts);
    p.last_error = error;
    deferred.push_back(std::move(p));
  }
  if (granted.empty() && deferred.empty()) return uint64_t{0};
  RETURN_IF_ERROR(rep_->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    for (const auto& [pending, stamp] : granted) {
      TokenRecord record;
      record.gen_time = stamp.gen_time;
      record.serial_hex = stamp.serial_hex;
      record.tsa = rep_->ledger->stamper()->name();
      ASSIGN_OR_RETURN(record.tsr_sha256, rep_->tokens->PutResponse(txn, stamp.response_der));
      RETURN_IF_ERROR(rep_->tokens->PutToken(txn, pending.seq, record));
      RETURN_IF_ERROR(rep_->tokens->DeletePending(txn, pending.seq));
      RETURN_IF_ERROR(append(json{{"type", ledger::event::kDocumentTimestamped},
                                  {"id", FormatDocumentId(pending.seq)},
                                  {"timestamp", TimestampEventJson(record)}})
                          .status());
    }
    if (deferred.empty()) return Status::OK();
    json next = json::object();
    for (const PendingStamp& p : deferred) {
      RETURN_IF_ERROR(rep_->tokens->PutPending(txn, p));
      next[FormatDocumentId(p.seq)] = base::FormatRfc3339(p.next_attempt);
    }
    return append(json{{"type", ledger::event::kDocumentTimestampRetry},
                       {"at", base::FormatRfc3339(now)},
                       {"error", error},
                       {"next_attempt", next}})
        .status();
  }));
  return static_cast<uint64_t>(granted.size());
}

}  // namespace archive
