// Helpers for the reader tests: loading samples and vectors, and comparing a
// read invoice against values written down from the XML itself.
#ifndef TESTS_INVOICE_READER_TEST_UTIL_H_
#define TESTS_INVOICE_READER_TEST_UTIL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "invoice/invoice_reader.h"

namespace kura_test {

/// tests/invoice/data/<name>.
std::string ReaderDataPath(const std::string& name);
std::string ReadReaderData(const std::string& name);

/// ReadInvoice over a file of shared/samples.
invoice::ReadResult ReadSample(const std::string& relative);

/// The warning codes of a result, in order.
std::vector<std::string> WarningCodes(const invoice::ReadResult& r);
bool HasWarning(const invoice::ReadResult& r, std::string_view code);

/// What a sample says, copied by hand from the XML (xmllint/grep), never
/// from the reader's output.
struct ExpectedInvoice {
  std::string path;
  std::string format;
  std::string document_type = "invoice";
  std::string invoice_number;
  std::optional<std::string> issue_date;
  std::optional<std::string> due_date;
  std::string currency;
  std::optional<std::string> total;
  std::optional<std::string> tax_inclusive_total;
  std::string counterparty;
  std::optional<std::string> registration_number;
  std::vector<std::string> supplier_tax_ids;
  std::optional<std::string> buyer;
  std::vector<invoice::TaxSubtotal> tax_subtotals;
  std::optional<std::string> bank_account;
  /// The exact warning codes expected, in order.
  std::vector<std::string> warnings;
};

/// Reads e.path and EXPECTs every field of e.
void ExpectSampleReadsAs(const ExpectedInvoice& e);

}  // namespace kura_test

#endif  // TESTS_INVOICE_READER_TEST_UTIL_H_
