#include "workflow/inbox.h"

#include "workflow/access.h"

#include <algorithm>
#include <tuple>

#include "workflow/state_machine.h"

namespace workflow {

using nlohmann::json;

namespace {

bool SortsBefore(const InboxItem& a, const InboxItem& b) {
  // Items without a due date (stopped clocks) go last.
  const auto key = [](const InboxItem& i) {
    return std::make_tuple(!i.due.has_value(), i.due.value_or(base::Date(1970, 1, 1)), i.id);
  };
  return key(a) < key(b);
}

void Sort(std::vector<InboxItem>* items) { std::sort(items->begin(), items->end(), SortsBefore); }

json ItemJson(const InboxItem& i) {
  json j = {{"kind", i.kind},
            {"id", i.id},
            {"department", i.department},
            {"counterparty", i.counterparty},
            {"amount", i.amount},
            {"state", i.state},
            {"version", i.version},
            {"due", i.due ? json(i.due->ToString()) : json(nullptr)},
            {"deadline", std::string(DeadlineStatusName(i.deadline))},
            {"actions", i.actions}};
  if (!i.return_reason.empty()) j["return_reason"] = i.return_reason;
  return j;
}

json ListJson(const std::vector<InboxItem>& items) {
  json out = json::array();
  for (const InboxItem& i : items) out.push_back(ItemJson(i));
  return out;
}

}  // namespace

bool InScope(const User& user, const std::string& department, const RouteConfig& routes) {
  return MayRead(user, department, routes).ok();
}

Inbox BuildInbox(const User& user, const std::vector<DocumentSummary>& received,
                 const std::set<std::string>& documents_with_orders,
                 const std::vector<PaymentOrder>& open_orders, const RouteConfig& routes,
                 base::Date today, int due_soon_days) {
  Inbox inbox;
  auto file_deadline = [&](const InboxItem& item) {
    if (item.deadline == DeadlineStatus::kDueSoon) inbox.due_soon.push_back(item);
    if (item.deadline == DeadlineStatus::kOverdue) inbox.overdue.push_back(item);
  };
  for (const DocumentSummary& d : received) {
    if (documents_with_orders.count(d.id) > 0 || !InScope(user, d.department, routes)) continue;
    const PaymentClock clock = StartPaymentClock(base::Date::InJapan(d.received_at), 30);
    InboxItem item{"document",
                   d.id,
                   d.department,
                   d.counterparty,
                   d.total,
                   "received",
                   0,
                   DueDate(clock),
                   Classify(clock, today, due_soon_days),
                   {}};
    // Documents are unprocessed for their own department; other scopes see
    // them only when they are late.
    if (d.department == user.department) inbox.unprocessed.push_back(item);
    file_deadline(item);
  }
  for (const PaymentOrder& o : open_orders) {
    if (IsFinal(o.state)) continue;
    std::vector<std::string> actions;
    bool waiting = false;
    // A step the user could take only as a substitute (代決) is not waiting
    // for them: it waits for its title's holder.
    const bool holder = o.state == OrderState::kPendingApproval && o.step < o.route.size() &&
                        o.route[o.step].title == user.title;
    for (Action a : AvailableActions(o, user, routes, today)) {
      actions.push_back(std::string(ActionName(a)));
      waiting = waiting || a == Action::kSubmit || (a == Action::kApprove && holder) ||
                a == Action::kAccept || a == Action::kPay || a == Action::kResume;
    }
    const bool in_scope = InScope(user, o.department, routes);
    if (!waiting && !in_scope) continue;
    InboxItem item{"order",
                   o.id,
                   o.department,
                   o.counterparty,
                   o.amount.ToString(),
                   std::string(StateName(o.state)),
                   o.version,
                   DueDate(o.clock),
                   Classify(o.clock, today, due_soon_days),
                   std::move(actions)};
    if (o.state == OrderState::kDraft) item.return_reason = o.last_return_reason;
    if (waiting) inbox.waiting_for_me.push_back(item);
    if (in_scope) file_deadline(item);
  }
  Sort(&inbox.unprocessed);
  Sort(&inbox.waiting_for_me);
  Sort(&inbox.due_soon);
  Sort(&inbox.overdue);
  return inbox;
}

json ToJson(const Inbox& inbox) {
  return {{"unprocessed", ListJson(inbox.unprocessed)},
          {"waiting_for_me", ListJson(inbox.waiting_for_me)},
          {"due_soon", ListJson(inbox.due_soon)},
          {"overdue", ListJson(inbox.overdue)},
          {"counts",
           {{"unprocessed", inbox.unprocessed.size()},
            {"waiting_for_me", inbox.waiting_for_me.size()},
            {"due_soon", inbox.due_soon.size()},
            {"overdue", inbox.overdue.size()}}}};
}

}  // namespace workflow
