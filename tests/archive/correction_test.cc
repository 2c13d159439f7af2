#include "archive/correction.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace archive {
namespace {

using nlohmann::json;

TEST(CorrectionTest, NormalisesWhatPeopleType) {
  auto c = NormalizeCorrection(json{{"issue_date", "２０２６-１０-３１"},
                                    {"total", "55,000"},
                                    {"registration_number", "t8010401349597"},
                                    {"needs_metadata", "false"},
                                    {"currency", "jpy"},
                                    {"counterparty", "株式会社　山田商事"},
                                    {"due_date", nullptr}});
  ASSERT_OK(c);
  invoice::FieldPatch want;
  want.issue_date.Set("2026-10-31");
  want.total.Set("55000");
  want.registration_number.Set("T8010401349597");
  want.needs_metadata.Set(false);
  want.currency.Set("JPY");
  want.counterparty.Set("株式会社　山田商事");
  want.due_date.Remove();
  EXPECT_TRUE(*c == want);
  // The event's "changes" keep the shape they always had: the normalised
  // input.
  EXPECT_EQ(invoice::PatchToJson(*c), (json{{"issue_date", "2026-10-31"},
                                            {"total", "55000"},
                                            {"registration_number", "T8010401349597"},
                                            {"needs_metadata", false},
                                            {"currency", "JPY"},
                                            {"counterparty", "株式会社　山田商事"},
                                            {"due_date", nullptr}}));
}

// Every field a person may correct is a member of the patch: set, and
// removed with null.
TEST(CorrectionTest, EveryCorrectableFieldBecomesItsPatchMember) {
  const json set = {{"issue_date", "2026-10-31"},
                    {"due_date", "2026-11-30"},
                    {"total", "1"},
                    {"tax_inclusive_total", "2"},
                    {"counterparty", "蔵前商事"},
                    {"registration_number", "T8010401349597"},
                    {"invoice_number", "A-1"},
                    {"bank_account", "0005:123:1:1234567"},
                    {"currency", "JPY"},
                    {"document_type", "credit_note"},
                    {"needs_metadata", true}};
  auto c = NormalizeCorrection(set);
  ASSERT_OK(c);
  EXPECT_EQ(invoice::PatchToJson(*c), set);
  json removed = json::object();
  for (const auto& [name, value] : set.items()) removed[name] = nullptr;
  auto r = NormalizeCorrection(removed);
  ASSERT_OK(r);
  EXPECT_EQ(invoice::PatchToJson(*r), removed);
  // The message lists them, in this order.
  auto refused = NormalizeCorrection(json{{"format", "pdf"}});
  EXPECT_NE(refused.status().message().find(
                "issue_date, due_date, total, tax_inclusive_total, counterparty, "
                "registration_number, invoice_number, bank_account, currency, document_type, "
                "needs_metadata"),
            std::string::npos)
      << refused.status().message();
}

TEST(CorrectionTest, RefusesWhatCannotBeRightNamingTheField) {
  for (const auto& [changes, field] : std::vector<std::pair<json, std::string>>{
           {json{{"issue_date", "2026-13-01"}}, "issue_date"},
           {json{{"issue_date", "31/10/2026"}}, "issue_date"},
           {json{{"total", "五万円"}}, "total"},
           {json{{"total", 55000}}, "total"},
           {json{{"registration_number", "T8010401349598"}}, "registration_number"},  // check digit
           {json{{"registration_number", "8010401349597"}}, "registration_number"},
           {json{{"needs_metadata", "no"}}, "needs_metadata"},
           {json{{"document_type", "receipt"}}, "document_type"},
           {json{{"currency", "YEN!"}}, "currency"},
           {json{{"counterparty", "　 "}}, "counterparty"},
           {json{{"counterparty", std::string(201, 'a')}}, "counterparty"},
           {json{{"format", "pdf"}}, "format"},  // not a person's to change
           {json{{"sha256", "00"}}, "sha256"},
       }) {
    auto r = NormalizeCorrection(changes);
    ASSERT_TRUE(r.status().IsInvalidArgument()) << changes.dump();
    EXPECT_NE(r.status().message().find(field), std::string::npos) << r.status().message();
  }
  EXPECT_TRUE(NormalizeCorrection(json::object()).status().IsInvalidArgument());
  EXPECT_TRUE(NormalizeCorrection(json::array()).status().IsInvalidArgument());
  EXPECT_OK(NormalizeCorrection(json{{"counterparty", std::string(200 * 3, 'a').substr(0, 200)}}));
  std::string two_hundred_kanji;
  for (int i = 0; i < 200; ++i) two_hundred_kanji += "山";
  EXPECT_OK(NormalizeCorrection(json{{"counterparty", two_hundred_kanji}}));
}

// The 200-character limit counts code points (base::NextCodePoint); each
// byte that starts no well-formed sequence counts as one, as it would
// become one U+FFFD. (Before base/utf8, stray trail bytes counted as none.)
TEST(CorrectionTest, IllFormedBytesCountTowardsTheLimit) {
  const std::string sjis = "\x8E\x52\x93\x63";  // 山田 in Shift_JIS: 4 characters here
  std::string text;
  for (int i = 0; i < 50; ++i) text += sjis;
  EXPECT_OK(NormalizeCorrection(json{{"counterparty", text}}));
  text += "\x80";
  EXPECT_TRUE(NormalizeCorrection(json{{"counterparty", text}}).status().IsInvalidArgument());
}

}  // namespace
}  // namespace archive
