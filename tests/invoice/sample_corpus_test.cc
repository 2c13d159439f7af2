// Every file under shared/samples is read: a real format (never "unknown"),
// an invoice number, structured fields, and JSON that serialises.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "invoice/fields_json.h"
#include "invoice/invoice_reader.h"
#include "tests/fakes/test_util.h"

namespace {

std::vector<std::filesystem::path> SampleFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(kura_test::SamplePath(""))) {
    if (entry.is_regular_file() && entry.path().extension() != ".md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(SampleCorpusTest, EverySampleHasAFormatAndAnInvoiceNumber) {
  const auto files = SampleFiles();
  ASSERT_GE(files.size(), 66u) << "shared/samples not found or incomplete";
  const std::set<std::string> known = {"jp-pint",  "peppol-bis", "ubl",      "cii",
                                       "factur-x", "zugferd",    "xrechnung"};
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    const invoice::ReadResult r = invoice::ReadInvoice(kura_test::ReadFileOrDie(path.string()));
    EXPECT_TRUE(known.count(r.fields.format)) << r.fields.format;
    EXPECT_FALSE(r.fields.invoice_number.empty());
    EXPECT_FALSE(r.fields.needs_metadata);
    EXPECT_FALSE(r.fields.counterparty.empty());
    EXPECT_TRUE(r.fields.issue_date.has_value());
    EXPECT_TRUE(r.fields.total.has_value());
    EXPECT_NE(r.fields.document_type, "unknown");
    EXPECT_NO_THROW((void)invoice::ReadResultToJson(r).dump());
  }
}

TEST(SampleCorpusTest, FormatFollowsTheFolder) {
  for (const auto& path : SampleFiles()) {
    const std::string p = path.string();
    const std::string format = invoice::ReadInvoice(kura_test::ReadFileOrDie(p)).fields.format;
    for (const char* folder : {"jp-pint", "peppol-bis", "ubl", "xrechnung"}) {
      if (p.find("/" + std::string(folder) + "/") != std::string::npos) {
        EXPECT_EQ(format, folder) << p;
      }
    }
  }
}

TEST(SampleCorpusTest, ReadingIsDeterministic) {
  for (const auto& path : SampleFiles()) {
    const std::string bytes = kura_test::ReadFileOrDie(path.string());
    EXPECT_EQ(invoice::ReadResultToJson(invoice::ReadInvoice(bytes)),
              invoice::ReadResultToJson(invoice::ReadInvoice(bytes)))
        << path;
  }
}

TEST(SampleCorpusTest, ConcurrentReadsAgreeWithSerialOnes) {
  std::vector<std::string> inputs;
  std::vector<std::string> expected;
  for (const auto& path : SampleFiles()) {
    inputs.push_back(kura_test::ReadFileOrDie(path.string()));
    expected.push_back(invoice::ReadResultToJson(invoice::ReadInvoice(inputs.back())).dump());
  }
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < inputs.size(); ++i) {
        const size_t k = (i + static_cast<size_t>(t) * 7) % inputs.size();
        if (invoice::ReadResultToJson(invoice::ReadInvoice(inputs[k])).dump() != expected[k]) {
          ++mismatches[static_cast<size_t>(t)];
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// Prints throughput for the record; asserts nothing about time.
TEST(SampleCorpusTest, ReportsJpPintThroughput) {
  const std::string bytes = kura_test::ReadFileOrDie(
      kura_test::SamplePath("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example.xml"));
  constexpr int kRounds = 2000;
  const auto start = std::chrono::steady_clock::now();
  size_t fields = 0;
  for (int i = 0; i < kRounds; ++i)
    fields += invoice::ReadInvoice(bytes).fields.tax_subtotals.size();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(fields, 2u * kRounds);
  std::cout << "[ readers  ] JP PINT " << bytes.size() << " bytes: " << kRounds / took.count()
            << " invoices/s on one thread\n";
}

}  // namespace
