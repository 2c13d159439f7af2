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

}  // namespace
}  // namespace archive
