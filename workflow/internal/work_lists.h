// The workflow's work lists, kept in the derived table idx_orders
// (storage/dated_index.h; ledger/ledger.h on derived tables) in the same
// write transaction as the orders they list, so that the home screen's
// counts and pages are read from indexes instead of walking every order
// and document:
//
//   group              scope        day              what
//   "due"              department   due date         open orders whose clock runs
//   "q/draft"          department   due (or kNoDue)  drafts: the department's clerks act
//   "q/approve/<title>" department  due (or kNoDue)  pending_approval at a <title> step
//   "q/review"         department   due (or kNoDue)  accounting_review: the accountants
//   "q/pay"            department   due (or kNoDue)  accepted: the accountants pay
//
// The invoices that have no order yet are the archive's pending documents
// (Archive::pending): a draft takes its invoice out, a withdrawal puts it
// back. A data directory written before these lists existed gets them
// rebuilt when a writer opens the workflow (RebuildWorkLists).
#ifndef WORKFLOW_INTERNAL_WORK_LISTS_H_
#define WORKFLOW_INTERNAL_WORK_LISTS_H_

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "archive/archive.h"
#include "ledger/ledger.h"
#include "storage/dated_index.h"
#include "workflow/internal/store.h"
#include "workflow/organization.h"
#include "workflow/payment_order.h"
#include "workflow/route.h"

namespace workflow::internal {

/// The day of items without a due date (a stopped clock): after every date.
inline constexpr int64_t kNoDue = 99'999'999;

/// Replaces the entries of `before` (null: a new order) by those of
/// `after` (null: none), in the caller's write transaction.
base::Status IndexOrder(storage::WriteTxn& txn, const storage::DatedIndex& index,
                        const PaymentOrder* before, const PaymentOrder* after);

/// A work list a user acts on: a group, in one department or (nullopt) in
/// all.
struct WorkQueue {
  std::string group;
  std::optional<std::string> scope;
};
/// The queues of orders waiting for user: a clerk's department's drafts, an
/// approver's steps (their title; every department for an any-department
/// title such as 副市長), the accountants' 会計審査 and payments.
std::vector<WorkQueue> QueuesOf(const User& user, const RouteConfig& routes);

/// Builds the work lists and the archive's pending documents afresh from
/// the open orders and wf_doc_orders, unless a writer built them already
/// (the version under "work_lists" in idx_workflow). Derived tables only:
/// no event (ledger/ledger.h).
base::Status EnsureWorkLists(ledger::Ledger* ledger, const Tables& tables,
                             const archive::Archive& archive);

}  // namespace workflow::internal

#endif  // WORKFLOW_INTERNAL_WORK_LISTS_H_
