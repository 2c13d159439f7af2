#include "ocr/internal/image_decode.h"

#include <leptonica/allheaders.h>

#include <memory>
#include <mutex>
#include <string>

namespace ocr::internal {
namespace {

struct PixDeleter {
  void operator()(PIX* p) const { ::pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixDeleter>;

const l_uint8* Data(std::string_view s) {
  return reinterpret_cast<const l_uint8*>(s.data());
}

base::Status CheckPixels(int64_t w, int64_t h, const ScanOptions& options,
                         int64_t* pixel_budget) {
  if (w <= 0 || h <= 0) return base::Status::Corruption("画像の大きさが読めません");
  if (w * h > options.max_pixels_per_page) {
    return base::Status::ResourceExhausted("画像の画素数が上限を超えています（" + std::to_string(w) +
                                           "×" + std::to_string(h) + "）");
  }
  if (pixel_budget != nullptr) {
    if (w * h > *pixel_budget) {
      return base::Status::ResourceExhausted("スキャン全体の画素数が上限を超えています");
    }
    *pixel_budget -= w * h;
  }
  return base::Status::OK();
}

Colour ColourOf(PIX* pix) {
  const int d = ::pixGetDepth(pix);
  if (PIXCMAP* cmap = ::pixGetColormap(pix); cmap != nullptr) {
    l_int32 has_colour = 0;
    ::pixcmapHasColor(cmap, &has_colour);
    if (has_colour) return Colour::kRgb;
    return d == 1 ? Colour::kBw : Colour::kGrey;
  }
  if (d == 32 || d == 24) return Colour::kRgb;
  return d == 1 ? Colour::kBw : Colour::kGrey;
}

// Copies the pixels of pix into page (8 bits per sample, 1 or 3 channels).
base::Status CopyPixels(PIX* pix, ScanPage* page) {
  const int w = page->width, h = page->height;
  if (page->colour == Colour::kRgb) {
    PixPtr rgb(::pixConvertTo32(pix));
    if (rgb == nullptr) return base::Status::Corruption("画像を RGB に変換できません");
    page->channels = 3;
    page->pixels.resize(static_cast<size_t>(w) * h * 3);
    const l_int32 wpl = ::pixGetWpl(rgb.get());
    const l_uint32* data = ::pixGetData(rgb.get());
    uint8_t* out = page->pixels.data();
    for (int y = 0; y < h; ++y) {
      const l_uint32* line = data + static_cast<size_t>(y) * wpl;
      for (int x = 0; x < w; ++x) {
        l_int32 r, g, b;
        ::extractRGBValues(line[x], &r, &g, &b);
        *out++ = static_cast<uint8_t>(r);
        *out++ = static_cast<uint8_t>(g);
        *out++ = static_cast<uint8_t>(b);
      }
    }
    return base::Status::OK();
  }
  PixPtr grey(::pixConvertTo8(pix, 0));
  if (grey == nullptr) return base::Status::Corruption("画像をグレーに変換できません");
  page->channels = 1;
  page->pixels.resize(static_cast<size_t>(w) * h);
  const l_int32 wpl = ::pixGetWpl(grey.get());
  const l_uint32* data = ::pixGetData(grey.get());
  uint8_t* out = page->pixels.data();
  for (int y = 0; y < h; ++y) {
    const l_uint32* line = data + static_cast<size_t>(y) * wpl;
    for (int x = 0; x < w; ++x) *out++ = static_cast<uint8_t>(GET_DATA_BYTE(line, x));
  }
  return base::Status::OK();
}

// Fills page from a decoded pix. bits_per_sample: as the file stored it,
// or 0 to take it from the pix.
base::Status PageFromPix(PIX* pix, int bits_per_sample, const ScanOptions& options,
                         int64_t* pixel_budget, ScanPage* page) {
  page->width = ::pixGetWidth(pix);
  page->height = ::pixGetHeight(pix);
  base::Status s = CheckPixels(page->width, page->height, options, pixel_budget);
  if (!s.ok()) return s;
  page->dpi_x = ::pixGetXRes(pix);
  page->dpi_y = ::pixGetYRes(pix);
  page->colour = ColourOf(pix);
  const int d = ::pixGetDepth(pix);
  page->bits_per_sample = bits_per_sample > 0 ? bits_per_sample
                          : (d >= 24)         ? 8
                                              : d;
  if (!options.keep_pixels) return base::Status::OK();
  return CopyPixels(pix, page);
}

base::Status DecodeMultipageTiff(std::string_view bytes, const ScanOptions& options,
                                 int64_t* pixel_budget, std::vector<ScanPage>* pages) {
  size_t offset = 0;
  do {
    if (static_cast<int>(pages->size()) >= options.max_pages) {
      return base::Status::ResourceExhausted("ページ数が上限（" + std::to_string(options.max_pages) +
                                             "）を超えています");
    }
    PixPtr pix(::pixReadMemFromMultipageTiff(Data(bytes), bytes.size(), &offset));
    if (pix == nullptr) {
      return base::Status::Corruption("TIFF の " + std::to_string(pages->size() + 1) +
                                      " ページ目を読めません");
    }
    ScanPage page;
    page.encoding = "tiff";
    base::Status s = PageFromPix(pix.get(), 0, options, pixel_budget, &page);
    if (!s.ok()) return s;
    pages->push_back(std::move(page));
  } while (offset != 0);
  return base::Status::OK();
}

void PutLe16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v & 0xff));
  out->push_back(static_cast<char>(v >> 8));
}
void PutLe32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A little-endian TIFF of one strip holding the CCITT data.
std::string WrapCcittInTiff(std::string_view data, const CcittParams& p) {
  struct Entry {
    uint16_t tag, type;
    uint32_t value;
  };
  const uint16_t kShort = 3, kLong = 4;
  const bool g4 = p.k < 0;
  std::vector<Entry> entries = {
      {256, kLong, static_cast<uint32_t>(p.columns)},
      {257, kLong, static_cast<uint32_t>(p.rows)},
      {258, kShort, 1},
      {259, kShort, static_cast<uint32_t>(g4 ? 4 : 3)},
      {262, kShort, static_cast<uint32_t>(p.black_is_1 ? 1 : 0)},
      {273, kLong, 0},  // strip offset, set below
      {277, kShort, 1},
      {278, kLong, static_cast<uint32_t>(p.rows)},
      {279, kLong, static_cast<uint32_t>(data.size())},
  };
  if (!g4) {
    entries.push_back({292, kLong, (p.k > 0 ? 1u : 0u) | (p.encoded_byte_align ? 4u : 0u)});
  }
  const uint32_t ifd_size = 2 + 12 * static_cast<uint32_t>(entries.size()) + 4;
  entries[5].value = 8 + ifd_size;
  std::string out = "II";
  PutLe16(&out, 42);
  PutLe32(&out, 8);
  PutLe16(&out, static_cast<uint16_t>(entries.size()));
  for (const Entry& e : entries) {
    PutLe16(&out, e.tag);
    PutLe16(&out, e.type);
    PutLe32(&out, 1);
    if (e.type == kShort) {
      PutLe16(&out, static_cast<uint16_t>(e.value));
      PutLe16(&out, 0);
    } else {
      PutLe32(&out, e.value);
    }
  }
  PutLe32(&out, 0);
  out.append(data);
  return out;
}

}  // namespace

void QuietLeptonica() {
  static std::once_flag once;
  std::call_once(once, [] { ::setMsgSeverity(L_SEVERITY_NONE); });
}

base::Status DecodeImageFile(std::string_view bytes, ScanFormat format,
                             const ScanOptions& options, int64_t* pixel_budget,
                             std::vector<ScanPage>* pages) {
  QuietLeptonica();
  l_int32 file_format = 0, w = 0, h = 0, bps = 0, spp = 0, iscmap = 0;
  if (::pixReadHeaderMem(Data(bytes), bytes.size(), &file_format, &w, &h, &bps, &spp,
                         &iscmap) != 0) {
    return base::Status::Corruption(std::string(ScanFormatName(format)) +
                                    " の見出しを読めません");
  }
  base::Status s = CheckPixels(w, h, options, nullptr);
  if (!s.ok()) return s;
  if (format == ScanFormat::kTiff) return DecodeMultipageTiff(bytes, options, pixel_budget, pages);
  PixPtr pix(::pixReadMem(Data(bytes), bytes.size()));
  if (pix == nullptr) {
    return base::Status::Corruption(std::string(ScanFormatName(format)) + " の画像を読めません");
  }
  ScanPage page;
  page.encoding = std::string(ScanFormatName(format));
  s = PageFromPix(pix.get(), iscmap ? 0 : bps, options, pixel_budget, &page);
  if (!s.ok()) return s;
  pages->push_back(std::move(page));
  return base::Status::OK();
}

base::Status DecodeCcitt(std::string_view data, const CcittParams& params,
                         const ScanOptions& options, ScanPage* page) {
  QuietLeptonica();
  if (params.columns <= 0 || params.rows <= 0) {
    return base::Status::Corruption("CCITT 画像の大きさが読めません");
  }
  base::Status s = CheckPixels(params.columns, params.rows, options, nullptr);
  if (!s.ok()) return s;
  const std::string tiff = WrapCcittInTiff(data, params);
  PixPtr pix(::pixReadMemTiff(Data(tiff), tiff.size(), 0));
  if (pix == nullptr) return base::Status::Corruption("CCITT 画像を読めません");
  return PageFromPix(pix.get(), 1, options, nullptr, page);
}

}  // namespace ocr::internal
