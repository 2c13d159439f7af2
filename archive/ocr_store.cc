#include "archive/ocr_store.h"

#include "base/json.h"
#include "ledger/event_types.h"

namespace archive {

using base::Status;
using nlohmann::json;

base::Result<std::unique_ptr<OcrStore>> OcrStore::Open(Archive* archive) {
  auto table = archive->ledger().OpenTable("ar_ocr");
  if (!table.ok()) {
    if (!archive->ledger().read_only()) return table.status();
    return std::unique_ptr<OcrStore>(new OcrStore(archive, std::nullopt));
  }
  return std::unique_ptr<OcrStore>(new OcrStore(archive, std::move(*table)));
}

Status OcrStore::Put(std::string_view id, json record, const std::string& actor, base::Time at) {
  if (!record.is_object()) return Status::InvalidArgument("OCR の結果が JSON のオブジェクトではありません");
  if (!table_ || archive_->ledger().read_only()) {
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
    return append(json{{"type", ledger::event::kOcrProposed},
                       {"id", std::string(id)},
                       {"proposal", record.value("proposal", json::object())},
                       {"actor", actor},
                       {"time", record["at"]}})
        .status();
  });
}

base::Result<json> OcrStore::Get(std::string_view id) const {
  if (!table_) return Status::NotFound(std::string(id) + " の OCR はまだ行われていません");
  json out;
  RETURN_IF_ERROR(archive_->ledger().Read([&](const storage::ReadTxn& txn) -> Status {
    auto bytes = txn.Get(*table_, id);
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

}  // namespace archive
