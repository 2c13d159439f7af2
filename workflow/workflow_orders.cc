// Workflow: payment orders (draft, act, get) and the inbox.
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "archive/document.h"
#include "base/json.h"
#include "ledger/event_types.h"
#include "workflow/access.h"
#include "workflow/duplicates.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/store.h"
#include "workflow/internal/work_lists.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Date;
using base::Decimal;
using base::Result;
using base::Status;
using nlohmann::json;

namespace {

std::string_view EventVerb(Action a) {
  switch (a) {
    case Action::kSubmit:
      return "submitted";
    case Action::kApprove:
      return "approved";
    case Action::kReturn:
      return "returned";
    case Action::kWithdraw:
      return "withdrawn";
    case Action::kAccept:
      return "accepted";
    case Action::kPay:
      return "paid";
    case Action::kResume:
      return "resumed";
    case Action::kOverrideVendor:
      return "vendor_overridden";
    case Action::kConfirmBankAccount:
      return "bank_account_confirmed";
  }
  return "changed";
}

using internal::InvoiceData;

std::string FormatId(char prefix, int fiscal_year, uint64_t seq) {
  char id[32];
  std::snprintf(id, sizeof id, "%c%d-%04llu", prefix, fiscal_year,
                static_cast<unsigned long long>(seq));
  return id;
}

OrderView MakeView(PaymentOrder order, Commitment commitment, const User& viewer,
                   const RouteConfig& routes, Date today, int due_soon_days) {
  OrderView v;
  v.deadline = Classify(order.clock, today, due_soon_days);
  v.actions = AvailableActions(order, viewer, routes, today);
  v.order = std::move(order);
  v.commitment = std::move(commitment);
  return v;
}

// Whether me may draft an order for the document doc_id, received by
// receiving_department, against commitment: only a clerk of the
// commitment's department, only for an invoice that department received,
// and only one order per invoice.
Status CheckCanDraft(const storage::ReadTxn& txn, const internal::Tables& t, const User& me,
                     const Commitment& commitment, const std::string& doc_id,
                     const std::string& receiving_department) {
  if (!me.HasRole(Role::kClerk) || me.department != commitment.department) {
    return Status::PermissionDenied("支出負担行為の課（" + commitment.department +
                                    "）の会計担当者だけが起票できます");
  }
  if (receiving_department != commitment.department) {
    const std::string received =
        receiving_department.empty()
            ? "どの課にも受け付けられていません"
            : internal::DepartmentLabel(txn, t, receiving_department) + "が受け付けたものです";
    return Status::PermissionDenied("この請求書は" + received + "。" +
                                    internal::DepartmentLabel(txn, t, commitment.department) +
                                    "の支出負担行為からは起票できません（請求書を受け付けた課の支出"
                                    "負担行為から起票してください）");
  }
  if (auto existing = txn.Get(t.doc_orders, doc_id); existing.ok()) {
    return Status::Aborted("この請求書にはすでに支出命令 " + std::string(*existing) +
                           " があります");
  }
  return Status::OK();
}

// An invoice that arrived by another channel too (workflow/duplicates.h)
// and already has an order there is not drafted again: it would be paid
// twice.
Status CheckNotOrderedElsewhere(const storage::ReadTxn& txn, const internal::Tables& t,
                                const archive::Archive& archive,
                                const archive::DocumentView& document) {
  ASSIGN_OR_RETURN(const std::vector<DuplicateMatch> duplicates,
                   FindCrossChannelDuplicates(archive, txn, document));
  for (const DuplicateMatch& d : duplicates) {
    if (auto other = txn.Get(t.doc_orders, d.id); other.ok()) {
      return Status::Aborted("同じ請求書が別の経路でも届いており、" + d.id + " に支出命令 " +
                             std::string(*other) + " があります。二重払いになるため起票できません");
    } else if (!other.status().IsNotFound()) {
      return other.status();
    }
  }
  return Status::OK();
}

// The order `id` that me drafts now for the invoice doc_id against
// commitment and its vendor: its route, its match of the invoice with the
// commitment and the vendor master, and its payment clock.
PaymentOrder NewOrder(std::string id, const std::string& doc_id, const InvoiceData& invoice,
                      const Commitment& commitment, const Vendor& vendor, const User& me,
                      base::Time now, const RouteConfig& routes) {
  PaymentOrder o;
  o.id = std::move(id);
  o.document_id = doc_id;
  o.commitment_id = commitment.id;
  o.department = commitment.department;
  o.vendor_id = commitment.vendor_id;
  o.counterparty = invoice.fields.counterparty;
  o.budget_line = commitment.budget_line;
  o.expense_type = commitment.expense_type;
  o.fiscal_year = commitment.fiscal_year;
  o.amount = invoice.amount;
  o.currency = invoice.currency;
  o.invoice_number = invoice.fields.invoice_number;
  o.issue_date = invoice.fields.issue_date.value_or("");
  o.bank_account = vendor.bank_account;  // the city pays the master's account
  o.drafter = me.login;
  o.created_at = now;
  for (const std::string& title : ChooseRoute(routes, o.amount, o.expense_type)) {
    o.route.push_back({title, "", std::nullopt});
  }
  o.match = MatchInvoice(
      {invoice.fields, invoice.receipt_department, commitment, vendor, commitment.Remaining()});
  o.clock = StartPaymentClock(invoice.received_on, PaymentDaysFor(o.expense_type));
  o.history.push_back(
      {"draft", me.login, now, "", std::string(StateName(OrderState::kDraft)), "", false, 0, ""});
  return o;
}

// The order's entries in the work lists (work_lists.h): before's replaced
// by after's.
Status IndexOrder(storage::WriteTxn& txn, const internal::Tables& t, const PaymentOrder* before,
                  const PaymentOrder* after) {
  if (!t.work_lists) return Status::FailedPrecondition("作業一覧の索引が開かれていません");
  return internal::IndexOrder(txn, *t.work_lists, before, after);
}

// Document doc now has the live order order_id: in wf_doc_orders, and no
// longer among the archive's pending documents.
Status LinkDocument(storage::WriteTxn& txn, const internal::Tables& t,
                    const archive::Archive& archive, const std::string& doc,
                    const std::string& order_id) {
  RETURN_IF_ERROR(txn.Put(t.doc_orders, doc, order_id));
  return archive.SetPending(txn, doc, false);
}

// Document doc has no live order any more: unprocessed again.
Status UnlinkDocument(storage::WriteTxn& txn, const internal::Tables& t,
                      const archive::Archive& archive, const std::string& doc) {
  txn.Delete(t.doc_orders, doc).IgnoreError();
  return archive.SetPending(txn, doc, true);
}

// Writes a new order, its commitment (with the order's amount reserved) and
// the indexes of documents with an order, of open orders and the work
// lists.
Status PutDraft(storage::WriteTxn& txn, const internal::Tables& t, const archive::Archive& archive,
                const PaymentOrder& o, const Commitment& commitment) {
  RETURN_IF_ERROR(txn.Insert(t.orders, o.id, base::DumpJson(ToJson(o))));
  RETURN_IF_ERROR(internal::PutRecord(txn, t.commitments, commitment.id, ToJson(commitment)));
  RETURN_IF_ERROR(LinkDocument(txn, t, archive, o.document_id, o.id));
  RETURN_IF_ERROR(IndexOrder(txn, t, nullptr, &o));
  return txn.Put(t.open_orders, o.id, "");
}

// The order.drafted event: e (type, actor and time) with the order's
// members.
json DraftedEvent(json e, const PaymentOrder& o) {
  e["order"] = o.id;
  e["version"] = o.version;
  e["document"] = o.document_id;
  e["commitment"] = o.commitment_id;
  e["amount"] = o.amount.ToString();
  e["from"] = nullptr;
  e["to"] = "draft";
  json route = json::array();
  for (const RouteStep& s : o.route) route.push_back(s.title);
  e["route"] = route;
  json match = json::object();
  for (const FieldMatch& m : o.match) match[m.field] = std::string(MatchStatusName(m.status));
  e["match"] = match;
  return e;
}

// The request with its free text cleaned (internal::Clean).
ActionRequest CleanRequest(const ActionRequest& request) {
  ActionRequest req = request;
  req.comment = internal::Clean(req.comment);
  req.document_id = internal::Clean(req.document_id);
  for (std::string& f : req.acknowledge) f = internal::Clean(f);
  for (ChecklistAnswer& a : req.checklist) {
    a.item = internal::Clean(a.item);
    a.note = internal::Clean(a.note);
  }
  return req;
}

// The members of a vendor_overridden / bank_account_confirmed event: the
// field and the two values settled.
void SettledMembers(const PaymentOrder& o, json* e) {
  const Acknowledgement& a = o.acknowledgements.back();
  (*e)["field"] = a.field;
  (*e)["invoice_value"] = a.invoice_value;
  (*e)["expected_value"] = a.expected_value;
}

// When the corrected invoice document_id was received (nothing if it has
// no receipt); NotFound if the archive has no such document.
Result<std::optional<Date>> CorrectedReceivedOn(const archive::Archive& archive,
                                                const std::string& document_id) {
  auto view = archive.Get(document_id);
  if (!view.ok()) {
    if (view.status().IsNotFound()) {
      return Status::NotFound("書類がありません: " + internal::Shown(document_id));
    }
    return view.status();
  }
  if (view->receipts.empty()) return std::optional<Date>();
  return std::optional<Date>(Date::InJapan(view->receipts.front().received_at));
}

// The effects of a transition outside the order: the commitment's balance
// and the indexes of open orders and of documents with an order (and so
// the archive's pending documents).
Status ApplyEffects(storage::WriteTxn& txn, const internal::Tables& t,
                    const archive::Archive& archive, const Transition& transition,
                    const ActionRequest& req, const PaymentOrder& o, Commitment* commitment) {
  if (transition.to == OrderState::kWithdrawn) {
    ASSIGN_OR_RETURN(commitment->reserved, commitment->reserved.Sub(o.amount));
    RETURN_IF_ERROR(txn.Delete(t.open_orders, o.id));
    // The invoice is unprocessed again.
    for (const std::string& doc : o.corrected_documents) {
      RETURN_IF_ERROR(UnlinkDocument(txn, t, archive, doc));
    }
    RETURN_IF_ERROR(UnlinkDocument(txn, t, archive, o.document_id));
  } else if (transition.to == OrderState::kPaid) {
    ASSIGN_OR_RETURN(commitment->paid, commitment->paid.Add(o.amount));
    RETURN_IF_ERROR(txn.Delete(t.open_orders, o.id));
  }
  if (req.action == Action::kResume && !req.document_id.empty()) {
    RETURN_IF_ERROR(LinkDocument(txn, t, archive, req.document_id, o.id));
  }
  return Status::OK();
}

// The event of an action on an order: e (type, actor and time) with the
// transition, the request's reason, defect, acknowledgements and checklist,
// the approval step it was taken at (if any) and the payment clock when the
// action moved it.
json ActionEvent(json e, const ActionRequest& req, const Transition& transition,
                 const std::string& step_title, const PaymentOrder& o) {
  e["order"] = o.id;
  e["version"] = o.version;
  e["from"] = std::string(StateName(transition.from));
  e["to"] = std::string(StateName(transition.to));
  e["reason"] = req.comment;
  if (!step_title.empty()) e["step"] = step_title;
  const std::string& substitute_for = o.history.back().substitute_for;
  if (!substitute_for.empty()) e["substitute_for"] = substitute_for;  // 代決
  if (req.action == Action::kOverrideVendor || req.action == Action::kConfirmBankAccount) {
    SettledMembers(o, &e);
  }
  if (req.action == Action::kReturn) e["defect"] = req.defect;
  if (!req.acknowledge.empty()) e["acknowledged"] = req.acknowledge;
  if (!req.checklist.empty()) {
    json checklist = json::array();
    for (const ChecklistAnswer& a : req.checklist) {
      checklist.push_back({{"item", a.item}, {"confirmed", a.confirmed}, {"note", a.note}});
    }
    e["checklist"] = checklist;
  }
  if (req.action == Action::kResume) {
    e["document"] = req.document_id;
    e["payment_clock"] = ToJson(o.clock);
  }
  if (req.action == Action::kReturn && req.defect) e["payment_clock"] = ToJson(o.clock);
  return e;
}

}  // namespace

json ToJson(const OrderView& view) {
  json j = ToJson(view.order);
  j["commitment"] = ToJson(view.commitment);
  j["deadline"] = std::string(DeadlineStatusName(view.deadline));
  json actions = json::array();
  for (Action a : view.actions) actions.push_back(std::string(ActionName(a)));
  j["available_actions"] = actions;
  json duplicates = json::array();
  for (const DuplicatePayment& d : view.duplicates) duplicates.push_back(ToJson(d));
  j["duplicates"] = duplicates;
  j["payment_run"] = view.payment_run.empty() ? json(nullptr) : json(view.payment_run);
  return j;
}

Result<OrderView> Workflow::Draft(std::string_view document_id, std::string_view commitment_id,
                                  const User& actor) {
  const base::Time now = rep_->clock->Now();
  const Date today = Date::InJapan(now);
  const std::string doc_id = internal::Clean(document_id);
  PaymentOrder order_out;
  Commitment commitment_out;
  User me_out;
  RETURN_IF_ERROR(rep_->ledger->Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) {
    const internal::Tables& t = rep_->tables;
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    ASSIGN_OR_RETURN(Commitment commitment, rep_->LoadCommitment(txn, commitment_id));
    // The invoice as this transaction sees it: a correction is either
    // before the draft (and drafted from) or after it (and follows it).
    ASSIGN_OR_RETURN(const archive::DocumentView document, rep_->LoadDocument(txn, doc_id));
    RETURN_IF_ERROR(CheckCanDraft(txn, t, me, commitment, doc_id, ReceivingDepartment(document)));
    RETURN_IF_ERROR(CheckNotOrderedElsewhere(txn, t, *rep_->archive, document));
    ASSIGN_OR_RETURN(const InvoiceData invoice, internal::InvoiceFrom(document));
    auto vendor = rep_->LoadVendor(txn, commitment.vendor_id);
    if (!vendor.ok()) {
      if (vendor.status().IsNotFound()) {
        return Status::FailedPrecondition("債権者マスタにない債権者です: " + commitment.vendor_id);
      }
      return vendor.status();
    }
    // 二重払い防止: not for an invoice another order pays already.
    ASSIGN_OR_RETURN(const std::vector<DuplicatePayment> duplicates,
                     rep_->FindDuplicatePayments(
                         txn, rep_->IdentityOfInvoice(invoice, commitment.vendor_id, doc_id)));
    if (!duplicates.empty()) return Status::FailedPrecondition(DuplicateMessage(duplicates));
    ASSIGN_OR_RETURN(const uint64_t seq,
                     internal::NextSeq(txn, t, "order", commitment.fiscal_year));
    PaymentOrder o = NewOrder(FormatId('P', commitment.fiscal_year, seq), doc_id, invoice,
                              commitment, *vendor, me, now, rep_->options.routes);
    ASSIGN_OR_RETURN(commitment.reserved, commitment.reserved.Add(o.amount));

    RETURN_IF_ERROR(PutDraft(txn, t, *rep_->archive, o, commitment));
    RETURN_IF_ERROR(
        append(DraftedEvent(rep_->Event(ledger::event::kOrderDrafted, me, now), o)).status());
    order_out = std::move(o);
    commitment_out = std::move(commitment);
    me_out = me;
    return Status::OK();
  }));
  return MakeView(std::move(order_out), std::move(commitment_out), me_out, rep_->options.routes,
                  today, rep_->options.due_soon_days);
}

Result<OrderView> Workflow::Act(std::string_view order_id, const ActionRequest& request,
                                const User& actor) {
  const ActionRequest req = CleanRequest(request);
  const base::Time now = rep_->clock->Now();
  const Date today = Date::InJapan(now);
  ApplyContext apply{now, today, std::nullopt};
  if (req.action == Action::kResume && !req.document_id.empty()) {
    // The corrected invoice: its receipt restarts the clock.
    ASSIGN_OR_RETURN(apply.corrected_received_on,
                     CorrectedReceivedOn(*rep_->archive, req.document_id));
  }
  PaymentOrder order_out;
  Commitment commitment_out;
  User me_out;
  RETURN_IF_ERROR(rep_->ledger->Write([&](storage::WriteTxn& txn,
                                          const ledger::AppendEvent& append) {
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    // An order in a recorded payment run is the run's until it is
    // confirmed or cancelled (payments.h).
    RETURN_IF_ERROR(rep_->CheckNotInRun(txn, order_id));
    if (req.action == Action::kPay) RETURN_IF_ERROR(rep_->CheckNoDuplicate(txn, order_id));
    RETURN_IF_ERROR(rep_->ActInWrite(txn, append, me, apply, order_id, req, json::object(),
                                     &order_out, &commitment_out));
    me_out = me;
    return Status::OK();
  }));
  return MakeView(std::move(order_out), std::move(commitment_out), me_out, rep_->options.routes,
                  today, rep_->options.due_soon_days);
}

Status Workflow::Rep::ActInWrite(storage::WriteTxn& txn, const ledger::AppendEvent& append,
                                 const User& me, const ApplyContext& apply,
                                 std::string_view order_id, const ActionRequest& req,
                                 const json& extra, PaymentOrder* order_out,
                                 Commitment* commitment_out) const {
  const internal::Tables& t = tables;
  const base::Time now = apply.now;
  ASSIGN_OR_RETURN(PaymentOrder o, LoadOrder(txn, order_id));
  RETURN_IF_ERROR(RefreshMatch(txn, &o));  // decide on the current match
  ASSIGN_OR_RETURN(Commitment commitment, LoadCommitment(txn, o.commitment_id));
  ASSIGN_OR_RETURN(const Decimal available, commitment.Remaining().Add(o.amount));
  ASSIGN_OR_RETURN(const Transition* transition,
                   Decide(GuardContext{o, req, me, options.routes, apply.today, available}));
  if (req.action == Action::kResume && !req.document_id.empty()) {
    if (auto other = txn.Get(t.doc_orders, req.document_id); other.ok()) {
      return Status::Aborted("この書類はすでに支出命令 " + std::string(*other) +
                             " に結び付いています");
    }
  }
  const std::string step_title =
      o.state == OrderState::kPendingApproval && o.step < o.route.size() ? o.route[o.step].title
                                                                         : "";
  const PaymentOrder before = o;
  Apply(*transition, req, me, apply, &o);
  if (req.action == Action::kConfirmBankAccount) {
    // The vendor master takes the confirmed account (its own event, as
    // PutVendor records it); the match then shows it as ○.
    ASSIGN_OR_RETURN(Vendor vendor, LoadVendor(txn, o.vendor_id));
    vendor.bank_account = o.bank_account;
    RETURN_IF_ERROR(PutVendorRecord(txn, append, me, now, vendor,
                                    {{"order", o.id}, {"reason", req.comment}}));
    RETURN_IF_ERROR(RefreshMatch(txn, &o));
  }

  RETURN_IF_ERROR(ApplyEffects(txn, t, *archive, *transition, req, o, &commitment));
  RETURN_IF_ERROR(internal::PutRecord(txn, t.orders, o.id, ToJson(o)));
  RETURN_IF_ERROR(IndexOrder(txn, t, &before, &o));
  RETURN_IF_ERROR(internal::PutRecord(txn, t.commitments, commitment.id, ToJson(commitment)));

  const std::string type =
      std::string(ledger::event::kOrderPrefix) + std::string(EventVerb(req.action));
  json event = ActionEvent(Event(type, me, now), req, *transition, step_title, o);
  for (const auto& [k, v] : extra.items()) event[k] = v;
  RETURN_IF_ERROR(append(event).status());
  *order_out = std::move(o);
  *commitment_out = std::move(commitment);
  return Status::OK();
}

Result<OrderView> Workflow::GetOrder(std::string_view order_id, const User& viewer) const {
  PaymentOrder order;
  Commitment commitment;
  User me;
  std::vector<DuplicatePayment> duplicates;
  std::string payment_run;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    ASSIGN_OR_RETURN(me, rep_->CurrentUser(txn, viewer));
    ASSIGN_OR_RETURN(order, rep_->LoadOrder(txn, order_id));
    RETURN_IF_ERROR(rep_->RefreshMatch(txn, &order));
    ASSIGN_OR_RETURN(commitment, rep_->LoadCommitment(txn, order.commitment_id));
    if (order.state != OrderState::kWithdrawn) {
      ASSIGN_OR_RETURN(const InvoiceIdentity id, rep_->IdentityOf(txn, order));
      ASSIGN_OR_RETURN(duplicates, rep_->FindDuplicatePayments(txn, id));
    }
    ASSIGN_OR_RETURN(payment_run, rep_->RunOf(txn, order.id));
    return Status::OK();
  }));
  OrderView view = MakeView(std::move(order), std::move(commitment), me, rep_->options.routes,
                            Date::InJapan(rep_->clock->Now()), rep_->options.due_soon_days);
  view.duplicates = std::move(duplicates);
  view.payment_run = std::move(payment_run);
  return view;
}

}  // namespace workflow
