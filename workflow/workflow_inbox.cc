// Workflow: the inbox (inbox.h) read from the work lists — the archive's
// pending documents and the order lists of internal/work_lists.h — counted
// in full and paged, in one snapshot; and the rebuild of the lists for a
// data directory written before they existed.
#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "workflow/access.h"
#include "workflow/inbox.h"
#include "workflow/internal/store.h"
#include "workflow/internal/work_lists.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/state_machine.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Date;
using base::Result;
using base::Status;
using storage::DatedIndex;

namespace {

// A document's payment clock runs 30 days from its receipt (the stricter
// term; its expense type is known only once an order names a commitment).
constexpr int64_t kDocumentDays = 30;
constexpr size_t kMaxPage = 500;

// One index range a list is made of. Its days plus shift are due days.
struct Source {
  const DatedIndex* index = nullptr;
  std::string group;
  std::optional<std::string> scope;
  int64_t from = DatedIndex::kMinDay;
  int64_t to = DatedIndex::kMaxDay;
  int64_t shift = 0;
  bool documents = false;
  bool input = false;  // the scans awaiting keys: days are receipt days
};

struct Found {
  int64_t due = 0;
  std::string id;
  std::string scope;
  bool document = false;
  bool input = false;
  bool operator<(const Found& o) const { return due != o.due ? due < o.due : id < o.id; }
};

// The order with its match replaced by the current one (Workflow::Rep::
// LoadOrder, RefreshMatch), so that the actions offered are those the order
// would be decided on.
using LoadFn = std::function<Result<PaymentOrder>(const storage::ReadTxn&, std::string_view id)>;

class InboxReader {
 public:
  InboxReader(const storage::ReadTxn& txn, const internal::Tables& tables,
              const archive::Archive& archive, const RouteConfig& routes, const User& me,
              Date today, int due_soon_days, const InputDeadlineRule& input, LoadFn load)
      : txn_(txn),
        tables_(tables),
        archive_(archive),
        routes_(routes),
        me_(me),
        today_(today),
        soon_(due_soon_days),
        input_(input),
        load_(std::move(load)) {}

  Result<InboxPage> Read(InboxList list, const std::optional<std::pair<int64_t, std::string>>& after,
                         size_t limit) const {
    ASSIGN_OR_RETURN(const std::vector<Source> sources, SourcesOf(list));
    InboxPage page;
    for (const Source& s : sources) {
      ASSIGN_OR_RETURN(const uint64_t n, s.index->Count(txn_, s.group, s.scope, s.from, s.to));
      page.count += n;
    }
    std::vector<Found> found;
    bool more = false;
    if (limit == 0) return page;  // the counts alone
    for (const Source& s : sources) {
      std::optional<DatedIndex::Position> from;
      if (after) from = DatedIndex::Position{after->first - s.shift, after->second};
      ASSIGN_OR_RETURN(const DatedIndex::Page p,
                       s.index->List(txn_, s.group, s.scope, s.from, s.to, from, limit));
      more = more || p.next.has_value();
      for (const auto& e : p.entries)
        found.push_back({e.day + s.shift, e.id, e.scope, s.documents, s.input});
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end(),
                            [](const Found& a, const Found& b) { return a.id == b.id; }),
                found.end());
    if (found.size() > limit) {
      found.resize(limit);
      more = true;
    }
    for (const Found& f : found) {
      ASSIGN_OR_RETURN(InboxItem item, f.input      ? InputItem(f)
                                       : f.document ? DocumentItem(f)
                                                    : OrderItem(f));
      page.items.push_back(std::move(item));
    }
    if (more && !found.empty()) page.next = FormatInboxCursor(found.back().due, found.back().id);
    return page;
  }

 private:
  Result<std::vector<Source>> SourcesOf(InboxList list) const {
    const DatedIndex* pending = archive_.pending();
    if (pending == nullptr || !tables_.work_lists) {
      return Status::FailedPrecondition(
          "受信一覧の索引がまだありません。kura serve を一度起動してから開いてください");
    }
    const DatedIndex* orders = &*tables_.work_lists;
    const int64_t t = today_.DaysSinceEpoch();
    std::vector<Source> out;
    std::optional<std::string> scope;
    if (!SeesAllDepartments(me_, routes_)) {
      if (me_.department.empty()) return out;
      scope = me_.department;
    }
    switch (list) {
      case InboxList::kUnprocessed:
        if (!me_.department.empty()) {
          out.push_back({pending, "", me_.department, DatedIndex::kMinDay, DatedIndex::kMaxDay,
                         kDocumentDays, true});
        }
        break;
      case InboxList::kWaitingForMe:
        for (const internal::WorkQueue& q : internal::QueuesOf(me_, routes_)) {
          out.push_back({orders, q.group, q.scope, DatedIndex::kMinDay, DatedIndex::kMaxDay, 0,
                         false});
        }
        break;
      case InboxList::kDueSoon:
        out.push_back({pending, "", scope, t - kDocumentDays, t + soon_ - kDocumentDays,
                       kDocumentDays, true});
        out.push_back({orders, "due", scope, t, t + soon_, 0, false});
        break;
      case InboxList::kOverdue:
        out.push_back({pending, "", scope, DatedIndex::kMinDay, t - kDocumentDays - 1,
                       kDocumentDays, true});
        out.push_back({orders, "due", scope, DatedIndex::kMinDay, t - 1, 0, false});
        break;
      case InboxList::kInputDueSoon:
      case InboxList::kInputOverdue: {
        const base::BusinessCalendar calendar(input_.city_holidays);
        const ReceiptDays days =
            list == InboxList::kInputOverdue
                ? ReceiptDaysDueBetween(std::nullopt, today_.AddDays(-1), input_)
                : ReceiptDaysDueBetween(
                      today_, calendar.AddBusinessDays(today_, input_.due_soon_business_days),
                      input_);
        const int64_t from = list == InboxList::kInputOverdue ? DatedIndex::kMinDay : days.from;
        if (from <= days.to) {
          out.push_back({pending, std::string(archive::kAwaitingKeysGroup), scope, from, days.to, 0,
                         true, true});
        }
        break;
      }
    }
    return out;
  }

  // A scan whose keys are awaited: due is its input deadline.
  Result<InboxItem> InputItem(const Found& f) const {
    ASSIGN_OR_RETURN(const archive::DocumentView view, archive_.Get(txn_, f.id));
    const invoice::InvoiceFields& fields = view.versions.back().fields;
    InboxItem item;
    item.kind = "document";
    item.id = f.id;
    item.department = f.scope;
    item.counterparty = fields.counterparty;
    item.amount = fields.total.value_or("");
    item.state = "awaiting_keys";
    if (const auto deadline = InputDeadlineOf(view, input_, today_)) {
      item.due = deadline->due;
      item.deadline = deadline->status == InputStatus::kOverdue   ? DeadlineStatus::kOverdue
                      : deadline->status == InputStatus::kDueSoon ? DeadlineStatus::kDueSoon
                                                                  : DeadlineStatus::kOnTime;
    }
    return item;
  }

  Result<InboxItem> DocumentItem(const Found& f) const {
    ASSIGN_OR_RETURN(const archive::DocumentView view, archive_.Get(txn_, f.id));
    const invoice::InvoiceFields& fields = view.versions.back().fields;
    const PaymentClock clock = StartPaymentClock(
        Date::FromDaysSinceEpoch(static_cast<int32_t>(f.due - kDocumentDays)), kDocumentDays);
    InboxItem item;
    item.kind = "document";
    item.id = f.id;
    item.department = f.scope;
    item.counterparty = fields.counterparty;
    item.amount = fields.total.value_or("");
    item.state = "received";
    item.due = DueDate(clock);
    item.deadline = Classify(clock, today_, soon_);
    return item;
  }

  Result<InboxItem> OrderItem(const Found& f) const {
    ASSIGN_OR_RETURN(const PaymentOrder o, load_(txn_, f.id));
    InboxItem item;
    item.kind = "order";
    item.id = o.id;
    item.department = o.department;
    item.counterparty = o.counterparty;
    item.amount = o.amount.ToString();
    item.state = std::string(StateName(o.state));
    item.version = o.version;
    item.due = DueDate(o.clock);
    item.deadline = Classify(o.clock, today_, soon_);
    for (Action a : AvailableActions(o, me_, routes_, today_)) {
      item.actions.push_back(std::string(ActionName(a)));
    }
    if (o.state == OrderState::kDraft) item.return_reason = o.last_return_reason;
    return item;
  }

  const storage::ReadTxn& txn_;
  const internal::Tables& tables_;
  const archive::Archive& archive_;
  const RouteConfig& routes_;
  const User& me_;
  const Date today_;
  const int soon_;
  const InputDeadlineRule& input_;
  const LoadFn load_;
};

}  // namespace

Result<Inbox> Workflow::GetInbox(const User& user, size_t page_size) const {
  page_size = std::min(page_size, kMaxPage);
  const Date today = Date::InJapan(rep_->clock->Now());
  Inbox inbox;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, user));
    const InboxReader reader(txn, rep_->tables, *rep_->archive, rep_->options.routes, me, today,
                             rep_->options.due_soon_days, rep_->options.input_deadline,
                             [this](const storage::ReadTxn& t, std::string_view id) {
                               return rep_->LoadRefreshedOrder(t, id);
                             });
    ASSIGN_OR_RETURN(inbox.unprocessed, reader.Read(InboxList::kUnprocessed, {}, page_size));
    ASSIGN_OR_RETURN(inbox.waiting_for_me, reader.Read(InboxList::kWaitingForMe, {}, page_size));
    ASSIGN_OR_RETURN(inbox.due_soon, reader.Read(InboxList::kDueSoon, {}, page_size));
    ASSIGN_OR_RETURN(inbox.overdue, reader.Read(InboxList::kOverdue, {}, page_size));
    ASSIGN_OR_RETURN(inbox.input_due_soon, reader.Read(InboxList::kInputDueSoon, {}, page_size));
    ASSIGN_OR_RETURN(inbox.input_overdue, reader.Read(InboxList::kInputOverdue, {}, page_size));
    return Status::OK();
  }));
  return inbox;
}

Result<InboxPage> Workflow::GetInboxList(const User& user, InboxList list, std::string_view after,
                                         size_t limit) const {
  if (limit < 1 || limit > kMaxPage) {
    return Status::InvalidArgument("1ページの件数（limit）は 1 から 500 までです");
  }
  std::optional<std::pair<int64_t, std::string>> position;
  if (!after.empty()) {
    ASSIGN_OR_RETURN(position, ParseInboxCursor(after));
  }
  const Date today = Date::InJapan(rep_->clock->Now());
  InboxPage page;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, user));
    const InboxReader reader(txn, rep_->tables, *rep_->archive, rep_->options.routes, me, today,
                             rep_->options.due_soon_days, rep_->options.input_deadline,
                             [this](const storage::ReadTxn& t, std::string_view id) {
                               return rep_->LoadRefreshedOrder(t, id);
                             });
    ASSIGN_OR_RETURN(page, reader.Read(list, position, limit));
    return Status::OK();
  }));
  return page;
}

}  // namespace workflow
