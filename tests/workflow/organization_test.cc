#include "workflow/organization.h"

#include <gtest/gtest.h>

#include "tests/fakes/test_util.h"

namespace workflow {
namespace {

constexpr PasswordParams kCheap{64, 1, 1};

TEST(OrganizationTest, RolesRoundTripByName) {
  for (Role r : {Role::kClerk, Role::kApprover, Role::kAccountant, Role::kAuditor,
                 Role::kCompliance, Role::kAdmin}) {
    auto parsed = ParseRole(RoleName(r));
    ASSERT_OK(parsed);
    EXPECT_EQ(*parsed, r);
  }
  EXPECT_EQ(ParseRole("boss").status().code(), base::Status::Code::kInvalidArgument);
}

TEST(OrganizationTest, ApproverNeedsATitle) {
  User u{"tanaka", "田中", "somu", {Role::kApprover}, "", true};
  EXPECT_FALSE(Validate(u).ok());
  u.title = "課長";
  EXPECT_OK(Validate(u));
  u.login = "Tanaka San";
  EXPECT_FALSE(Validate(u).ok());
}

TEST(OrganizationTest, UserJsonNeverCarriesASecretAndRoundTrips) {
  const User u{"sato", "佐藤", "somu", {Role::kClerk, Role::kAuditor}, "", true};
  const auto j = ToJson(u);
  EXPECT_EQ(j["roles"], nlohmann::json({"clerk", "auditor"}));
  EXPECT_FALSE(j.contains("password"));
  EXPECT_FALSE(j.contains("password_hash"));
  auto back = UserFromJson(j);
  ASSERT_OK(back);
  EXPECT_EQ(back->login, "sato");
  EXPECT_TRUE(back->HasRole(Role::kAuditor));
  EXPECT_FALSE(back->HasRole(Role::kAdmin));
  EXPECT_TRUE(UserFromJson(nlohmann::json{{"login", 1}}).status().IsCorruption());
}

TEST(OrganizationTest, VendorRegistrationNumberMustCarryItsCheckDigit) {
  Vendor v{"V00001", "山田商事株式会社", "T7010705000725", "0005:123:1:1234567", ""};
  EXPECT_OK(Validate(v));
  v.registration_number = "";  // a vendor without one (not a qualified issuer)
  EXPECT_OK(Validate(v));
  // The JP PINT samples' number: the right shape, the wrong check digit.
  v.registration_number = "T1234567890123";
  const base::Status wrong = Validate(v);
  EXPECT_EQ(wrong.code(), base::Status::Code::kInvalidArgument);
  EXPECT_NE(wrong.message().find("検査用数字"), std::string::npos) << wrong.message();
  for (const char* malformed :
       {"7010705000725", "T701070500072", "T70107050007250", "X7010705000725"}) {
    v.registration_number = malformed;
    const base::Status s = Validate(v);
    EXPECT_EQ(s.code(), base::Status::Code::kInvalidArgument) << malformed;
    EXPECT_NE(s.message().find("T と13桁の数字"), std::string::npos) << s.message();
  }
}

TEST(OrganizationTest, VendorBankAccountIsBankBranchTypeNumber) {
  Vendor v{"V00001", "山田商事株式会社", "", "0005:123:1:1234567", ""};
  EXPECT_OK(Validate(v));
  for (const char* ok : {"0005:123:2:1234567", "9900:019:4:0000001", "0138:456:9:7654321", ""}) {
    v.bank_account = ok;
    EXPECT_OK(Validate(v)) << ok;
  }
  for (const char* bad : {"0005:123:3:1234567", "005:123:1:1234567", "0005:1234:1:1234567",
                          "0005:123:1:123456", "0005-123-1-1234567", "みずほ 普通 1234567"}) {
    v.bank_account = bad;
    const base::Status s = Validate(v);
    EXPECT_EQ(s.code(), base::Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("金融機関コード4桁"), std::string::npos) << s.message();
  }
}

TEST(OrganizationTest, CanonicalVendorTakesNumbersAsPeopleTypeThem) {
  const Vendor typed{"V00001", "山田商事株式会社", "ｔ７０１０－７０５０ー００７２５",
                     "０００５：１２３：１：１２３４５６７", "埼玉県草加市栄町3丁目2番8号"};
  const Vendor v = CanonicalVendor(typed);
  EXPECT_EQ(v.registration_number, "T7010705000725");
  EXPECT_EQ(v.bank_account, "0005:123:1:1234567");
  EXPECT_EQ(v.name, typed.name);
  EXPECT_EQ(v.address, typed.address);  // free text stays as typed
  EXPECT_OK(Validate(v));
  EXPECT_EQ(CanonicalVendor(Vendor{"V1", "x", " T 7010705000725 ", "", ""}).registration_number,
            "T7010705000725");
}

TEST(OrganizationTest, VendorCorporateNumberCarriesItsCheckDigitAndAgreesWithTheTNumber) {
  Vendor v{"V00001", "山田商事株式会社", "", "", ""};
  // Published 法人番号 (国税庁 法人番号公表サイト; worked examples of the
  // check digit 9 - (Σ P_n × Q_n mod 9) in the pages cited by
  // base/registration_number.h): each valid alone.
  for (const char* published : {"7010705000725", "4011001098993", "2120901007402"}) {
    v.corporate_number = published;
    EXPECT_OK(Validate(v)) << published;
    // Every other first digit is a wrong check digit.
    for (char c = '0'; c <= '9'; ++c) {
      if (c == published[0]) continue;
      v.corporate_number = std::string(1, c) + (published + 1);
      const base::Status s = Validate(v);
      EXPECT_EQ(s.code(), base::Status::Code::kInvalidArgument) << v.corporate_number;
      EXPECT_NE(s.message().find("法人番号の検査用数字"), std::string::npos) << s.message();
    }
  }
  for (const char* malformed : {"701070500072", "70107050007250", "T7010705000725", "70107O5000725"}) {
    v.corporate_number = malformed;
    const base::Status s = Validate(v);
    EXPECT_EQ(s.code(), base::Status::Code::kInvalidArgument) << malformed;
    EXPECT_NE(s.message().find("法人番号は13桁の数字"), std::string::npos) << s.message();
  }
  // A 法人's T-number is T + its 法人番号: both given, they must agree.
  v.corporate_number = "7010705000725";
  v.registration_number = "T7010705000725";
  EXPECT_OK(Validate(v));
  v.registration_number = "T4011001098993";  // another company's, valid on its own
  const base::Status disagree = Validate(v);
  EXPECT_EQ(disagree.code(), base::Status::Code::kInvalidArgument);
  EXPECT_NE(disagree.message().find("一致しません"), std::string::npos) << disagree.message();
  // Either alone is fine, and neither is derived from the other.
  v.corporate_number = "";
  EXPECT_OK(Validate(v));
  EXPECT_EQ(CanonicalVendor(v).corporate_number, "");
  v = Vendor{"V00001", "山田商事株式会社", "", "", ""};
  v.corporate_number = "７０１０７０５０００７２５";  // as typed: full width
  EXPECT_EQ(CanonicalVendor(v).corporate_number, "7010705000725");
  EXPECT_EQ(CanonicalVendor(v).registration_number, "");
}

TEST(OrganizationTest, VendorKanaNameIsStoredAsFullWidthKatakana) {
  Vendor v{"V00001", "山田商事株式会社", "", "", ""};
  const std::pair<const char*, const char*> typed[] = {
      {"ヤマダショウジ", "ヤマダショウジ"},            // already canonical
      {"やまだしょうじ", "ヤマダショウジ"},            // hiragana
      {"ﾔﾏﾀﾞｼｮｳｼﾞ", "ヤマダショウジ"},                // half-width, voiced marks joined
      {"  ｶﾌﾞｼｷｶﾞｲｼｬ　 やまだ ", "カブシキガイシャ ヤマダ"},  // spaces trimmed and made one
      {"エヌ・ティ・ティー", "エヌ・ティ・ティー"},
  };
  for (const auto& [in, want] : typed) {
    v.kana_name = in;
    const Vendor c = CanonicalVendor(v);
    EXPECT_EQ(c.kana_name, want) << in;
    EXPECT_OK(Validate(c)) << in;
  }
  for (const char* bad : {"山田ショウジ", "YAMADA", "ヤマダ（カ）"}) {
    v.kana_name = bad;
    const base::Status s = Validate(CanonicalVendor(v));
    EXPECT_EQ(s.code(), base::Status::Code::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find("フリガナはカタカナ"), std::string::npos) << s.message();
  }
}

TEST(OrganizationTest, VendorRecordsWithoutTheNewMembersStillRead) {
  // A record (and an event's "to") written before 法人番号 and フリガナ.
  const nlohmann::json old = {{"id", "V00001"}, {"name", "山田商事株式会社"},
                              {"registration_number", "T7010705000725"},
                              {"bank_account", ""}, {"address", ""}, {"account_holder", ""}};
  auto v = VendorFromJson(old);
  ASSERT_OK(v);
  EXPECT_EQ(v->corporate_number, "");
  EXPECT_EQ(v->kana_name, "");
  EXPECT_OK(Validate(*v));
  Vendor full = *v;
  full.corporate_number = "7010705000725";
  full.kana_name = "ヤマダショウジ";
  auto back = VendorFromJson(ToJson(full));
  ASSERT_OK(back);
  EXPECT_EQ(ToJson(*back), ToJson(full));
}

TEST(OrganizationTest, Argon2idHashVerifiesOnlyTheRightPassword) {
  auto hash = HashPassword("correct horse", kCheap);
  ASSERT_OK(hash);
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_EQ(hash->find("correct"), std::string::npos);
  EXPECT_TRUE(CheckPassword("correct horse", *hash));
  EXPECT_FALSE(CheckPassword("correct horsE", *hash));
  EXPECT_FALSE(CheckPassword("correct horse", "not a hash"));
  // A fresh salt each time.
  EXPECT_NE(*hash, *HashPassword("correct horse", kCheap));
  EXPECT_FALSE(HashPassword("short", kCheap).ok());
}

TEST(OrganizationTest, DefaultPasswordParamsAreOwaspArgon2id) {
  const PasswordParams p;
  EXPECT_EQ(p.memory_kib, 19456u);
  EXPECT_EQ(p.iterations, 2u);
  EXPECT_EQ(p.parallelism, 1u);
  auto hash = HashPassword("a long password", p);
  ASSERT_OK(hash);
  EXPECT_NE(hash->find("m=19456,t=2,p=1"), std::string::npos) << *hash;
}

}  // namespace
}  // namespace workflow
