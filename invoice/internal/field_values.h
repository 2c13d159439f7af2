// Validation of single field values taken from invoice XML: exact decimal
// amounts, dates, document type codes, registration numbers. Invalid values
// are dropped (absent) with a warning naming the field; nothing here fails.
//
// Thread safety: pure functions (the WarningList is the caller's).
#ifndef INVOICE_INTERNAL_FIELD_VALUES_H_
#define INVOICE_INTERNAL_FIELD_VALUES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invoice/internal/warning_list.h"

namespace invoice::internal {

/// text if it is an exact decimal ([+-]digits[.digits], at most 18
/// significant digits), as written but trimmed. Empty text is absent without
/// a warning; anything else invalid warns kInvalidAmount with `label`.
std::optional<std::string> ValidAmount(std::optional<std::string> text, std::string_view label,
                                       WarningList* warnings);

/// text if it is a valid "YYYY-MM-DD" date; else absent and kInvalidDate.
std::optional<std::string> ValidIsoDate(std::optional<std::string> text, std::string_view label,
                                        WarningList* warnings);

/// A UN/CEFACT date (udt:DateTimeString) as "YYYY-MM-DD": format "102"
/// (CCYYMMDD, also the default when format is absent). Other formats and
/// invalid dates are absent with kInvalidDate.
std::optional<std::string> CefactDate(std::optional<std::string> text,
                                      std::optional<std::string> format, std::string_view label,
                                      WarningList* warnings);

/// "credit_note" for UNTDID 1001 credit note codes (381, 396, 81, 83, 261,
/// 262, 308, 532), else "invoice".
std::string DocumentTypeFromCode(std::string_view type_code);

/// The first of ids that has the shape of a registration number ("T" + 13
/// digits), or nullopt.
std::optional<std::string> FirstRegistrationNumber(const std::vector<std::string>& ids);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_FIELD_VALUES_H_
