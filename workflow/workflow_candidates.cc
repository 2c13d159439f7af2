// Workflow: what an order for an invoice may be drafted from — the drafting
// screen's list of commitments, each with the match a draft would show.
#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "base/json.h"
#include "workflow/access.h"
#include "workflow/internal/json_util.h"
#include "workflow/internal/store.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/workflow.h"

namespace workflow {

using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// Every record of table decoded with from_json, in key order.
template <typename T, typename FromJson>
Result<std::vector<T>> AllRecords(const storage::ReadTxn& txn, const storage::Table& table,
                                  FromJson from_json) {
  std::vector<T> out;
  RETURN_IF_ERROR(internal::ForEach(txn, table, [&](std::string_view, std::string_view v) {
    ASSIGN_OR_RETURN(json j, base::ParseJson(v));
    ASSIGN_OR_RETURN(T record, from_json(j));
    out.push_back(std::move(record));
    return Status::OK();
  }));
  return out;
}

// The department's commitments of the vendors in `vendors`, each matched
// against the invoice as a draft from it would be now.
Result<std::vector<DraftCandidate>> CandidatesOf(const storage::ReadTxn& txn,
                                                 const internal::Tables& t,
                                                 const invoice::InvoiceFields& fields,
                                                 const std::string& department,
                                                 const std::vector<Vendor>& vendors) {
  ASSIGN_OR_RETURN(std::vector<Commitment> commitments,
                   AllRecords<Commitment>(txn, t.commitments, CommitmentFromJson));
  std::vector<DraftCandidate> out;
  for (Commitment& c : commitments) {
    if (c.department != department) continue;
    auto vendor = std::find_if(vendors.begin(), vendors.end(),
                               [&](const Vendor& v) { return v.id == c.vendor_id; });
    if (vendor == vendors.end()) continue;
    const base::Decimal available = c.Remaining();
    std::vector<FieldMatch> match = MatchInvoice({fields, department, c, *vendor, available});
    out.push_back({std::move(c), std::move(match)});
  }
  // The newest fiscal year first; within a year by number ("C2026-0002"
  // before "C2026-0010").
  std::sort(out.begin(), out.end(), [](const DraftCandidate& a, const DraftCandidate& b) {
    const Commitment& x = a.commitment;
    const Commitment& y = b.commitment;
    return std::make_tuple(-x.fiscal_year, x.id.size(), x.id) <
           std::make_tuple(-y.fiscal_year, y.id.size(), y.id);
  });
  return out;
}

}  // namespace

json ToJson(const DraftCandidates& c) {
  json vendors = json::array();
  for (const Vendor& v : c.vendors) vendors.push_back(ToJson(v));
  json duplicates = json::array();
  for (const DuplicatePayment& d : c.duplicates) duplicates.push_back(ToJson(d));
  json items = json::array();
  for (const DraftCandidate& d : c.items) {
    json item = ToJson(d.commitment);
    item["match"] = ToJson(d.match);
    items.push_back(std::move(item));
  }
  return {{"document_id", c.document_id},
          {"department", c.department},
          {"order_id", c.order_id.empty() ? json(nullptr) : json(c.order_id)},
          {"blocked_reason", c.blocked_reason.empty() ? json(nullptr) : json(c.blocked_reason)},
          {"vendors", vendors},
          {"items", items},
          {"duplicates", duplicates}};
}

Result<DraftCandidates> Workflow::DraftCandidatesFor(std::string_view document_id,
                                                     const User& viewer) const {
  DraftCandidates out;
  out.document_id = internal::Clean(document_id);
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) {
    const internal::Tables& t = rep_->tables;
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, viewer));
    ASSIGN_OR_RETURN(const archive::DocumentView document,
                     rep_->LoadDocument(txn, out.document_id));
    out.department = ReceivingDepartment(document);
    RETURN_IF_ERROR(MayRead(me, out.department, rep_->options.routes));
    out.order_id.clear();
    if (auto order = txn.Get(t.doc_orders, out.document_id); order.ok()) {
      out.order_id = std::string(*order);
    } else if (!order.status().IsNotFound()) {
      return order.status();
    }
    auto invoice = internal::InvoiceFrom(document);
    out.blocked_reason = invoice.ok() ? "" : invoice.status().message();
    invoice::InvoiceFields fields;
    if (!document.versions.empty()) fields = document.versions.back().fields;
    ASSIGN_OR_RETURN(std::vector<Vendor> vendors,
                     AllRecords<Vendor>(txn, t.vendors, VendorFromJson));
    out.vendors.clear();
    for (Vendor& v : vendors) {
      if (SameVendor(fields, v)) out.vendors.push_back(std::move(v));
    }
    out.duplicates.clear();
    if (invoice.ok() && out.order_id.empty()) {
      // What a draft for each of the vendors would be refused for.
      for (const Vendor& v : out.vendors) {
        ASSIGN_OR_RETURN(std::vector<DuplicatePayment> found,
                         rep_->FindDuplicatePayments(
                             txn, Rep::IdentityOfInvoice(*invoice, v.id, out.document_id)));
        for (DuplicatePayment& d : found) out.duplicates.push_back(std::move(d));
      }
    }
    out.items.clear();
    if (out.department.empty()) return Status::OK();  // nobody drafts from it
    ASSIGN_OR_RETURN(out.items, CandidatesOf(txn, t, fields, out.department, out.vendors));
    return Status::OK();
  }));
  return out;
}

}  // namespace workflow
