// Reads an invoice from XML bytes: safe parse, recognise the root (UBL
// Invoice/CreditNote, CII, ZUGFeRD 1.0), extract the fields, name the
// format, and run the consistency checks.
//
// Thread safety: may be called concurrently.
#ifndef INVOICE_INTERNAL_XML_INVOICE_H_
#define INVOICE_INTERNAL_XML_INVOICE_H_

#include <string_view>

#include "invoice/internal/deadline.h"
#include "invoice/internal/parsed_invoice.h"
#include "invoice/internal/warning_list.h"
#include "invoice/invoice_reader.h"

namespace invoice::internal {

struct XmlInvoice {
  /// True if bytes were read as an invoice; then invoice.fields.format is
  /// set. Otherwise a warning in the list says why.
  bool ok = false;
  ParsedInvoice invoice;
};

/// Reads bytes as an XML invoice, adding findings to warnings.
XmlInvoice ReadXmlInvoice(std::string_view bytes, const ReadLimits& limits,
                          const Deadline& deadline, WarningList* warnings);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_XML_INVOICE_H_
