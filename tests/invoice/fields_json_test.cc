// The JSON shape of FieldsToJson / WarningsToJson.
#include "invoice/fields_json.h"

#include <gtest/gtest.h>

#include "tests/invoice/reader_test_util.h"

namespace {

TEST(FieldsJsonTest, JpPintExampleShape) {
  const auto r =
      kura_test::ReadSample("jp-pint/pint-jp-1.1.3/Japan_PINT_Invoice_UBL_Example1-minimum.xml");
  const nlohmann::json j = invoice::FieldsToJson(r.fields);
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{
                "bank_account", "buyer", "counterparty", "currency", "document_type", "due_date",
                "format", "invoice_number", "issue_date", "line_descriptions", "needs_metadata",
                "page_count", "pdf_info", "registration_number", "specification_id",
                "supplier_tax_ids", "tax_inclusive_total", "tax_subtotals", "total"}));
  EXPECT_EQ(j["format"], "jp-pint");
  EXPECT_EQ(j["issue_date"], "2023-10-24");
  EXPECT_TRUE(j["due_date"].is_null());
  EXPECT_TRUE(j["bank_account"].is_null());
  EXPECT_TRUE(j["page_count"].is_null());
  EXPECT_TRUE(j["pdf_info"].is_object() && j["pdf_info"].empty());
  EXPECT_TRUE(j["total"].is_string());  // exact decimal, never a number
  EXPECT_EQ(j["total"], "281240");
  EXPECT_EQ(j["registration_number"], "T1234567890123");
  EXPECT_EQ(j["needs_metadata"], false);
  EXPECT_EQ(
      j["tax_subtotals"][0],
      (nlohmann::json{{"category", "S"}, {"rate", "10"}, {"taxable", "252500"}, {"tax", "25250"}}));
}

TEST(FieldsJsonTest, MissingSubtotalValuesAreNull) {
  invoice::InvoiceFields f;
  f.tax_subtotals.push_back({"O", "", "3200.00", "0.00"});
  const nlohmann::json j = invoice::FieldsToJson(f);
  EXPECT_TRUE(j["tax_subtotals"][0]["rate"].is_null());
  EXPECT_EQ(j["format"], "unknown");
  EXPECT_EQ(j["needs_metadata"], true);
}

TEST(FieldsJsonTest, Warnings) {
  const nlohmann::json j =
      invoice::WarningsToJson({{"registration_number_check_digit", "登録番号"}});
  EXPECT_EQ(j, nlohmann::json::parse(
                   R"([{"code":"registration_number_check_digit","message":"登録番号"}])"));
}

}  // namespace
