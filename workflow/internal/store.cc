#include "workflow/internal/store.h"

#include <charconv>

#include "archive/document.h"
#include "base/json.h"
#include "workflow/internal/json_util.h"

namespace workflow::internal {

using base::Result;
using base::Status;

Result<Tables> OpenTables(ledger::Ledger* ledger) {
  Tables t;
  ASSIGN_OR_RETURN(t.departments, ledger->OpenTable("wf_departments"));
  ASSIGN_OR_RETURN(t.users, ledger->OpenTable("wf_users"));
  ASSIGN_OR_RETURN(t.vendors, ledger->OpenTable("wf_vendors"));
  ASSIGN_OR_RETURN(t.commitments, ledger->OpenTable("wf_commitments"));
  ASSIGN_OR_RETURN(t.orders, ledger->OpenTable("wf_orders"));
  ASSIGN_OR_RETURN(t.doc_orders, ledger->OpenTable("wf_doc_orders"));
  ASSIGN_OR_RETURN(t.open_orders, ledger->OpenTable("wf_open_orders"));
  ASSIGN_OR_RETURN(t.meta, ledger->OpenTable("wf_meta"));
  ASSIGN_OR_RETURN(t.api_tokens, ledger->OpenTable("wf_api_tokens"));
  ASSIGN_OR_RETURN(t.payment_runs, ledger->OpenTable("wf_payment_runs"));
  ASSIGN_OR_RETURN(t.payment_files, ledger->OpenTable("wf_payment_files"));
  ASSIGN_OR_RETURN(t.run_orders, ledger->OpenTable("wf_run_orders"));
  ASSIGN_OR_RETURN(t.legacy_imports, ledger->OpenTable("wf_legacy_imports"));
  ASSIGN_OR_RETURN(t.legacy_rows, ledger->OpenTable("wf_legacy_rows"));
  ASSIGN_OR_RETURN(t.legacy_merges, ledger->OpenTable("wf_legacy_merges"));
  auto work_lists = ledger->OpenDerivedTable("idx_orders");
  auto derived_meta = ledger->OpenDerivedTable("idx_workflow");
  if (work_lists.ok() && derived_meta.ok()) {
    t.work_lists.emplace(std::move(*work_lists));
    t.derived_meta = std::move(*derived_meta);
  } else if (!ledger->read_only()) {
    return work_lists.ok() ? derived_meta.status() : work_lists.status();
  }
  return t;
}

Result<std::string_view> GetRecordBytes(const storage::ReadTxn& txn, const storage::Table& table,
                                        std::string_view key, std::string_view not_found_message) {
  auto v = txn.Get(table, key);
  if (!v.ok()) {
    if (v.status().IsNotFound()) return Status::NotFound(not_found_message);
    return v.status();
  }
  return *v;
}

Result<nlohmann::json> ParseRecord(const storage::Table& table, std::string_view key,
                                   std::string_view bytes) {
  auto j = base::ParseJson(bytes);
  if (!j.ok()) {
    return Status::Corruption(table.name + "/" + Shown(key) +
                              " の記録が JSON として読めません（壊れています）");
  }
  return std::move(*j);
}

Result<nlohmann::json> GetRecord(const storage::ReadTxn& txn, const storage::Table& table,
                                 std::string_view key, std::string_view not_found_message) {
  ASSIGN_OR_RETURN(const std::string_view bytes,
                   GetRecordBytes(txn, table, key, not_found_message));
  return ParseRecord(table, key, bytes);
}

Status PutRecord(storage::WriteTxn& txn, const storage::Table& table, std::string_view key,
                 const nlohmann::json& record) {
  return txn.Put(table, key, base::DumpJson(record));
}

Result<uint64_t> NextSeq(storage::WriteTxn& txn, const Tables& tables, std::string_view kind,
                         int fiscal_year) {
  const std::string key = "seq/" + std::string(kind) + "/" + std::to_string(fiscal_year);
  uint64_t last = 0;
  auto v = txn.Get(tables.meta, key);
  if (v.ok()) {
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), last);
    if (ec != std::errc() || p != v->data() + v->size()) {
      return Status::Corruption("wf_meta/" + key + " の記録が数値ではありません（壊れています）");
    }
  } else if (!v.status().IsNotFound()) {
    return v.status();
  }
  RETURN_IF_ERROR(txn.Put(tables.meta, key, std::to_string(last + 1)));
  return last + 1;
}

Status ForEach(const storage::ReadTxn& txn, const storage::Table& table,
               const std::function<Status(std::string_view, std::string_view)>& fn) {
  ASSIGN_OR_RETURN(storage::Cursor cursor, txn.NewCursor(table));
  for (bool ok = cursor.First(); ok; ok = cursor.Next()) {
    RETURN_IF_ERROR(fn(cursor.key(), cursor.value()));
  }
  return cursor.status();
}

}  // namespace workflow::internal
