#include "ocr/scan.h"

#include <algorithm>
#include <cstring>

#include "ocr/internal/image_decode.h"
#include "ocr/internal/pdf_scan.h"

namespace ocr {

std::string_view ColourName(Colour colour) {
  switch (colour) {
    case Colour::kRgb:
      return "rgb";
    case Colour::kGrey:
      return "grey";
    case Colour::kBw:
      return "bw";
  }
  return "grey";
}

std::string_view ScanFormatName(ScanFormat format) {
  switch (format) {
    case ScanFormat::kPdf:
      return "pdf";
    case ScanFormat::kJpeg:
      return "jpeg";
    case ScanFormat::kPng:
      return "png";
    case ScanFormat::kTiff:
      return "tiff";
    case ScanFormat::kUnknown:
      break;
  }
  return "unknown";
}

ScanFormat DetectScanFormat(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("\xff\xd8\xff")) return ScanFormat::kJpeg;
  if (starts("\x89PNG\r\n\x1a\n")) return ScanFormat::kPng;
  if (starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4))) {
    return ScanFormat::kTiff;
  }
  // PDF readers accept the header anywhere in the first KB.
  if (b.substr(0, 1024).find("%PDF-") != std::string_view::npos) return ScanFormat::kPdf;
  return ScanFormat::kUnknown;
}

int ScanPage::dpi() const {
  if (dpi_x <= 0 || dpi_y <= 0) return 0;
  return std::min(dpi_x, dpi_y);
}

base::Result<std::vector<ScanPage>> ReadScan(std::string_view bytes, const ScanOptions& options) {
  if (bytes.size() > options.max_bytes) {
    return base::Status::ResourceExhausted("スキャンのファイルが大きすぎます（" +
                                           std::to_string(bytes.size()) + " バイト）");
  }
  const ScanFormat format = DetectScanFormat(bytes);
  std::vector<ScanPage> pages;
  base::Status s;
  if (format == ScanFormat::kUnknown) {
    return base::Status::InvalidArgument("PDF・JPEG・PNG・TIFF のいずれでもありません");
  }
  if (format == ScanFormat::kPdf) {
    s = internal::ReadPdfScan(bytes, options, &pages);
  } else {
    int64_t budget = options.max_total_pixels;
    s = internal::DecodeImageFile(bytes, format, options, &budget, &pages);
  }
  if (!s.ok()) return s;
  return pages;
}

}  // namespace ocr
