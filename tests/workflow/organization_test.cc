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
