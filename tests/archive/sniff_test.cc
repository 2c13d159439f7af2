#include "archive/sniff.h"

#include <gtest/gtest.h>

#include <string>

namespace archive {
namespace {

TEST(SniffTest, RecognisesWhatAnOfficeReceives) {
  EXPECT_EQ(SniffMediaType("%PDF-1.7\n..."), "application/pdf");
  EXPECT_EQ(SniffMediaType("\xEF\xBB\xBF<?xml version=\"1.0\"?><Invoice/>"), "application/xml");
  EXPECT_EQ(SniffMediaType("  \n<Invoice xmlns=\"urn:x\"/>"), "application/xml");
  EXPECT_EQ(SniffMediaType(std::string("II*\0\x08\0\0\0", 8)), "image/tiff");
  EXPECT_EQ(SniffMediaType("\xFF\xD8\xFF\xE0"), "image/jpeg");
  EXPECT_EQ(SniffMediaType("\x89PNG\r\n\x1A\n...."), "image/png");
  EXPECT_EQ(SniffMediaType("PK\x03\x04...."), "application/zip");
  EXPECT_EQ(SniffMediaType("請求書 2026年11月分\n"), "text/plain");
  EXPECT_EQ(SniffMediaType(std::string("\x00\x01\x02\x03", 4)), "application/octet-stream");
}

TEST(SniffTest, PdfHeaderAfterJunkIsStillPdf) {
  EXPECT_EQ(SniffMediaType(std::string(100, ' ') + "%PDF-1.4"), "application/pdf");
}

TEST(SniffTest, LessThanAloneIsNotXml) {
  EXPECT_EQ(SniffMediaType("< 5 is a comparison"), "text/plain");
}

TEST(SniffTest, TextCutByTheOneKibWindowIsStillText) {
  std::string text;
  while (text.size() < 1100) text += "請求書 ";  // 10 bytes: most shifts cut a character
  for (size_t shift = 0; shift < 4; ++shift) {
    EXPECT_EQ(SniffMediaType(std::string(shift, 'a') + text), "text/plain") << shift;
  }
}

// Text means well-formed UTF-8 (base::IsValidUtf8); the check before
// base/utf8 looked only at lead and trail bit patterns.
TEST(SniffTest, IllFormedUtf8IsNotText) {
  EXPECT_EQ(SniffMediaType("ok \xED\xA0\x80 surrogate"), "application/octet-stream");
  EXPECT_EQ(SniffMediaType("ok \xE0\x80\xAF overlong"), "application/octet-stream");
  EXPECT_EQ(SniffMediaType("ok \xF5\x80\x80\x80 too big"), "application/octet-stream");
  EXPECT_EQ(SniffMediaType("\x90\xBF\x8B\x81\x8F\x91"), "application/octet-stream");  // Shift_JIS
  EXPECT_EQ(SniffMediaType(std::string(2048, '\x80')), "application/octet-stream");
}

}  // namespace
}  // namespace archive
