// The Factur-X / ZUGFeRD extension schema in a PDF's XMP metadata:
// fx:DocumentFileName, fx:ConformanceLevel, and which namespace declares
// them (urn:factur-x:pdfa:…, urn:zugferd:pdfa:…, urn:ferd:pdfa:…).
//
// Thread safety: pure function.
#ifndef INVOICE_INTERNAL_XMP_H_
#define INVOICE_INTERNAL_XMP_H_

#include <string>
#include <string_view>

#include "invoice/internal/deadline.h"
#include "invoice/invoice_reader.h"

namespace invoice::internal {

struct XmpInvoiceInfo {
  std::string document_file_name;  ///< "" if not stated
  std::string conformance_level;   ///< "" if not stated
  std::string schema_namespace;    ///< "" if no invoice extension schema
};

/// Reads the invoice extension schema from an XMP packet, written either as
/// elements or as attributes of rdf:Description. Unreadable XMP yields an
/// empty result.
XmpInvoiceInfo ParseXmpInvoiceInfo(std::string_view xmp, const ReadLimits& limits,
                                   const Deadline& deadline);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_XMP_H_
