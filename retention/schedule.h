// Retention schedules: how long each class of document is kept, as pure
// functions of the schedule and dates (no clock, no storage), so that the
// rules are tested without either.
//
// A document's retention period is counted from the end of the Japanese
// fiscal year (April–March) of its transaction date (取引年月日: the
// invoice's issue date; the first receipt's date in Japan when the issue
// date is unknown): a document of FY2026 (2026-04-01 .. 2027-03-31) kept 10
// years is kept until 2037-03-31 and may be disposed of from 2037-04-01.
//
// Classes (kura.toml [retention], documented in README.md):
//   payment_evidence  10 years  支出証拠書類 (invoices and credit notes)
//   other              5 years  その他
// A document's class comes from its document type (`[retention.document_types]`,
// invoice and credit_note → payment_evidence); an unknown type takes
// default_class (payment_evidence: a scan nobody has typed in yet is kept
// as long as an invoice).
//
// Thread safety: values and pure functions.
#ifndef RETENTION_SCHEDULE_H_
#define RETENTION_SCHEDULE_H_

#include <map>
#include <string>
#include <string_view>

#include "base/date.h"
#include "base/result.h"
#include "base/status.h"

namespace retention {

struct Schedule {
  /// class → years kept after the end of the fiscal year.
  std::map<std::string, int> years{{"payment_evidence", 10}, {"other", 5}};
  /// class → label shown to people.
  std::map<std::string, std::string> labels{{"payment_evidence", "支出証拠書類"},
                                            {"other", "その他"}};
  /// document type (invoice/fields "document_type") → class.
  std::map<std::string, std::string> document_types{{"invoice", "payment_evidence"},
                                                    {"credit_note", "payment_evidence"}};
  std::string default_class = "payment_evidence";

  /// InvalidArgument (Japanese) if a class has years outside 1..100, a
  /// document type or default_class names an unknown class.
  base::Status Validate() const;
};

/// The class of a document of this type under schedule.
std::string ClassOf(const Schedule& schedule, std::string_view document_type);

/// The last day a document of transaction date `date` is kept for `years`:
/// the end of fiscal year FiscalYearOf(date) + years.
/// REQUIRES: years >= 0.
base::Date RetainUntil(base::Date date, int years);

/// True when a document kept until retain_until may be disposed of on
/// `today` (the day after retain_until, or later).
inline bool IsExpired(base::Date retain_until, base::Date today) { return today > retain_until; }

/// Reasons of a legal hold: "audit" (監査), "resident_audit" (住民監査請求),
/// "disclosure" (情報公開請求), "litigation" (訴訟). ParseHoldKind takes
/// either the key or the Japanese label; InvalidArgument otherwise.
base::Result<std::string> ParseHoldKind(std::string_view text);
std::string HoldKindLabel(std::string_view kind);

}  // namespace retention

#endif  // RETENTION_SCHEDULE_H_
