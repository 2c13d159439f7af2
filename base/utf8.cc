#include "base/utf8.h"

#include <unicode/utf8.h>
#include <unicode/utypes.h>

namespace base {
namespace {

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

// The offset of the first byte at or after pos that starts no well-formed
// sequence, or s.size() if s[pos..] is well-formed.
size_t WellFormedUntil(std::string_view s, size_t pos) {
  const uint8_t* b = Bytes(s);
  const size_t n = s.size();
  while (pos < n) {
    const size_t start = pos;
    UChar32 c;
    U8_NEXT(b, pos, n, c);
    if (c < 0) return start;
  }
  return n;
}

}  // namespace

bool IsValidUtf8(std::string_view s) { return WellFormedUntil(s, 0) == s.size(); }

std::string ToValidUtf8(std::string_view s) {
  size_t bad = WellFormedUntil(s, 0);
  if (bad == s.size()) return std::string(s);  // the usual case: one copy
  std::string out;
  out.reserve(s.size() + 2 * kReplacementCharacter.size());
  size_t pos = 0;
  while (bad < s.size()) {
    if (bad > pos) out.append(s.data() + pos, bad - pos);
    // One U+FFFD for this byte, then start again at the next one (not where
    // U8_NEXT stopped, which would swallow a maximal ill-formed subpart).
    out.append(kReplacementCharacter.data(), kReplacementCharacter.size());
    pos = bad + 1;
    bad = WellFormedUntil(s, pos);
  }
  out.append(s.data() + pos, s.size() - pos);
  return out;
}

int32_t NextCodePoint(std::string_view s, size_t* pos) {
  size_t i = *pos;
  UChar32 c;
  U8_NEXT(Bytes(s), i, s.size(), c);
  if (c < 0) {
    ++*pos;
    return kIllFormedUtf8;
  }
  *pos = i;
  return c;
}

void AppendCodePoint(char32_t cp, std::string* out) {
  uint8_t buf[U8_MAX_LENGTH];
  size_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, sizeof(buf), cp, error);
  if (error) {
    out->append(kReplacementCharacter);
  } else {
    out->append(reinterpret_cast<const char*>(buf), n);
  }
}

std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  // Signed: the macro computes length - 2 and length - 3.
  int64_t end = static_cast<int64_t>(max_bytes);
  U8_TRUNCATE_IF_INCOMPLETE(Bytes(s), int64_t{0}, end);
  return s.substr(0, static_cast<size_t>(end));
}

}  // namespace base
