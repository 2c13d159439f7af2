#include "signing/merkle.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/hex.h"
#include "tests/fakes/test_util.h"

namespace signing {
namespace {

const std::string kDataDir =
    std::string(KURA_SOURCE_DIR) + "/tests/data/signing/merkle";

nlohmann::json ReadJson(const std::string& path) {
  return nlohmann::json::parse(kura_test::ReadFileOrDie(path));
}

Digest D(const nlohmann::json& hex) {
  return Digest::FromHex(hex.get<std::string>()).value();
}

std::vector<Digest> Ds(const nlohmann::json& list) {
  std::vector<Digest> out;
  for (const auto& h : list) out.push_back(D(h));
  return out;
}

// The vector files of one kind ("inclusion" or "consistency"), sorted.
std::vector<std::string> VectorFiles(const std::string& kind) {
  std::vector<std::string> files;
  for (const auto& e :
       std::filesystem::recursive_directory_iterator(kDataDir + "/" + kind)) {
    if (e.is_regular_file() && e.path().extension() == ".json")
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class MerkleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const nlohmann::json tree = ReadJson(kDataDir + "/tree.json");
    for (const auto& leaf : tree["leaves"]) {
      leaves_.push_back(base::HexDecode(leaf.get<std::string>()).value());
    }
    leaf_hashes_ = Ds(tree["leaf_hashes"]);
    roots_ = Ds(tree["roots"]);
  }

  std::vector<std::string> leaves_;
  std::vector<Digest> leaf_hashes_;
  std::vector<Digest> roots_;  // roots_[n]: root of the first n leaves
};

std::vector<Digest> LeafHashes(int n) {
  std::vector<Digest> out;
  for (int i = 0; i < n; ++i)
    out.push_back(HashLeaf("leaf " + std::to_string(i)));
  return out;
}

TEST_F(MerkleTest, LeafHashesMatchTheVectors) {
  ASSERT_EQ(leaves_.size(), 8u);
  for (size_t i = 0; i < leaves_.size(); ++i)
    EXPECT_EQ(HashLeaf(leaves_[i]), leaf_hashes_[i]);
}

TEST_F(MerkleTest, RootsOfThePublishedTreeForEverySize) {
  ASSERT_EQ(roots_.size(), 9u);
  EXPECT_EQ(roots_[0], EmptyRoot());
  EXPECT_EQ(roots_[8].Hex(),
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  CompactRange range;
  EXPECT_EQ(range.Root(), roots_[0]);
  for (size_t n = 0; n <= 8; ++n) {
    EXPECT_EQ(RootFromLeafHashes(std::span(leaf_hashes_).first(n)), roots_[n])
        << n;
    if (n > 0) {
      range.Append(leaf_hashes_[n - 1]);
      EXPECT_EQ(range.Root(), roots_[n]) << n;
      EXPECT_EQ(range.size(), n);
    }
  }
}

TEST_F(MerkleTest, EmptyTreeRootIsSha256OfNothing) {
  EXPECT_EQ(RootFromLeafHashes({}).Hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(MerkleTest, InclusionVectors) {
  const std::vector<std::string> files = VectorFiles("inclusion");
  ASSERT_GE(files.size(), 60u);
  int happy = 0;
  for (const std::string& file : files) {
    const nlohmann::json v = ReadJson(file);
    const uint64_t index = v["leaf_index"].get<uint64_t>();
    const uint64_t size = v["tree_size"].get<uint64_t>();
    const std::vector<Digest> proof = Ds(v["proof"]);
    const base::Status s =
        VerifyInclusion(index, size, D(v["leaf_hash"]), proof, D(v["root"]));
    EXPECT_EQ(s.ok(), !v["want_err"].get<bool>())
        << file << ": " << s.ToString();
    if (!v["want_err"].get<bool>()) {
      ++happy;
      // What we generate is what was published.
      base::Result<std::vector<Digest>> generated = InclusionProof(
          index, size,
          NodesFromLeafHashes(std::span(leaf_hashes_).first(size)));
      ASSERT_OK(generated);
      EXPECT_EQ(*generated, proof) << file;
    }
  }
  EXPECT_EQ(happy, 5);
}

TEST_F(MerkleTest, ConsistencyVectors) {
  const std::vector<std::string> files = VectorFiles("consistency");
  ASSERT_GE(files.size(), 70u);
  int happy = 0;
  for (const std::string& file : files) {
    const nlohmann::json v = ReadJson(file);
    const uint64_t size1 = v["size1"].get<uint64_t>();
    const uint64_t size2 = v["size2"].get<uint64_t>();
    const std::vector<Digest> proof = Ds(v["proof"]);
    const base::Status s =
        VerifyConsistency(size1, size2, D(v["root1"]), D(v["root2"]), proof);
    EXPECT_EQ(s.ok(), !v["want_err"].get<bool>())
        << file << ": " << s.ToString();
    if (!v["want_err"].get<bool>()) {
      ++happy;
      base::Result<std::vector<Digest>> generated = ConsistencyProof(
          size1, size2,
          NodesFromLeafHashes(std::span(leaf_hashes_).first(size2)));
      ASSERT_OK(generated);
      EXPECT_EQ(*generated, proof) << file;
    }
  }
  EXPECT_EQ(happy, 5);
}

TEST_F(MerkleTest, MismatchIsCorruptionAndBadShapeIsInvalidArgument) {
  const std::vector<Digest> proof =
      InclusionProof(5, 8, NodesFromLeafHashes(leaf_hashes_)).value();
  EXPECT_TRUE(
      VerifyInclusion(5, 8, leaf_hashes_[4], proof, roots_[8]).IsCorruption());
  EXPECT_EQ(VerifyInclusion(5, 8, leaf_hashes_[5], std::span(proof).first(2),
                            roots_[8])
                .code(),
            base::Status::Code::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(8, 8, leaf_hashes_[5], proof, roots_[8]).code(),
            base::Status::Code::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(5, 4, roots_[5], roots_[4], {}).code(),
            base::Status::Code::kInvalidArgument);
}

TEST_F(MerkleTest, TrivialConsistencyCases) {
  EXPECT_OK(VerifyConsistency(0, 0, EmptyRoot(), EmptyRoot(), {}));
  EXPECT_OK(VerifyConsistency(0, 8, EmptyRoot(), roots_[8], {}));
  EXPECT_OK(VerifyConsistency(8, 8, roots_[8], roots_[8], {}));
  EXPECT_TRUE(VerifyConsistency(8, 8, roots_[8], roots_[7], {}).IsCorruption());
  const std::vector<Digest> one = {roots_[1]};
  EXPECT_FALSE(VerifyConsistency(8, 8, roots_[8], roots_[8], one).ok());
  EXPECT_FALSE(VerifyConsistency(0, 8, EmptyRoot(), roots_[8], one).ok());
  EXPECT_FALSE(VerifyConsistency(3, 8, roots_[3], roots_[8], {}).ok());
  EXPECT_TRUE(
      ConsistencyProof(0, 8, NodesFromLeafHashes(leaf_hashes_))->empty());
  EXPECT_TRUE(
      ConsistencyProof(8, 8, NodesFromLeafHashes(leaf_hashes_))->empty());
  EXPECT_EQ(
      ConsistencyProof(9, 8, NodesFromLeafHashes(leaf_hashes_)).status().code(),
      base::Status::Code::kInvalidArgument);
}

// Every proof in every tree up to 70 leaves verifies, and fails against the
// neighbouring tree.
TEST_F(MerkleTest, ExhaustiveSmallTrees) {
  const std::vector<Digest> all = LeafHashes(70);
  std::vector<Digest> roots;
  for (size_t n = 0; n <= all.size(); ++n)
    roots.push_back(RootFromLeafHashes(std::span(all).first(n)));
  for (uint64_t size = 1; size <= 70; ++size) {
    const NodeHashFn nodes = NodesFromLeafHashes(std::span(all).first(size));
    for (uint64_t index = 0; index < size; ++index) {
      base::Result<std::vector<Digest>> proof =
          InclusionProof(index, size, nodes);
      ASSERT_OK(proof);
      ASSERT_OK(VerifyInclusion(index, size, all[index], *proof, roots[size]))
          << index << "/" << size;
      if (size < 70) {
        EXPECT_FALSE(
            VerifyInclusion(index, size, all[index], *proof, roots[size + 1])
                .ok());
      }
    }
    for (uint64_t size1 = 0; size1 <= size; ++size1) {
      base::Result<std::vector<Digest>> proof =
          ConsistencyProof(size1, size, nodes);
      ASSERT_OK(proof);
      ASSERT_OK(
          VerifyConsistency(size1, size, roots[size1], roots[size], *proof))
          << size1 << "→" << size;
      if (size1 > 0 && size1 < size) {
        EXPECT_FALSE(VerifyConsistency(size1, size, roots[size1 - 1],
                                       roots[size], *proof)
                         .ok());
      }
    }
  }
}

TEST_F(MerkleTest, CompactRangeReportsEveryCompletedNode) {
  const std::vector<Digest> all = LeafHashes(37);
  const NodeHashFn nodes = NodesFromLeafHashes(all);
  CompactRange range;
  int reported = 0;
  for (const Digest& leaf : all) {
    range.Append(leaf, [&](int level, uint64_t index, const Digest& hash) {
      ++reported;
      base::Result<Digest> want = nodes(level, index);
      ASSERT_OK(want);
      EXPECT_EQ(hash, *want) << level << "," << index;
    });
  }
  // A tree of n leaves has 2n - popcount(n) perfect nodes.
  EXPECT_EQ(reported, 2 * 37 - 3);
  EXPECT_EQ(range.hashes().size(), 3u);  // 37 = 32 + 4 + 1
}

TEST_F(MerkleTest, CompactRangeRestoresFromSavedHashes) {
  const std::vector<Digest> all = LeafHashes(1000);
  CompactRange range;
  for (size_t i = 0; i < 600; ++i) range.Append(all[i]);
  base::Result<CompactRange> restored =
      CompactRange::FromHashes(range.size(), range.hashes());
  ASSERT_OK(restored);
  EXPECT_EQ(*restored, range);
  for (size_t i = 600; i < all.size(); ++i) restored->Append(all[i]);
  EXPECT_EQ(restored->Root(), RootFromLeafHashes(all));
  EXPECT_EQ(restored->hashes().size(), 6u);  // 1000 = 0b1111101000

  EXPECT_EQ(CompactRange::FromHashes(600, {}).status().code(),
            base::Status::Code::kInvalidArgument);
}

TEST_F(MerkleTest, NodeFetchErrorsArePassedThrough) {
  const NodeHashFn failing = [](int, uint64_t) -> base::Result<Digest> {
    return base::Status::IOError("disk on fire");
  };
  EXPECT_EQ(InclusionProof(3, 8, failing).status().code(),
            base::Status::Code::kIOError);
  EXPECT_EQ(ConsistencyProof(3, 8, failing).status().code(),
            base::Status::Code::kIOError);
  EXPECT_EQ(InclusionProof(8, 8, failing).status().code(),
            base::Status::Code::kInvalidArgument);
  EXPECT_FALSE(
      NodesFromLeafHashes(leaf_hashes_)(3, 1).ok());  // leaves 8..15 of 8
  EXPECT_FALSE(NodesFromLeafHashes(leaf_hashes_)(4, 0).ok());
}

TEST_F(MerkleTest, RootFromInclusionProofOfTheOnlyLeafIsTheLeaf) {
  base::Result<Digest> root = RootFromInclusionProof(0, 1, leaf_hashes_[0], {});
  ASSERT_OK(root);
  EXPECT_EQ(*root, roots_[1]);
}

}  // namespace
}  // namespace signing
