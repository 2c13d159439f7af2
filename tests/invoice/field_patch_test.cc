// A correction is a typed patch: each correctable member is unchanged, set
// or removed, ApplyPatch is the one way to apply it, and PatchToJson is the
// "changes" object of a document.corrected event.
#include "invoice/field_patch.h"

#include <string>
#include <type_traits>
#include <vector>

#include <gtest/gtest.h>

#include "base/json.h"
#include "invoice/fields_json.h"
#include "invoice/invoice_reader.h"
#include "tests/fakes/japanese_message.h"
#include "tests/fakes/test_util.h"
#include "tests/invoice/reader_test_util.h"

namespace invoice {
namespace {

using nlohmann::json;

// A misspelt member, or text for the boolean, does not compile.
template <class P>
constexpr bool kHasMisspeltMember = requires(P p) {
  p.totl;
};
template <class P>
constexpr bool kSetsBoolFromText = requires(P p) {
  p.needs_metadata.Set("false");
};
template <class P>
constexpr bool kSetsTextFromNumber = requires(P p) {
  p.total.Set(55000);
};
static_assert(!kHasMisspeltMember<FieldPatch>);
static_assert(!kSetsBoolFromText<FieldPatch>);
static_assert(!kSetsTextFromNumber<FieldPatch>);

InvoiceFields Invoice() {
  InvoiceFields f;
  f.format = "jp-pint";
  f.document_type = "invoice";
  f.invoice_number = "156";
  f.issue_date = "2023-10-24";
  f.currency = "JPY";
  f.total = "281240";
  f.counterparty = "株式会社 〇〇商事";
  f.registration_number = "T1234567890123";
  f.needs_metadata = false;
  return f;
}

TEST(FieldPatchTest, SetsAndRemovesMembers) {
  InvoiceFields f = Invoice();
  FieldPatch p;
  EXPECT_TRUE(p.empty());
  p.total.Set("55000");
  p.counterparty.Set(std::string("株式会社レガシー商事"));
  p.registration_number.Remove();
  p.document_type.Remove();
  p.needs_metadata.Set(true);
  EXPECT_FALSE(p.empty());
  ApplyPatch(p, &f);
  EXPECT_EQ(f.total, "55000");
  EXPECT_EQ(f.counterparty, "株式会社レガシー商事");
  EXPECT_TRUE(f.needs_metadata);
  // A removed member is gone from the record and reads as absent.
  EXPECT_FALSE(f.registration_number.has_value());
  EXPECT_EQ(f.document_type, "unknown");
  const json j = FieldsToJson(f);
  EXPECT_FALSE(j.contains("registration_number"));
  EXPECT_FALSE(j.contains("document_type"));
  EXPECT_EQ(j["total"], "55000");
  EXPECT_EQ(j["issue_date"], "2023-10-24");  // untouched
  // Setting it again brings it back.
  FieldPatch again;
  again.registration_number.Set("T7010705000725");
  ApplyPatch(again, &f);
  EXPECT_EQ(FieldsToJson(f)["registration_number"], "T7010705000725");
}

// Every member of the patch changes the InvoiceFields member of its name.
TEST(FieldPatchTest, EveryMemberChangesTheFieldOfItsName) {
  const FieldPatch all;
  ForEachChange(all, [](Field field, const auto&) {
    const std::string name(FieldName(field));
    SCOPED_TRACE(name);
    FieldPatch p;
    json value;
    ForEachChange(p, [&](Field f, auto& change) {
      if (f != field) return;
      if constexpr (std::is_same_v<std::decay_t<decltype(change)>, FieldChange<bool>>) {
        change.Set(false);
        value = false;
      } else {
        change.Set("value-of-" + name);
        value = "value-of-" + name;
      }
    });
    InvoiceFields fields = ReadInvoice("%PDF-1.4 paper").fields;
    const json before = FieldsToJson(fields);
    ApplyPatch(p, &fields);
    json expected = before;
    expected[name] = value;
    EXPECT_EQ(FieldsToJson(fields), expected);
    EXPECT_EQ(PatchToJson(p), (json{{name, value}}));

    FieldPatch remove;
    ForEachChange(remove, [&](Field f, auto& change) {
      if (f == field) change.Remove();
    });
    ApplyPatch(remove, &fields);
    expected.erase(name);
    EXPECT_EQ(FieldsToJson(fields), expected);
    EXPECT_EQ(PatchToJson(remove), (json{{name, nullptr}}));
  });
}

TEST(FieldPatchTest, ChangesJsonRoundTrips) {
  FieldPatch p;
  p.issue_date.Set("2026-10-31");
  p.total.Set("55000");
  p.bank_account.Remove();
  p.needs_metadata.Set(false);
  const json j = PatchToJson(p);
  EXPECT_EQ(base::DumpJson(j),
            R"({"bank_account":null,"issue_date":"2026-10-31","needs_metadata":false,)"
            R"("total":"55000"})");
  auto back = PatchFromJson(j);
  ASSERT_OK(back);
  EXPECT_TRUE(*back == p);
  EXPECT_TRUE(PatchFromJson(json::object())->empty());

  auto unknown = PatchFromJson(json{{"line_descriptions", json::array()}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsInvalidArgument());
  EXPECT_EQ(unknown.status().message(),
            "訂正内容 changes.line_descriptions: 訂正できる項目ではありません");
  const auto control = PatchFromJson(json{{"to\x1b[2Jtal", "1"}});
  EXPECT_EQ(control.status().message(), "訂正内容 changes.to␛[2Jtal: 訂正できる項目ではありません");
  EXPECT_TRUE(kura_test::IsJapaneseError(control));
  EXPECT_EQ(PatchFromJson(json{{"total", 55000}}).status().message(),
            "訂正内容 changes.total: 文字列か null を指定してください");
  EXPECT_FALSE(PatchFromJson(json{{"needs_metadata", "false"}}).ok());
  EXPECT_FALSE(PatchFromJson(json{{"total", 55000}}).ok());
  EXPECT_FALSE(PatchFromJson(json::array()).ok());
}

// A version written by `kura correct --set` before corrections were checked
// may hold text in a non-text member; a correction replaces it.
TEST(FieldPatchTest, ReplacesLegacyText) {
  auto f = FieldsFromJson(json{{"needs_metadata", "false"}, {"total", "1,000"}});
  ASSERT_OK(f);
  FieldPatch p;
  p.needs_metadata.Set(true);
  p.total.Set("1000");
  ApplyPatch(p, &*f);
  EXPECT_EQ(FieldsToJson(*f), (json{{"needs_metadata", true}, {"total", "1000"}}));

  auto g = FieldsFromJson(json{{"needs_metadata", "false"}});
  ASSERT_OK(g);
  FieldPatch remove;
  remove.needs_metadata.Remove();
  ApplyPatch(remove, &*g);
  EXPECT_EQ(FieldsToJson(*g), json::object());
}

// How Archive::Correct changed a version's fields before the patch: the
// JSON object with every change's member replaced, or erased for null.
json CorrectAsBefore(json fields, const json& changes) {
  for (const auto& [key, value] : changes.items()) {
    if (value.is_null()) {
      fields.erase(key);
    } else {
      fields[key] = value;
    }
  }
  return fields;
}

// Patches of every kind, from one field to all of them, set and removed.
std::vector<FieldPatch> PatchesOfEveryKind() {
  std::vector<FieldPatch> out;
  const FieldPatch none;
  ForEachChange(none, [&](Field field, const auto&) {
    for (int op = 0; op < 2; ++op) {
      FieldPatch p;
      ForEachChange(p, [&](Field f, auto& change) {
        if (f != field) return;
        if (op == 1) return change.Remove();
        if constexpr (std::is_same_v<std::decay_t<decltype(change)>, FieldChange<bool>>) {
          change.Set(false);
        } else {
          change.Set("2026-10-31");
        }
      });
      out.push_back(p);
    }
  });
  FieldPatch entered;  // a scanned paper invoice's search keys
  entered.issue_date.Set("2026-10-31");
  entered.total.Set("55000");
  entered.counterparty.Set("株式会社　山田商事");
  entered.registration_number.Set("T8010401349597");
  entered.needs_metadata.Set(false);
  out.push_back(entered);
  FieldPatch all_removed;
  ForEachChange(all_removed, [](Field, auto& change) { change.Remove(); });
  out.push_back(all_removed);
  return out;
}

// A patch writes exactly the bytes the JSON merge it replaces wrote, on a
// reader's output, on a version earlier corrections left without members,
// on the first build's {} and on a version with legacy text.
TEST(FieldPatchTest, WritesTheBytesTheJsonMergeWrote) {
  std::vector<json> versions = {
      FieldsToJson(ReadInvoice("%PDF-1.4 paper").fields),
      FieldsToJson(kura_test::ReadSample("jp-pint/pint-jp-1.1.3/"
                                         "Japan_PINT_Invoice_UBL_Example1-minimum.xml")
                       .fields),
      json::object(),
      json{{"needs_metadata", "false"}, {"memo", "電話で確認"}, {"total", "1,000"}},
  };
  for (const FieldPatch& p : PatchesOfEveryKind()) {
    versions.push_back(CorrectAsBefore(versions[1], PatchToJson(p)));
  }
  for (const json& before : versions) {
    for (const FieldPatch& p : PatchesOfEveryKind()) {
      auto fields = FieldsFromJson(before);
      ASSERT_OK(fields) << before.dump();
      ApplyPatch(p, &*fields);
      EXPECT_EQ(base::DumpJson(FieldsToJson(*fields)),
                base::DumpJson(CorrectAsBefore(before, PatchToJson(p))))
          << before.dump() << " + " << PatchToJson(p).dump();
      // And the result reads back as itself.
      auto again = FieldsFromJson(FieldsToJson(*fields));
      ASSERT_OK(again);
      EXPECT_EQ(base::DumpJson(FieldsToJson(*again)), base::DumpJson(FieldsToJson(*fields)));
    }
  }
}

}  // namespace
}  // namespace invoice
