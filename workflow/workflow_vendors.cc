// Workflow: the vendor master (債権者マスタ) as the screens change it — a new
// entry with its number assigned, and a change of one entry that refuses
// to overwrite what someone else changed meanwhile. PutVendor (workflow.cc)
// stays the CLI's and the demo's create-or-replace. Each change is one
// Ledger::Write with its "workflow.vendor.*" event (PutVendorRecord: the
// entry before and after, so a changed bank account stays in the log).
#include <cstdio>
#include <string>

#include "base/json.h"
#include "ledger/event_types.h"
#include "workflow/access.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/store.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// "V" + five digits, one above the highest such number in the master
// (V00001 for an empty one). Other ids (the CLI takes any) do not count.
Result<std::string> NextVendorId(const storage::ReadTxn& txn, const storage::Table& vendors) {
  uint64_t highest = 0;
  RETURN_IF_ERROR(internal::ForEach(txn, vendors, [&](std::string_view key, std::string_view) {
    if (key.size() < 2 || key.size() > 10 || key[0] != 'V') return Status::OK();
    uint64_t n = 0;
    for (char c : key.substr(1)) {
      if (c < '0' || c > '9') return Status::OK();
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    if (n > highest) highest = n;
    return Status::OK();
  }));
  char id[24];
  std::snprintf(id, sizeof id, "V%05llu", static_cast<unsigned long long>(highest + 1));
  return std::string(id);
}

// The entry with change applied (not yet canonical or validated).
Vendor Applied(const Vendor& before, const VendorChange& change) {
  Vendor after = before;
  if (change.name) after.name = *change.name;
  if (change.registration_number) after.registration_number = *change.registration_number;
  if (change.bank_account) after.bank_account = *change.bank_account;
  if (change.address) after.address = *change.address;
  if (change.account_holder) after.account_holder = *change.account_holder;
  if (change.corporate_number) after.corporate_number = *change.corporate_number;
  if (change.kana_name) after.kana_name = *change.kana_name;
  return after;
}

}  // namespace

Result<Vendor> Workflow::CreateVendor(const Vendor& vendor, const User& actor) {
  Vendor v = CanonicalVendor(vendor);
  const bool assign = v.id.empty();
  if (assign) v.id = "V00001";  // a well-formed stand-in for Validate
  RETURN_IF_ERROR(Validate(v));
  RETURN_IF_ERROR(
      rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
        ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
        RETURN_IF_ERROR(MayManageVendors(me));
        if (assign) {
          ASSIGN_OR_RETURN(v.id, NextVendorId(txn, rep_->tables.vendors));
        } else if (txn.Get(rep_->tables.vendors, v.id).ok()) {
          return Status::AlreadyExists("債権者番号はすでに使われています: " + v.id);
        }
        return rep_->PutVendorRecord(txn, append, me, rep_->clock->Now(), v, json::object());
      }));
  return v;
}

Result<Vendor> Workflow::UpdateVendor(std::string_view id, const VendorChange& change,
                                      const User& actor) {
  Vendor out;
  RETURN_IF_ERROR(
      rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
        ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
        RETURN_IF_ERROR(MayManageVendors(me));
        ASSIGN_OR_RETURN(const Vendor before, rep_->LoadVendor(txn, id));
        if (change.expected) {
          Vendor expected = *change.expected;
          if (expected.id.empty()) expected.id = before.id;
          if (ToJson(expected) != ToJson(before)) {
            return Status::Aborted("債権者 " + before.id +
                                   " はこの画面を開いた後に他の操作で変更されています。"
                                   "再読み込みして、いまの内容を確かめてから変更してください");
          }
        }
        const Vendor after = CanonicalVendor(Applied(before, change));
        RETURN_IF_ERROR(Validate(after));
        out = after;
        if (ToJson(after) == ToJson(before)) return Status::OK();  // no change, no write
        return rep_->PutVendorRecord(txn, append, me, rep_->clock->Now(), after, json::object());
      }));
  return out;
}

}  // namespace workflow
