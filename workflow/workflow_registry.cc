// Workflow: the event of a 国税庁 registry import and what the accounting
// office reads of the registry (workflow.h, nta_registry.h). The registry's
// rows live outside the catalog; the event says which snapshot the data
// directory's checks use.
#include <utility>

#include "base/json.h"
#include "ledger/event_types.h"
#include "workflow/access.h"
#include "workflow/internal/store.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {
namespace {

base::Status MayReadRegistry(const User& viewer) {
  if (!MayReviewCreditors(viewer).ok()) {
    return base::Status::PermissionDenied("登録番号の確認は会計室・管理者・監査だけが見られます");
  }
  return base::Status::OK();
}

// item as a lapsed registration, if its registration was valid on its date
// and lapsed after it, on or before today.
bool Lapsed(const NtaRegistry* registry, const archive::SearchItem& item,
            const std::string& today, LapsedRegistration* out) {
  if (item.registration_number.empty() || !item.issue_date) return false;
  const RegistryCheck c =
      CheckRegistration(registry, item.registration_number, *item.issue_date, "", today);
  if (c.status != "valid" || c.lapsed_on.empty() || !c.entry) return false;
  *out = LapsedRegistration{item.id,
                            item.counterparty,
                            item.registration_number,
                            *item.issue_date,
                            c.lapsed_on,
                            c.lapsed_on == c.entry->cancelled ? "cancelled" : "expired",
                            c.entry->cancelled,
                            c.entry->expired,
                            c.entry->name};
  return true;
}

}  // namespace

base::Status Workflow::RecordRegistryImport(const nlohmann::json& import, const User& actor) {
  return rep_->ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayManageVendors(me));
    nlohmann::json e = rep_->Event(ledger::event::kRegistryImported, me);
    e["import"] = import;
    return append(e).status();
  });
}

base::Result<RegistrySnapshot> Workflow::RegistryStatus(const NtaRegistry* registry,
                                                        const User& viewer) const {
  RETURN_IF_ERROR(MayReadRegistry(viewer));
  return registry ? registry->snapshot() : RegistrySnapshot{};
}

base::Result<RegistryCheck> Workflow::CheckDocumentRegistration(
    const NtaRegistry* registry, const archive::DocumentView& view) const {
  if (view.versions.empty()) return base::Status::NotFound("書類の内容がありません");
  const invoice::InvoiceFields& f = view.versions.back().fields;
  const std::string number = f.registration_number.value_or("");
  // The vendor master's name for the number, if it has the number.
  std::string name;
  if (!number.empty()) {
    RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
      name.clear();
      return internal::ForEach(txn, rep_->tables.vendors, [&](std::string_view, std::string_view v) {
        if (!name.empty() || v.find(number) == std::string_view::npos) return base::Status::OK();
        ASSIGN_OR_RETURN(const nlohmann::json j, base::ParseJson(v));
        ASSIGN_OR_RETURN(const Vendor vendor, VendorFromJson(j));
        if (vendor.registration_number == number) name = vendor.name;
        return base::Status::OK();
      });
    }));
  }
  if (name.empty()) name = f.counterparty;
  return CheckRegistration(registry, number, f.issue_date.value_or(""), name,
                           base::Date::InJapan(rep_->clock->Now()).ToString());
}

base::Result<LapsedList> Workflow::LapsedRegistrations(const NtaRegistry* registry,
                                                       const User& viewer) const {
  RETURN_IF_ERROR(MayReadRegistry(viewer));
  LapsedList list;
  if (registry == nullptr) return list;
  list.snapshot = registry->snapshot();
  if (list.snapshot.seq == 0) return list;
  const std::string today = base::Date::InJapan(rep_->clock->Now()).ToString();
  archive::SearchQuery q;
  q.limit = 1000;
  while (true) {
    ASSIGN_OR_RETURN(const archive::SearchResult page, rep_->archive->Search(q));
    for (const archive::SearchItem& item : page.items) {
      LapsedRegistration row;
      if (Lapsed(registry, item, today, &row)) list.items.push_back(std::move(row));
    }
    if (!page.next) break;
    q.after = *page.next;
  }
  return list;
}

}  // namespace workflow
