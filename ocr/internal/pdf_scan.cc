#include "ocr/internal/pdf_scan.h"

#include <podofo/podofo.h>

#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <new>
#include <string>

#include "ocr/internal/image_decode.h"

namespace ocr::internal {
namespace {

namespace pdf = PoDoFo;

constexpr int kMaxReferenceHops = 16;

void InitPodofoOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    pdf::PdfError::EnableLogging(false);
    pdf::PdfError::EnableDebug(false);
    pdf::PdfParser::SetMaxObjectCount(1'000'000);
    pdf::PdfTokenizer::RecursionGuard::SetMaxRecursionDepth(256);
  });
}

// Stops PoDoFo's filters once `cap` bytes came out (a decompression bomb).
class CappedOutput final : public pdf::PdfOutputStream {
 public:
  explicit CappedOutput(size_t cap) : cap_(cap) {}
  pdf::pdf_long Write(const char* buffer, pdf::pdf_long len) override {
    if (len < 0) return -1;
    if (static_cast<size_t>(len) > cap_ - data_.size()) {
      PODOFO_RAISE_ERROR_INFO(pdf::ePdfError_OutOfMemory, "展開後のサイズが上限を超えました");
    }
    data_.append(buffer, static_cast<size_t>(len));
    return len;
  }
  void Close() override {}
  std::string& data() { return data_; }

 private:
  size_t cap_;
  std::string data_;
};

class Walker {
 public:
  explicit Walker(pdf::PdfVecObjects* objects) : objects_(objects) {}
  const pdf::PdfObject* Resolve(const pdf::PdfObject* o) const {
    for (int hops = 0; o != nullptr && o->IsReference(); ++hops) {
      if (hops == kMaxReferenceHops) return nullptr;
      o = objects_->GetObject(o->GetReference());
    }
    return o;
  }
  const pdf::PdfObject* Key(const pdf::PdfObject* dict, const char* key) const {
    dict = Resolve(dict);
    if (dict == nullptr || !dict->IsDictionary()) return nullptr;
    return Resolve(dict->GetDictionary().GetKey(pdf::PdfName(key)));
  }
  int64_t Int(const pdf::PdfObject* dict, const char* key, int64_t fallback) const {
    const pdf::PdfObject* o = Key(dict, key);
    return o != nullptr && o->IsNumber() ? o->GetNumber() : fallback;
  }
  bool Bool(const pdf::PdfObject* dict, const char* key) const {
    const pdf::PdfObject* o = Key(dict, key);
    return o != nullptr && o->IsBool() && o->GetBool();
  }
  std::string Name(const pdf::PdfObject* o) const {
    o = Resolve(o);
    return o != nullptr && o->IsName() ? o->GetName().GetName() : std::string();
  }

 private:
  pdf::PdfVecObjects* objects_;
};

// How an image's samples are coloured.
struct ColourSpace {
  int components = 0;               // of one sample (1 for Indexed)
  bool indexed = false;
  int base_components = 0;          // Indexed: of the palette entries
  std::string palette;              // Indexed: lookup table
};

ColourSpace ReadColourSpace(const Walker& w, const pdf::PdfObject* cs) {
  cs = w.Resolve(cs);
  ColourSpace out;
  if (cs == nullptr) return out;
  if (cs->IsName()) {
    const std::string n = cs->GetName().GetName();
    if (n == "DeviceGray" || n == "CalGray" || n == "G") out.components = 1;
    if (n == "DeviceRGB" || n == "CalRGB" || n == "RGB") out.components = 3;
    if (n == "DeviceCMYK" || n == "CMYK") out.components = 4;
    return out;
  }
  if (!cs->IsArray() || cs->GetArray().empty()) return out;
  const pdf::PdfArray& a = cs->GetArray();
  const std::string family = w.Name(&a[0]);
  if (family == "ICCBased" && a.size() >= 2) {
    const pdf::PdfObject* stream = w.Resolve(&a[1]);
    out.components = static_cast<int>(w.Int(stream, "N", 0));
  } else if ((family == "CalGray" || family == "CalRGB") && a.size() >= 1) {
    out.components = family == "CalGray" ? 1 : 3;
  } else if ((family == "Indexed" || family == "I") && a.size() >= 4) {
    const ColourSpace base = ReadColourSpace(w, &a[1]);
    const pdf::PdfObject* lookup = w.Resolve(&a[3]);
    if (base.indexed || base.components == 0 || lookup == nullptr) return out;
    if (lookup->IsString()) {
      out.palette.assign(lookup->GetString().GetString(), lookup->GetString().GetLength());
    } else if (lookup->HasStream()) {
      CappedOutput palette(4 * 256 + 16);
      lookup->GetStream()->GetFilteredCopy(&palette);
      out.palette = std::move(palette.data());
    }
    out.components = 1;
    out.indexed = true;
    out.base_components = base.components;
  }
  return out;
}

struct Image {
  const pdf::PdfObject* object = nullptr;
  int64_t width = 0;
  int64_t height = 0;
};

// The largest image XObject among the page's resources.
Image LargestImage(const Walker& w, pdf::PdfPage* page) {
  Image best;
  const pdf::PdfObject* xobjects = w.Key(page->GetResources(), "XObject");
  if (xobjects == nullptr || !xobjects->IsDictionary()) return best;
  for (const auto& [name, value] : xobjects->GetDictionary().GetKeys()) {
    const pdf::PdfObject* o = w.Resolve(value);
    if (o == nullptr || !o->IsDictionary() || w.Name(w.Key(o, "Subtype")) != "Image") continue;
    const int64_t width = w.Int(o, "Width", 0), height = w.Int(o, "Height", 0);
    if (width <= 0 || height <= 0 || !o->HasStream()) continue;
    if (best.object == nullptr || width * height > best.width * best.height) {
      best = {o, width, height};
    }
  }
  return best;
}

// One sample of `bits` bits at sample index i of a row.
int Sample(const uint8_t* row, int64_t i, int bits) {
  if (bits == 8) return row[i];
  if (bits == 16) return row[2 * i];  // high byte
  const int64_t bit = i * bits;
  const int shift = 8 - bits - static_cast<int>(bit % 8);
  return (row[bit / 8] >> shift) & ((1 << bits) - 1);
}

uint8_t To8(int v, int bits) {
  if (bits == 8 || bits == 16) return static_cast<uint8_t>(v);
  return static_cast<uint8_t>(v * 255 / ((1 << bits) - 1));
}

// Raw samples (after the stream's filters) into 8-bit grey or RGB.
base::Status DecodeSamples(const std::string& data, const ColourSpace& cs, int bits,
                           bool invert, const ScanOptions& options, ScanPage* page) {
  const int64_t w = page->width, h = page->height;
  const int64_t row_bytes = (w * cs.components * bits + 7) / 8;
  if (static_cast<int64_t>(data.size()) < row_bytes * h) {
    return base::Status::Corruption("PDF の画像データが足りません");
  }
  const int out_channels = page->colour == Colour::kRgb ? 3 : 1;
  if (!options.keep_pixels) return base::Status::OK();
  page->channels = out_channels;
  page->pixels.resize(static_cast<size_t>(w * h * out_channels));
  uint8_t* out = page->pixels.data();
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  for (int64_t y = 0; y < h; ++y) {
    const uint8_t* row = bytes + y * row_bytes;
    for (int64_t x = 0; x < w; ++x) {
      uint8_t c[4] = {0, 0, 0, 0};
      if (cs.indexed) {
        const size_t at = static_cast<size_t>(Sample(row, x, bits)) * cs.base_components;
        for (int k = 0; k < cs.base_components && k < 4; ++k) {
          c[k] = at + k < cs.palette.size() ? static_cast<uint8_t>(cs.palette[at + k]) : 0;
        }
      } else {
        for (int k = 0; k < cs.components && k < 4; ++k) {
          c[k] = To8(Sample(row, x * cs.components + k, bits), bits);
        }
      }
      const int n = cs.indexed ? cs.base_components : cs.components;
      if (n == 4) {  // CMYK, naively
        for (int k = 0; k < 3; ++k) c[k] = static_cast<uint8_t>(255 - std::min(255, c[k] + c[3]));
      }
      if (out_channels == 3) {
        if (n == 1) c[1] = c[2] = c[0];
        *out++ = c[0];
        *out++ = c[1];
        *out++ = c[2];
      } else {
        const int grey = n >= 3 ? (299 * c[0] + 587 * c[1] + 114 * c[2]) / 1000 : c[0];
        *out++ = static_cast<uint8_t>(invert ? 255 - grey : grey);
      }
    }
  }
  return base::Status::OK();
}

bool DecodeInverted(const Walker& w, const pdf::PdfObject* image) {
  const pdf::PdfObject* d = w.Key(image, "Decode");
  if (d == nullptr || !d->IsArray() || d->GetArray().size() < 2) return false;
  const pdf::PdfObject* first = w.Resolve(&d->GetArray()[0]);
  return first != nullptr && first->IsNumber() ? first->GetNumber() == 1
         : first != nullptr && first->IsReal() ? first->GetReal() > 0.5
                                               : false;
}

// The image's filters; only the last may be DCT/CCITT/JPX.
std::vector<std::string> Filters(const Walker& w, const pdf::PdfObject* image) {
  std::vector<std::string> out;
  const pdf::PdfObject* f = w.Key(image, "Filter");
  if (f == nullptr) return out;
  if (f->IsName()) {
    out.push_back(f->GetName().GetName());
  } else if (f->IsArray()) {
    for (const pdf::PdfObject& item : f->GetArray()) out.push_back(w.Name(&item));
  }
  return out;
}

base::Status DecodeImage(const Walker& w, const Image& image, const ScanOptions& options,
                         ScanPage* page) {
  const std::vector<std::string> filters = Filters(w, image.object);
  const std::string last = filters.empty() ? "" : filters.back();
  const bool encoded = last == "DCTDecode" || last == "DCT" || last == "CCITTFaxDecode" ||
                       last == "CCF" || last == "JPXDecode";
  page->encoding = "pdf/" + (filters.empty() ? std::string("raw") : last);
  if (encoded && filters.size() > 1) {
    return base::Status::InvalidArgument("PDF の画像のフィルタ（" + last + " の前に " +
                                         filters.front() + "）には対応していません");
  }
  const pdf::PdfStream* stream = image.object->GetStream();
  if (encoded) {
    CappedOutput raw(options.max_bytes);
    stream->GetCopy(&raw);
    if (last == "CCITTFaxDecode" || last == "CCF") {
      const pdf::PdfObject* parms = w.Key(image.object, "DecodeParms");
      if (parms != nullptr && parms->IsArray() && !parms->GetArray().empty()) {
        parms = w.Resolve(&parms->GetArray()[0]);
      }
      CcittParams p;
      p.k = static_cast<int>(w.Int(parms, "K", 0));
      p.columns = static_cast<int>(w.Int(parms, "Columns", 1728));
      p.rows = static_cast<int>(w.Int(parms, "Rows", image.height));
      p.black_is_1 = w.Bool(parms, "BlackIs1") != DecodeInverted(w, image.object);
      p.encoded_byte_align = w.Bool(parms, "EncodedByteAlign");
      return DecodeCcitt(raw.data(), p, options, page);
    }
    std::vector<ScanPage> decoded;
    base::Status s = DecodeImageFile(raw.data(), last == "JPXDecode" ? ScanFormat::kUnknown
                                                                     : ScanFormat::kJpeg,
                                     options, nullptr, &decoded);
    if (!s.ok()) return s;
    const std::string encoding = page->encoding;
    *page = std::move(decoded.front());
    page->encoding = encoding;
    return base::Status::OK();
  }
  const bool mask = w.Bool(image.object, "ImageMask");
  ColourSpace cs = mask ? ColourSpace{1, false, 0, {}}
                        : ReadColourSpace(w, w.Key(image.object, "ColorSpace"));
  const int bits = mask ? 1 : static_cast<int>(w.Int(image.object, "BitsPerComponent", 8));
  if (cs.components < 1 || cs.components > 4 ||
      (bits != 1 && bits != 2 && bits != 4 && bits != 8 && bits != 16)) {
    return base::Status::InvalidArgument("PDF の画像の色空間には対応していません");
  }
  page->width = static_cast<int>(image.width);
  page->height = static_cast<int>(image.height);
  page->bits_per_sample = bits;
  const int n = cs.indexed ? cs.base_components : cs.components;
  page->colour = n >= 3 ? Colour::kRgb : bits == 1 ? Colour::kBw : Colour::kGrey;
  const int64_t row_bytes = (image.width * cs.components * bits + 7) / 8;
  CappedOutput samples(static_cast<size_t>(row_bytes * image.height) + 4096);
  stream->GetFilteredCopy(&samples);
  return DecodeSamples(samples.data(), cs, bits, DecodeInverted(w, image.object),
                       options, page);
}

base::Status ReadPage(const Walker& w, pdf::PdfPage* page, int number, const ScanOptions& options,
                      int64_t* pixel_budget, ScanPage* out) {
  const Image image = LargestImage(w, page);
  const std::string where = std::to_string(number) + " ページ目";
  if (image.object == nullptr) {
    return base::Status::InvalidArgument("PDF の" + where + "に画像がありません（スキャンではありません）");
  }
  if (image.width * image.height > options.max_pixels_per_page) {
    return base::Status::ResourceExhausted("PDF の" + where + "の画像の画素数が上限を超えています");
  }
  if (image.width * image.height > *pixel_budget) {
    return base::Status::ResourceExhausted("スキャン全体の画素数が上限を超えています");
  }
  *pixel_budget -= image.width * image.height;
  base::Status s = DecodeImage(w, image, options, out);
  if (!s.ok()) return s.WithContext("PDF の" + where);
  const pdf::PdfRect box = page->GetMediaBox();
  if (box.GetWidth() > 0 && box.GetHeight() > 0) {
    out->dpi_x = static_cast<int>(std::lround(out->width * 72.0 / box.GetWidth()));
    out->dpi_y = static_cast<int>(std::lround(out->height * 72.0 / box.GetHeight()));
    if (page->GetRotation() % 180 != 0) std::swap(out->dpi_x, out->dpi_y);
  }
  return base::Status::OK();
}

}  // namespace

base::Status ReadPdfScan(std::string_view bytes, const ScanOptions& options,
                         std::vector<ScanPage>* pages) {
  InitPodofoOnce();
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<long>::max())) {
    return base::Status::ResourceExhausted("PDF が大きすぎます");
  }
  try {
    pdf::PdfMemDocument doc;
    try {
      doc.LoadFromBuffer(bytes.data(), static_cast<long>(bytes.size()));
    } catch (const pdf::PdfError& e) {
      if (e.GetError() == pdf::ePdfError_InvalidPassword) {
        return base::Status::PermissionDenied("PDF が暗号化されています");
      }
      return base::Status::Corruption("PDF を読めません（" +
                                      std::string(pdf::PdfError::ErrorName(e.GetError())
                                                      ? pdf::PdfError::ErrorName(e.GetError())
                                                      : "PdfError") +
                                      "）");
    }
    if (doc.GetEncrypted()) return base::Status::PermissionDenied("PDF が暗号化されています");
    const int count = doc.GetPageCount();
    if (count <= 0) return base::Status::InvalidArgument("PDF にページがありません");
    if (count > options.max_pages) {
      return base::Status::ResourceExhausted("ページ数（" + std::to_string(count) + "）が上限（" +
                                             std::to_string(options.max_pages) + "）を超えています");
    }
    Walker w(&doc.GetObjects());
    int64_t budget = options.max_total_pixels;
    for (int i = 0; i < count; ++i) {
      pdf::PdfPage* page = doc.GetPage(i);
      if (page == nullptr) return base::Status::Corruption("PDF のページを読めません");
      ScanPage out;
      base::Status s = ReadPage(w, page, i + 1, options, &budget, &out);
      if (!s.ok()) return s;
      pages->push_back(std::move(out));
    }
    return base::Status::OK();
  } catch (const pdf::PdfError& e) {
    const char* name = pdf::PdfError::ErrorName(e.GetError());
    return base::Status::Corruption(std::string("PDF の画像を読めません（") +
                                    (name != nullptr ? name : "PdfError") + "）");
  } catch (const std::bad_alloc&) {
    return base::Status::ResourceExhausted("PDF の画像を読むためのメモリが足りません");
  } catch (const std::exception& e) {
    return base::Status::Corruption(std::string("PDF の画像を読めません（") + e.what() + "）");
  }
}

}  // namespace ocr::internal
