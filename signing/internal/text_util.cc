#include "signing/internal/text_util.h"

#include <cstdint>

#include <botan/base64.h>

#include "base/utf8.h"

namespace signing::internal {
namespace {

// Unicode White_Space (what Go's unicode.IsSpace reports).
bool IsUnicodeSpace(char32_t cp) {
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
  return base::ForEachCodePoint(s, [](char32_t cp) { return cp >= 0x20 || cp == '\n'; });
}

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  return base::ForEachCodePoint(name, [](char32_t cp) {
    return !(cp < 0x20 || cp == '+' || cp == 0x7F || IsUnicodeSpace(cp));
  });
}

}  // namespace signing::internal
