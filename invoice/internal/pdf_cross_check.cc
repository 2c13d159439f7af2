#include "invoice/internal/pdf_cross_check.h"

#include "base/text.h"
#include "invoice/internal/text_util.h"
#include "invoice/warning_codes.h"

namespace invoice::internal {
namespace {

bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
         c == '/' || c == '_' || c == '.';
}

// Words after which invoices put their number. ASCII ones match
// case-insensitively.
constexpr std::string_view kKeywords[] = {
    "invoice", "facture", "avoir", "rechnung", "gutschrift", "credit note", "nr.",
    "no.",     "n°",      "#",     "請求書",   "請求番号",   "番号",
};

// Skips separators between a keyword and its number: spaces, ':', '#',
// "No."/"Nr.", "番号", full-width space and colon.
size_t SkipSeparators(std::string_view t, size_t p) {
  for (;;) {
    const size_t before = p;
    while (p < t.size() && (t[p] == ' ' || t[p] == ':' || t[p] == '#' || t[p] == '\t')) ++p;
    for (std::string_view sep : {"no.", "nr.", "n°", "番号", "　", "："}) {
      if (EqualsIgnoreCase(t.substr(p, sep.size()), sep)) p += sep.size();
    }
    if (p == before) return p;
  }
}

}  // namespace

std::vector<std::string> InvoiceNumberCandidates(std::string_view text) {
  std::vector<std::string> out;
  const std::string lower = ToLowerAscii(text);
  for (std::string_view kw : kKeywords) {
    for (size_t at = lower.find(kw); at != std::string::npos; at = lower.find(kw, at + 1)) {
      size_t p = SkipSeparators(text, at + kw.size());
      size_t e = p;
      while (e < text.size() && IsNumberChar(text[e])) ++e;
      std::string_view token = text.substr(p, e - p);
      while (!token.empty() && (token.back() == '.' || token.back() == '-')) token.remove_suffix(1);
      if (token.find_first_of("0123456789") == std::string_view::npos) continue;
      out.emplace_back(token);
    }
  }
  return out;
}

void CrossCheckPdfAndXml(const std::map<std::string, std::string>& pdf_info,
                         const XmpInvoiceInfo& xmp, std::string_view attachment_name,
                         std::string_view invoice_number, WarningList* warnings) {
  if (!xmp.document_file_name.empty() &&
      !EqualsIgnoreCase(xmp.document_file_name, attachment_name)) {
    warnings->Add(warning_code::kPdfXmlMismatch,
                  "PDF の XMP メタデータが示す添付ファイル名 " +
                      base::PrintableText(xmp.document_file_name, 128) +
                      " と、実際に添付されている " + base::PrintableText(attachment_name, 128) +
                      " が一致しません");
  }
  if (invoice_number.empty()) return;
  for (const char* key : {"Title", "Subject"}) {
    const auto it = pdf_info.find(key);
    if (it == pdf_info.end()) continue;
    const std::string& text = it->second;
    if (text.find(invoice_number) != std::string::npos) continue;  // agrees
    const std::vector<std::string> candidates = InvoiceNumberCandidates(text);
    if (candidates.empty()) continue;  // states no number: nothing to compare
    warnings->Add(warning_code::kPdfXmlMismatch,
                  "PDF の文書情報（" + std::string(key) + "）の請求書番号 " +
                      base::PrintableText(candidates.front(), 64) + " が、添付 XML の請求書番号 " +
                      base::PrintableText(invoice_number, 64) + " と一致しません");
  }
}

}  // namespace invoice::internal
