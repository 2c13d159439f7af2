// Workflow::PreparePaymentRun and RecordPaymentRun (payments.h), and the
// run's CSV and JSON.
#include "workflow/payments.h"

#include <algorithm>
#include <string>

#include "base/text.h"
#include "workflow/access.h"
#include "workflow/internal/store.h"
#include "workflow/internal/workflow_rep.h"
#include "workflow/state_machine.h"
#include "workflow/workflow.h"
#include "workflow/zengin.h"

namespace workflow {

using base::Date;
using base::Result;
using base::Status;
using nlohmann::json;

namespace {

// The digits of s (at most 10 of the last ones): a 顧客コード of the 全銀
// record, e.g. "V00012" → "00012", "P2026-0018" → "20260018".
std::string CustomerCode(std::string_view s) {
  std::string digits;
  for (char c : s) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return digits.size() > 10 ? digits.substr(digits.size() - 10) : digits;
}

// "bank:branch:type:number" (validated in the vendor master).
zengin::Account AccountOf(const std::string& bank_account) {
  zengin::Account a;
  const size_t p1 = bank_account.find(':'), p2 = bank_account.find(':', p1 + 1),
               p3 = bank_account.find(':', p2 + 1);
  a.bank_code = bank_account.substr(0, p1);
  a.branch_code = bank_account.substr(p1 + 1, p2 - p1 - 1);
  a.type = bank_account[p2 + 1];
  a.number = bank_account.substr(p3 + 1);
  return a;
}

// Whole yen of amount, or 0 if it is not a positive whole number of yen.
uint64_t Yen(const base::Decimal& amount) {
  const base::Decimal n = amount.Normalized();
  return n.scale() == 0 && n.mantissa() > 0 ? static_cast<uint64_t>(n.mantissa()) : 0;
}

std::string CsvRow(const PaymentRun& run, const PaymentRunLine& l) {
  const zengin::Account a = AccountOf(l.bank_account);
  const std::string fields[] = {l.order_id,    run.date.ToString(), l.department,
                                l.vendor_id,   l.vendor_name,       a.bank_code,
                                a.branch_code, std::string(1, a.type), a.number,
                                l.account_holder, l.amount.ToString()};
  std::string row;
  for (const std::string& f : fields) {
    if (!row.empty()) row += ',';
    row += base::CsvField(f);
  }
  return row + "\r\n";
}

}  // namespace

std::string PaymentCsvHeader() {
  return "\xEF\xBB\xBF"
         "支出命令番号,振込指定日,課,債権者番号,債権者名,金融機関コード,支店コード,預金種目,"
         "口座番号,口座名義,金額\r\n";
}

json ToJson(const PaymentRunLine& l) {
  return {{"order_id", l.order_id},         {"department", l.department},
          {"vendor_id", l.vendor_id},       {"vendor_name", l.vendor_name},
          {"bank_account", l.bank_account}, {"account_holder", l.account_holder},
          {"amount", l.amount.ToString()}};
}

json ToJson(const PaymentRun& run) {
  json lines = json::array(), refused = json::array();
  for (const PaymentRunLine& l : run.lines) lines.push_back(ToJson(l));
  for (const PaymentRunRefusal& r : run.refused) {
    json duplicates = json::array();
    for (const DuplicatePayment& d : r.duplicates) duplicates.push_back(ToJson(d));
    refused.push_back({{"order_id", r.order_id},
                       {"vendor_id", r.vendor_id},
                       {"reason", r.reason},
                       {"duplicates", std::move(duplicates)}});
  }
  return {{"date", run.date.ToString()},
          {"count", run.lines.size()},
          {"total", run.total},
          {"lines", std::move(lines)},
          {"refused", std::move(refused)}};
}

Result<PaymentRun> Workflow::PreparePaymentRun(const User& actor, Date date) const {
  PaymentRun run;
  run.date = date;
  const Date today = Date::InJapan(rep_->clock->Now());
  RETURN_IF_ERROR(rep_->ledger->Read([&](const storage::ReadTxn& txn) -> Status {
    run.lines.clear();
    run.refused.clear();
    ASSIGN_OR_RETURN(const User me, rep_->CurrentUser(txn, actor));
    RETURN_IF_ERROR(MayRunPayments(me));
    if (!rep_->options.remitter) {
      return Status::FailedPrecondition(
          "振込元が設定されていません。kura.toml の [payments] に委託者コード・委託者名・振込元口座を"
          "設定してください");
    }
    return internal::ForEach(txn, rep_->tables.open_orders, [&](std::string_view id,
                                                                std::string_view) -> Status {
      ASSIGN_OR_RETURN(const PaymentOrder o, rep_->LoadRefreshedOrder(txn, id));
      if (o.state != OrderState::kAccepted) return Status::OK();
      // In a recorded run already: paid by that run or free again once it
      // is cancelled.
      ASSIGN_OR_RETURN(const std::string in_run, rep_->RunOf(txn, o.id));
      if (!in_run.empty()) return Status::OK();
      const auto refuse = [&](std::string reason) {
        run.refused.push_back({o.id, o.vendor_id, std::move(reason)});
        return Status::OK();
      };
      const ActionRequest pay{Action::kPay, o.version};
      auto decided = Decide(GuardContext{o, pay, me, rep_->options.routes, today, o.amount});
      if (!decided.ok()) return refuse(decided.status().message());
      ASSIGN_OR_RETURN(const Vendor v, rep_->LoadVendor(txn, o.vendor_id));
      if (o.bank_account.empty()) return refuse("債権者マスタに振込先口座がありません");
      if (v.account_holder.empty()) return refuse("債権者マスタに口座名義（カナ）がありません");
      if (auto kana = zengin::ToZenginText(v.account_holder); !kana.ok()) {
        return refuse("口座名義: " + kana.status().message());
      }
      if (Yen(o.amount) == 0) return refuse("金額が 1 円以上の整数ではありません");
      ASSIGN_OR_RETURN(const InvoiceIdentity identity, rep_->IdentityOf(txn, o));
      ASSIGN_OR_RETURN(std::vector<DuplicatePayment> duplicates,
                       rep_->FindDuplicatePayments(txn, identity));
      if (!duplicates.empty()) {
        RETURN_IF_ERROR(refuse(DuplicateMessage(duplicates)));
        run.refused.back().duplicates = std::move(duplicates);
        return Status::OK();
      }
      run.lines.push_back(
          {o.id, o.department, v.id, v.name, o.bank_account, v.account_holder, o.amount});
      return Status::OK();
    });
  }));
  std::vector<zengin::Transfer> transfers;
  run.csv = PaymentCsvHeader();
  for (const PaymentRunLine& l : run.lines) {
    transfers.push_back({AccountOf(l.bank_account), l.account_holder, Yen(l.amount),
                         CustomerCode(l.vendor_id), CustomerCode(l.order_id)});
    run.total += Yen(l.amount);
    run.csv += CsvRow(run, l);
  }
  if (!transfers.empty()) {
    ASSIGN_OR_RETURN(run.zengin, zengin::EncodeTransfers(*rep_->options.remitter, date, transfers));
  }
  return run;
}

}  // namespace workflow
