// Where a document stands (document_standing.h): the pure parts, and
// Workflow::GetDocumentStanding and Workflow::SearchDocuments, which read
// the workflow's tables beside the archive's.
#include "workflow/document_standing.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <set>
#include <utility>

#include "workflow/access.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

Status CheckDocumentState(std::string_view state) {
  if (state.empty()) return Status::OK();
  for (std::string_view s : kDocumentStates) {
    if (s == state) return Status::OK();
  }
  return Status::InvalidArgument(
      "state: received、draft、pending_approval、accounting_review、accepted、paid のいずれかで"
      "指定してください（" +
      internal::Clean(state) + "）");
}

json ToJson(const DocumentStanding& s) {
  json order = nullptr;
  if (s.order) {
    order = {{"id", s.order->id},
             {"state", std::string(StateName(s.order->state))},
             {"version", s.order->version},
             {"drafter", s.order->drafter}};
  }
  return {{"state", s.state},
          {"order", order},
          {"may_correct", s.may_correct},
          {"correct_refusal", s.correct_refusal},
          {"may_draft_order", s.may_draft},
          {"draft_refusal", s.draft_refusal},
          {"input_deadline", s.input_deadline ? ToJson(*s.input_deadline) : json(nullptr)},
          {"duplicates", ToJson(s.duplicates)}};
}

namespace {

// {field: {from, to}} for the members of the fields' JSON that differ.
json ChangedFields(const archive::Version& before, const archive::Version& after) {
  const json a = archive::ToJson(before)["fields"], b = archive::ToJson(after)["fields"];
  json changes = json::object();
  for (const auto& [key, value] : b.items()) {
    const json old = a.contains(key) ? a[key] : json(nullptr);
    if (old != value) changes[key] = {{"from", old}, {"to", value}};
  }
  for (const auto& [key, value] : a.items()) {
    if (!b.contains(key)) changes[key] = {{"from", value}, {"to", nullptr}};
  }
  return changes;
}

}  // namespace

std::vector<DocumentEvent> DocumentHistory(const archive::DocumentView& document,
                                           const archive::TimestampStatus& timestamp,
                                           const std::optional<PaymentOrder>& order) {
  std::vector<DocumentEvent> out;
  for (const archive::Receipt& r : document.receipts) {
    DocumentEvent e;
    e.at = r.received_at;
    e.actor = r.receiver;
    e.kind = r.number <= 1 ? "received" : "received_again";
    e.source = r.source;
    e.file_name = r.file_name;
    out.push_back(std::move(e));
  }
  if (timestamp.gen_time) {
    DocumentEvent e;
    e.at = *timestamp.gen_time;
    e.kind = "timestamped";
    out.push_back(std::move(e));
  }
  for (size_t i = 1; i < document.versions.size(); ++i) {
    const archive::Version& v = document.versions[i];
    DocumentEvent e;
    e.at = v.created_at;
    e.actor = v.created_by;
    e.kind = "corrected";
    e.reason = v.reason;
    e.version = v.number;
    e.changes = ChangedFields(document.versions[i - 1], v);
    out.push_back(std::move(e));
  }
  if (order) {
    for (const HistoryEntry& h : order->history) {
      DocumentEvent e;
      e.at = h.at;
      e.actor = h.actor;
      e.kind = "order." + h.action;
      e.reason = h.comment;
      e.order_id = order->id;
      e.from = h.from;
      e.to = h.to;
      out.push_back(std::move(e));
    }
  }
  // A token granted at receipt carries the receipt's time: the receipt
  // first, whatever the clocks say.
  std::stable_sort(out.begin(), out.end(),
                   [](const DocumentEvent& a, const DocumentEvent& b) { return a.at < b.at; });
  return out;
}

json ToJson(const std::vector<DocumentEvent>& history) {
  json out = json::array();
  for (const DocumentEvent& e : history) {
    json j{{"at", base::FormatRfc3339(e.at)}, {"actor", e.actor}, {"kind", e.kind}};
    if (!e.source.empty()) j["source"] = e.source;
    if (!e.file_name.empty()) j["file_name"] = e.file_name;
    if (!e.reason.empty()) j["reason"] = e.reason;
    if (e.version != 0) j["version"] = e.version;
    if (!e.order_id.empty()) {
      j["order_id"] = e.order_id;
      j["from"] = e.from;
      j["to"] = e.to;
    }
    if (e.changes.is_object()) j["changes"] = e.changes;
    out.push_back(std::move(j));
  }
  return out;
}

json ToJson(const DocumentList& list) {
  json items = json::array();
  for (const DocumentListItem& i : list.items) {
    json item = archive::ToJson(i.item);
    item["state"] = i.state;
    item["order_id"] = i.order_id;
    item["media_type"] = i.media_type;
    item["source"] = i.source;
    items.push_back(std::move(item));
  }
  return json{{"count", list.count},
              {"items", std::move(items)},
              {"next", list.next ? json(*list.next) : json(nullptr)}};
}

namespace {

// Rep::LoadOrder (Rep is Workflow's own).
using OrderLoader =
    std::function<Result<PaymentOrder>(const storage::ReadTxn& txn, std::string_view id)>;

// The filter of SearchDocuments for one state: whether the document of seq
// has no live order ("received") or a live order in that state. The open
// orders in the state are read once, in the search's transaction.
archive::SearchRowFilter StateFilter(const internal::Tables& t, OrderLoader load_order,
                                     std::string state) {
  auto in_state = std::make_shared<std::optional<std::set<std::string>>>();
  return [&t, load_order = std::move(load_order), state = std::move(state), in_state](
             const storage::ReadTxn& txn, uint64_t seq) -> Result<bool> {
    auto order_id = txn.Get(t.doc_orders, archive::FormatDocumentId(seq));
    if (!order_id.ok()) {
      if (!order_id.status().IsNotFound()) return order_id.status();
      return state == "received";
    }
    if (state == "received") return false;
    if (state == "paid") {
      // A live order that is not open any more was paid (a withdrawn one
      // leaves doc_orders).
      auto open = txn.Get(t.open_orders, *order_id);
      if (open.ok()) return false;
      if (!open.status().IsNotFound()) return open.status();
      return true;
    }
    if (!*in_state) {
      std::set<std::string> ids;
      RETURN_IF_ERROR(internal::ForEach(
          txn, t.open_orders, [&](std::string_view id, std::string_view) -> Status {
            ASSIGN_OR_RETURN(const PaymentOrder o, load_order(txn, id));
            if (StateName(o.state) == state) ids.emplace(id);
            return Status::OK();
          }));
      *in_state = std::move(ids);
    }
    return (*in_state)->count(std::string(*order_id)) > 0;
  };
}

// The live order of document id, if any.
Result<std::optional<PaymentOrder>> LiveOrder(const storage::ReadTxn& txn,
                                              const internal::Tables& t,
                                              const OrderLoader& load_order, std::string_view id) {
  auto order_id = txn.Get(t.doc_orders, id);
  if (!order_id.ok()) {
    if (order_id.status().IsNotFound()) return std::optional<PaymentOrder>();
    return order_id.status();
  }
  ASSIGN_OR_RETURN(PaymentOrder o, load_order(txn, *order_id));
  return std::optional<PaymentOrder>(std::move(o));
}

// What me may do with document, whose live order is s->order.
void DecideActions(const User& me, const archive::DocumentView& document, DocumentStanding* s) {
  const std::string department = ReceivingDepartment(document);
  Status correct = MayCorrectDocument(me, department);
  if (correct.ok() && s->order) correct = internal::OrderAllowsCorrection(*s->order);
  s->may_correct = correct.ok();
  s->correct_refusal = correct.ok() ? "" : correct.message();
  if (!MayDraftFrom(me, department).ok()) return;
  Status draft = Status::OK();
  if (s->order) {
    draft = Status::Aborted("この請求書にはすでに支出命令 " + s->order->id + " があります");
  } else if (auto invoice = internal::InvoiceFrom(document); !invoice.ok()) {
    const invoice::InvoiceFields* f =
        document.versions.empty() ? nullptr : &document.versions.back().fields;
    // Words for the person at the screen, who enters the total next.
    draft =
        f && !f->total && !f->tax_inclusive_total
            ? Status::FailedPrecondition(
                  "請求金額が読み取れていません。先に「項目入力・訂正」で取引金額などを入力すると、"
                  "支出命令を起票できます")
            : invoice.status();
  }
  // Paying twice outweighs every other reason not to draft.
  for (const DuplicateMatch& d : s->duplicates) {
    if (!d.order_id.empty() && !s->order) {
      draft = Status::FailedPrecondition("同じ請求書が別の経路でも届いており、" + d.id +
                                         " に支出命令 " + d.order_id +
                                         " があります。二重払いになるため起票できません");
    }
  }
  s->may_draft = draft.ok();
  s->draft_refusal = draft.ok() ? "" : draft.message();
}

// The duplicates of document with their live orders.
Result<std::vector<DuplicateMatch>> DuplicatesWithOrders(const storage::ReadTxn& txn,
                                                         const archive::Archive& archive,
                                                         const internal::Tables& t,
                                                         const OrderLoader& load,
                                                         const archive::DocumentView& document) {
  ASSIGN_OR_RETURN(std::vector<DuplicateMatch> found,
                   FindCrossChannelDuplicates(archive, txn, document));
  for (DuplicateMatch& d : found) {
    ASSIGN_OR_RETURN(const std::optional<PaymentOrder> o, LiveOrder(txn, t, load, d.id));
    if (o) {
      d.order_id = o->id;
      d.order_state = std::string(StateName(o->state));
    }
  }
  return found;
}

}  // namespace

Result<DocumentStanding> Workflow::GetDocumentStanding(std::string_view document_id,
                                                       const User& viewer) const {
  const OrderLoader load = [rep = rep_.get()](const storage::ReadTxn& txn, std::string_view id) {
    return rep->LoadOrder(txn, id);
  };
  DocumentStanding s;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    s = DocumentStanding{};
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, viewer));
    ASSIGN_OR_RETURN(const archive::DocumentView document, rep_->LoadDocument(txn, document_id));
    RETURN_IF_ERROR(MayRead(me, ReceivingDepartment(document), rep_->options.routes));
    ASSIGN_OR_RETURN(s.order, LiveOrder(txn, rep_->tables, load, document_id));
    if (s.order) s.state = std::string(StateName(s.order->state));
    s.input_deadline = InputDeadlineOf(document, rep_->options.input_deadline,
                                       base::Date::InJapan(rep_->clock->Now()));
    ASSIGN_OR_RETURN(s.duplicates,
                     DuplicatesWithOrders(txn, *rep_->archive, rep_->tables, load, document));
    DecideActions(me, document, &s);
    return Status::OK();
  }));
  return s;
}

Status Workflow::NarrowToState(archive::SearchQuery* q, std::string_view state) const {
  RETURN_IF_ERROR(CheckDocumentState(state));
  if (state.empty()) return Status::OK();
  OrderLoader load = [rep = rep_.get()](const storage::ReadTxn& txn, std::string_view id) {
    return rep->LoadOrder(txn, id);
  };
  q->filter = StateFilter(rep_->tables, std::move(load), std::string(state));
  return Status::OK();
}

Result<DocumentList> Workflow::SearchDocuments(archive::SearchQuery q,
                                               std::string_view state) const {
  RETURN_IF_ERROR(NarrowToState(&q, state));
  const OrderLoader load = [rep = rep_.get()](const storage::ReadTxn& txn, std::string_view id) {
    return rep->LoadOrder(txn, id);
  };
  ASSIGN_OR_RETURN(archive::SearchResult found, rep_->archive->Search(q));
  DocumentList list;
  list.count = found.count;
  list.next = std::move(found.next);
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    list.items.clear();
    for (const archive::SearchItem& item : found.items) {
      DocumentListItem i{item, "received", "", "", ""};
      ASSIGN_OR_RETURN(const std::optional<PaymentOrder> o,
                       LiveOrder(txn, rep_->tables, load, item.id));
      if (o) {
        i.state = std::string(StateName(o->state));
        i.order_id = o->id;
      }
      ASSIGN_OR_RETURN(const archive::DocumentView d, rep_->archive->GetReceived(txn, item.id));
      i.media_type = d.document.media_type;
      if (!d.receipts.empty()) i.source = d.receipts.front().source;
      list.items.push_back(std::move(i));
    }
    return Status::OK();
  }));
  return list;
}

}  // namespace workflow
