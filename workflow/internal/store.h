// The workflow's LMDB tables and typed record access. Records are JSON
// (base::DumpJson); keys are the records' ids.
//
//   wf_departments  code          Department
//   wf_users        login         User + "password_hash"
//   wf_vendors      id            Vendor
//   wf_commitments  id            Commitment
//   wf_orders       id            PaymentOrder
//   wf_doc_orders   document id   order id (documents that have a live order)
//   wf_open_orders  order id      "" (orders neither paid nor withdrawn)
//   wf_api_tokens   hex SHA-256 of the secret   ApiToken (api_token.h)
//   wf_payment_runs run id       PaymentRunRecord (payments.h)
//   wf_payment_files run id + "/zengin" | "/csv"   the run's file bytes
//   wf_run_orders   order id      run id (orders in a recorded run, until
//                                 it is confirmed or cancelled)
//   wf_meta         "seq/<kind>/<fiscal year>"  last number used (decimal)
//   wf_legacy_imports  import id ("L000001")      the import (file, sha256, rows)
//   wf_legacy_rows     "<import id>/<chunk 6 digits>"  up to 1,000 LegacyCreditor
//                      arrays (a later import's row supersedes a number's earlier one)
//   wf_legacy_merges   legacy number             its merge (survivor, by, at; undone_by/at)
//   idx_orders      the work lists (derived; work_lists.h)
//   idx_workflow    "work_lists" → the version of the work lists built (derived)
//
// Thread safety: Tables is a value; the functions run inside the caller's
// transaction.
#ifndef WORKFLOW_INTERNAL_STORE_H_
#define WORKFLOW_INTERNAL_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ledger/ledger.h"
#include "base/result.h"
#include "storage/dated_index.h"
#include "storage/lmdb_env.h"

namespace workflow::internal {

struct Tables {
  storage::Table departments, users, vendors, commitments, orders, doc_orders, open_orders, meta;
  storage::Table api_tokens;
  storage::Table payment_runs, payment_files, run_orders;
  storage::Table legacy_imports, legacy_rows, legacy_merges;  // workflow_legacy.cc
  /// Derived; absent when opened read-only before a writer created them.
  std::optional<storage::DatedIndex> work_lists;
  std::optional<storage::Table> derived_meta;
};

/// Opens (creating) the tables; call once at Workflow::Open.
base::Result<Tables> OpenTables(ledger::Ledger* ledger);

/// The record under key; NotFound(not_found_message) if absent, Corruption
/// if it is not JSON.
base::Result<nlohmann::json> GetRecord(const storage::ReadTxn& txn, const storage::Table& table,
                                       std::string_view key, std::string_view not_found_message);
/// The record at key parsed as JSON: what GetRecord returns for its bytes.
base::Result<nlohmann::json> ParseRecord(const storage::Table& table, std::string_view key,
                                         std::string_view bytes);
/// The stored bytes at key (valid while txn is open); NotFound(message).
base::Result<std::string_view> GetRecordBytes(const storage::ReadTxn& txn,
                                              const storage::Table& table, std::string_view key,
                                              std::string_view not_found_message);
base::Status PutRecord(storage::WriteTxn& txn, const storage::Table& table, std::string_view key,
                       const nlohmann::json& record);

/// The next number of a sequence ("commitment", 2026) → 1, 2, ...
base::Result<uint64_t> NextSeq(storage::WriteTxn& txn, const Tables& tables, std::string_view kind,
                               int fiscal_year);

/// Calls fn(key, value) for every entry of table, in key order.
base::Status ForEach(const storage::ReadTxn& txn, const storage::Table& table,
                     const std::function<base::Status(std::string_view, std::string_view)>& fn);

}  // namespace workflow::internal

#endif  // WORKFLOW_INTERNAL_STORE_H_
