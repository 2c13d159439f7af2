// ReadScan on images made here with Leptonica (JPEG, PNG, multi-page TIFF
// G4) and on image-only PDFs written by tests/invoice's PdfBuilder (an
// independent writer) with DCT, Flate and CCITT images; then truncated and
// garbage bytes, which must give a Status and never a crash.
#include <gtest/gtest.h>
#include <leptonica/allheaders.h>

#include <cstring>
#include <random>
#include <string>

#include "ocr/scan.h"
#include "tests/fakes/test_util.h"
#include "tests/invoice/pdf_builder.h"

namespace {

// The bytes of pix written in an image format; frees pix.
std::string Encode(PIX* pix, int format) {
  l_uint8* data = nullptr;
  size_t size = 0;
  EXPECT_EQ(::pixWriteMem(&data, &size, pix, format), 0);
  std::string out(reinterpret_cast<char*>(data), size);
  ::lept_free(data);
  ::pixDestroy(&pix);
  return out;
}

// A w×h image of depth d, white, with a black 10×10 square at (x, y).
PIX* Page(int w, int h, int d, int dpi, int x = 20, int y = 30) {
  PIX* pix = ::pixCreate(w, h, d);
  if (d == 1) {
    ::pixClearAll(pix);  // 0 = white
  } else {
    ::pixSetAll(pix);
  }
  for (int j = y; j < y + 10; ++j) {
    for (int i = x; i < x + 10; ++i) ::pixSetPixel(pix, i, j, d == 1 ? 1 : 0);
  }
  ::pixSetResolution(pix, dpi, dpi);
  return pix;
}

// pix as 32-bit RGB; frees pix.
PIX* To32(PIX* pix) {
  PIX* rgb = ::pixConvertTo32(pix);
  ::pixDestroy(&pix);
  return rgb;
}

uint8_t GreyAt(const ocr::ScanPage& p, int x, int y) {
  return p.pixels[(static_cast<size_t>(y) * p.width + x) * p.channels];
}

// An image-only PDF: one page per image dictionary + data, MediaBox w×h pt.
std::string ImagePdf(const std::vector<std::pair<std::string, std::string>>& images,
                     double w_pt, double h_pt) {
  kura_test::PdfBuilder b;
  const int pages = b.Add("");
  std::string kids;
  for (const auto& [dict, data] : images) {
    const int img = b.AddStream("/Type /XObject /Subtype /Image " + dict, data);
    const std::string content = "q " + std::to_string(w_pt) + " 0 0 " + std::to_string(h_pt) +
                                " 0 0 cm /Im0 Do Q";
    const int c = b.AddStream("", content);
    const int page = b.Add("<< /Type /Page /Parent " + std::to_string(pages) +
                           " 0 R /MediaBox [0 0 " + std::to_string(w_pt) + " " +
                           std::to_string(h_pt) + "] /Resources << /XObject << /Im0 " +
                           std::to_string(img) + " 0 R >> >> /Contents " + std::to_string(c) +
                           " 0 R >>");
    kids += std::to_string(page) + " 0 R ";
  }
  b.Set(pages, "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(images.size()) +
                   " >>");
  b.set_root(b.Add("<< /Type /Catalog /Pages " + std::to_string(pages) + " 0 R >>"));
  return b.Build();
}

// The one strip of a TIFF Leptonica wrote (little- or big-endian).
std::string TiffStrip(const std::string& tiff) {
  const bool le = tiff[0] == 'I';
  auto u16 = [&](size_t at) {
    const auto* p = reinterpret_cast<const uint8_t*>(tiff.data() + at);
    return le ? p[0] | p[1] << 8 : p[1] | p[0] << 8;
  };
  auto u32 = [&](size_t at) {
    const auto* p = reinterpret_cast<const uint8_t*>(tiff.data() + at);
    return le ? uint32_t(p[0]) | p[1] << 8 | p[2] << 16 | uint32_t(p[3]) << 24
              : uint32_t(p[3]) | p[2] << 8 | p[1] << 16 | uint32_t(p[0]) << 24;
  };
  const uint32_t ifd = u32(4);
  uint32_t offset = 0, count = 0;
  for (int i = 0; i < u16(ifd); ++i) {
    const size_t e = ifd + 2 + 12 * i;
    const int tag = u16(e), type = u16(e + 2);
    const uint32_t v = type == 3 ? u16(e + 8) : u32(e + 8);
    if (tag == 273) offset = v;
    if (tag == 279) count = v;
  }
  return tiff.substr(offset, count);
}

TEST(ScanTest, GreyPngKeepsResolutionAndPixels) {
  const std::string png = Encode(Page(200, 100, 8, 300), IFF_PNG);
  auto pages = ocr::ReadScan(png);
  ASSERT_OK(pages);
  ASSERT_EQ(pages->size(), 1u);
  const ocr::ScanPage& p = pages->front();
  EXPECT_EQ(p.width, 200);
  EXPECT_EQ(p.height, 100);
  EXPECT_EQ(p.dpi(), 300);
  EXPECT_EQ(p.colour, ocr::Colour::kGrey);
  EXPECT_EQ(p.bits_per_sample, 8);
  EXPECT_EQ(p.encoding, "png");
  ASSERT_EQ(p.pixels.size(), 200u * 100u);
  EXPECT_EQ(GreyAt(p, 25, 35), 0);
  EXPECT_EQ(GreyAt(p, 100, 80), 255);
}

TEST(ScanTest, RgbJpegIsRgbAt200Dpi) {
  PIX* rgb = To32(Page(160, 120, 8, 200));
  ::pixSetResolution(rgb, 200, 200);
  const std::string jpeg = Encode(rgb, IFF_JFIF_JPEG);
  EXPECT_EQ(ocr::DetectScanFormat(jpeg), ocr::ScanFormat::kJpeg);
  auto pages = ocr::ReadScan(jpeg);
  ASSERT_OK(pages);
  const ocr::ScanPage& p = pages->front();
  EXPECT_EQ(p.colour, ocr::Colour::kRgb);
  EXPECT_EQ(p.dpi(), 200);
  EXPECT_EQ(p.channels, 3);
  EXPECT_LT(GreyAt(p, 25, 35), 60);
  EXPECT_GT(GreyAt(p, 100, 100), 200);
  EXPECT_EQ(ocr::ColourName(p.colour), "rgb");
}

TEST(ScanTest, MultipageG4TiffGivesEveryPageAsBlackAndWhite) {
  PIXA* pixa = ::pixaCreate(3);
  for (int i = 0; i < 3; ++i) ::pixaAddPix(pixa, Page(300, 200, 1, 300, 20 + 50 * i), L_INSERT);
  l_uint8* data = nullptr;
  size_t size = 0;
  ASSERT_EQ(::pixaWriteMemMultipageTiff(&data, &size, pixa), 0);
  const std::string tiff(reinterpret_cast<char*>(data), size);
  ::lept_free(data);
  ::pixaDestroy(&pixa);
  auto pages = ocr::ReadScan(tiff);
  ASSERT_OK(pages);
  ASSERT_EQ(pages->size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const ocr::ScanPage& p = (*pages)[i];
    EXPECT_EQ(p.colour, ocr::Colour::kBw);
    EXPECT_EQ(p.bits_per_sample, 1);
    EXPECT_EQ(p.dpi(), 300);
    EXPECT_EQ(GreyAt(p, 25 + 50 * i, 35), 0) << "page " << i;
    EXPECT_EQ(GreyAt(p, 250, 150), 255) << "page " << i;
  }
  ocr::ScanOptions two_pages;
  two_pages.max_pages = 2;
  EXPECT_EQ(ocr::ReadScan(tiff, two_pages).status().code(), base::Status::Code::kResourceExhausted);
}

TEST(ScanTest, PdfWithDctImageTakesDpiFromMediaBox) {
  PIX* rgb = To32(Page(200, 400, 8, 0));
  const std::string jpeg = Encode(rgb, IFF_JFIF_JPEG);
  const std::string pdf = ImagePdf(
      {{"/Width 200 /Height 400 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
        jpeg}},
      72, 144);
  auto pages = ocr::ReadScan(pdf);
  ASSERT_OK(pages);
  const ocr::ScanPage& p = pages->front();
  EXPECT_EQ(p.encoding, "pdf/DCTDecode");
  EXPECT_EQ(p.dpi_x, 200);
  EXPECT_EQ(p.dpi_y, 200);
  EXPECT_EQ(p.colour, ocr::Colour::kRgb);
  EXPECT_LT(GreyAt(p, 25, 35), 60);
}

TEST(ScanTest, PdfWithFlateGreyImageAndSecondPage) {
  std::string samples(150 * 100, '\xff');
  for (int y = 30; y < 40; ++y) std::memset(&samples[y * 150 + 20], 0, 10);
  const std::string dict =
      "/Width 150 /Height 100 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode";
  const std::string pdf =
      ImagePdf({{dict, kura_test::Deflate(samples)}, {dict, kura_test::Deflate(samples)}}, 108, 72);
  auto pages = ocr::ReadScan(pdf);
  ASSERT_OK(pages);
  ASSERT_EQ(pages->size(), 2u);
  const ocr::ScanPage& p = (*pages)[1];
  EXPECT_EQ(p.encoding, "pdf/FlateDecode");
  EXPECT_EQ(p.dpi(), 100);
  EXPECT_EQ(p.colour, ocr::Colour::kGrey);
  EXPECT_EQ(GreyAt(p, 25, 35), 0);
  EXPECT_EQ(GreyAt(p, 100, 80), 255);

  ocr::ScanOptions no_pixels;
  no_pixels.keep_pixels = false;
  auto info = ocr::ReadScan(pdf, no_pixels);
  ASSERT_OK(info);
  EXPECT_TRUE(info->front().pixels.empty());
  EXPECT_EQ(info->front().dpi(), 100);
}

TEST(ScanTest, PdfWithCcittG4ImageIsBlackOnWhite) {
  PIX* bw = Page(300, 200, 1, 0);
  const std::string tiff = Encode(bw, IFF_TIFF_G4);
  const std::string pdf = ImagePdf(
      {{"/Width 300 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 1 "
        "/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 300 /Rows 200 /BlackIs1 false >>",
        TiffStrip(tiff)}},
      72, 48);
  auto pages = ocr::ReadScan(pdf);
  ASSERT_OK(pages);
  const ocr::ScanPage& p = pages->front();
  EXPECT_EQ(p.encoding, "pdf/CCITTFaxDecode");
  EXPECT_EQ(p.colour, ocr::Colour::kBw);
  EXPECT_EQ(p.dpi(), 300);
  EXPECT_EQ(GreyAt(p, 25, 35), 0);
  EXPECT_EQ(GreyAt(p, 250, 150), 255);
}

TEST(ScanTest, PdfPageWithoutImageIsNotAScan) {
  kura_test::PdfBuilder b;
  b.Add("<< /Type /Pages /Kids [2 0 R] /Count 1 >>");
  b.Add("<< /Type /Page /Parent 1 0 R /MediaBox [0 0 595 842] >>");
  b.set_root(b.Add("<< /Type /Catalog /Pages 1 0 R >>"));
  auto pages = ocr::ReadScan(b.Build());
  EXPECT_TRUE(pages.status().IsInvalidArgument()) << pages.status().ToString();
}

TEST(ScanTest, PixelLimitsAreEnforced) {
  const std::string png = Encode(Page(400, 300, 8, 300), IFF_PNG);
  ocr::ScanOptions small;
  small.max_pixels_per_page = 100 * 100;
  EXPECT_EQ(ocr::ReadScan(png, small).status().code(), base::Status::Code::kResourceExhausted);
  ocr::ScanOptions tiny_file;
  tiny_file.max_bytes = 10;
  EXPECT_EQ(ocr::ReadScan(png, tiny_file).status().code(),
            base::Status::Code::kResourceExhausted);
  EXPECT_TRUE(ocr::ReadScan("plain text").status().IsInvalidArgument());
}

// Truncations at many lengths and bit flips of every kind of scan: each is
// a page set or an error, never a crash (ASan watches in the asan preset).
TEST(ScanTest, TruncatedAndGarbageBytesNeverCrash) {
  std::vector<std::string> seeds = {
      Encode(Page(120, 80, 8, 300), IFF_PNG),
      Encode(To32(Page(120, 80, 8, 300)), IFF_JFIF_JPEG),
      Encode(Page(120, 80, 1, 300), IFF_TIFF_G4),
      Encode(Page(120, 80, 8, 300), IFF_TIFF_ZIP),
  };
  const std::string strip = TiffStrip(seeds[2]);
  seeds.push_back(ImagePdf({{"/Width 120 /Height 80 /ColorSpace /DeviceGray /BitsPerComponent 1 "
                             "/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 120 >>",
                             strip}},
                           72, 48));
  std::string samples(120 * 80, '\x80');
  seeds.push_back(ImagePdf({{"/Width 120 /Height 80 /ColorSpace /DeviceGray /BitsPerComponent 8 "
                             "/Filter /FlateDecode",
                             kura_test::Deflate(samples)}},
                           72, 48));
  // Lies about the size: a huge image with a few bytes of data.
  seeds.push_back(ImagePdf({{"/Width 60000 /Height 60000 /ColorSpace /DeviceRGB "
                             "/BitsPerComponent 8 /Filter /FlateDecode",
                             kura_test::Deflate(samples)}},
                           72, 48));
  std::mt19937 rng(static_cast<unsigned>(::testing::UnitTest::GetInstance()->random_seed()));
  int decoded = 0;
  for (const std::string& seed : seeds) {
    ASSERT_TRUE(ocr::DetectScanFormat(seed) != ocr::ScanFormat::kUnknown);
    for (size_t cut = 0; cut < seed.size(); cut += 1 + seed.size() / 40) {
      if (ocr::ReadScan(seed.substr(0, cut)).ok()) ++decoded;
    }
    for (int i = 0; i < 40; ++i) {
      std::string mutated = seed;
      for (int flips = 0; flips < 4; ++flips) {
        const size_t at = 8 + rng() % (mutated.size() - 8);
        mutated[at] = static_cast<char>(rng());
      }
      if (ocr::ReadScan(mutated).ok()) ++decoded;
    }
  }
  for (const char* magic : {"\xff\xd8\xff", "\x89PNG\r\n\x1a\n", "II*", "%PDF-1.4\n"}) {
    std::string garbage(magic, std::strlen(magic) + (magic[0] == 'I' ? 1 : 0));
    for (int i = 0; i < 2000; ++i) garbage.push_back(static_cast<char>(rng()));
    EXPECT_FALSE(ocr::ReadScan(garbage).ok());
  }
  SUCCEED() << decoded << " mutated inputs still decoded";
}

}  // namespace
