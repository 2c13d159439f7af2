#include "invoice/invoice_reader.h"

#include <exception>
#include <new>
#include <string>

#include "invoice/internal/deadline.h"
#include "invoice/internal/pdf_invoice.h"
#include "invoice/internal/pdf_prescan.h"
#include "invoice/internal/text_util.h"
#include "invoice/internal/warning_list.h"
#include "invoice/internal/xml_invoice.h"
#include "invoice/warning_codes.h"

namespace invoice {
namespace {

using internal::WarningList;

// XML: optional UTF-8 BOM and white space, then '<'; or a UTF-16 BOM
// (libxml2 detects the encoding).
bool LooksLikeXml(std::string_view b) {
  if (b.size() >= 2 && ((b[0] == '\xFF' && b[1] == '\xFE') || (b[0] == '\xFE' && b[1] == '\xFF'))) {
    return true;
  }
  if (b.substr(0, 3) == "\xEF\xBB\xBF") b.remove_prefix(3);
  const size_t first = b.find_first_not_of(" \t\r\n");
  return first != std::string_view::npos && b[first] == '<';
}

void ReadXml(std::string_view bytes, const ReadLimits& limits, const internal::Deadline& deadline,
             InvoiceFields* fields, WarningList* warnings) {
  internal::XmlInvoice xml = internal::ReadXmlInvoice(bytes, limits, deadline, warnings);
  if (xml.ok) *fields = std::move(xml.invoice.fields);
}

// Every string that leaves the reader is valid UTF-8 (JSON needs it).
void SanitizeAll(ReadResult* r) {
  using internal::SanitizeUtf8;
  InvoiceFields& f = r->fields;
  for (std::string* s : {&f.format, &f.document_type, &f.specification_id, &f.invoice_number,
                         &f.currency, &f.counterparty}) {
    *s = SanitizeUtf8(*s);
  }
  for (std::optional<std::string>* s :
       {&f.issue_date, &f.due_date, &f.total, &f.tax_inclusive_total, &f.registration_number,
        &f.buyer, &f.bank_account}) {
    if (*s) **s = SanitizeUtf8(**s);
  }
  for (std::string& s : f.supplier_tax_ids) s = SanitizeUtf8(s);
  for (std::string& s : f.line_descriptions) s = SanitizeUtf8(s);
  for (TaxSubtotal& t : f.tax_subtotals) {
    for (std::string* s : {&t.category, &t.rate, &t.taxable, &t.tax}) *s = SanitizeUtf8(*s);
  }
  for (auto& [key, value] : f.pdf_info) value = SanitizeUtf8(value);
  for (Warning& w : r->warnings) w.message = SanitizeUtf8(w.message);
}

ReadResult ReadUnchecked(std::string_view bytes, const ReadLimits& limits) {
  ReadResult result;
  WarningList warnings;
  const internal::Deadline deadline(limits.max_time);
  if (bytes.empty()) {
    warnings.Add(warning_code::kEmptyInput, "ファイルが空です");
  } else if (bytes.size() > limits.max_bytes) {
    warnings.Add(warning_code::kInputTooLarge, "ファイルが大きすぎるため読み取りません（" +
                                                   std::to_string(bytes.size()) + " バイト、上限 " +
                                                   std::to_string(limits.max_bytes) + " バイト）");
  } else if (const size_t pdf_at = internal::FindPdfHeader(bytes);
             pdf_at != std::string_view::npos) {
    internal::ReadPdfInvoice(bytes.substr(pdf_at), limits, deadline, &result.fields, &warnings);
  } else if (LooksLikeXml(bytes)) {
    ReadXml(bytes, limits, deadline, &result.fields, &warnings);
  } else {
    warnings.Add(warning_code::kUnrecognizedFormat,
                 "ファイル形式を判別できません（請求書の XML でも PDF でもありません）");
  }
  result.warnings = warnings.Take();
  return result;
}

}  // namespace

ReadResult ReadInvoice(std::string_view bytes, const ReadLimits& limits) {
  ReadResult result;
  // The adapters contain their libraries' exceptions; this is the last net
  // for std::bad_alloc and the like, so that the contract "never throws"
  // holds.
  try {
    result = ReadUnchecked(bytes, limits);
  } catch (const std::bad_alloc&) {
    result = ReadResult{};
    result.warnings.push_back(
        {std::string(warning_code::kInternalError), "メモリが不足したため読み取りを中止しました"});
  } catch (const std::exception& e) {
    result = ReadResult{};
    result.warnings.push_back(
        {std::string(warning_code::kInternalError),
         std::string("読み取り中に内部エラーが発生しました（") + e.what() + "）"});
  }
  SanitizeAll(&result);
  return result;
}

}  // namespace invoice
