#include "workflow/duplicates.h"

#include <algorithm>

#include "base/money.h"
#include "base/text.h"

namespace workflow {
namespace {

using base::Result;

constexpr std::string_view kByNumber = "registration_and_invoice_number";
constexpr std::string_view kByVendorDateTotal = "vendor_date_total";

bool IsScan(const invoice::InvoiceFields& f) { return f.format == "scan"; }

bool SameVendor(const invoice::InvoiceFields& f, const archive::SearchItem& item) {
  if (f.registration_number && !item.registration_number.empty()) {
    return *f.registration_number == item.registration_number;
  }
  const std::string a = base::NormalizeName(f.counterparty);
  return !a.empty() && a == base::NormalizeName(item.counterparty);
}

void Add(std::vector<DuplicateMatch>* out, const archive::SearchItem& item, std::string_view rule) {
  for (const DuplicateMatch& m : *out) {
    if (m.id == item.id) return;  // the first rule that found it names it
  }
  out->push_back(
      {item.id, std::string(rule), item.format == "scan" ? "scan" : "electronic", "", ""});
}

}  // namespace

Result<std::vector<DuplicateMatch>> FindCrossChannelDuplicates(
    const archive::Archive& archive, const storage::ReadTxn& txn,
    const archive::DocumentView& document) {
  std::vector<DuplicateMatch> out;
  if (document.versions.empty()) return out;
  const invoice::InvoiceFields& f = document.versions.back().fields;
  const std::string self = archive::FormatDocumentId(document.document.seq);
  const auto other_channel = [&](const archive::SearchItem& item) {
    return item.id != self && (item.format == "scan") != IsScan(f) && !item.disposed;
  };
  if (f.registration_number && !f.invoice_number.empty()) {
    archive::SearchQuery q;
    q.registration_numbers = {*f.registration_number};
    q.invoice_number = f.invoice_number;
    q.limit = 100;
    ASSIGN_OR_RETURN(const archive::SearchResult r, archive.Search(txn, q));
    for (const archive::SearchItem& item : r.items) {
      if (other_channel(item)) Add(&out, item, kByNumber);
    }
  }
  if (f.issue_date && f.total && (f.registration_number || !f.counterparty.empty())) {
    auto date = base::Date::Parse(*f.issue_date);
    auto total = base::Decimal::Parse(*f.total);
    if (date.ok() && total.ok()) {
      archive::SearchQuery q;
      q.date_from = q.date_to = *date;
      q.amount_min = q.amount_max = *total;
      q.limit = 1000;
      ASSIGN_OR_RETURN(const archive::SearchResult r, archive.Search(txn, q));
      for (const archive::SearchItem& item : r.items) {
        if (other_channel(item) && SameVendor(f, item)) Add(&out, item, kByVendorDateTotal);
      }
    }
  }
  std::sort(out.begin(), out.end(),
            [](const DuplicateMatch& a, const DuplicateMatch& b) { return a.id < b.id; });
  return out;
}

nlohmann::json ToJson(const std::vector<DuplicateMatch>& matches) {
  nlohmann::json out = nlohmann::json::array();
  for (const DuplicateMatch& m : matches) {
    const std::string how =
        m.rule == kByNumber ? "登録番号と請求書番号が同じ" : "取引先・取引年月日・金額が同じ";
    const std::string what =
        m.channel == "scan" ? "紙（スキャン）でも届いています" : "電子でも届いています";
    out.push_back(
        {{"id", m.id},
         {"rule", m.rule},
         {"channel", m.channel},
         {"order_id", m.order_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.order_id)},
         {"order_state",
          m.order_state.empty() ? nlohmann::json(nullptr) : nlohmann::json(m.order_state)},
         {"message", "同じ請求書が" + what + "（" + m.id + "、" + how +
                         "）。二重に支払わないよう確認してください"}});
  }
  return out;
}

}  // namespace workflow
