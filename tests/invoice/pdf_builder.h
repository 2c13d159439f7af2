// A small PDF writer for tests: builds well-formed PDF 1.7 files with the
// parts the readers look at (pages, document information, embedded files,
// /AF, XMP), so that negative and mixed cases need no committed binaries.
// Independent of PoDoFo and of the code under test.
#ifndef TESTS_INVOICE_PDF_BUILDER_H_
#define TESTS_INVOICE_PDF_BUILDER_H_

#include <string>
#include <string_view>
#include <vector>

namespace kura_test {

class PdfBuilder {
 public:
  /// Adds "N 0 obj <body> endobj"; returns N (objects count from 1).
  int Add(std::string body);
  /// Replaces the body of object n (to fill a placeholder added earlier).
  void Set(int n, std::string body) { bodies_.at(static_cast<size_t>(n - 1)) = std::move(body); }
  /// Adds a stream object; `dict` holds the entries besides /Length.
  int AddStream(std::string dict, std::string_view data);
  /// Writes header, objects, classic xref table and trailer.
  /// REQUIRES: root was set.
  std::string Build() const;

  void set_root(int obj) { root_ = obj; }
  void set_info(int obj) { info_ = obj; }
  /// Extra trailer entries, e.g. "/Encrypt 9 0 R".
  void set_trailer_extra(std::string s) { trailer_extra_ = std::move(s); }

 private:
  std::vector<std::string> bodies_;
  int root_ = 0;
  int info_ = 0;
  std::string trailer_extra_;
};

/// zlib-compressed data (for /FlateDecode streams).
std::string Deflate(std::string_view data);

/// A PDF string literal with ( ) \ escaped: "(text)".
std::string PdfLiteral(std::string_view text);

struct HybridPdfSpec {
  std::string attachment_name = "factur-x.xml";
  std::string attachment;    ///< raw bytes of the embedded file
  bool compress = true;      ///< FlateDecode the attachment
  std::string title;         ///< document information /Title ("" = none)
  std::string xmp;           ///< catalog /Metadata ("" = none)
  bool in_name_tree = true;  ///< list it in /Names /EmbeddedFiles
  bool in_af = true;         ///< list it in the catalog's /AF
  int pages = 1;
};

/// A one-page (or n-page) PDF/A-3-like file with one embedded file.
std::string MakeHybridPdf(const HybridPdfSpec& spec);

}  // namespace kura_test

#endif  // TESTS_INVOICE_PDF_BUILDER_H_
