#include "workflow/inbox.h"

#include <charconv>

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

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

json ItemsJson(const std::vector<InboxItem>& items) {
  json out = json::array();
  for (const InboxItem& i : items) out.push_back(ItemJson(i));
  return out;
}

json NextJson(const InboxPage& page) { return page.next ? json(*page.next) : json(nullptr); }

}  // namespace

std::string_view InboxListName(InboxList list) {
  switch (list) {
    case InboxList::kUnprocessed: return "unprocessed";
    case InboxList::kWaitingForMe: return "waiting_for_me";
    case InboxList::kDueSoon: return "due_soon";
    case InboxList::kOverdue: return "overdue";
    case InboxList::kInputDueSoon:
      return "input_due_soon";
    case InboxList::kInputOverdue:
      return "input_overdue";
  }
  return "unprocessed";
}

Result<InboxList> ParseInboxList(std::string_view name) {
  for (InboxList l : {InboxList::kUnprocessed, InboxList::kWaitingForMe, InboxList::kDueSoon,
                      InboxList::kOverdue, InboxList::kInputDueSoon, InboxList::kInputOverdue}) {
    if (InboxListName(l) == name) return l;
  }
  return Status::InvalidArgument(
      "一覧の種類は unprocessed, waiting_for_me, due_soon, overdue のどれかです");
}

std::string FormatInboxCursor(int64_t day, std::string_view id) {
  return std::to_string(day) + "." + std::string(id);
}

Result<std::pair<int64_t, std::string>> ParseInboxCursor(std::string_view cursor) {
  const size_t dot = cursor.find('.');
  int64_t day = 0;
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= cursor.size() || cursor.size() > 64) {
    return Status::InvalidArgument("ページの位置（after）の形式が正しくありません");
  }
  const auto [end, ec] = std::from_chars(cursor.data(), cursor.data() + dot, day);
  if (ec != std::errc() || end != cursor.data() + dot) {
    return Status::InvalidArgument("ページの位置（after）の形式が正しくありません");
  }
  return std::pair<int64_t, std::string>{day, std::string(cursor.substr(dot + 1))};
}

json ToJson(const InboxPage& page) {
  return {{"items", ItemsJson(page.items)}, {"count", page.count}, {"next", NextJson(page)}};
}

json ToJson(const Inbox& inbox) {
  return {{"unprocessed", ItemsJson(inbox.unprocessed.items)},
          {"waiting_for_me", ItemsJson(inbox.waiting_for_me.items)},
          {"due_soon", ItemsJson(inbox.due_soon.items)},
          {"overdue", ItemsJson(inbox.overdue.items)},
          {"input_due_soon", ItemsJson(inbox.input_due_soon.items)},
          {"input_overdue", ItemsJson(inbox.input_overdue.items)},
          {"counts",
           {{"unprocessed", inbox.unprocessed.count},
            {"waiting_for_me", inbox.waiting_for_me.count},
            {"due_soon", inbox.due_soon.count},
            {"overdue", inbox.overdue.count},
            {"input_due_soon", inbox.input_due_soon.count},
            {"input_overdue", inbox.input_overdue.count}}},
          {"next",
           {{"unprocessed", NextJson(inbox.unprocessed)},
            {"waiting_for_me", NextJson(inbox.waiting_for_me)},
            {"due_soon", NextJson(inbox.due_soon)},
            {"overdue", NextJson(inbox.overdue)},
            {"input_due_soon", NextJson(inbox.input_due_soon)},
            {"input_overdue", NextJson(inbox.input_overdue)}}}};
}

}  // namespace workflow
