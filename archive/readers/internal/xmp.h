// The Factur-X / ZUGFeRD extension schema in a PDF's XMP metadata:
// fx:DocumentFileName, fx:ConformanceLevel, and which namespace declares
// them (urn:factur-x:pdfa:…, urn:zugferd:pdfa:…, urn:ferd:pdfa:…).
//
// Thread safety: pure function.
#ifndef ARCHIVE_READERS_INTERNAL_XMP_H_
#define ARCHIVE_READERS_INTERNAL_XMP_H_

#include <string>
#include <string_view>

#include "archive/readers/internal/deadline.h"
#include "archive/readers/invoice_reader.h"

namespace archive::readers {

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

}  // namespace archive::readers

#endif  // ARCHIVE_READERS_INTERNAL_XMP_H_
