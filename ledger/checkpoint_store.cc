#include "ledger/checkpoint_store.h"

#include <nlohmann/json.hpp>

#include "base/json.h"
#include "storage/key_codec.h"

namespace ledger {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {
Result<StoredCheckpoint> Decode(std::string_view key, std::string_view value) {
  StoredCheckpoint c;
  storage::KeyDecoder d(key);
  if (!d.U64(&c.size)) {
    return Status::Corruption("チェックポイントの保存キーが壊れています");
  }
  ASSIGN_OR_RETURN(json j, base::ParseJson(value));
  if (!j.is_object() || !j.contains("note") || !j["note"].is_string() ||
      !j.contains("created_at")) {
    return Status::Corruption("チェックポイントの保存レコードが壊れています");
  }
  c.note = j["note"].get<std::string>();
  if (j.contains("tsr") && j["tsr"].is_string()) c.tsr_sha256 = j["tsr"].get<std::string>();
  auto t =
      base::ParseRfc3339(j["created_at"].is_string() ? j["created_at"].get<std::string>() : "");
  if (!t.ok()) return Status::Corruption("チェックポイントの作成日時: " + t.status().message());
  c.created_at = *t;
  return c;
}
}  // namespace

Result<CheckpointStore> CheckpointStore::Open(storage::Env* env) {
  ASSIGN_OR_RETURN(storage::Table t, env->OpenTable("checkpoints"));
  return CheckpointStore(std::move(t));
}

namespace {
std::string Encode(const StoredCheckpoint& c) {
  json j{{"note", c.note}, {"created_at", base::FormatRfc3339(c.created_at)}};
  j["tsr"] = c.tsr_sha256 ? json(*c.tsr_sha256) : json(nullptr);
  return base::DumpJson(j);
}
}  // namespace

Status CheckpointStore::Put(storage::WriteTxn& txn, const StoredCheckpoint& c) const {
  return txn.Insert(table_, storage::KeyEncoder().U64(c.size).key(), Encode(c));
}

Result<StoredCheckpoint> CheckpointStore::Get(const storage::ReadTxn& txn, uint64_t size) const {
  const std::string key = storage::KeyEncoder().U64(size).key();
  auto v = txn.Get(table_, key);
  if (!v.ok()) {
    if (v.status().IsNotFound()) {
      return Status::NotFound("チェックポイント " + std::to_string(size) + " はありません");
    }
    return v.status();
  }
  return Decode(key, *v);
}

Status CheckpointStore::AttachToken(storage::WriteTxn& txn, uint64_t size,
                                    const std::string& tsr_sha256) const {
  ASSIGN_OR_RETURN(StoredCheckpoint c, Get(txn, size));
  c.tsr_sha256 = tsr_sha256;
  return txn.Put(table_, storage::KeyEncoder().U64(size).key(), Encode(c));
}

Result<StoredCheckpoint> CheckpointStore::Latest(const storage::ReadTxn& txn) const {
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(table_));
  if (!c.Last()) {
    RETURN_IF_ERROR(c.status());
    return Status::NotFound("署名済みのチェックポイントはまだありません");
  }
  return Decode(c.key(), c.value());
}

Status CheckpointStore::ForEach(const storage::ReadTxn& txn,
                                const std::function<Status(const StoredCheckpoint&)>& fn) const {
  ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(table_));
  for (bool ok = c.First(); ok; ok = c.Next()) {
    ASSIGN_OR_RETURN(StoredCheckpoint cp, Decode(c.key(), c.value()));
    RETURN_IF_ERROR(fn(cp));
  }
  return c.status();
}

}  // namespace ledger
