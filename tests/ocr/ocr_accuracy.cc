// The OCR accuracy measurement of issue 15 ("Done when"): generates invoices
// with the corpus (both PDF layouts), turns them into scans of five
// qualities with tests/ocr/make_scans.sh (pdftoppm + ImageMagick + img2pdf),
// reads each scan with ocr::ReadScan, ocr::Engine and ocr::Propose, and
// prints the exact-match rate of every field per quality against the
// generator's truth. With --floors it fails (exit 1) below the targets:
// 取引年月日, 合計金額 and 登録番号 ≥ 95% over the 300 dpi scans, ≥ 90% over
// the 200 dpi scans with noise.
//
//   ocr_accuracy [--count N] [--threads N] [--dir DIR [--reuse]] [--floors] [--verbose]
//
// ctest runs it as ocr_accuracy (label ocr_accuracy, excluded from the asan
// preset; its code is covered by ocr_test).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "corpus/corpus.h"
#include "ocr/engine.h"
#include "ocr/internal/rows.h"
#include "ocr/propose.h"
#include "ocr/scan.h"

namespace {

const char* const kFields[] = {"issue_date",     "total",         "registration_number",
                               "invoice_number", "counterparty",  "tax_subtotals"};
const char* const kQualities[] = {"300-colour", "300-grey", "300-bw", "200-grey-noise",
                                  "200-colour-noise"};

struct Truth {
  std::map<std::string, std::string> fields;
};

std::string TaxString(const std::vector<ocr::ProposedTax>& taxes) {
  std::string s;
  for (const auto& t : taxes) {
    s += std::to_string(t.rate) + (t.reduced ? "R" : "") + ":" + t.taxable + "/" + t.tax + ";";
  }
  return s;
}

Truth TruthOf(const corpus::Invoice& inv) {
  Truth t;
  t.fields["issue_date"] = inv.issue_date.ToString();
  t.fields["total"] = inv.payable_amount.Normalized().ToString();
  t.fields["registration_number"] = inv.vendor.registration_number;
  t.fields["invoice_number"] = inv.id;
  t.fields["counterparty"] = inv.vendor.name;
  std::vector<ocr::ProposedTax> taxes;
  for (const auto& s : inv.tax_subtotals) {
    taxes.push_back({s.rate, s.reduced, s.taxable.Normalized().ToString(),
                     s.tax.Normalized().ToString(), 0, {}});
  }
  t.fields["tax_subtotals"] = TaxString(taxes);
  return t;
}

std::map<std::string, std::string> Found(const ocr::Proposal& p) {
  std::map<std::string, std::string> f;
  auto put = [&](const char* name, const std::optional<ocr::ProposedValue>& v) {
    f[name] = v ? v->value : "";
  };
  put("issue_date", p.issue_date);
  put("total", p.total);
  put("registration_number", p.registration_number);
  put("invoice_number", p.invoice_number);
  put("counterparty", p.counterparty);
  f["tax_subtotals"] = TaxString(p.tax_subtotals);
  return f;
}

struct Job {
  std::string quality;
  std::string path;
  int invoice;  // index into truths
  std::map<std::string, std::string> found;
  std::string error;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Work(std::vector<Job>* jobs, std::atomic<size_t>* next,
          const std::vector<ocr::KnownVendor>* vendors) {
  auto engine = ocr::Engine::Open();
  if (!engine.ok()) {
    std::fprintf(stderr, "%s\n", engine.status().ToString().c_str());
    std::exit(2);
  }
  for (size_t i = (*next)++; i < jobs->size(); i = (*next)++) {
    Job& job = (*jobs)[i];
    auto pages = ocr::ReadScan(ReadFile(job.path));
    if (!pages.ok()) {
      job.error = pages.status().ToString();
      continue;
    }
    auto proposal = ocr::ReadInvoice(**engine, *pages, *vendors);
    if (!proposal.ok()) {
      job.error = proposal.status().ToString();
      continue;
    }
    job.found = Found(*proposal);
  }
}

}  // namespace

// --dump FILE: the rows Propose sees, for working on the extraction.
int Dump(const std::string& path) {
  auto engine = ocr::Engine::Open();
  auto pages = ocr::ReadScan(ReadFile(path));
  if (!engine.ok() || !pages.ok()) return 2;
  std::vector<ocr::PageText> texts;
  for (size_t p = 0; p < pages->size(); ++p) {
    auto text = (*engine)->Read((*pages)[p], static_cast<int>(p + 1));
    if (text.ok()) texts.push_back(std::move(*text));
  }
  for (const auto& row : ocr::internal::BuildRows(texts)) std::printf("%s\n", row.text.c_str());
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--dump") return Dump(argv[2]);
  if (argc == 3 && std::string(argv[1]) == "--propose") {
    auto engine = ocr::Engine::Open();
    auto pages = ocr::ReadScan(ReadFile(argv[2]));
    if (!engine.ok() || !pages.ok()) return 2;
    auto p = ocr::ReadInvoice(**engine, *pages, {});
    if (!p.ok()) return 2;
    std::printf("%s\n", ocr::ProposalValuesJson(*p).dump().c_str());
    return 0;
  }
  int count = 10, threads = 2;
  bool floors = false, verbose = false, reuse = false;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--count" && i + 1 < argc) count = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (a == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (a == "--floors") floors = true;
    else if (a == "--verbose") verbose = true;
    else if (a == "--reuse") reuse = true;  // scans already in --dir
    else {
      std::fprintf(stderr, "usage: ocr_accuracy [--count N] [--threads N] [--dir DIR] [--floors] [--verbose]\n");
      return 2;
    }
  }
  const bool temporary = dir.empty();
  if (temporary) {
    char tmpl[] = "/tmp/kura-ocr-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) return 2;
    dir = tmpl;
  }
  std::filesystem::create_directories(dir + "/pdf");

  corpus::Options options;
  options.seed = 15;
  options.target_xml_bytes = 0;
  options.pdf_share = 1;
  corpus::Generator gen(options);
  std::vector<ocr::KnownVendor> vendors;
  for (size_t i = 0; i < gen.vendors().size(); ++i) {
    vendors.push_back({std::to_string(i + 1), gen.vendors()[i].name,
                       gen.vendors()[i].registration_number});
  }
  std::vector<Truth> truths;
  for (int i = 0; i < count; ++i) {
    const corpus::Invoice inv = gen.Next();
    corpus::PdfOptions pdf_options;
    pdf_options.layout = 1 + i % 2;
    auto pdf = corpus::RenderPdf(inv, pdf_options);
    if (!pdf.ok()) {
      std::fprintf(stderr, "%s\n", pdf.status().ToString().c_str());
      return 2;
    }
    char name[64];
    std::snprintf(name, sizeof name, "%s/pdf/inv-%03d.pdf", dir.c_str(), i);
    std::ofstream(name, std::ios::binary) << *pdf;
    truths.push_back(TruthOf(inv));
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::string script = std::string(KURA_SOURCE_DIR) + "/tests/ocr/make_scans.sh";
  if (!(reuse && std::filesystem::exists(dir + "/scans")) &&
      std::system(("sh '" + script + "' '" + dir + "'").c_str()) != 0) {
    std::fprintf(stderr, "make_scans.sh failed\n");
    return 2;
  }
  const double render_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::vector<Job> jobs;
  for (const char* q : kQualities) {
    for (int i = 0; i < count; ++i) {
      char stem[64];
      std::snprintf(stem, sizeof stem, "inv-%03d", i);
      for (const char* ext : {".pdf", ".png", ".jpg", ".tif"}) {
        const std::string path = dir + "/scans/" + q + "/" + stem + ext;
        if (std::filesystem::exists(path)) jobs.push_back({q, path, i, {}, {}});
      }
    }
  }
  const auto t1 = std::chrono::steady_clock::now();
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) workers.emplace_back(Work, &jobs, &next, &vendors);
  for (auto& w : workers) w.join();
  const double ocr_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();

  std::map<std::string, std::map<std::string, int>> hits;
  std::map<std::string, int> pages;
  for (const Job& job : jobs) {
    ++pages[job.quality];
    if (!job.error.empty()) std::fprintf(stderr, "%s: %s\n", job.path.c_str(), job.error.c_str());
    for (const char* f : kFields) {
      const std::string want = truths[job.invoice].fields.at(f);
      const auto it = job.found.find(f);
      const std::string got = it == job.found.end() ? "" : it->second;
      if (got == want) {
        ++hits[job.quality][f];
      } else if (verbose) {
        std::fprintf(stderr, "%s %s: want \"%s\" got \"%s\"\n", job.path.c_str(), f, want.c_str(),
                     got.c_str());
      }
    }
  }
  std::printf("| quality | pages |");
  for (const char* f : kFields) std::printf(" %s |", f);
  std::printf("\n|---|---|");
  for (size_t i = 0; i < std::size(kFields); ++i) std::printf("---|");
  std::printf("\n");
  for (const char* q : kQualities) {
    const int n = pages[q];
    std::printf("| %s | %d |", q, n);
    for (const char* f : kFields) std::printf(" %.0f%% |", n > 0 ? 100.0 * hits[q][f] / n : 0);
    std::printf("\n");
  }
  // The targets are per scan resolution: all 300 dpi qualities together,
  // all 200 dpi (noisy) ones together.
  bool below = false;
  for (const char* dpi : {"300", "200"}) {
    int n = 0;
    std::map<std::string, int> h;
    for (const char* q : kQualities) {
      if (std::string(q).rfind(dpi, 0) != 0) continue;
      n += pages[q];
      for (const char* f : kFields) h[f] += hits[q][f];
    }
    std::printf("| all %s dpi | %d |", dpi, n);
    const double floor = std::string(dpi) == "300" ? 95.0 : 90.0;
    for (const char* f : kFields) {
      const double rate = n > 0 ? 100.0 * h[f] / n : 0;
      std::printf(" %.1f%% |", rate);
      const std::string field = f;
      if ((field == "issue_date" || field == "total" || field == "registration_number") &&
          rate < floor) {
        below = true;
        std::fprintf(stderr, "below the floor: %s dpi %s %.1f%% < %.0f%%\n", dpi, f, rate, floor);
      }
    }
    std::printf("\n");
  }
  std::printf("%zu pages: rendering %.1f s, OCR %.1f s with %d threads (%.2f pages/s)\n",
              jobs.size(), render_s, ocr_s, threads, jobs.size() / ocr_s);
  if (temporary) std::filesystem::remove_all(dir);
  return floors && below ? 1 : 0;
}
