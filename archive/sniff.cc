#include "archive/sniff.h"

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

// True if the first KiB is valid UTF-8 text without control bytes other
// than tab, CR, LF and form feed.
bool LooksLikeText(std::string_view s) {
  s = s.substr(0, 1024);
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') return false;
      ++i;
      continue;
    }
    const int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
    if (n < 0) return false;
    if (i + n >= s.size()) break;  // a character cut by the 1 KiB window
    for (int k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n + 1;
  }
  return true;
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
