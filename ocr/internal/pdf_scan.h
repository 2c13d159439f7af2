// PoDoFo behind ReadScan: each page of an image-only PDF is its largest
// image XObject, decoded, with the resolution from the image's pixels and
// the page's MediaBox.
#ifndef OCR_INTERNAL_PDF_SCAN_H_
#define OCR_INTERNAL_PDF_SCAN_H_

#include <string_view>
#include <vector>

#include "base/status.h"
#include "ocr/scan.h"

namespace ocr::internal {

base::Status ReadPdfScan(std::string_view bytes, const ScanOptions& options,
                         std::vector<ScanPage>* pages);

}  // namespace ocr::internal

#endif  // OCR_INTERNAL_PDF_SCAN_H_
