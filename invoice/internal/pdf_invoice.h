// Reads an invoice from a PDF: guards (prescan), PoDoFo extraction, then the
// embedded invoice XML if there is one (Factur-X, ZUGFeRD, XRechnung), else
// page count and document information with needs_metadata.
//
// Thread safety: may be called concurrently.
#ifndef INVOICE_INTERNAL_PDF_INVOICE_H_
#define INVOICE_INTERNAL_PDF_INVOICE_H_

#include <string_view>

#include "invoice/internal/deadline.h"
#include "invoice/internal/warning_list.h"
#include "invoice/invoice_reader.h"

namespace invoice::internal {

/// Fills fields (format "pdf" or a hybrid format) and warnings.
/// REQUIRES: pdf starts at its "%PDF-" header.
void ReadPdfInvoice(std::string_view pdf, const ReadLimits& limits, const Deadline& deadline,
                    InvoiceFields* fields, WarningList* warnings);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_PDF_INVOICE_H_
