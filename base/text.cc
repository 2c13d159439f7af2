#include "base/text.h"

#include <array>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include "base/utf8.h"

namespace base {
namespace {

// After NFKC casefold, so full-width parentheses are already ASCII.
constexpr std::array<std::string_view, 26> kDesignators = {
    "一般社団法人", "一般財団法人", "公益社団法人", "公益財団法人", "特定非営利活動法人",
    "社会福祉法人", "医療法人",     "学校法人",     "株式会社",     "有限会社",
    "合同会社",     "合資会社",     "合名会社",     "(株)",         "(有)",
    "(同)",         "(資)",         "(名)",         "(社)",         "(財)",
    "(一社)",       "(一財)",       "(公社)",       "(公財)",       "(特非)",
    "(医)",
};

std::string Fold(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_FAILURE(status) || nfkc == nullptr) return std::string(utf8);
  const icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  icu::UnicodeString out = nfkc->normalize(in, status);
  if (U_FAILURE(status)) return std::string(utf8);
  std::string result;
  out.toUTF8String(result);
  return result;
}

void EraseAll(std::string* s, std::string_view what) {
  for (size_t pos = s->find(what); pos != std::string::npos; pos = s->find(what, pos)) {
    s->erase(pos, what.size());
  }
}

}  // namespace

std::string NormalizeText(std::string_view utf8) { return Fold(utf8); }

std::string NormalizeName(std::string_view utf8) {
  std::string s = Fold(utf8);
  // White space (NFKC made U+3000 a space) and middle dots.
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    if (s.compare(i, 3, "\xE3\x83\xBB") == 0) {  // U+30FB KATAKANA MIDDLE DOT
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  for (std::string_view d : kDesignators) EraseAll(&out, d);
  return out;
}

std::string DisplayName(std::string_view raw, size_t max_code_points) {
  const std::string valid = ToValidUtf8(raw);
  std::string out;
  size_t count = 0;
  ForEachCodePoint(valid, [&](char32_t cp) {
    const int8_t type = u_charType(static_cast<UChar32>(cp));
    if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || cp == 0x2028 || cp == 0x2029) {
      return true;
    }
    if (count++ == max_code_points) return false;
    AppendCodePoint(cp, &out);
    return true;
  });
  return out;
}

std::string PrintableText(std::string_view raw, size_t max_code_points) {
  const std::string valid = ToValidUtf8(raw);
  std::string out;
  size_t count = 0;
  ForEachCodePoint(valid, [&](char32_t cp) {
    if (count++ == max_code_points) {
      out += "…";
      return false;
    }
    if (cp < 0x20) {
      AppendCodePoint(0x2400 + cp, &out);  // U+2400.. CONTROL PICTURES
      return true;
    }
    if (cp == 0x7F) {
      AppendCodePoint(0x2421, &out);  // SYMBOL FOR DELETE
      return true;
    }
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
      return true;
    }
    const int8_t type = u_charType(static_cast<UChar32>(cp));
    if (type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || cp == 0x2028 || cp == 0x2029) {
      out += kReplacementCharacter;
      return true;
    }
    AppendCodePoint(cp, &out);
    return true;
  });
  return out;
}

std::string CsvField(std::string_view s) {
  bool quote = false;
  for (char c : s) {
    if (c == '"' || c == ',' || c == '\n' || c == '\r') quote = true;
  }
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const bool formula = !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '@');
  if (!quote && !formula) return std::string(s);
  std::string out = "\"";
  if (formula) out += '\'';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace base
