#include "signing/internal/text_util.h"

#include <cstdint>

#include <botan/base64.h>

namespace signing::internal {
namespace {

// Decodes one UTF-8 sequence at s[*pos]; returns the code point or -1 for
// an invalid (overlong, surrogate, truncated, > U+10FFFF) sequence.
int32_t NextCodePoint(std::string_view s, size_t* pos) {
  const auto byte = [&s](size_t i) { return static_cast<uint8_t>(s[i]); };
  const uint8_t b0 = byte(*pos);
  int len;
  int32_t cp;
  if (b0 < 0x80) {
    ++*pos;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    cp = b0 & 0x07;
  } else {
    return -1;
  }
  if (*pos + len > s.size()) return -1;
  for (int i = 1; i < len; ++i) {
    const uint8_t b = byte(*pos + i);
    if ((b & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  *pos += len;
  return cp;
}

// Unicode White_Space (what Go's unicode.IsSpace reports).
bool IsUnicodeSpace(int32_t cp) {
  switch (cp) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

}  // namespace

std::string Base64Encode(std::string_view data) {
  return Botan::base64_encode(reinterpret_cast<const uint8_t*>(data.data()),
                              data.size());
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  try {
    const Botan::secure_vector<uint8_t> raw =
        Botan::base64_decode(text.data(), text.size(), /*ignore_ws=*/false);
    std::string out(raw.begin(), raw.end());
    // Botan tolerates non-zero pad bits; re-encoding exposes them.
    if (Base64Encode(out) != text) return std::nullopt;
    return out;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool IsValidNoteText(std::string_view s) {
  for (size_t pos = 0; pos < s.size();) {
    const int32_t cp = NextCodePoint(s, &pos);
    if (cp < 0 || (cp < 0x20 && cp != '\n')) return false;
  }
  return true;
}

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t pos = 0; pos < name.size();) {
    const int32_t cp = NextCodePoint(name, &pos);
    if (cp < 0x20 || cp == '+' || cp == 0x7F || IsUnicodeSpace(cp))
      return false;
  }
  return true;
}

}  // namespace signing::internal
