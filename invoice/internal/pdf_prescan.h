// A look at the raw bytes of a PDF before PoDoFo parses it, to keep hostile
// files away from PoDoFo: PoDoFo decompresses object and cross-reference
// streams into memory while loading, without a size limit, and that cannot
// be interrupted. The prescan:
//   - finds an encryption dictionary (/Encrypt): such files are not loaded;
//   - refuses a declared /Size or an object count above max_pdf_objects;
//   - when the file has cross-reference streams (the only way a PDF can
//     store objects inside object streams), inflates every Flate-encoded
//     stream against the max_pdf_decoded_bytes budget, streaming, without
//     keeping the output, and refuses the file when the budget runs out or
//     when a stream uses a filter that could expand without bound and that
//     PoDoFo would decode (LZW, RunLength, ASCII85/Hex chains).
// It is a heuristic over the bytes, not a PDF parser: names are compared
// after #xx unescaping, and stream data is inflated from its start to the
// end of its zlib stream, whatever /Length claims. Image codecs (DCT, JPX,
// JBIG2, CCITT) are not expanded: PoDoFo does not decode them while loading.
//
// Thread safety: pure function.
#ifndef INVOICE_INTERNAL_PDF_PRESCAN_H_
#define INVOICE_INTERNAL_PDF_PRESCAN_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "invoice/internal/deadline.h"
#include "invoice/invoice_reader.h"

namespace invoice::internal {

/// Where "%PDF-" starts if it does within the first 1 KiB (leading junk, as
/// some mail gateways add, is allowed), else std::string_view::npos.
size_t FindPdfHeader(std::string_view bytes);

struct PdfPrescan {
  bool encrypted = false;
  bool too_complex = false;
  bool timed_out = false;
  std::string reason;        ///< Japanese detail for too_complex
  size_t decoded_bytes = 0;  ///< budget used by inflating streams
};

/// REQUIRES: pdf starts at the "%PDF-" header.
PdfPrescan PrescanPdf(std::string_view pdf, const ReadLimits& limits, const Deadline& deadline);

}  // namespace invoice::internal

#endif  // INVOICE_INTERNAL_PDF_PRESCAN_H_
