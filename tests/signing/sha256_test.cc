#include "signing/sha256.h"

#include <string>

#include <gtest/gtest.h>

#include "base/random.h"
#include "tests/fakes/test_util.h"

namespace signing {
namespace {

// FIPS 180-2 appendix B and the NIST CAVP short-message examples.
TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(Sha256("").Hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256("abc").Hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").Hex(),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256(std::string(1000000, 'a')).Hex(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, StreamingMatchesOneShotForAnyChunking) {
  base::Random rnd(::testing::UnitTest::GetInstance()->random_seed());
  std::string data(100000, '\0');
  for (char& c : data) c = static_cast<char>(rnd.Uniform(256));
  const Digest want = Sha256(data);
  for (int round = 0; round < 20; ++round) {
    Sha256Hasher h;
    for (size_t pos = 0; pos < data.size();) {
      const size_t n = std::min<size_t>(rnd.Uniform(200) + (round == 0 ? 0 : 1),
                                        data.size() - pos);
      h.Update(std::string_view(data).substr(pos, n));
      pos += n;
    }
    EXPECT_EQ(h.Finish(), want) << "round " << round;
  }
}

TEST(Sha256Test, FinishResetsTheHasher) {
  Sha256Hasher h;
  h.Update("ab");
  h.Update("c");
  EXPECT_EQ(h.Finish(), Sha256("abc"));
  EXPECT_EQ(h.Finish(), Sha256(""));
  h.Update("abc");
  EXPECT_EQ(h.Finish(), Sha256("abc"));
}

TEST(Sha256Test, AgreesWithOpensslDgst) {
  kura_test::TempDir dir;
  std::string data;
  for (int i = 0; i < 70000; ++i) data += static_cast<char>(i * 7);
  kura_test::WriteFileOrDie(dir.Join("f"), data);
  std::string out;
  ASSERT_EQ(
      kura_test::RunCommand("openssl dgst -sha256 -r " + dir.Join("f"), &out),
      0);
  EXPECT_EQ(out.substr(0, 64), Sha256(data).Hex());
}

TEST(Sha256Test, HexAndBytesRoundTrip) {
  const Digest d = Sha256("kura");
  base::Result<Digest> from_hex = Digest::FromHex(d.Hex());
  ASSERT_OK(from_hex);
  EXPECT_EQ(*from_hex, d);
  base::Result<Digest> upper = Digest::FromHex(
      "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
  ASSERT_OK(upper);
  EXPECT_EQ(*upper, Sha256(""));
  base::Result<Digest> from_bytes = Digest::FromBytes(d.ToBytes());
  ASSERT_OK(from_bytes);
  EXPECT_EQ(*from_bytes, d);
  EXPECT_EQ(d.AsStringView().size(), 32u);
}

TEST(Sha256Test, MalformedHexOrBytesAreRejected) {
  EXPECT_EQ(Digest::FromHex("abc").status().code(),
            base::Status::Code::kInvalidArgument);
  EXPECT_EQ(Digest::FromHex(std::string(64, 'g')).status().code(),
            base::Status::Code::kInvalidArgument);
  EXPECT_EQ(Digest::FromHex(std::string(66, 'a')).status().code(),
            base::Status::Code::kInvalidArgument);
  EXPECT_EQ(Digest::FromBytes(std::string(31, 'a')).status().code(),
            base::Status::Code::kInvalidArgument);
}

TEST(Sha256Test, DigestsOrderAndCompareByBytes) {
  Digest a, b;
  b.bytes[31] = 1;
  EXPECT_LT(a, b);
  EXPECT_NE(a, b);
  EXPECT_EQ(Digest(), a);
}

}  // namespace
}  // namespace signing
