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
