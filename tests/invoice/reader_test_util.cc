#include "tests/invoice/reader_test_util.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace kura_test {

std::string ReaderDataPath(const std::string& name) {
  return std::string(KURA_SOURCE_DIR) + "/tests/invoice/data/" + name;
}

std::string ReadReaderData(const std::string& name) { return ReadFileOrDie(ReaderDataPath(name)); }

invoice::ReadResult ReadSample(const std::string& relative) {
  return invoice::ReadInvoice(ReadFileOrDie(SamplePath(relative)));
}

std::vector<std::string> WarningCodes(const invoice::ReadResult& r) {
  std::vector<std::string> codes;
  for (const invoice::Warning& w : r.warnings) codes.push_back(w.code);
  return codes;
}

bool HasWarning(const invoice::ReadResult& r, std::string_view code) {
  for (const invoice::Warning& w : r.warnings) {
    if (w.code == code) return true;
  }
  return false;
}

void ExpectSampleReadsAs(const ExpectedInvoice& e) {
  SCOPED_TRACE(e.path);
  const invoice::ReadResult r = ReadSample(e.path);
  const invoice::InvoiceFields& f = r.fields;
  EXPECT_EQ(f.format, e.format);
  EXPECT_EQ(f.document_type, e.document_type);
  EXPECT_EQ(f.invoice_number, e.invoice_number);
  EXPECT_EQ(f.issue_date, e.issue_date);
  EXPECT_EQ(f.due_date, e.due_date);
  EXPECT_EQ(f.currency, e.currency);
  EXPECT_EQ(f.total, e.total);
  EXPECT_EQ(f.tax_inclusive_total, e.tax_inclusive_total);
  EXPECT_EQ(f.counterparty, e.counterparty);
  EXPECT_EQ(f.registration_number, e.registration_number);
  EXPECT_EQ(f.supplier_tax_ids, e.supplier_tax_ids);
  EXPECT_EQ(f.buyer, e.buyer);
  EXPECT_EQ(f.bank_account, e.bank_account);
  EXPECT_FALSE(f.needs_metadata);
  ASSERT_EQ(f.tax_subtotals.size(), e.tax_subtotals.size());
  for (size_t i = 0; i < e.tax_subtotals.size(); ++i) {
    SCOPED_TRACE("tax subtotal " + std::to_string(i));
    EXPECT_EQ(f.tax_subtotals[i].category, e.tax_subtotals[i].category);
    EXPECT_EQ(f.tax_subtotals[i].rate, e.tax_subtotals[i].rate);
    EXPECT_EQ(f.tax_subtotals[i].taxable, e.tax_subtotals[i].taxable);
    EXPECT_EQ(f.tax_subtotals[i].tax, e.tax_subtotals[i].tax);
  }
  EXPECT_EQ(WarningCodes(r), e.warnings);
}

}  // namespace kura_test
