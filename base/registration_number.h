// Japanese corporate numbers (法人番号) and qualified-invoice registration
// numbers (適格請求書発行事業者登録番号, "T" + 13 digits).
//
// The first of the 13 digits is a check digit over the other twelve:
//   check = 9 - (Σ_{n=1..12} P_n × Q_n mod 9),
// P_n the n-th of the twelve counted from the right, Q_n = 1 for odd n and 2
// for even n. A wrong check digit is a warning on a document, never a reason
// to refuse it (the official JP PINT samples use T1234567890123 on purpose).
#ifndef BASE_REGISTRATION_NUMBER_H_
#define BASE_REGISTRATION_NUMBER_H_

#include <string>
#include <string_view>

namespace base {

/// The check digit ('1'..'9') for twelve ASCII digits.
/// REQUIRES: body is exactly 12 ASCII digits.
char CorporateNumberCheckDigit(std::string_view body);

/// True if s is 13 ASCII digits whose first digit is the right check digit.
bool IsValidCorporateNumber(std::string_view s);

/// True if s has the shape of a registration number: "T" + 13 ASCII digits
/// (check digit not considered).
bool LooksLikeRegistrationNumber(std::string_view s);

/// True if s looks like a registration number and its check digit holds.
bool IsValidRegistrationNumber(std::string_view s);

}  // namespace base

#endif  // BASE_REGISTRATION_NUMBER_H_
