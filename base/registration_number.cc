#include "base/registration_number.h"

#include <cstdlib>

namespace base {
namespace {
bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}
}  // namespace

char CorporateNumberCheckDigit(std::string_view body) {
  if (body.size() != 12 || !AllDigits(body)) std::abort();
  int sum = 0;
  for (int n = 1; n <= 12; ++n) {
    const int p = body[12 - n] - '0';
    sum += p * (n % 2 == 1 ? 1 : 2);
  }
  return static_cast<char>('0' + 9 - sum % 9);
}

bool IsValidCorporateNumber(std::string_view s) {
  return s.size() == 13 && AllDigits(s) && CorporateNumberCheckDigit(s.substr(1)) == s[0];
}

bool LooksLikeRegistrationNumber(std::string_view s) {
  return s.size() == 14 && s[0] == 'T' && AllDigits(s.substr(1));
}

bool IsValidRegistrationNumber(std::string_view s) {
  return LooksLikeRegistrationNumber(s) && IsValidCorporateNumber(s.substr(1));
}

}  // namespace base
