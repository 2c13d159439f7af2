#include "archive/sniff.h"

#include "base/utf8.h"

namespace archive {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// True if the bytes look like XML: optional UTF-8 BOM and whitespace, then
// "<?xml" or an element or comment start.
bool LooksLikeXml(std::string_view s) {
  if (StartsWith(s, "\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
    s.remove_prefix(1);
  }
  if (s.size() < 2 || s[0] != '<') return false;
  const char c = s[1];
  return c == '?' || c == '!' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

// True if the first KiB is well-formed UTF-8 text without control bytes
// other than tab, CR, LF and form feed. A character cut by the 1 KiB window
// is left out.
bool LooksLikeText(std::string_view s) {
  return base::ForEachCodePoint(base::TruncateUtf8(s, 1024), [](char32_t c) {
    return c >= 0x20 || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  });
}

}  // namespace

std::string SniffMediaType(std::string_view b) {
  // PDF readers accept the header anywhere in the first KiB.
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return "application/pdf";
  if (StartsWith(b, "II*\0") || StartsWith(b, std::string_view("MM\0*", 4))) return "image/tiff";
  if (StartsWith(b, "\xFF\xD8\xFF")) return "image/jpeg";
  if (StartsWith(b, "\x89PNG\r\n\x1A\n")) return "image/png";
  if (StartsWith(b, "PK\x03\x04")) return "application/zip";
  if (LooksLikeXml(b)) return "application/xml";
  if (!b.empty() && LooksLikeText(b)) return "text/plain";
  return "application/octet-stream";
}

}  // namespace archive
