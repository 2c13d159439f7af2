// The inbox: what is on a user's home screen. Unprocessed invoices (received
// by the user's department, no payment order yet), orders waiting for the
// user, and everything in the user's scope that is due within 7 days or
// overdue under 支払遅延防止法. Each list is counted in full and read a page
// at a time, from the work lists kept in the write transactions
// (workflow/internal/work_lists.h, Archive::pending): nothing is cut off.
//
// Scope: clerks and approvers see their department (approvers with an
// any-department title such as 副市長 see all); accountants, auditors,
// compliance officers and admins see all departments.
//
// Thread safety: values and pure functions.
#ifndef WORKFLOW_INBOX_H_
#define WORKFLOW_INBOX_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/result.h"
#include "workflow/deadlines.h"

namespace workflow {

/// One line of the inbox: a document without an order, or an order.
struct InboxItem {
  std::string kind;  ///< "document" or "order"
  std::string id;
  std::string department;
  std::string counterparty;
  std::string amount;
  std::string state;  ///< order state; "received" for a document
  uint32_t version = 0;
  std::optional<base::Date> due;  ///< none while the clock is stopped
  DeadlineStatus deadline = DeadlineStatus::kOnTime;
  std::vector<std::string> actions;  ///< what the user may do (orders)
  /// A draft that came back (差戻し): the reason, so the drafter sees it on
  /// the home screen. Empty otherwise.
  std::string return_reason;
};

/// The lists of the home screen: the four of the payment clock, and the
/// scans whose keys are due soon or overdue (スキャナ保存's input deadline,
/// workflow/input_deadline.h).
enum class InboxList {
  kUnprocessed,
  kWaitingForMe,
  kDueSoon,
  kOverdue,
  kInputDueSoon,
  kInputOverdue
};
/// "unprocessed", "waiting_for_me", "due_soon", "overdue", "input_due_soon",
/// "input_overdue".
std::string_view InboxListName(InboxList list);
/// The inverse; InvalidArgument for anything else.
base::Result<InboxList> ParseInboxList(std::string_view name);

/// A page of one list, sorted by due date (items without one last), then
/// id; count is the whole list's length.
struct InboxPage {
  std::vector<InboxItem> items;
  uint64_t count = 0;
  /// Where the next page starts (pass it as `after`); none on the last.
  std::optional<std::string> next;
};

/// The home screen: the first page of each list, with its count.
struct Inbox {
  InboxPage unprocessed;
  InboxPage waiting_for_me;  ///< orders I may submit, approve, accept or pay
  InboxPage due_soon;        ///< documents and orders, due within 7 days
  InboxPage overdue;         ///< documents and orders past due
  InboxPage input_due_soon;  ///< scans whose keys are due soon (入力期限間近)
  InboxPage input_overdue;   ///< scans whose keys are overdue (入力期限超過)
};

/// A page position: due day (days since 1970-01-01; items without a due
/// date after every day; for the input lists the first receipt day, whose
/// order is the deadline's) and id, as "<day>.<id>".
std::string FormatInboxCursor(int64_t day, std::string_view id);
/// The inverse; InvalidArgument for a malformed cursor.
base::Result<std::pair<int64_t, std::string>> ParseInboxCursor(std::string_view cursor);

/// {"items": [...], "count": n, "next": "…" or null}; each item
/// {"kind","id","department","counterparty","amount","state","version",
/// "due","deadline","actions"} and, for a returned draft, "return_reason".
nlohmann::json ToJson(const InboxPage& page);
/// {"unprocessed": [...], "waiting_for_me": [...], "due_soon": [...],
///  "overdue": [...], "input_due_soon": [...], "input_overdue": [...], "counts": {"unprocessed",
///  ...}, "next": {"unprocessed": "…" or null, ...}}: the first pages, their counts and where each
///  goes on.
nlohmann::json ToJson(const Inbox& inbox);

}  // namespace workflow

#endif  // WORKFLOW_INBOX_H_
