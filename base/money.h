// Exact decimal amounts. Invoices state amounts as decimal text ("110000",
// "1234.50"); kura keeps them exact, never as floating point, and remembers
// the scale they were written with so that "1234.50" prints as written.
//
// A Decimal is mantissa × 10^-scale with a 64-bit mantissa and scale 0..18:
// up to 18 significant digits, plenty for yen and for any currency's cents.
// Arithmetic that would overflow returns ResourceExhausted instead of
// wrapping.
//
// Thread safety: values; freely shared.
#ifndef BASE_MONEY_H_
#define BASE_MONEY_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"

namespace base {

enum class RoundingMode {
  kDown,      ///< toward zero (切り捨て), the usual choice for consumption tax
  kUp,        ///< away from zero (切り上げ)
  kHalfUp,    ///< half away from zero (四捨五入)
  kFloor,     ///< toward negative infinity
  kHalfEven,  ///< banker's rounding
};

class Decimal {
 public:
  static constexpr int kMaxScale = 18;
  static constexpr int kMaxDigits = 18;

  constexpr Decimal() = default;
  /// An integer amount (scale 0).
  static constexpr Decimal FromInt(int64_t v) { return Decimal(v, 0); }
  /// REQUIRES: 0 <= scale <= kMaxScale.
  static constexpr Decimal FromParts(int64_t mantissa, int scale) {
    return Decimal(mantissa, scale);
  }

  /// Parses [+-]digits[.digits] (ASCII, no exponent, no grouping; surrounding
  /// ASCII whitespace is ignored). More than kMaxDigits significant digits is
  /// ResourceExhausted; anything else malformed is InvalidArgument.
  static Result<Decimal> Parse(std::string_view text);

  int64_t mantissa() const { return mantissa_; }
  int scale() const { return scale_; }
  int sign() const { return (mantissa_ > 0) - (mantissa_ < 0); }
  bool is_zero() const { return mantissa_ == 0; }

  /// As written: keeps trailing zeros of the scale ("1234.50", "-3", "0.00").
  std::string ToString() const;

  Result<Decimal> Add(const Decimal& other) const;
  Result<Decimal> Sub(const Decimal& other) const;
  /// The exact product (scale = sum of scales, then trailing zeros beyond the
  /// larger input scale are dropped).
  Result<Decimal> Mul(const Decimal& other) const;
  Decimal Negate() const { return Decimal(-mantissa_, scale_); }
  /// Rounds to the given number of fraction digits. Increasing the scale is
  /// exact (may overflow).
  Result<Decimal> Round(int scale, RoundingMode mode) const;
  /// Removes trailing fraction zeros: 1234.500 → 1234.5, 10.00 → 10.
  Decimal Normalized() const;

  /// Numeric comparison: 1.50 == 1.5.
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) {
    return (a <=> b) == std::strong_ordering::equal;
  }

 private:
  constexpr Decimal(int64_t mantissa, int scale) : mantissa_(mantissa), scale_(scale) {}
  int64_t mantissa_ = 0;
  int scale_ = 0;
};

/// An amount in a currency (ISO 4217 code such as "JPY").
struct Money {
  Decimal amount;
  std::string currency;
};

/// Fraction digits a currency normally uses: 0 for JPY and KRW, 3 for the
/// dinars, else 2.
int MinorUnits(std::string_view currency);

}  // namespace base

#endif  // BASE_MONEY_H_
