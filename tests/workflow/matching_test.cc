#include "workflow/matching.h"

#include <map>
#include <memory>

#include <gtest/gtest.h>

#include "archive/archive.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "tests/fakes/test_util.h"

namespace workflow {
namespace {

using base::Date;
using base::Decimal;
using nlohmann::json;

std::map<std::string, FieldMatch> ByField(const std::vector<FieldMatch>& v) {
  std::map<std::string, FieldMatch> out;
  for (const auto& m : v) out[m.field] = m;
  return out;
}

TEST(NormalizeAddressTest, BlockNumbersInAnyWritingGiveOneKey) {
  const std::string key = NormalizeAddress("埼玉県草加市栄町3-2-8");
  EXPECT_EQ(key, "埼玉県草加市栄町3-2-8");
  for (const char* variant : {
           "埼玉県草加市栄町3丁目2番8号",
           "埼玉県草加市栄町三丁目二番八号",
           "埼玉県草加市栄町３－２－８",
           "埼玉県 草加市　栄町 3-2-8",
           "埼玉県草加市栄町3丁目2-8",
           "埼玉県草加市栄町3−2−8",
           "埼玉県草加市栄町３丁目２番地８",
           "埼玉県草加市栄町3丁目2番地の8",
           "埼玉県草加市栄町三丁目2番8",
       }) {
    EXPECT_EQ(NormalizeAddress(variant), key) << variant;
  }
}

TEST(NormalizeAddressTest, PlaceNameNumeralsStayAndTensAreRead) {
  EXPECT_EQ(NormalizeAddress("東京都三鷹市下連雀三丁目十二番二十三号"),
            "東京都三鷹市下連雀3-12-23");
  EXPECT_EQ(NormalizeAddress("東京都八王子市元本郷町1-24-1"), "東京都八王子市元本郷町1-24-1");
  EXPECT_NE(NormalizeAddress("栄町3-2-8"), NormalizeAddress("栄町3-2-9"));
  EXPECT_EQ(NormalizeAddress("ＡＢＣビル２Ｆ"), NormalizeAddress("abcビル2f"));
}

// A consistent pair built by hand, then one field changed at a time.
class MatchInvoiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    in_ = MatchInput{};
    in_.fields.issue_date = "2026-05-10";
    in_.fields.currency = "JPY";
    in_.fields.total = "110000";
    in_.fields.counterparty = "㈱山田商事";
    in_.fields.registration_number = "T7010705000725";
    in_.fields.tax_subtotals = {{"S", "10", "100000", "10000"}};
    in_.fields.bank_account = "0005:123:1:1234567";
    in_.fields.supplier_address = "埼玉県草加市栄町３－２－８";
    in_.receipt_department = "somu";
    in_.commitment.department = "somu";
    in_.commitment.amount = Decimal::FromInt(1'320'000);
    in_.commitment.contract_from = Date(2026, 4, 1);
    in_.commitment.contract_to = Date(2027, 3, 31);
    in_.vendor = Vendor{"V00001", "山田商事株式会社", "T7010705000725", "0005:123:1:1234567",
                        "埼玉県草加市栄町3丁目2番8号"};
    in_.available = Decimal::FromInt(1'320'000);
  }
  std::map<std::string, FieldMatch> Run() { return ByField(MatchInvoice(in_)); }
  MatchInput in_;
};

TEST_F(MatchInvoiceTest, ConsistentPairIsAllMatch) {
  const auto m = MatchInvoice(in_);
  ASSERT_EQ(m.size(), 7u);
  for (const auto& f : m) EXPECT_EQ(f.status, MatchStatus::kMatch) << ToJson(f).dump();
  EXPECT_EQ(m[0].field, "vendor");
  EXPECT_EQ(ToJson(m)[1]["status"], "match");
}

TEST_F(MatchInvoiceTest, EachChangedFieldIsAMismatchWithBothValues) {
  in_.fields.bank_account = "0009:001:1:7654321";
  auto m = Run();
  EXPECT_EQ(m["bank_account"].status, MatchStatus::kMismatch);
  EXPECT_EQ(m["bank_account"].invoice_value, "0009:001:1:7654321");
  EXPECT_EQ(m["bank_account"].expected_value, "0005:123:1:1234567");

  SetUp();
  in_.available = Decimal::FromInt(109'999);
  EXPECT_EQ(Run()["amount"].status, MatchStatus::kMismatch);
  in_.available = Decimal::FromInt(110'000);
  EXPECT_EQ(Run()["amount"].status, MatchStatus::kMatch);

  SetUp();
  in_.fields.issue_date = "2026-03-31";
  EXPECT_EQ(Run()["invoice_date"].status, MatchStatus::kMismatch);

  SetUp();
  in_.fields.registration_number = "T8040001079502";
  EXPECT_EQ(Run()["vendor"].status, MatchStatus::kMismatch);

  SetUp();
  in_.receipt_department = "doboku";
  EXPECT_EQ(Run()["department"].status, MatchStatus::kMismatch);

  SetUp();
  in_.fields.supplier_address = "埼玉県草加市栄町3-2-9";
  EXPECT_EQ(Run()["address"].status, MatchStatus::kMismatch);
}

TEST_F(MatchInvoiceTest, VendorFallsBackToTheNormalisedName) {
  in_.fields.registration_number.reset();
  EXPECT_EQ(Run()["vendor"].status, MatchStatus::kMatch);  // ㈱山田商事 = 山田商事株式会社
  in_.fields.counterparty = "山田工業株式会社";
  EXPECT_EQ(Run()["vendor"].status, MatchStatus::kMismatch);
}

TEST_F(MatchInvoiceTest, TaxIsRecomputedPerRateWithOneRounding) {
  in_.fields.tax_subtotals = {{"", "10", "12345", "1234"},  // 1234.5 down
                              {"", "8", "1001", "81"}};     // 80.08 up
  auto m = Run();
  EXPECT_EQ(m["tax"].status, MatchStatus::kMatch);
  EXPECT_EQ(m["tax"].invoice_value, "10%: 1234 / 8%: 81");
  EXPECT_EQ(m["tax"].expected_value, "10%: 1234 / 8%: 80");
  in_.fields.tax_subtotals[0].tax = "1236";
  EXPECT_EQ(Run()["tax"].status, MatchStatus::kMismatch);
}

TEST_F(MatchInvoiceTest, AbsentInvoiceValuesAreMissingNotMismatch) {
  in_.fields = invoice::InvoiceFields{};
  in_.receipt_department = "";
  for (const auto& [field, m] : Run()) {
    EXPECT_EQ(m.status, MatchStatus::kMissing) << field;
  }
}

// Real invoices from the corpus generator, ingested and read back by the
// archive's own readers.
class MatchCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    archive::ArchiveOptions options;
    options.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options.data_dir}, ""));
    auto a = archive::Archive::Open(options, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
  }
  // Ingests the invoice as the department that ordered it; returns its fields.
  invoice::InvoiceFields Ingest(const corpus::Invoice& inv) {
    std::vector<archive::IncomingFile> files;
    files.push_back({inv.id + ".xml", inv.department_code, "cli", "cli:test",
                     corpus::RenderJpPint(inv)});
    auto results = archive_->Ingest(std::move(files));
    EXPECT_OK(results[0]);
    auto view = archive_->Get(results[0]->id);
    EXPECT_OK(view);
    return view->versions.back().fields;
  }
  static MatchInput InputFor(const corpus::Invoice& inv, const invoice::InvoiceFields& fields) {
    MatchInput in;
    in.fields = fields;
    in.receipt_department = inv.department_code;
    in.commitment.department = inv.department_code;
    in.commitment.amount = Decimal::FromInt(inv.payable_amount.mantissa() * 12);
    in.commitment.contract_from = Date(2025, 4, 1);
    in.commitment.contract_to = Date(2026, 3, 31);
    in.vendor = Vendor{"V1", inv.vendor.name, inv.vendor.registration_number,
                       inv.vendor.bank_account, inv.vendor.address};
    in.available = in.commitment.amount;
    return in;
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2025-06-01T01:00:00Z")};
  std::unique_ptr<archive::Archive> archive_;
};

TEST_F(MatchCorpusTest, GeneratedInvoicesMatchTheirCommitment) {
  corpus::Options options;
  options.target_xml_bytes = 0;
  corpus::Generator gen(options);
  for (int i = 0; i < 5; ++i) {
    const corpus::Invoice inv = gen.Next();
    const invoice::InvoiceFields fields = Ingest(inv);
    const auto m = ByField(MatchInvoice(InputFor(inv, fields)));
    for (const char* f :
         {"vendor", "amount", "tax", "invoice_date", "department", "bank_account"}) {
      EXPECT_EQ(m.at(f).status, MatchStatus::kMatch) << inv.id << " " << ToJson(m.at(f)).dump();
    }
    // The readers do not extract the supplier's address (yet).
    EXPECT_EQ(m.at("address").status, MatchStatus::kMissing);
  }
}

TEST_F(MatchCorpusTest, GeneratedInvoiceAgainstAWrongCommitmentIsMismatch) {
  corpus::Options options;
  options.target_xml_bytes = 0;
  corpus::Generator gen(options);
  const corpus::Invoice inv = gen.Next();
  const invoice::InvoiceFields fields = Ingest(inv);
  MatchInput in = InputFor(inv, fields);
  in.vendor.bank_account = "0001:001:1:0000001";
  in.available = Decimal::FromInt(inv.payable_amount.mantissa() - 1);
  in.commitment.contract_from = inv.issue_date.AddDays(1);
  in.commitment.contract_to = inv.issue_date.AddDays(30);
  const auto other = gen.vendors()[(inv.vendor_index + 1) % gen.vendors().size()];
  in.vendor.registration_number = other.registration_number;
  const auto m = ByField(MatchInvoice(in));
  for (const char* f : {"vendor", "amount", "invoice_date", "bank_account"}) {
    EXPECT_EQ(m.at(f).status, MatchStatus::kMismatch) << f;
  }
  EXPECT_EQ(m.at("tax").status, MatchStatus::kMatch);
}

}  // namespace
}  // namespace workflow
