#include "tests/invoice/pdf_builder.h"

#include <cstdio>
#include <cstdlib>

#include <zlib.h>

namespace kura_test {

int PdfBuilder::Add(std::string body) {
  bodies_.push_back(std::move(body));
  return static_cast<int>(bodies_.size());
}

int PdfBuilder::AddStream(std::string dict, std::string_view data) {
  return Add("<< " + dict + " /Length " + std::to_string(data.size()) + " >>\nstream\n" +
             std::string(data) + "\nendstream");
}

std::string PdfBuilder::Build() const {
  std::string out = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < bodies_.size(); ++i) {
    offsets.push_back(out.size());
    out += std::to_string(i + 1) + " 0 obj\n" + bodies_[i] + "\nendobj\n";
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(bodies_.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(bodies_.size() + 1) + " /Root " +
         std::to_string(root_) + " 0 R";
  if (info_ != 0) out += " /Info " + std::to_string(info_) + " 0 R";
  out += " " + trailer_extra_ + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

std::string Deflate(std::string_view data) {
  uLongf size = ::compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (::compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                  reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                  Z_BEST_COMPRESSION) != Z_OK) {
    std::abort();
  }
  out.resize(size);
  return out;
}

std::string PdfLiteral(std::string_view text) {
  std::string out = "(";
  for (char c : text) {
    if (c == '(' || c == ')' || c == '\\') out += '\\';
    out += c;
  }
  return out + ")";
}

std::string MakeHybridPdf(const HybridPdfSpec& spec) {
  PdfBuilder b;
  const int catalog = b.Add("");  // placeholders, filled in below
  const int pages = b.Add("");
  std::string kids;
  for (int i = 0; i < spec.pages; ++i) {
    const int page = b.Add("<< /Type /Page /Parent " + std::to_string(pages) +
                           " 0 R /MediaBox [0 0 595 842] >>");
    kids += std::to_string(page) + " 0 R ";
  }
  b.Set(pages, "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(spec.pages) + " >>");

  const std::string data = spec.compress ? Deflate(spec.attachment) : spec.attachment;
  const int file = b.AddStream(std::string("/Type /EmbeddedFile /Subtype /text#2Fxml") +
                                   (spec.compress ? " /Filter /FlateDecode" : ""),
                               data);
  const int filespec = b.Add("<< /Type /Filespec /F " + PdfLiteral(spec.attachment_name) + " /UF " +
                             PdfLiteral(spec.attachment_name) + " /EF << /F " +
                             std::to_string(file) + " 0 R >> /AFRelationship /Data >>");
  std::string body = "<< /Type /Catalog /Pages " + std::to_string(pages) + " 0 R";
  if (spec.in_name_tree) {
    body += " /Names << /EmbeddedFiles << /Names [" + PdfLiteral(spec.attachment_name) + " " +
            std::to_string(filespec) + " 0 R] >> >>";
  }
  if (spec.in_af) body += " /AF [" + std::to_string(filespec) + " 0 R]";
  if (!spec.xmp.empty()) {
    body += " /Metadata " + std::to_string(b.AddStream("/Type /Metadata /Subtype /XML", spec.xmp)) +
            " 0 R";
  }
  b.Set(catalog, body + " >>");
  if (!spec.title.empty()) {
    b.set_info(b.Add("<< /Title " + PdfLiteral(spec.title) + " /Producer (kura tests) >>"));
  }
  b.set_root(catalog);
  return b.Build();
}

}  // namespace kura_test
