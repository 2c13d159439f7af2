// Checks that a hybrid PDF's own metadata agrees with its embedded invoice
// XML. kura cannot read the PDF's page text, so the check is modest: the
// attachment name the XMP announces, and an invoice number that the
// document information's Title or Subject states after a word such as
// "Invoice", "Rechnung", "Facture" or 請求書.
//
// Thread safety: pure functions.
#ifndef INVOICE_INTERNAL_PDF_CROSS_CHECK_H_
#define INVOICE_INTERNAL_PDF_CROSS_CHECK_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "invoice/internal/warning_list.h"
#include "invoice/internal/xmp.h"

namespace invoice::internal {

/// Invoice-number-like tokens (containing a digit) that follow an invoice
/// keyword in text, e.g. "FA-2017-0010" in "Au bon moulin: Facture
/// FA-2017-0010 dated 2017-11-13".
std::vector<std::string> InvoiceNumberCandidates(std::string_view text);

/// Adds kPdfXmlMismatch warnings for disagreements.
void CrossCheckPdfAndXml(const std::map<std::string, std::string>& pdf_info,
                         const XmpInvoiceInfo& xmp, std::string_view attachment_name,
                         std::string_view invoice_number, WarningList* warnings);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_PDF_CROSS_CHECK_H_
