#include "base/money.h"

#include <algorithm>
#include <string>

#include "base/text.h"

namespace base {
namespace {

__extension__ typedef __int128 i128;

constexpr int64_t kPow10[19] = {1,
                                10,
                                100,
                                1000,
                                10000,
                                100000,
                                1000000,
                                10000000,
                                100000000,
                                1000000000,
                                10000000000,
                                100000000000,
                                1000000000000,
                                10000000000000,
                                100000000000000,
                                1000000000000000,
                                10000000000000000,
                                100000000000000000,
                                1000000000000000000};

// Every Decimal has at most kMaxDigits significant digits, so that any two
// can be aligned and multiplied in 128 bits.
constexpr int64_t kMaxMantissa = 999'999'999'999'999'999;
bool FitsInt64(i128 v) { return v >= -kMaxMantissa && v <= kMaxMantissa; }

i128 Pow10(int n) {
  i128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

Status Overflow() {
  return Status::ResourceExhausted("金額の桁数が多すぎます（扱えるのは 18 桁までです）");
}

// Rounds q = n / d (d > 0) to an integer per mode.
i128 DivRound(i128 n, i128 d, RoundingMode mode) {
  i128 q = n / d;
  const i128 r = n % d;  // same sign as n
  if (r == 0) return q;
  const int s = n < 0 ? -1 : 1;
  const i128 twice = (r < 0 ? -r : r) * 2;
  switch (mode) {
    case RoundingMode::kDown: return q;
    case RoundingMode::kUp: return q + s;
    case RoundingMode::kFloor: return s < 0 ? q - 1 : q;
    case RoundingMode::kHalfUp: return twice >= d ? q + s : q;
    case RoundingMode::kHalfEven:
      if (twice > d) return q + s;
      if (twice < d) return q;
      return (q % 2 == 0) ? q : q + s;
  }
  return q;
}

}  // namespace

Result<Decimal> Decimal::Parse(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' ||
                        s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  const auto bad = [&] {
    return Status::InvalidArgument("「" + PrintableText(text) +
                                   "」は数値として読めません（例: 1234.50。桁区切りのカンマ、"
                                   "全角数字、単位は使えません）");
  };
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return bad();
  int64_t m = 0;
  int digits = 0, scale = 0;
  bool seen_point = false, any_digit = false;
  for (char c : s) {
    if (c == '.') {
      if (seen_point) return bad();
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return bad();
    any_digit = true;
    if (seen_point) ++scale;
    if (m == 0 && c == '0' && !seen_point) continue;  // leading zeros
    if (++digits > kMaxDigits) return Overflow();
    m = m * 10 + (c - '0');
  }
  if (!any_digit || scale > kMaxScale) return scale > kMaxScale ? Overflow() : bad();
  return Decimal(negative ? -m : m, scale);
}

std::string Decimal::ToString() const {
  const bool negative = mantissa_ < 0;
  // |INT64_MIN| does not fit int64; go through unsigned.
  uint64_t mag = negative ? 0 - static_cast<uint64_t>(mantissa_) : static_cast<uint64_t>(mantissa_);
  std::string digits = std::to_string(mag);
  if (scale_ > 0) {
    if (static_cast<int>(digits.size()) <= scale_) {
      digits.insert(0, static_cast<size_t>(scale_ + 1 - digits.size()), '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale_), 1, '.');
  }
  if (negative) digits.insert(0, 1, '-');
  return digits;
}

Result<Decimal> Decimal::Add(const Decimal& o) const {
  const int s = std::max(scale_, o.scale_);
  const i128 v = i128{mantissa_} * Pow10(s - scale_) + i128{o.mantissa_} * Pow10(s - o.scale_);
  if (!FitsInt64(v)) return Overflow();
  return Decimal(static_cast<int64_t>(v), s);
}

Result<Decimal> Decimal::Sub(const Decimal& o) const { return Add(o.Negate()); }

Result<Decimal> Decimal::Mul(const Decimal& o) const {
  i128 v = i128{mantissa_} * i128{o.mantissa_};
  int s = scale_ + o.scale_;
  const int keep = std::max(scale_, o.scale_);
  while (s > keep && v % 10 == 0) {
    v /= 10;
    --s;
  }
  if (s > kMaxScale || !FitsInt64(v)) return Overflow();
  return Decimal(static_cast<int64_t>(v), s);
}

Result<Decimal> Decimal::Round(int scale, RoundingMode mode) const {
  if (scale < 0 || scale > kMaxScale) {
    return Status::InvalidArgument("小数点以下の桁数 " + std::to_string(scale) +
                                   " は範囲外です（0〜" + std::to_string(kMaxScale) + "）");
  }
  if (scale >= scale_) {
    const i128 v = i128{mantissa_} * Pow10(scale - scale_);
    if (!FitsInt64(v)) return Overflow();
    return Decimal(static_cast<int64_t>(v), scale);
  }
  const i128 v = DivRound(mantissa_, Pow10(scale_ - scale), mode);
  return Decimal(static_cast<int64_t>(v), scale);
}

Decimal Decimal::Normalized() const {
  int64_t m = mantissa_;
  int s = scale_;
  while (s > 0 && m % 10 == 0) {
    m /= 10;
    --s;
  }
  return Decimal(m, s);
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  const int s = std::max(a.scale_, b.scale_);
  const i128 x = i128{a.mantissa_} * kPow10[s - a.scale_];
  const i128 y = i128{b.mantissa_} * kPow10[s - b.scale_];
  return x < y ? std::strong_ordering::less
               : (x > y ? std::strong_ordering::greater : std::strong_ordering::equal);
}

int MinorUnits(std::string_view c) {
  if (c == "JPY" || c == "KRW" || c == "ISK" || c == "CLP" || c == "VND") return 0;
  if (c == "BHD" || c == "KWD" || c == "OMR" || c == "JOD" || c == "TND" || c == "IQD" ||
      c == "LYD") {
    return 3;
  }
  return 2;
}

}  // namespace base
