// Reads an invoice from a PDF: guards (prescan), PoDoFo extraction, then the
// embedded invoice XML if there is one (Factur-X, ZUGFeRD, XRechnung), else
// page count and document information with needs_metadata.
//
// Thread safety: may be called concurrently.
#ifndef ARCHIVE_READERS_INTERNAL_PDF_INVOICE_H_
#define ARCHIVE_READERS_INTERNAL_PDF_INVOICE_H_

#include <string_view>

#include "archive/readers/internal/deadline.h"
#include "archive/readers/internal/warning_list.h"
#include "archive/readers/invoice_reader.h"

namespace archive::readers {

/// Fills fields (format "pdf" or a hybrid format) and warnings.
/// REQUIRES: pdf starts at its "%PDF-" header.
void ReadPdfInvoice(std::string_view pdf, const ReadLimits& limits, const Deadline& deadline,
                    InvoiceFields* fields, WarningList* warnings);

}  // namespace archive::readers

#endif  // ARCHIVE_READERS_INTERNAL_PDF_INVOICE_H_
