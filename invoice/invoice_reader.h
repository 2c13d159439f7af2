// Invoice readers: turn the bytes of a received invoice into the few fields
// the archive indexes and shows (番号, 日付, 金額, 取引先, 登録番号, 税率ごとの
// 税額 …), plus warnings a clerk should look at.
//
// Supported inputs, recognised by content (never by file name):
//   - UBL 2.x Invoice / CreditNote (JP PINT, Peppol BIS 3, XRechnung, plain
//     UBL), any namespace prefix;
//   - UN/CEFACT CII (CrossIndustryInvoice) and ZUGFeRD 1.0
//     (CrossIndustryDocument);
//   - PDF: hybrid Factur-X / ZUGFeRD / XRechnung PDFs are read through their
//     embedded XML; other PDFs yield page count and document information and
//     are flagged needs_metadata (a person types the fields in).
//
// ReadInvoice is a pure function of its input: it never touches the network
// or the file system, never throws, and never refuses a document. What it
// cannot read becomes format "unknown" (or "pdf" with needs_metadata) plus a
// warning. Amounts stay exact decimal strings as written in the document.
//
// The result's InvoiceFields (invoice/invoice_fields.h) holds every member
// (nothing in `absent` but supplier_address, which no reader extracts yet).
//
// Thread safety: ReadInvoice may be called concurrently from any number of
// threads; the structs are plain values.
#ifndef INVOICE_INVOICE_READER_H_
#define INVOICE_INVOICE_READER_H_

#include <chrono>
#include <cstddef>
#include <string_view>
#include <vector>

#include "invoice/invoice_fields.h"

namespace invoice {

/// Resource limits. A document that exceeds one is not read further; the
/// result says so in a warning.
struct ReadLimits {
  /// Larger inputs are not parsed at all.
  size_t max_bytes = size_t{100} << 20;
  /// Maximum element nesting. libxml2 itself stops at 256 (XML_PARSE_HUGE is
  /// never set), so larger values have no effect.
  int max_xml_depth = 256;
  /// Elements + attributes + comments; bounds parser memory.
  size_t max_xml_nodes = 1'000'000;
  /// Largest object number (/Size) and object count a PDF may declare.
  int max_pdf_objects = 200'000;
  /// Bytes a PDF may expand to when its object streams, cross-reference
  /// streams, XMP and invoice attachment are decompressed (PDF bombs).
  size_t max_pdf_decoded_bytes = size_t{256} << 20;
  /// Wall-clock budget. Checked while parsing XML and decompressing PDF
  /// streams; PoDoFo's own parsing of the PDF structure cannot be
  /// interrupted, but its cost is bounded by the limits above.
  std::chrono::milliseconds max_time{10'000};
};

struct ReadResult {
  InvoiceFields fields;
  std::vector<Warning> warnings;
};

/// Reads an invoice from its bytes (the whole file as received).
///
/// Never fails and never throws: unreadable input yields format "unknown" (or
/// "pdf" with needs_metadata) and a warning saying why. All strings in the
/// result are valid UTF-8. Does not touch the network or the file system.
ReadResult ReadInvoice(std::string_view bytes, const ReadLimits& limits = {});

}  // namespace invoice

#endif  // INVOICE_INVOICE_READER_H_
