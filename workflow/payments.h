// The payment run (支払処理): the orders accepted for payment gathered into
// one 全銀協 総合振込 file for the city's bank (zengin.h) and a CSV for the
// financial accounting system (財務会計).
//
// A run takes every order in state "accepted" that the accounting office
// may pay now (the state machine's own decision: vendor, bank account and
// department settled, a payable fiscal year) and whose vendor has a bank
// account and an account holder in kana. The others are listed with the
// reason, never silently left out. Preparing a run changes nothing;
// recording it is one "workflow.payment_run.recorded" event with the
// date, the orders, the total and the SHA-256 of the file handed to the
// bank. The orders are marked paid by the 支払 action, order by order,
// once the bank has made the transfers.
#ifndef WORKFLOW_PAYMENTS_H_
#define WORKFLOW_PAYMENTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/money.h"

namespace workflow {

struct PaymentRunLine {
  std::string order_id;
  std::string department;
  std::string vendor_id;
  std::string vendor_name;
  std::string bank_account;    ///< "bank:branch:type:number"
  std::string account_holder;  ///< kana, as the vendor master has it
  base::Decimal amount;
};

struct PaymentRunRefusal {
  std::string order_id;
  std::string vendor_id;
  std::string reason;  ///< Japanese, for the accounting office
};

struct PaymentRun {
  base::Date date{2000, 1, 1};  ///< 振込指定日
  std::vector<PaymentRunLine> lines;
  std::vector<PaymentRunRefusal> refused;
  uint64_t total = 0;  ///< yen
  std::string zengin;  ///< the 総合振込 file (Shift_JIS, CRLF); empty if no line
  std::string csv;     ///< for 財務会計 (UTF-8 with BOM, CRLF)
};

/// The CSV header for 財務会計: 支出命令番号, 振込指定日, 課, 債権者番号,
/// 債権者名, 金融機関コード, 支店コード, 預金種目, 口座番号, 口座名義, 金額.
std::string PaymentCsvHeader();

/// The run without its file bytes: date, total, lines, refusals.
nlohmann::json ToJson(const PaymentRun& run);

}  // namespace workflow

#endif  // WORKFLOW_PAYMENTS_H_
