// Scanned pages decoded in memory: image-only PDFs (the page's image
// XObject: DCTDecode, FlateDecode and the other PoDoFo filters, CCITT G3/G4)
// and JPEG, PNG and TIFF files (multi-page TIFF too), with what the
// スキャナ保存 checks need per page: pixel size, resolution, colour kind and
// bits per sample.
//
// ReadScan never touches the file system or the network and never trusts
// the bytes: sizes, pages and pixels are capped before decoding where the
// format lets us know them, and a decoder's failure is a Status, never a
// crash (tests/ocr/scan_test.cc feeds it truncated and garbage files).
// Leptonica and PoDoFo stay behind this header.
//
// Thread safety: ReadScan may be called from several threads at once.
#ifndef OCR_SCAN_H_
#define OCR_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace ocr {

/// What the scanner stored, as the スキャナ保存 rules distinguish it.
enum class Colour {
  kRgb,   ///< colour (three samples per pixel, or a coloured palette)
  kGrey,  ///< grey levels (one sample per pixel, more than one bit)
  kBw,    ///< black and white (one bit per pixel)
};

/// "rgb", "grey" or "bw", as the JSON of `kura ocr` spells it.
std::string_view ColourName(Colour colour);

/// The file kinds ReadScan knows, from their first bytes.
enum class ScanFormat { kUnknown, kPdf, kJpeg, kPng, kTiff };

/// "pdf", "jpeg", "png", "tiff" or "unknown".
std::string_view ScanFormatName(ScanFormat format);

/// The format the bytes start like (magic numbers only; nothing decoded).
ScanFormat DetectScanFormat(std::string_view bytes);

/// One decoded page.
struct ScanPage {
  int width = 0;   ///< pixels
  int height = 0;  ///< pixels
  /// Resolution in dots per inch, 0 if the file does not say. For a PDF
  /// page: the image's pixels over the page's MediaBox (in inches); for an
  /// image file: its header (JFIF density, PNG pHYs, TIFF resolution tags).
  int dpi_x = 0;
  int dpi_y = 0;
  Colour colour = Colour::kGrey;
  /// Bits per sample as stored (1, 2, 4, 8 or 16), before decoding to 8.
  int bits_per_sample = 8;
  /// How the page was stored: "jpeg", "png", "tiff", or for a PDF the
  /// image's filter ("pdf/DCTDecode", "pdf/FlateDecode",
  /// "pdf/CCITTFaxDecode", "pdf/raw").
  std::string encoding;
  /// The decoded image, 8 bits per sample, row-major without padding:
  /// `channels` = 3 (R, G, B) for kRgb, else 1 (grey; black and white pages
  /// as 0 and 255, 0 black). Empty when ScanOptions::keep_pixels is false.
  int channels = 1;
  std::vector<uint8_t> pixels;

  /// The smaller of the two resolutions (0 if either is unknown).
  int dpi() const;
};

struct ScanOptions {
  size_t max_bytes = size_t{256} << 20;  ///< of the file
  int max_pages = 200;
  /// Per page. A4 at 600 dpi is 35 M pixels.
  int64_t max_pixels_per_page = int64_t{80} << 20;
  /// Over all pages together (decoded pages are kept in memory).
  int64_t max_total_pixels = int64_t{400} << 20;
  /// False: decode each page for its properties, then drop its pixels (the
  /// スキャナ保存 checks need no pixels).
  bool keep_pixels = true;
};

/// The pages of a scan, in order.
/// Errors: InvalidArgument for bytes that are none of the known formats (or
/// a PDF page without an image: not a scan); ResourceExhausted when a limit
/// of `options` is passed; Corruption when the bytes are a known format but
/// cannot be decoded (truncated, garbage); PermissionDenied for an
/// encrypted PDF. Messages are Japanese.
base::Result<std::vector<ScanPage>> ReadScan(std::string_view bytes,
                                             const ScanOptions& options = {});

}  // namespace ocr

#endif  // OCR_SCAN_H_
