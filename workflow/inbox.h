// The inbox: what is on a user's home screen. Unprocessed invoices (received
// by the user's department, no payment order yet), orders waiting for the
// user, and everything in the user's scope that is due within 7 days or
// overdue under 支払遅延防止法.
//
// Scope: clerks and approvers see their department (approvers with an
// any-department title such as 副市長 see all); accountants, auditors,
// compliance officers and admins see all departments.
//
// Thread safety: pure functions.
#ifndef WORKFLOW_INBOX_H_
#define WORKFLOW_INBOX_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/time.h"
#include "workflow/deadlines.h"
#include "workflow/organization.h"
#include "workflow/payment_order.h"
#include "workflow/route.h"

namespace workflow {

/// A received document as the caller (the archive's search) lists it.
struct DocumentSummary {
  std::string id;          ///< "D00000042"
  std::string department;  ///< of its first receipt
  base::Time received_at;  ///< first receipt
  std::string counterparty;
  std::string total;  ///< decimal string, may be empty
  std::string issue_date;
};

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

struct Inbox {
  std::vector<InboxItem> unprocessed;     ///< documents without an order
  /// Orders I may submit, approve (as the step's title holder; a step I
  /// could take only as a substitute, 代決, is not listed), accept or pay.
  std::vector<InboxItem> waiting_for_me;
  std::vector<InboxItem> due_soon;        ///< documents and orders, due within 7 days
  std::vector<InboxItem> overdue;         ///< documents and orders past due
};

/// Builds the inbox of user on `today` (Japan). received: the documents the
/// caller found; documents_with_orders: ids that already have an order
/// (their deadlines are the orders'); open_orders: orders not paid or
/// withdrawn. A document's clock starts at its receipt with 30 days (its
/// expense type is not known before an order names a commitment; 30 is the
/// stricter). Items are sorted by due date, then id.
Inbox BuildInbox(const User& user, const std::vector<DocumentSummary>& received,
                 const std::set<std::string>& documents_with_orders,
                 const std::vector<PaymentOrder>& open_orders, const RouteConfig& routes,
                 base::Date today, int due_soon_days = 7);

/// True if the user sees this department's documents and orders.
bool InScope(const User& user, const std::string& department, const RouteConfig& routes);

/// {"unprocessed": [...], "waiting_for_me": [...], "due_soon": [...],
///  "overdue": [...], "counts": {"unprocessed", "waiting_for_me", "due_soon",
///  "overdue"}}; each item {"kind","id","department","counterparty",
///  "amount","state","version","due","deadline","actions"} and, for a
///  returned draft, "return_reason".
nlohmann::json ToJson(const Inbox& inbox);

}  // namespace workflow

#endif  // WORKFLOW_INBOX_H_
