// Reads an invoice from XML bytes: safe parse, recognise the root (UBL
// Invoice/CreditNote, CII, ZUGFeRD 1.0), extract the fields, name the
// format, and run the consistency checks.
//
// Thread safety: may be called concurrently.
#ifndef ARCHIVE_READERS_INTERNAL_XML_INVOICE_H_
#define ARCHIVE_READERS_INTERNAL_XML_INVOICE_H_

#include <string_view>

#include "archive/readers/internal/deadline.h"
#include "archive/readers/internal/parsed_invoice.h"
#include "archive/readers/internal/warning_list.h"
#include "archive/readers/invoice_reader.h"

namespace archive::readers {

struct XmlInvoice {
  /// True if bytes were read as an invoice; then invoice.fields.format is
  /// set. Otherwise a warning in the list says why.
  bool ok = false;
  ParsedInvoice invoice;
};

/// Reads bytes as an XML invoice, adding findings to warnings.
XmlInvoice ReadXmlInvoice(std::string_view bytes, const ReadLimits& limits,
                          const Deadline& deadline, WarningList* warnings);

}  // namespace archive::readers

#endif  // ARCHIVE_READERS_INTERNAL_XML_INVOICE_H_
