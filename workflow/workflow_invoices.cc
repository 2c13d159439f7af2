// Workflow: a payment order's invoice — what an order takes from it, the
// order's match against the commitment and the vendor master as they are
// now, and what a correction of the invoice does to its order
// (CorrectDocument).
#include <string>
#include <utility>
#include <vector>

#include "archive/document.h"
#include "base/json.h"
#include "ledger/event_types.h"
#include "workflow/access.h"
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

namespace internal {

Result<InvoiceData> InvoiceFrom(const archive::DocumentView& view) {
  InvoiceData d;
  if (!view.versions.empty()) d.fields = view.versions.back().fields;
  if (!view.receipts.empty()) {
    d.receipt_department = view.receipts.front().department;
    d.received_on = Date::InJapan(view.receipts.front().received_at);
  }
  if (d.fields.document_type == "credit_note") {
    return Status::FailedPrecondition(
        "返品・値引き（クレジットノート）からは支出命令を起票できません");
  }
  d.currency = d.fields.currency.empty() ? "JPY" : d.fields.currency;
  if (d.currency != "JPY") {
    return Status::FailedPrecondition("円建てでない請求書です（" + internal::Shown(d.currency) +
                                      "）");
  }
  std::string total = d.fields.total.value_or("");
  if (total.empty()) total = d.fields.tax_inclusive_total.value_or("");
  auto amount = Decimal::Parse(total);
  if (total.empty() || !amount.ok() || amount->sign() <= 0 || amount->Normalized().scale() != 0) {
    return Status::FailedPrecondition(
        "請求金額が読み取れません。書類のメタデータ（total）を補正してから起票してください");
  }
  d.amount = amount->Normalized();
  return d;
}

std::string DepartmentLabel(const storage::ReadTxn& txn, const Tables& t, const std::string& code) {
  auto record = GetRecord(txn, t.departments, code, "");
  if (record.ok()) {
    if (auto d = DepartmentFromJson(*record); d.ok()) return d->name + "（" + code + "）";
  }
  return code;
}

}  // namespace internal

namespace {

// The draft o as its invoice's new version states it: amount, counterparty,
// invoice number, issue date and the route for the amount; the commitment
// reserves the new amount instead of the old.
Status FollowInvoice(const internal::InvoiceData& invoice, const RouteConfig& routes,
                     PaymentOrder* o, Commitment* commitment) {
  ASSIGN_OR_RETURN(const Decimal released, commitment->reserved.Sub(o->amount));
  ASSIGN_OR_RETURN(commitment->reserved, released.Add(invoice.amount));
  o->amount = invoice.amount;
  o->currency = invoice.currency;
  o->counterparty = invoice.fields.counterparty;
  o->invoice_number = invoice.fields.invoice_number;
  o->issue_date = invoice.fields.issue_date.value_or("");
  std::vector<std::string> titles;
  for (const RouteStep& s : o->route) titles.push_back(s.title);
  const std::vector<std::string> route = ChooseRoute(routes, o->amount, o->expense_type);
  if (route != titles) {
    o->route.clear();
    for (const std::string& title : route) o->route.push_back({title, "", std::nullopt, ""});
  }
  return Status::OK();
}

// The workflow.order.document_corrected event of the draft o, whose amount
// was `before`.
json DocumentCorrectedEvent(json e, const PaymentOrder& o, const Decimal& before,
                            const std::string& reason) {
  e["order"] = o.id;
  e["version"] = o.version;
  e["document"] = o.document_id;
  e["from"] = std::string(StateName(OrderState::kDraft));
  e["to"] = std::string(StateName(OrderState::kDraft));
  e["reason"] = reason;
  e["amount"] = {{"from", before.ToString()}, {"to", o.amount.ToString()}};
  json route = json::array();
  for (const RouteStep& s : o.route) route.push_back(s.title);
  e["route"] = route;
  json match = json::object();
  for (const FieldMatch& m : o.match) match[m.field] = std::string(MatchStatusName(m.status));
  e["match"] = match;
  return e;
}

}  // namespace

namespace internal {

Status OrderAllowsCorrection(const PaymentOrder& o) {
  if (IsFinal(o.state) || o.state == OrderState::kDraft) return Status::OK();
  return Status::Aborted("支出命令 " + o.id + " が手続き中（" + StateLabel(o.state) +
                         "）のため訂正できません。支出命令が差し戻されて起票中に戻ってから"
                         "訂正してください（起票者が取り下げても訂正できます）");
}

}  // namespace internal

Result<archive::DocumentView> Workflow::Rep::LoadDocument(const storage::ReadTxn& txn,
                                                          std::string_view id) const {
  auto view = archive->Get(txn, id);
  if (!view.ok() && view.status().IsNotFound()) {
    return Status::NotFound("書類がありません: " + internal::Shown(id));
  }
  return view;
}

Status Workflow::Rep::RefreshMatch(const storage::ReadTxn& txn, PaymentOrder* o) const {
  if (IsFinal(o->state)) return Status::OK();
  ASSIGN_OR_RETURN(const archive::DocumentView document, LoadDocument(txn, o->document_id));
  ASSIGN_OR_RETURN(const Commitment commitment, LoadCommitment(txn, o->commitment_id));
  ASSIGN_OR_RETURN(const Vendor vendor, LoadVendor(txn, o->vendor_id));
  // What the commitment holds for this order: its balance plus the
  // order's own reservation.
  ASSIGN_OR_RETURN(const Decimal available, commitment.Remaining().Add(o->amount));
  MatchInput in;
  if (!document.versions.empty()) in.fields = document.versions.back().fields;
  in.receipt_department = ReceivingDepartment(document);
  in.commitment = commitment;
  in.vendor = vendor;
  in.available = available;
  o->match = MatchInvoice(in);
  o->bank_account = vendor.bank_account;  // the city pays the master's account
  return Status::OK();
}

Status Workflow::Rep::FollowCorrection(storage::WriteTxn& txn, const ledger::AppendEvent& append,
                                       const User& me, base::Time now,
                                       const archive::DocumentView& corrected,
                                       const std::string& reason) const {
  const std::string doc_id = archive::FormatDocumentId(corrected.document.seq);
  auto order_id = txn.Get(tables.doc_orders, doc_id);
  if (!order_id.ok()) return order_id.status().IsNotFound() ? Status::OK() : order_id.status();
  ASSIGN_OR_RETURN(PaymentOrder o, LoadOrder(txn, *order_id));
  if (IsFinal(o.state)) return Status::OK();
  RETURN_IF_ERROR(internal::OrderAllowsCorrection(o));
  // A corrected invoice received after a defect return is not what the
  // order was drafted from: nothing of the order changes.
  if (o.document_id != doc_id) return Status::OK();
  auto invoice = internal::InvoiceFrom(corrected);
  if (!invoice.ok()) {
    return Status::FailedPrecondition("この訂正では支出命令 " + o.id + "（起票中）の請求書として" +
                                      "使えなくなります: " + invoice.status().message());
  }
  ASSIGN_OR_RETURN(Commitment commitment, LoadCommitment(txn, o.commitment_id));
  const PaymentOrder listed = o;  // as the work lists have it
  const Decimal before = o.amount;
  RETURN_IF_ERROR(FollowInvoice(*invoice, options.routes, &o, &commitment));
  RETURN_IF_ERROR(internal::PutRecord(txn, tables.commitments, commitment.id, ToJson(commitment)));
  RETURN_IF_ERROR(RefreshMatch(txn, &o));  // against the commitment just written
  o.version += 1;
  const std::string draft(StateName(OrderState::kDraft));
  o.history.push_back({"document_corrected", me.login, now, draft, draft, internal::Clean(reason),
                       false, o.round, "", ""});
  RETURN_IF_ERROR(internal::PutRecord(txn, tables.orders, o.id, ToJson(o)));
  if (!tables.work_lists) return Status::FailedPrecondition("作業一覧の索引が開かれていません");
  RETURN_IF_ERROR(internal::IndexOrder(txn, *tables.work_lists, &listed, &o));
  const std::string type = std::string(ledger::event::kOrderPrefix) + "document_corrected";
  return append(DocumentCorrectedEvent(Event(type, me, now), o, before, internal::Clean(reason)))
      .status();
}

Result<archive::Version> Workflow::CorrectDocument(const DocumentCorrection& correction,
                                                   const User& actor) {
  const std::string id = internal::Clean(correction.document_id);
  // Refuse early, before the write is queued; decided again inside it.
  User me;
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    ASSIGN_OR_RETURN(me, rep_->CurrentUser(txn, actor));
    ASSIGN_OR_RETURN(const archive::DocumentView view, rep_->LoadDocument(txn, id));
    return MayCorrectDocument(me, ReceivingDepartment(view));
  }));
  const std::string recorded_as = internal::IsSystemLogin(me.login) ? "cli:" + me.name : me.login;
  const base::Time now = rep_->clock->Now();
  return rep_->archive->Correct(
      id, correction.patch, recorded_as, correction.reason, correction.expected_version,
      [&](storage::WriteTxn& txn, const ledger::AppendEvent& append,
          const archive::DocumentView& corrected) -> Status {
        ASSIGN_OR_RETURN(const User current, rep_->CurrentUser(txn, actor));
        RETURN_IF_ERROR(MayCorrectDocument(current, ReceivingDepartment(corrected)));
        return rep_->FollowCorrection(txn, append, current, now, corrected, correction.reason);
      });
}

}  // namespace workflow
