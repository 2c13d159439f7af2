// Leptonica behind ReadScan: image files (JPEG, PNG, TIFF, multi-page TIFF)
// and the compressed images a PDF holds (DCT = a JPEG file, CCITT G3/G4
// wrapped in a one-strip TIFF), decoded into ScanPage.
#ifndef OCR_INTERNAL_IMAGE_DECODE_H_
#define OCR_INTERNAL_IMAGE_DECODE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "ocr/scan.h"

namespace ocr::internal {

/// Appends the pages of a JPEG, PNG or TIFF file to *pages, each with the
/// file's resolution. `pixel_budget` is what is left of
/// options.max_total_pixels; it is reduced by each page.
base::Status DecodeImageFile(std::string_view bytes, ScanFormat format,
                             const ScanOptions& options, int64_t* pixel_budget,
                             std::vector<ScanPage>* pages);

/// CCITT fax data as a PDF's CCITTFaxDecode filter describes it.
struct CcittParams {
  int k = 0;  ///< < 0: G4; 0: G3 1-D; > 0: G3 2-D
  int columns = 1728;
  int rows = 0;
  bool black_is_1 = false;
  bool encoded_byte_align = false;
};

/// Decodes CCITT data into a black-and-white page (resolution left 0).
base::Status DecodeCcitt(std::string_view data, const CcittParams& params,
                         const ScanOptions& options, ScanPage* page);

/// Silences Leptonica's messages on stderr (process-wide, once).
void QuietLeptonica();

}  // namespace ocr::internal

#endif  // OCR_INTERNAL_IMAGE_DECODE_H_
