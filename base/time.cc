#include "base/time.h"

#include <cstdio>

#include "base/date.h"
#include "base/text.h"

namespace base {
namespace {

constexpr int64_t kMicrosPerSecond = 1'000'000;
constexpr int64_t kJstOffsetSeconds = 9 * 3600;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::string Format(Time t, int64_t offset_seconds, bool fraction, const char* suffix,
                   char date_time_sep) {
  const int64_t us = ToUnixMicros(t) + offset_seconds * kMicrosPerSecond;
  const int64_t secs = FloorDiv(us, kMicrosPerSecond);
  const int64_t frac = us - secs * kMicrosPerSecond;
  const int64_t days = FloorDiv(secs, 86400);
  const int64_t sod = secs - days * 86400;
  const Date d = Date::FromDaysSinceEpoch(static_cast<int32_t>(days));
  char buf[64];
  if (fraction) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d%c%02d:%02d:%02d.%06lld%s", d.year(),
                  d.month(), d.day(), date_time_sep, static_cast<int>(sod / 3600),
                  static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60),
                  static_cast<long long>(frac), suffix);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d%c%02d:%02d:%02d%s", d.year(), d.month(),
                  d.day(), date_time_sep, static_cast<int>(sod / 3600),
                  static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60), suffix);
  }
  return buf;
}

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::string FormatRfc3339(Time t) { return Format(t, 0, true, "Z", 'T'); }

std::string FormatJst(Time t) { return Format(t, kJstOffsetSeconds, false, " JST", ' '); }

Result<Time> ParseRfc3339(std::string_view s) {
  const auto bad = [&] {
    return Status::InvalidArgument("「" + PrintableText(s) +
                                   "」は日時として読めません（RFC 3339 の形式、例: "
                                   "2026-04-01T09:00:00+09:00）");
  };
  int hh, mm, ss;
  if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return bad();
  auto date = Date::Parse(s.substr(0, 10));
  if (!date.ok()) return bad();
  if (!Digits(s, 11, 2, &hh) || !Digits(s, 14, 2, &mm) || !Digits(s, 17, 2, &ss)) return bad();
  if (hh > 23 || mm > 59 || ss > 60) return bad();
  size_t pos = 19;
  int64_t frac_us = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 6) frac_us = frac_us * 10 + (s[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) return bad();
    for (int i = n; i < 6; ++i) frac_us *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || !Digits(s, pos + 4, 2, &om)) return bad();
    offset = (oh * 3600 + om * 60) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != s.size()) return bad();
  const int64_t secs =
      int64_t{date->DaysSinceEpoch()} * 86400 + hh * 3600 + mm * 60 + ss - offset;
  return FromUnixMicros(secs * kMicrosPerSecond + frac_us);
}

Time SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now());
}

Time FakeClock::Now() const { return FromUnixMicros(now_us_.load()); }
void FakeClock::Set(Time t) { now_us_.store(ToUnixMicros(t)); }
void FakeClock::Advance(std::chrono::microseconds d) { now_us_.fetch_add(d.count()); }

}  // namespace base
