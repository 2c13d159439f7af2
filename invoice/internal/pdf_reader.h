// PoDoFo adapter: loads a PDF from memory and copies out what the invoice
// reader needs (page count, document information, the embedded invoice XML,
// the XMP packet) into plain values. No PoDoFo type or exception leaves the
// .cc file.
//
// Decompression of the streams we read (attachment, XMP) goes through a
// capped output stream, so it stops at the byte budget or the deadline.
// Structures are walked iteratively with visited sets, so cyclic name trees
// cannot loop.
//
// Thread safety: may be called concurrently (PoDoFo is built with
// PODOFO_MULTI_THREAD; its global settings are made once under
// std::call_once).
#ifndef INVOICE_INTERNAL_PDF_READER_H_
#define INVOICE_INTERNAL_PDF_READER_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invoice/internal/deadline.h"
#include "invoice/invoice_reader.h"
#include "base/result.h"
#include "base/status.h"

namespace invoice::internal {

struct PdfAttachment {
  std::string name;  ///< file name as stated (/UF, /F, or the name-tree key)
  std::string data;  ///< decoded bytes when status is OK
  base::Status status;
};

struct PdfContents {
  std::optional<int> page_count;
  /// Title, Author, Subject, Keywords, Creator, Producer, CreationDate.
  std::map<std::string, std::string> info;
  /// Names of every embedded file found (EmbeddedFiles name tree and /AF).
  std::vector<std::string> attachment_names;
  /// The first attachment named like hybrid invoice XML, decoded.
  std::optional<PdfAttachment> invoice_xml;
  /// The catalog's XMP packet ("" if none or unreadable).
  std::string xmp;
};

/// Loads pdf (starting at its %PDF- header) and extracts its contents.
/// decode_budget bounds the bytes decompressed for the attachment and XMP.
/// Errors: Corruption if PoDoFo cannot load the file; PermissionDenied if it
/// is encrypted; ResourceExhausted if a limit or the deadline was hit while
/// loading. Problems with a single attachment are reported in its status.
base::Result<PdfContents> ReadPdfContents(std::string_view pdf, size_t decode_budget,
                                          const Deadline& deadline);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_PDF_READER_H_
