// Invoice reader throughput beside SHA-256 of the same bytes.
//
//   build/bench/reader_bench [--invoices N] [--pdfs N] [--seconds S]
//
// Draws N invoices (default 2,000) from corpus::Generator (seed 1,
// ~20 KB JP PINT XML each, no PDFs) and renders them to XML in memory, then
// measures in the same run, on one thread, repeating whole passes until at
// least S seconds (default 2) have passed:
//   peer:  signing::Sha256 over every invoice's bytes
//   kura:  invoice::ReadInvoice over the same bytes
// and prints invoices/s and MB/s for each, the ratio, and a check that every
// read gave format "jp-pint" (none "unknown"). An extra pair of rows does
// the same for PDFs: the first M invoices (default 100) rendered with
// RenderPdf (plain PDFs, no embedded XML: the reader yields page count and
// document information).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "corpus/corpus.h"
#include "invoice/invoice_reader.h"
#include "bench/bench_util.h"
#include "signing/sha256.h"

namespace {

struct Rate {
  long passes = 0;
  double seconds = 0;
};

// Runs pass() until `seconds` have passed (at least once).
template <class Pass>
Rate Measure(double seconds, Pass pass) {
  Rate r;
  bench::Stopwatch w;
  do {
    pass();
    ++r.passes;
  } while ((r.seconds = w.Seconds()) < seconds);
  return r;
}

void Row(const char* name, const Rate& r, size_t docs, uint64_t bytes) {
  const double n = static_cast<double>(r.passes) * docs;
  std::printf("  %-44s %12.0f %9.1f %9.1f %8.3f %6ld\n", name, n / r.seconds,
              static_cast<double>(r.passes) * bytes / r.seconds / 1e6, 1e6 * r.seconds / n,
              r.seconds, r.passes);
}

void Header() {
  std::printf("  %-44s %12s %9s %9s %8s %6s\n", "", "invoices/s", "MB/s", "us/inv", "seconds",
              "passes");
}

double PerSecond(const Rate& r, size_t docs) {
  return static_cast<double>(r.passes) * docs / r.seconds;
}

}  // namespace

int main(int argc, char** argv) {
  int invoices = 2000;
  int pdfs = 100;
  double seconds = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--invoices")) invoices = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--pdfs")) pdfs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
  }
  if (invoices < 1 || pdfs < 0 || pdfs > invoices) {
    std::fprintf(stderr, "usage: reader_bench [--invoices N>=1] [--pdfs 0..N] [--seconds S]\n");
    return 2;
  }

  corpus::Options options;
  options.seed = 1;
  options.count = invoices;
  options.target_xml_bytes = 20000;
  options.pdf_share = 0;
  corpus::Generator generator(options);
  std::vector<corpus::Invoice> drawn;
  std::vector<std::string> xml;
  uint64_t xml_bytes = 0;
  for (int i = 0; i < invoices; ++i) {
    drawn.push_back(generator.Next());
    xml.push_back(corpus::RenderJpPint(drawn.back()));
    xml_bytes += xml.back().size();
  }
  std::vector<std::string> pdf;
  uint64_t pdf_bytes = 0;
  for (int i = 0; i < pdfs; ++i) {
    base::Result<std::string> r = corpus::RenderPdf(drawn[i]);
    if (!r.ok()) {
      std::fprintf(stderr, "RenderPdf: %s\n", r.status().ToString().c_str());
      return 1;
    }
    pdf_bytes += r->size();
    pdf.push_back(std::move(r).value());
  }

  // Peer and kura over the XML. The digest and the results are consumed so
  // that nothing can be optimised away, and checked after the first pass.
  uint8_t sink = 0;
  const Rate xml_sha = Measure(seconds, [&] {
    for (const std::string& b : xml) sink ^= signing::Sha256(b).bytes[0];
  });
  std::map<std::string, int> xml_formats;
  int xml_warned = 0;
  bool first = true;
  const Rate xml_read = Measure(seconds, [&] {
    for (const std::string& b : xml) {
      const invoice::ReadResult r = invoice::ReadInvoice(b);
      sink ^= static_cast<uint8_t>(r.fields.invoice_number.size());
      if (first) {
        ++xml_formats[r.fields.format];
        xml_warned += !r.warnings.empty();
      }
    }
    first = false;
  });

  Rate pdf_sha, pdf_read;
  std::map<std::string, int> pdf_formats;
  int pdf_pages = 0;
  if (pdfs > 0) {
    pdf_sha = Measure(seconds, [&] {
      for (const std::string& b : pdf) sink ^= signing::Sha256(b).bytes[0];
    });
    first = true;
    pdf_read = Measure(seconds, [&] {
      for (const std::string& b : pdf) {
        const invoice::ReadResult r = invoice::ReadInvoice(b);
        sink ^= static_cast<uint8_t>(r.fields.pdf_info.size());
        if (first) {
          ++pdf_formats[r.fields.format];
          pdf_pages += r.fields.page_count.value_or(0);
        }
      }
      first = false;
    });
  }

  std::printf(
      "reader_bench: single thread, >= %.0f s per row; %d JP PINT invoices from the generator "
      "(seed 1, target 20 KB): %.2f MB, mean %.0f bytes\n",
      seconds, invoices, xml_bytes / 1e6, static_cast<double>(xml_bytes) / invoices);
  Header();
  Row("peer: signing::Sha256, JP PINT XML", xml_sha, xml.size(), xml_bytes);
  Row("kura: invoice::ReadInvoice, JP PINT XML", xml_read, xml.size(), xml_bytes);
  const double xml_rate = PerSecond(xml_read, xml.size());
  std::printf("  ratio ReadInvoice / Sha256 (XML): %.4f (SHA-256 is %.0fx faster)\n",
              xml_rate / PerSecond(xml_sha, xml.size()), PerSecond(xml_sha, xml.size()) / xml_rate);
  std::string formats;
  for (const auto& [f, n] : xml_formats) formats += " " + f + "=" + std::to_string(n);
  const int jp_pint = xml_formats.count("jp-pint") ? xml_formats["jp-pint"] : 0;
  const int unknown = xml_formats.count("unknown") ? xml_formats["unknown"] : 0;
  const bool check_ok = jp_pint == invoices && unknown == 0;
  std::printf("  check: formats:%s; %d of %d jp-pint, %d unknown, %d with warnings: %s\n",
              formats.c_str(), jp_pint, invoices, unknown, xml_warned, check_ok ? "OK" : "FAILED");
  std::printf("  ReadInvoice on JP PINT: %.0f invoices/s   target >= 3000 invoices/s: %s\n",
              xml_rate, xml_rate >= 3000 ? "met" : "NOT met");

  if (pdfs > 0) {
    std::printf(
        "extra: %d PDFs from RenderPdf of the first %d invoices: %.2f MB, mean %.0f "
        "bytes, %d pages\n",
        pdfs, pdfs, pdf_bytes / 1e6, static_cast<double>(pdf_bytes) / pdfs, pdf_pages);
    Header();
    Row("peer: signing::Sha256, PDF", pdf_sha, pdf.size(), pdf_bytes);
    Row("kura: invoice::ReadInvoice, PDF", pdf_read, pdf.size(), pdf_bytes);
    formats.clear();
    for (const auto& [f, n] : pdf_formats) formats += " " + f + "=" + std::to_string(n);
    std::printf("  ratio ReadInvoice / Sha256 (PDF): %.4f; formats:%s\n",
                PerSecond(pdf_read, pdf.size()) / PerSecond(pdf_sha, pdf.size()), formats.c_str());
  }
  volatile uint8_t keep = sink;  // the results are used
  (void)keep;
  return check_ok ? 0 : 1;
}
