#include "archive/ocr_store.h"

#include "base/json.h"
#include "ledger/event_types.h"

namespace archive {

using base::Status;
using nlohmann::json;

base::Result<std::unique_ptr<OcrStore>> OcrStore::Open(Archive* archive) {
  std::optional<storage::Table> tables[2];
  const char* names[2] = {"ar_ocr", "ar_ocr_failed"};
  for (int i = 0; i < 2; ++i) {
    auto table = archive->ledger().OpenTable(names[i]);
    if (table.ok()) {
      tables[i] = std::move(*table);
    } else if (!archive->ledger().read_only()) {
      return table.status();
    }
  }
  return std::unique_ptr<OcrStore>(
      new OcrStore(archive, std::move(tables[0]), std::move(tables[1])));
}

Status OcrStore::Put(std::string_view id, json record, const std::string& actor, base::Time at) {
  if (!record.is_object()) return Status::InvalidArgument("OCR の結果が JSON のオブジェクトではありません");
  if (!table_ || !failed_ || archive_->ledger().read_only()) {
    return Status::FailedPrecondition("データディレクトリが読み取り専用で開かれています");
  }
  record["id"] = std::string(id);
  record["by"] = actor;
  record["at"] = base::FormatRfc3339(at);
  return archive_->ledger().Write([&](storage::WriteTxn& txn,
                                      const ledger::AppendEvent& append) -> Status {
    auto doc = archive_->GetReceived(txn, id);
    if (!doc.ok()) return doc.status();
    RETURN_IF_ERROR(txn.Put(*table_, id, base::DumpJson(record)));
    // A proposal ends an earlier failure (`kura ocr` read it after all).
    if (txn.Get(*failed_, id).ok()) RETURN_IF_ERROR(txn.Delete(*failed_, id));
    return append(json{{"type", ledger::event::kOcrProposed},
                       {"id", std::string(id)},
                       {"proposal", record.value("proposal", json::object())},
                       {"actor", actor},
                       {"time", record["at"]}})
        .status();
  });
}

Status OcrStore::PutFailure(std::string_view id, const std::string& error,
                            const std::string& actor, base::Time at) {
  if (!failed_ || archive_->ledger().read_only()) {
    return Status::FailedPrecondition("データディレクトリが読み取り専用で開かれています");
  }
  const json record{{"id", std::string(id)},
                    {"error", error},
                    {"by", actor},
                    {"at", base::FormatRfc3339(at)}};
  return archive_->ledger().Write([&](storage::WriteTxn& txn,
                                      const ledger::AppendEvent& append) -> Status {
    auto doc = archive_->GetReceived(txn, id);
    if (!doc.ok()) return doc.status();
    RETURN_IF_ERROR(txn.Put(*failed_, id, base::DumpJson(record)));
    return append(json{{"type", ledger::event::kOcrFailed},
                       {"id", std::string(id)},
                       {"error", error},
                       {"actor", actor},
                       {"time", record["at"]}})
        .status();
  });
}

base::Result<json> OcrStore::GetFrom(const std::optional<storage::Table>& table,
                                     std::string_view id) const {
  if (!table) return Status::NotFound(std::string(id) + " の OCR はまだ行われていません");
  json out;
  RETURN_IF_ERROR(archive_->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    auto bytes = txn.Get(*table, id);
    if (!bytes.ok()) {
      return bytes.status().IsNotFound()
                 ? Status::NotFound(std::string(id) + " の OCR はまだ行われていません")
                 : bytes.status();
    }
    ASSIGN_OR_RETURN(out, base::ParseJson(*bytes));
    return Status::OK();
  }));
  return out;
}

base::Result<json> OcrStore::Get(std::string_view id) const { return GetFrom(table_, id); }

base::Result<json> OcrStore::GetFailure(std::string_view id) const {
  return GetFrom(failed_, id);
}

}  // namespace archive
