// Ledger::VerifyLog, the log half of `kura verify`:
//
//  1. Checkpoints: each signed by the log key for this log's origin, each
//     time-stamp valid over the note.
//  2. The log: the Merkle tree rebuilt from the stored events must give the
//     root of every signed checkpoint; events must be canonical JSON
//     objects with a type; no checkpoint may be larger than the log
//     (deleted events). Events after the latest checkpoint are counted as
//     not yet published.
//  3. Recorded tables: every record must be exactly what the write sets of
//     the events leave there, no more and no less (ledger/internal/
//     write_set.h). Replayed owners get every event (EventReplayer) and
//     check their own tables.
#include <algorithm>
#include <map>
#include <set>

#include "base/hex.h"
#include "base/json.h"
#include "base/parallel.h"
#include "ledger/internal/ledger_rep.h"
#include "ledger/internal/write_set.h"
#include "signing/checkpoint.h"
#include "signing/merkle.h"
#include "signing/tsa_verify.h"

namespace ledger {

using base::Result;
using base::Status;
using nlohmann::json;
using signing::Digest;

json ToJson(const VerifyReport& r) {
  json failed = json::array();
  for (const auto& f : r.failed) {
    failed.push_back(json{{"id", f.id}, {"reason", f.reason}, {"detail", f.detail}});
  }
  return json{{"documents", r.documents},
              {"ok", r.ok},
              {"failed", failed},
              {"events", r.events},
              {"checkpoint", r.checkpoint_size},
              {"checkpoints", r.checkpoints},
              {"unpublished_events", r.unpublished_events},
              {"timestamps_checked", r.tokens_checked},
              {"module_records", r.module_records}};
}

EventHeader DecodeHeader(std::string_view bytes) {
  EventHeader h;
  const json j = json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return h;
  h.object = true;
  h.canonical = base::DumpJson(j) == bytes;
  auto type = j.find("type");
  if (type != j.end() && type->is_string()) h.type = type->get<std::string>();
  auto writes = j.find("writes");
  if (writes != j.end()) h.writes = base::DumpJson(*writes);
  return h;
}

namespace {

// The default replayer: headers only, for a ledger without owners.
class HeaderOnly final : public EventReplayer {
 public:
  void Reserve(size_t) override {}
  EventHeader Decode(size_t, std::string_view bytes) override { return DecodeHeader(bytes); }
  void Apply(uint64_t, size_t) override {}
};

// A table key for people: as it is when it is printable ASCII, else hex.
std::string ShowKey(std::string_view key) {
  for (unsigned char c : key) {
    if (c < 0x20 || c > 0x7e) return "0x" + base::HexEncode(key);
  }
  return std::string(key);
}

class LogVerifier {
 public:
  LogVerifier(const Ledger& ledger, const Ledger::Rep& rep, EventReplayer* replayer,
              VerifyReport* report)
      : ledger_(ledger), rep_(rep), replayer_(replayer), report_(report) {}

  Status Run(const std::function<void(std::string_view)>& on_stage) {
    auto stage = [&](std::string_view name) {
      if (on_stage) on_stage(name);
    };
    stage("checkpoints");
    RETURN_IF_ERROR(CheckCheckpoints());
    stage("log");
    RETURN_IF_ERROR(ReplayLog());
    stage("modules");
    return CompareRecordedTables();
  }

 private:
  void Fail(std::string id, std::string reason, std::string detail) {
    report_->failed.push_back({std::move(id), std::move(reason), std::move(detail)});
  }

  Status CheckCheckpoint(const storage::ReadTxn& txn, const signing::TimestampVerifier& tsa,
                         const StoredCheckpoint& c) {
    const std::string where = "チェックポイント " + std::to_string(c.size);
    auto cp = signing::VerifyCheckpoint(c.note, *rep_.verifier, rep_.keys.origin);
    if (!cp.ok()) {
      Fail("checkpoint", "checkpoint_invalid", where + ": " + cp.status().message());
      return Status::OK();
    }
    if (cp->size != c.size) {
      Fail("checkpoint", "checkpoint_invalid", where + ": 別のサイズの番号で保存されています");
      return Status::OK();
    }
    roots_[cp->size] = cp->root;
    ++report_->checkpoints;
    report_->checkpoint_size = std::max(report_->checkpoint_size, cp->size);
    if (!c.tsr_sha256) return Status::OK();
    auto der = ledger_.GetResponse(txn, *c.tsr_sha256);
    Status s = der.status();
    if (der.ok() && signing::Sha256(*der).Hex() != *c.tsr_sha256) {
      s = Status::Corruption(
          "保存されているタイムスタンプ応答のハッシュが記録された sha256 と一致しません");
    } else if (der.ok()) {
      s = tsa.Verify(*der, signing::Sha256(c.note)).status();
    }
    if (!s.ok()) Fail("checkpoint", "timestamp_invalid", where + ": " + s.message());
    return Status::OK();
  }

  Status CheckCheckpoints() {
    ASSIGN_OR_RETURN(const signing::TimestampVerifier tsa,
                     signing::TimestampVerifier::Create(ledger_.TrustedTsaPem()));
    return rep_.env->Read([&](const storage::ReadTxn& txn) {
      return rep_.checkpoints->ForEach(
          txn, [&](const StoredCheckpoint& c) { return CheckCheckpoint(txn, tsa, c); });
    });
  }

  // Streams the events in chunks (no long read transaction). Within a
  // window the costly, independent part of each event (leaf hash, decoding)
  // runs on all cores; the tree and the replay then advance in log order.
  Status ReplayLog() {
    constexpr uint64_t kChunk = 4096;
    for (uint64_t from = 0;; from += kChunk) {
      size_t seen = 0;
      bool gap = false;
      RETURN_IF_ERROR(rep_.env->Read([&](const storage::ReadTxn& txn) -> Status {
        std::vector<std::pair<uint64_t, std::string_view>> events;
        // ForEach stops with Aborted at the chunk boundary; only other
        // errors are real.
        const Status s =
            rep_.log->ForEach(txn, from, [&](uint64_t index, std::string_view bytes) -> Status {
              events.emplace_back(index, bytes);
              return events.size() < kChunk ? Status::OK()
                                            : Status::Aborted("読み込みの区切り（内部処理）");
            });
        if (!s.ok() && s.code() != Status::Code::kAborted) return s;
        seen = events.size();
        gap = !ReplayChunk(events);
        return Status::OK();
      }));
      if (gap || seen < kChunk) break;
    }
    FinishReplay();
    return Status::OK();
  }

  // False at a gap in the indexes (the rest cannot be placed in the tree).
  bool ReplayChunk(const std::vector<std::pair<uint64_t, std::string_view>>& events) {
    // A window of decoded events at a time keeps them small enough to stay
    // in cache.
    constexpr size_t kWindow = 1024;
    replayer_->Reserve(kWindow);
    std::vector<Digest> leaves(kWindow);
    std::vector<EventHeader> headers(kWindow);
    for (size_t w = 0; w < events.size(); w += kWindow) {
      const size_t n = std::min(kWindow, events.size() - w);
      base::ParallelFor(n, [&](size_t i) {
        leaves[i] = signing::HashLeaf(events[w + i].second);
        headers[i] = replayer_->Decode(i, events[w + i].second);
      });
      for (size_t i = 0; i < n; ++i) {
        const uint64_t index = events[w + i].first;
        if (index != range_.size()) {
          Fail("log", "tree_mismatch",
               "イベント " + std::to_string(range_.size()) +
                   " がありません（次に保存されているのはイベント " + std::to_string(index) + "）");
          return false;
        }
        range_.Append(leaves[i]);
        auto root = roots_.find(range_.size());
        if (root != roots_.end() && root->second != range_.Root()) {
          Fail("log", "tree_mismatch",
               "イベントのハッシュがチェックポイント " + std::to_string(range_.size()) +
                   " で署名されたルートと一致しません（イベントが変更、削除または並べ替えられていま"
                   "す）");
        }
        if (Check(index, headers[i])) replayer_->Apply(index, i);
      }
    }
    return true;
  }

  // The ledger's part of an event; false if it cannot be replayed at all.
  bool Check(uint64_t index, const EventHeader& h) {
    const std::string where = "イベント " + std::to_string(index);
    if (!h.object) {
      Fail("log", "record_mismatch", where + " が JSON として読めません");
      return false;
    }
    if (!h.canonical) Fail("log", "record_mismatch", where + " が正規の形式で保存されていません");
    if (!h.type || h.type->empty()) {
      Fail("log", "record_mismatch", where + " に種類 (type) がありません");
      return false;
    }
    if (h.writes) ApplyWrites(index, where, *h.writes);
    return true;
  }

  void FinishReplay() {
    report_->events = range_.size();
    if (report_->checkpoint_size > range_.size()) {
      Fail("log", "tree_mismatch",
           "チェックポイント " + std::to_string(report_->checkpoint_size) + " は保存されている " +
               std::to_string(range_.size()) +
               " 件より多くのイベントを含んでいます。イベントが削除されています");
    } else {
      report_->unpublished_events = range_.size() - report_->checkpoint_size;
    }
  }

  // What a recorded table should hold after this event's changes.
  void ApplyWrites(uint64_t index, const std::string& where, const std::string& writes_json) {
    const json j = json::parse(writes_json, nullptr, false);
    auto w = j.is_discarded() ? Result<WriteSet>(Status::InvalidArgument(
                                    "変更の記録 (writes) が JSON として読めません"))
                              : WriteSet::FromJson(j);
    if (!w.ok()) {
      Fail("log", "record_mismatch", where + ": " + w.status().message());
      return;
    }
    for (auto& [table, keys] : w->tables) {
      auto& state = recorded_[table];
      for (auto& [key, hash] : keys) state[key] = {hash, index};
    }
  }

  struct WrittenValue {
    std::optional<Digest> hash;  // nullopt: deleted
    uint64_t event = 0;          // the event that wrote it last
  };
  using Expected = std::map<std::string, WrittenValue>;

  // Every record of every recorded table must be the last value an event
  // wrote under its key, and every key an event left written must be there.
  Status CompareRecordedTables() {
    ASSIGN_OR_RETURN(const std::vector<std::string> names, rep_.env->TableNames());
    std::set<std::string> tables, existing;
    for (const std::string& n : names) {
      if (ledger_.IsReplayedTable(n)) continue;
      tables.insert(n);
      existing.insert(n);
    }
    for (const auto& [t, keys] : recorded_) tables.insert(t);
    static const Expected kNothing;
    for (const std::string& name : tables) {
      auto st = recorded_.find(name);
      RETURN_IF_ERROR(CompareTable(name, existing.count(name) > 0,
                                   st == recorded_.end() ? kNothing : st->second));
    }
    return Status::OK();
  }

  // Both sides are in key order (std::string and LMDB compare bytewise), so
  // one merge pass per table. A table the events wrote may be gone
  // altogether (then every record they left is missing); it is not created.
  Status CompareTable(const std::string& name, bool exists, const Expected& expected) {
    auto exp = expected.begin();
    auto check_missing_up_to = [&](std::optional<std::string_view> key) {
      for (; exp != expected.end() && (!key || exp->first < *key); ++exp) {
        if (exp->second.hash) {
          Fail(name + "/" + ShowKey(exp->first), "missing_record",
               "イベント " + std::to_string(exp->second.event) +
                   " が書き込んだレコードがテーブルにありません");
        }
      }
    };
    if (exists) {
      ASSIGN_OR_RETURN(const storage::Table table, rep_.env->OpenTable(name));
      RETURN_IF_ERROR(rep_.env->Read([&](const storage::ReadTxn& txn) -> Status {
        ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(table));
        for (bool ok = c.First(); ok; ok = c.Next()) {
          ++report_->module_records;
          check_missing_up_to(c.key());
          const bool known = exp != expected.end() && exp->first == c.key();
          CompareRecord(name, c.key(), c.value(), known ? &exp->second : nullptr);
          if (known) ++exp;
        }
        return c.status();
      }));
    }
    check_missing_up_to(std::nullopt);
    return Status::OK();
  }

  void CompareRecord(const std::string& table, std::string_view key, std::string_view value,
                     const WrittenValue* v) {
    const std::string id = table + "/" + ShowKey(key);
    if (v == nullptr) {
      Fail(id, "unexplained_record", "このレコードを書き込んだイベントがありません");
    } else if (!v->hash) {
      Fail(id, "unexplained_record",
           "イベント " + std::to_string(v->event) + " で削除されたはずのレコードが残っています");
    } else if (signing::Sha256(value) != *v->hash) {
      Fail(id, "record_mismatch",
           "レコードがイベント " + std::to_string(v->event) + " の書き込んだ内容と異なります");
    }
  }

  const Ledger& ledger_;
  const Ledger::Rep& rep_;
  EventReplayer* replayer_;
  VerifyReport* report_;
  signing::CompactRange range_;
  std::map<uint64_t, Digest> roots_;          // checkpoint size → signed root
  std::map<std::string, Expected> recorded_;  // table → key → what the events left
};

}  // namespace

Status Ledger::VerifyLog(EventReplayer* replayer, VerifyReport* report,
                         const std::function<void(std::string_view)>& on_stage) const {
  HeaderOnly headers;
  LogVerifier v(*this, *rep_, replayer != nullptr ? replayer : &headers, report);
  return v.Run(on_stage);
}

}  // namespace ledger
