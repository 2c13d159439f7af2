#include "workflow/internal/work_lists.h"

#include "workflow/deadlines.h"

namespace workflow::internal {

using base::Status;

namespace {

struct Entry {
  std::string group;
  int64_t day = 0;
};

// The lists an order is on, by its state.
std::vector<Entry> EntriesOf(const PaymentOrder& o) {
  std::vector<Entry> out;
  if (IsFinal(o.state)) return out;
  const std::optional<base::Date> due = DueDate(o.clock);
  const int64_t day = due ? due->DaysSinceEpoch() : kNoDue;
  if (due) out.push_back({"due", day});
  switch (o.state) {
    case OrderState::kDraft:
      out.push_back({"q/draft", day});
      break;
    case OrderState::kPendingApproval:
      if (o.step < o.route.size()) out.push_back({"q/approve/" + o.route[o.step].title, day});
      break;
    case OrderState::kAccountingReview:
      out.push_back({"q/review", day});
      break;
    case OrderState::kAccepted:
      out.push_back({"q/pay", day});
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

Status IndexOrder(storage::WriteTxn& txn, const storage::DatedIndex& index,
                  const PaymentOrder* before, const PaymentOrder* after) {
  if (before != nullptr) {
    for (const Entry& e : EntriesOf(*before)) {
      RETURN_IF_ERROR(index.Erase(txn, e.group, before->department, e.day, before->id));
    }
  }
  if (after != nullptr) {
    for (const Entry& e : EntriesOf(*after)) {
      RETURN_IF_ERROR(index.Insert(txn, e.group, after->department, e.day, after->id));
    }
  }
  return Status::OK();
}

std::vector<WorkQueue> QueuesOf(const User& user, const RouteConfig& routes) {
  std::vector<WorkQueue> out;
  if (!user.active) return out;
  if (user.HasRole(Role::kClerk) && !user.department.empty()) {
    out.push_back({"q/draft", user.department});
  }
  if (user.HasRole(Role::kApprover) && !user.title.empty()) {
    if (routes.IsAnyDepartmentTitle(user.title)) {
      out.push_back({"q/approve/" + user.title, std::nullopt});
    } else if (!user.department.empty()) {
      out.push_back({"q/approve/" + user.title, user.department});
    }
  }
  if (user.HasRole(Role::kAccountant)) {
    out.push_back({"q/review", std::nullopt});
    out.push_back({"q/pay", std::nullopt});
  }
  return out;
}

namespace {
constexpr std::string_view kWorkListsKey = "work_lists";
constexpr std::string_view kWorkListsVersion = "1";
}  // namespace

Status EnsureWorkLists(ledger::Ledger* ledger, const Tables& tables,
                       const archive::Archive& archive) {
  if (ledger->read_only() || !tables.work_lists || !tables.derived_meta) return Status::OK();
  bool built = false;
  RETURN_IF_ERROR(ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    auto v = txn.Get(*tables.derived_meta, kWorkListsKey);
    built = v.ok() && *v == kWorkListsVersion;
    return v.ok() || v.status().IsNotFound() ? Status::OK() : v.status();
  }));
  if (built) return Status::OK();
  return ledger->Write([&](storage::WriteTxn& txn, const ledger::AppendEvent&) -> Status {
    RETURN_IF_ERROR(tables.work_lists->Clear(txn));
    std::vector<std::string> open;
    RETURN_IF_ERROR(ForEach(txn, tables.open_orders, [&](std::string_view id, std::string_view) {
      open.emplace_back(id);
      return Status::OK();
    }));
    for (const std::string& id : open) {
      ASSIGN_OR_RETURN(const nlohmann::json j,
                       GetRecord(txn, tables.orders, id, "支出命令がありません: " + id));
      ASSIGN_OR_RETURN(const PaymentOrder o, PaymentOrderFromJson(j));
      RETURN_IF_ERROR(IndexOrder(txn, *tables.work_lists, nullptr, &o));
    }
    RETURN_IF_ERROR(archive.RebuildPending(txn, [&](std::string_view doc) -> base::Result<bool> {
      auto order = txn.Get(tables.doc_orders, doc);
      if (order.ok()) return true;
      if (order.status().IsNotFound()) return false;
      return order.status();
    }));
    return txn.Put(*tables.derived_meta, kWorkListsKey, kWorkListsVersion);
  });
}

}  // namespace workflow::internal
