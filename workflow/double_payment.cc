// The double-payment guard (double_payment.h): Rep::FindDuplicatePayments
// and the identity of an order's or a new draft's invoice.
//
// Cost: one pass over wf_orders. A record is decoded only if its bytes
// contain the invoice number or the issue date looked for (a memchr-speed
// search), so a city's ten years of orders (~500,000 records) are a scan
// of their bytes, not a parse; an index keyed by the two identities is the
// step after this one if drafting ever shows it.
#include "workflow/double_payment.h"

#include <algorithm>
#include <string>
#include <vector>

#include "workflow/internal/store.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/state_machine.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

json ToJson(const DuplicatePayment& d) {
  return {{"order_id", d.order_id},
          {"document_id", d.document_id},
          {"state", d.state},
          {"rule", d.rule},
          {"detail", d.detail}};
}

std::string DuplicateMessage(const std::vector<DuplicatePayment>& duplicates) {
  std::string m = "二重払いのおそれがあります。同じ請求書と見られる支出命令があります: ";
  for (size_t i = 0; i < duplicates.size(); ++i) {
    const DuplicatePayment& d = duplicates[i];
    auto state = ParseState(d.state);
    if (i > 0) m += "、";
    m += "支出命令 " + d.order_id + "（書類 " + d.document_id + "、" +
         (state.ok() ? StateLabel(*state) : d.state) + "、" + d.detail + "）";
  }
  return m + "。どちらかの支出命令を取り下げてから進めてください";
}

namespace {

// True if bytes may hold an order for the invoice `id` (the prefilter):
// they contain its invoice number or its issue date as written. A value
// JSON would escape is never filtered on.
bool MayMatch(std::string_view bytes, const InvoiceIdentity& id) {
  const auto plain = [](const std::string& s) {
    return !s.empty() && s.find_first_of("\"\\") == std::string::npos &&
           std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x20; });
  };
  const bool by_number = !id.registration_number.empty() && !id.invoice_number.empty();
  if (by_number && !plain(id.invoice_number)) return true;
  if (by_number && bytes.find(id.invoice_number) != std::string_view::npos) return true;
  return plain(id.issue_date) && bytes.find(id.issue_date) != std::string_view::npos;
}

}  // namespace

Result<std::string> Workflow::Rep::RegistrationOf(const storage::ReadTxn& txn,
                                                  const PaymentOrder& o) const {
  auto doc = LoadDocument(txn, o.document_id);
  if (!doc.ok()) return doc.status().IsNotFound() ? std::string() : Result<std::string>(doc.status());
  if (doc->versions.empty()) return std::string();
  return doc->versions.back().fields.registration_number.value_or("");
}

Result<InvoiceIdentity> Workflow::Rep::IdentityOf(const storage::ReadTxn& txn,
                                                  const PaymentOrder& o) const {
  InvoiceIdentity id;
  ASSIGN_OR_RETURN(id.registration_number, RegistrationOf(txn, o));
  id.invoice_number = o.invoice_number;
  id.vendor_id = o.vendor_id;
  id.issue_date = o.issue_date;
  id.amount = o.amount;
  id.order_id = o.id;
  id.document_id = o.document_id;
  return id;
}

InvoiceIdentity Workflow::Rep::IdentityOfInvoice(const internal::InvoiceData& invoice,
                                                 const std::string& vendor_id,
                                                 const std::string& document_id) {
  InvoiceIdentity id;
  id.registration_number = invoice.fields.registration_number.value_or("");
  id.invoice_number = invoice.fields.invoice_number;
  id.vendor_id = vendor_id;
  id.issue_date = invoice.fields.issue_date.value_or("");
  id.amount = invoice.amount;
  id.document_id = document_id;
  return id;
}

Status Workflow::Rep::CheckNoDuplicate(const storage::ReadTxn& txn,
                                       std::string_view order_id) const {
  ASSIGN_OR_RETURN(const PaymentOrder o, LoadOrder(txn, order_id));
  ASSIGN_OR_RETURN(const InvoiceIdentity id, IdentityOf(txn, o));
  ASSIGN_OR_RETURN(const std::vector<DuplicatePayment> found, FindDuplicatePayments(txn, id));
  if (!found.empty()) return Status::FailedPrecondition(DuplicateMessage(found));
  return Status::OK();
}

Result<std::vector<DuplicatePayment>> Workflow::Rep::FindDuplicatePayments(
    const storage::ReadTxn& txn, const InvoiceIdentity& id) const {
  std::vector<DuplicatePayment> found;
  RETURN_IF_ERROR(internal::ForEach(txn, tables.orders, [&](std::string_view key,
                                                           std::string_view bytes) -> Status {
    if (key == id.order_id || !MayMatch(bytes, id)) return Status::OK();
    ASSIGN_OR_RETURN(const PaymentOrder o, LoadOrder(txn, key));
    if (o.state == OrderState::kWithdrawn || o.document_id == id.document_id) return Status::OK();
    DuplicatePayment d{o.id, o.document_id, std::string(StateName(o.state)), "", ""};
    if (!id.registration_number.empty() && !id.invoice_number.empty() &&
        o.invoice_number == id.invoice_number) {
      ASSIGN_OR_RETURN(const std::string registration, RegistrationOf(txn, o));
      if (registration == id.registration_number) {
        d.rule = "registration_and_number";
        d.detail = "登録番号 " + registration + " と請求書番号 " + o.invoice_number + " が同じ";
      }
    }
    if (d.rule.empty() && !id.issue_date.empty() && o.vendor_id == id.vendor_id &&
        o.issue_date == id.issue_date && o.amount == id.amount) {
      d.rule = "vendor_date_total";
      d.detail = "債権者 " + o.vendor_id + "・請求日 " + o.issue_date + "・金額 " +
                 o.amount.ToString() + " 円が同じ";
    }
    if (!d.rule.empty()) found.push_back(std::move(d));
    return Status::OK();
  }));
  return found;
}

}  // namespace workflow
