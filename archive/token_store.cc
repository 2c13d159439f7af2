#include "archive/token_store.h"

#include "archive/document.h"
#include "base/json.h"
#include "storage/key_codec.h"

namespace archive {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {
std::string SeqKey(uint64_t seq) { return storage::KeyEncoder().U64(seq).Release(); }

Result<base::Time> TimeOf(const json& j, const char* key) {
  base::Time t;
  RETURN_IF_ERROR(base::JsonTimeField(j, key, &t));
  return t;
}

json PendingJson(const PendingStamp& p) {
  return json{{"since", base::FormatRfc3339(p.since)},
              {"attempts", p.attempts},
              {"next_attempt", base::FormatRfc3339(p.next_attempt)},
              {"last_error", p.last_error}};
}
}  // namespace

json ToJson(const TokenRecord& t) {
  json j{{"tsr", t.tsr_sha256},
         {"gen_time", base::FormatRfc3339(t.gen_time)},
         {"serial", t.serial_hex},
         {"tsa", t.tsa},
         {"kind", t.batch ? "batch" : "each"}};
  if (t.batch) {
    json path = json::array();
    for (const auto& d : t.batch_path) path.push_back(d.Hex());
    j["batch"] = json{{"index", t.batch_index}, {"size", t.batch_size}, {"path", path}};
  }
  return j;
}

Result<TokenRecord> TokenRecordFromJson(const json& j) {
  TokenRecord t;
  std::string kind;
  RETURN_IF_ERROR(base::JsonField(j, "tsr", &t.tsr_sha256));
  ASSIGN_OR_RETURN(t.gen_time, TimeOf(j, "gen_time"));
  RETURN_IF_ERROR(base::JsonField(j, "serial", &t.serial_hex));
  RETURN_IF_ERROR(base::JsonField(j, "tsa", &t.tsa));
  RETURN_IF_ERROR(base::JsonField(j, "kind", &kind));
  t.batch = kind == "batch";
  if (t.batch) {
    auto b = j.find("batch");
    if (b == j.end()) {
      return Status::Corruption("バッチのタイムスタンプ記録に \"batch\" がありません");
    }
    RETURN_IF_ERROR(base::JsonField(*b, "index", &t.batch_index));
    RETURN_IF_ERROR(base::JsonField(*b, "size", &t.batch_size));
    std::vector<std::string> path;
    RETURN_IF_ERROR(base::JsonField(*b, "path", &path));
    for (const auto& h : path) {
      auto d = signing::Digest::FromHex(h);
      if (!d.ok()) {
        return Status::Corruption("バッチのタイムスタンプ記録の包含証明（path）が壊れています: " +
                                  d.status().message());
      }
      t.batch_path.push_back(*d);
    }
  }
  return t;
}

Result<TokenStore> TokenStore::Open(ledger::Ledger* ledger) {
  TokenStore s;
  s.ledger_ = ledger;
  ASSIGN_OR_RETURN(s.tokens_, ledger->OpenReplayedTable("tokens"));
  ASSIGN_OR_RETURN(s.pending_, ledger->OpenReplayedTable("tsa_pending"));
  return s;
}

Result<std::string> TokenStore::PutResponse(storage::WriteTxn& txn, std::string_view der) const {
  return ledger_->PutResponse(txn, der);
}

Result<std::string> TokenStore::GetResponse(const storage::ReadTxn& txn,
                                            std::string_view tsr_sha256) const {
  return ledger_->GetResponse(txn, tsr_sha256);
}

Status TokenStore::PutToken(storage::WriteTxn& txn, uint64_t seq, const TokenRecord& t) const {
  return txn.Put(tokens_, SeqKey(seq), base::DumpJson(ToJson(t)));
}

Result<TokenRecord> TokenStore::GetToken(const storage::ReadTxn& txn, uint64_t seq) const {
  auto v = txn.Get(tokens_, SeqKey(seq));
  if (!v.ok()) {
    if (v.status().IsNotFound()) {
      return Status::NotFound(
          FormatDocumentId(seq) +
          " にはまだタイムスタンプがありません（kura timestamp で再取得できます）");
    }
    return v.status();
  }
  ASSIGN_OR_RETURN(json j, base::ParseJson(*v));
  return TokenRecordFromJson(j);
}

Status TokenStore::PutPending(storage::WriteTxn& txn, const PendingStamp& p) const {
  return txn.Put(pending_, SeqKey(p.seq), base::DumpJson(PendingJson(p)));
}

Status TokenStore::DeletePending(storage::WriteTxn& txn, uint64_t seq) const {
  const Status s = txn.Delete(pending_, SeqKey(seq));
  return s.IsNotFound() ? Status::OK() : s;
}

Result<PendingStamp> TokenStore::GetPending(const storage::ReadTxn& txn, uint64_t seq) const {
  ASSIGN_OR_RETURN(const std::string_view v, txn.Get(pending_, SeqKey(seq)));
  ASSIGN_OR_RETURN(json j, base::ParseJson(v));
  PendingStamp p;
  p.seq = seq;
  ASSIGN_OR_RETURN(p.since, TimeOf(j, "since"));
  ASSIGN_OR_RETURN(p.next_attempt, TimeOf(j, "next_attempt"));
  RETURN_IF_ERROR(base::JsonField(j, "attempts", &p.attempts));
  RETURN_IF_ERROR(base::JsonField(j, "last_error", &p.last_error));
  return p;
}

Result<std::vector<PendingStamp>> TokenStore::ListPending(const storage::ReadTxn& txn,
                                                          std::optional<base::Time> now,
                                                          size_t limit) const {
  std::vector<PendingStamp> out;
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(pending_));
  for (bool ok = c.First(); ok && out.size() < limit; ok = c.Next()) {
    PendingStamp p;
    storage::KeyDecoder d(c.key());
    if (!d.U64(&p.seq)) {
      return Status::Corruption("タイムスタンプ待ちの記録（tsa_pending）のキーが壊れています");
    }
    ASSIGN_OR_RETURN(json j, base::ParseJson(c.value()));
    ASSIGN_OR_RETURN(p.since, TimeOf(j, "since"));
    ASSIGN_OR_RETURN(p.next_attempt, TimeOf(j, "next_attempt"));
    RETURN_IF_ERROR(base::JsonField(j, "attempts", &p.attempts));
    RETURN_IF_ERROR(base::JsonField(j, "last_error", &p.last_error));
    if (!now || p.next_attempt <= *now) out.push_back(std::move(p));
  }
  RETURN_IF_ERROR(c.status());
  return out;
}

Result<uint64_t> TokenStore::PendingCount(const storage::ReadTxn& txn) const {
  return txn.Count(pending_);
}

Result<uint64_t> TokenStore::TokenCount(const storage::ReadTxn& txn) const {
  return txn.Count(tokens_);
}

}  // namespace archive
