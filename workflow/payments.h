// The payment run (支払処理): the orders accepted for payment gathered into
// one 全銀協 総合振込 file for the city's bank (zengin.h) and a CSV for the
// financial accounting system (財務会計).
//
// A run takes every order in state "accepted" that the accounting office
// may pay now (the state machine's own decision: vendor, bank account and
// department settled, a payable fiscal year) and whose vendor has a bank
// account and an account holder in kana. The others are listed with the
// reason, never silently left out — among them an order that looks like
// another order's invoice (double_payment.h). Preparing a run changes
// nothing; recording it is one "workflow.payment_run.recorded" event with
// the run's id, date, orders, total and the SHA-256 of the file handed to
// the bank, and stores the run and both files (wf_payment_runs,
// wf_payment_files).
//
// The run's life: recorded → confirmed (the bank accepted the file: every
// order is paid, one "workflow.order.paid" event each plus
// "workflow.payment_run.confirmed", all in one write) or recorded →
// cancelled (its orders may go into another run); never cancelled once
// confirmed. While a run is recorded its orders are in no other run and
// take no action of their own (wf_run_orders).
#ifndef WORKFLOW_PAYMENTS_H_
#define WORKFLOW_PAYMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/date.h"
#include "base/money.h"
#include "base/result.h"
#include "base/time.h"
#include "workflow/double_payment.h"

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
  /// Set when the reason is a possible double payment: the other orders.
  std::vector<DuplicatePayment> duplicates;
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

/// {"order_id","department","vendor_id","vendor_name","bank_account",
/// "account_holder","amount"}.
nlohmann::json ToJson(const PaymentRunLine& line);

/// The run without its file bytes: date, total, lines, refusals.
nlohmann::json ToJson(const PaymentRun& run);

/// "recorded", "confirmed", "cancelled".
inline constexpr char kRunRecorded[] = "recorded";
inline constexpr char kRunConfirmed[] = "confirmed";
inline constexpr char kRunCancelled[] = "cancelled";

/// A recorded payment run as wf_payment_runs keeps it.
struct PaymentRunRecord {
  std::string id;  ///< "R" + fiscal year of the date + "-" + 4 digits
  std::string state = kRunRecorded;
  base::Date date{2000, 1, 1};
  uint64_t total = 0;
  std::vector<PaymentRunLine> lines;
  std::string zengin_sha256;
  std::string csv_sha256;
  std::string created_by;
  base::Time created_at;
  std::string closed_by;  ///< who confirmed or cancelled it
  std::optional<base::Time> closed_at;
  std::string cancel_reason;
};

/// {"id","state","date","count","total","lines":[...],"zengin_sha256",
/// "csv_sha256","created_by","created_at","closed_by","closed_at"|null,
/// "cancel_reason"}.
nlohmann::json ToJson(const PaymentRunRecord& run);
base::Result<PaymentRunRecord> PaymentRunRecordFromJson(const nlohmann::json& j);

}  // namespace workflow

#endif  // WORKFLOW_PAYMENTS_H_
