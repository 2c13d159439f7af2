// The fields codec is exact: every fields object kura has written decodes
// into InvoiceFields and encodes back to the same canonical bytes, because
// those bytes are stored, hashed into the event log and compared byte for
// byte by `kura verify`. Inputs: every shared sample, the reader's negative
// vectors, the demo generator's XML and PDF invoices, and the shapes earlier
// builds wrote (no reader at all; `kura correct --set` before corrections
// were checked). The archive's own corrections and the legacy data
// directory are checked in tests/archive/fields_compat_test.cc.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/json.h"
#include "corpus/corpus.h"
#include "invoice/fields_json.h"
#include "invoice/invoice_reader.h"
#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"
#include "tests/invoice/reader_test_util.h"

namespace invoice {
namespace {

using nlohmann::json;

// j decodes, and encodes back to exactly its canonical bytes.
void ExpectBytesSurvive(const json& j) {
  auto f = FieldsFromJson(j);
  ASSERT_OK(f) << j.dump();
  EXPECT_EQ(base::DumpJson(FieldsToJson(*f)), base::DumpJson(j));
}

// A reader's output survives both ways.
void ExpectRoundTrip(const ReadResult& r) {
  const json j = FieldsToJson(r.fields);
  ExpectBytesSurvive(j);
  auto back = FieldsFromJson(j);
  ASSERT_OK(back);
  EXPECT_TRUE(*back == r.fields) << j.dump();
  const json w = WarningsToJson(r.warnings);
  auto warnings = WarningsFromJson(w);
  ASSERT_OK(warnings);
  EXPECT_EQ(*warnings, r.warnings);
  EXPECT_EQ(base::DumpJson(WarningsToJson(*warnings)), base::DumpJson(w));
}

std::vector<std::filesystem::path> FilesUnder(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() != ".md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(FieldsRoundTripTest, EverySharedSample) {
  const auto files = FilesUnder(kura_test::SamplePath(""));
  ASSERT_GE(files.size(), 66u) << "shared/samples not found or incomplete";
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    ExpectRoundTrip(ReadInvoice(kura_test::ReadFileOrDie(path.string())));
  }
}

TEST(FieldsRoundTripTest, EveryReaderVectorAndUnreadableInput) {
  for (const auto& path : FilesUnder(kura_test::ReaderDataPath(""))) {
    SCOPED_TRACE(path.string());
    ExpectRoundTrip(ReadInvoice(kura_test::ReadFileOrDie(path.string())));
  }
  for (const char* bytes : {"", "%PDF-1.4 paper", "<Invoice/>", "not an invoice", "\xff\xfe"}) {
    ExpectRoundTrip(ReadInvoice(bytes));
  }
}

TEST(FieldsRoundTripTest, GeneratedInvoicesAsXmlAndPdf) {
  corpus::Options options;
  options.seed = 11;
  options.target_xml_bytes = 0;
  corpus::Generator gen(options);
  for (int i = 0; i < 60; ++i) {
    const corpus::Invoice inv = gen.Next();
    SCOPED_TRACE(inv.id);
    ExpectRoundTrip(ReadInvoice(corpus::RenderJpPint(inv)));
    if (i % 6 == 0) {
      auto pdf = corpus::RenderPdf(inv);
      ASSERT_OK(pdf);
      ExpectRoundTrip(ReadInvoice(*pdf));
    }
  }
}

// The fields of a scanned PDF, as the reader writes them.
json ScanFields() { return FieldsToJson(ReadInvoice("%PDF-1.4 paper").fields); }

TEST(FieldsRoundTripTest, ShapesOfEarlierBuilds) {
  // The first build stored {} when no reader was set, and its corrections
  // stored whatever `kura correct --set NAME=VALUE` said, as text.
  ExpectBytesSurvive(json::object());
  ExpectBytesSurvive(json{{"total", "1,000"}, {"issue_date", "2026/04/01"}});
  // Until corrections were checked (64d8b33), any name, and text in any
  // member; `--set NAME=` removed a member.
  json scan = ScanFields();
  scan["supplier_address"] = "埼玉県草加市栄町3-2-8";
  scan["memo"] = "電話で確認";
  scan["needs_metadata"] = "false";
  scan["page_count"] = "2";
  scan["line_descriptions"] = "コピー用紙";
  scan["supplier_tax_ids"] = "T7010705000725";
  scan["tax_subtotals"] = "10%";
  scan["pdf_info"] = "none";
  ExpectBytesSurvive(scan);
  // Every member removed, one at a time.
  const json full = FieldsToJson(
      ReadInvoice(kura_test::ReadFileOrDie(kura_test::SamplePath(
                      "jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example1-minimum.xml")))
          .fields);
  for (const auto& [name, value] : full.items()) {
    json j = full;
    j.erase(name);
    SCOPED_TRACE(name);
    ExpectBytesSurvive(j);
  }
}

TEST(FieldsRoundTripTest, AbsentMembersReadAsKuraAlwaysReadThem) {
  auto f = FieldsFromJson(json::object());
  ASSERT_OK(f);
  EXPECT_EQ(f->format, "unknown");
  EXPECT_EQ(f->document_type, "unknown");
  EXPECT_EQ(f->counterparty, "");
  EXPECT_FALSE(f->total.has_value());
  EXPECT_FALSE(f->needs_metadata);
  for (int i = 0; i < kFieldCount; ++i) {
    EXPECT_FALSE(HasMember(*f, static_cast<Field>(i))) << FieldName(static_cast<Field>(i));
  }
  // Assigning a member makes it present.
  f->total = "100";
  EXPECT_TRUE(HasMember(*f, Field::kTotal));
  EXPECT_EQ(FieldsToJson(*f), (json{{"total", "100"}}));

  // Text in a member that is not text is kept, and reads as absent.
  auto legacy = FieldsFromJson(json{{"needs_metadata", "true"}, {"memo", "x"}});
  ASSERT_OK(legacy);
  EXPECT_FALSE(legacy->needs_metadata);
  EXPECT_TRUE(legacy->absent.contains(Field::kNeedsMetadata));
  EXPECT_TRUE(HasMember(*legacy, Field::kNeedsMetadata));
  EXPECT_EQ(legacy->legacy_members.at("memo"), "x");
}

TEST(FieldsRoundTripTest, MalformedMembersAreCorruptionNamingTheMember) {
  const std::vector<std::pair<json, std::string>> cases = {
      {json{{"total", 5}}, "fields.total"},
      {json{{"counterparty", nullptr}}, "fields.counterparty"},
      {json{{"counterparty", json::array()}}, "fields.counterparty"},
      {json{{"needs_metadata", 1}}, "fields.needs_metadata"},
      {json{{"page_count", 1.5}}, "fields.page_count"},
      {json{{"page_count", 5000000000LL}}, "fields.page_count"},
      {json{{"line_descriptions", json::array({"a", 1})}}, "fields.line_descriptions"},
      {json{{"pdf_info", {{"Title", 1}}}}, "fields.pdf_info"},
      {json{{"tax_subtotals", json::array({{{"rate", "10"}}})}}, "fields.tax_subtotals"},
      {json{{"tax_subtotals",
             json::array({{{"category", ""}, {"rate", "10"}, {"taxable", "1"}, {"tax", "0"}}})}},
       "fields.tax_subtotals"},
      {json{{"memo", 5}}, "fields.memo"},
  };
  for (const auto& [j, member] : cases) {
    auto f = FieldsFromJson(j);
    ASSERT_FALSE(f.ok()) << j.dump();
    EXPECT_TRUE(f.status().IsCorruption()) << j.dump();
    EXPECT_NE(f.status().message().find(member), std::string::npos) << f.status().ToString();
  }
  EXPECT_TRUE(FieldsFromJson(json::array()).status().IsCorruption());
  EXPECT_TRUE(WarningsFromJson(json::object()).status().IsCorruption());
  auto w = WarningsFromJson(json::array({{{"code", "a"}, {"message", "b"}}, {{"code", "a"}}}));
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("warnings[1]"), std::string::npos);
  EXPECT_TRUE(kura_test::IsJapaneseError(w));
  EXPECT_EQ(FieldsFromJson(json{{"memo", 5}}).status().message(),
            "保存されている請求書の項目 fields.memo: 請求書の項目でも文字列でもありません");
}

}  // namespace
}  // namespace invoice
