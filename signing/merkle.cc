#include "signing/merkle.h"

#include <algorithm>
#include <bit>
#include <string>
#include <utility>

namespace signing {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

std::string Num(uint64_t n) { return std::to_string(n); }

// MTH(D[begin:end)), end > begin, built from the perfect subtrees that
// `nodes` returns. RFC 6962 splits a range at the largest power of two
// smaller than its length; every range the proofs below ask for starts on a
// boundary of that power, so the recursion bottoms out in aligned perfect
// subtrees after O(log n) fetches.
base::Result<Digest> RangeHash(uint64_t begin, uint64_t end,
                               const NodeHashFn& nodes) {
  const uint64_t n = end - begin;
  if (std::has_single_bit(n) && begin % n == 0) {
    const int level = std::countr_zero(n);
    return nodes(level, begin >> level);
  }
  const uint64_t k = std::bit_floor(n - 1);
  ASSIGN_OR_RETURN(const Digest left, RangeHash(begin, begin + k, nodes));
  ASSIGN_OR_RETURN(const Digest right, RangeHash(begin + k, end, nodes));
  return HashChildren(left, right);
}

// Hashes proof[i] into seed on the side given by bit i of index (RFC 9162
// §2.1.3.2 steps for the "inner" part of a path).
Digest ChainInner(Digest seed, std::span<const Digest> proof, uint64_t index) {
  for (size_t i = 0; i < proof.size(); ++i) {
    seed = ((index >> i) & 1) == 0 ? HashChildren(seed, proof[i])
                                   : HashChildren(proof[i], seed);
  }
  return seed;
}

// As ChainInner, but only the left siblings: the path of the smaller tree.
Digest ChainInnerRight(Digest seed, std::span<const Digest> proof,
                       uint64_t index) {
  for (size_t i = 0; i < proof.size(); ++i) {
    if (((index >> i) & 1) == 1) seed = HashChildren(proof[i], seed);
  }
  return seed;
}

// The "border" part of a path: every remaining sibling is on the left.
Digest ChainBorderRight(Digest seed, std::span<const Digest> proof) {
  for (const Digest& h : proof) seed = HashChildren(h, seed);
  return seed;
}

base::Status Match(const Digest& computed, const Digest& expected,
                   std::string_view what) {
  if (computed == expected) return base::Status::OK();
  return base::Status::Corruption("ハッシュ木: 証明から計算した" + std::string(what) + " " +
                                  computed.Hex() + " が期待値 " + expected.Hex() +
                                  " と一致しません");
}

}  // namespace

Digest EmptyRoot() { return Sha256(""); }

Digest HashLeaf(std::string_view data) {
  const char prefix = static_cast<char>(kLeafPrefix);
  return Sha256Concat({std::string_view(&prefix, 1), data});
}

Digest HashChildren(const Digest& left, const Digest& right) {
  uint8_t buf[1 + 2 * Digest::kSize];
  buf[0] = kNodePrefix;
  std::copy(left.bytes.begin(), left.bytes.end(), buf + 1);
  std::copy(right.bytes.begin(), right.bytes.end(), buf + 1 + Digest::kSize);
  return Sha256Concat({std::string_view(reinterpret_cast<const char*>(buf), sizeof buf)});
}

Digest RootFromLeafHashes(std::span<const Digest> leaf_hashes) {
  CompactRange range;
  for (const Digest& leaf : leaf_hashes) range.Append(leaf);
  return range.Root();
}

base::Result<CompactRange> CompactRange::FromHashes(
    uint64_t size, std::vector<Digest> hashes) {
  if (hashes.size() != static_cast<size_t>(std::popcount(size))) {
    return base::Status::InvalidArgument(
        "ハッシュ木: サイズ " + Num(size) + " のコンパクト範囲にはハッシュが " +
        Num(std::popcount(size)) + " 個必要ですが、" + Num(hashes.size()) + " 個あります");
  }
  CompactRange range;
  range.size_ = size;
  range.hashes_ = std::move(hashes);
  return range;
}

void CompactRange::Append(const Digest& leaf_hash, const NodeVisitor& visitor) {
  const uint64_t leaf_index = size_;
  hashes_.push_back(leaf_hash);
  if (visitor) visitor(0, leaf_index, leaf_hash);
  // Each trailing one bit of the old size is a perfect subtree of the same
  // height as the one just completed: merge them pairwise.
  int level = 0;
  for (uint64_t s = size_; (s & 1) == 1; s >>= 1) {
    const Digest right = hashes_.back();
    hashes_.pop_back();
    hashes_.back() = HashChildren(hashes_.back(), right);
    ++level;
    if (visitor) visitor(level, leaf_index >> level, hashes_.back());
  }
  ++size_;
}

Digest CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  Digest root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;)
    root = HashChildren(hashes_[i], root);
  return root;
}

NodeHashFn NodesFromLeafHashes(std::span<const Digest> leaf_hashes) {
  return [leaf_hashes](int level, uint64_t index) -> base::Result<Digest> {
    const uint64_t size = leaf_hashes.size();
    if (level < 0 || level >= 64 || index > (size >> level)) {
      return base::Status::InvalidArgument("ハッシュ木: 葉が " + Num(size) + " 個の木にノード (" +
                                           Num(level) + ", " + Num(index) + ") はありません");
    }
    const uint64_t begin = index << level;
    const uint64_t width = uint64_t{1} << level;
    if (begin > size || width > size - begin) {
      return base::Status::InvalidArgument("ハッシュ木: 葉が " + Num(size) + " 個の木にノード (" +
                                           Num(level) + ", " + Num(index) + ") はありません");
    }
    return RootFromLeafHashes(leaf_hashes.subspan(begin, width));
  };
}

base::Result<std::vector<Digest>> InclusionProof(uint64_t index, uint64_t size,
                                                 const NodeHashFn& nodes) {
  if (index >= size) {
    return base::Status::InvalidArgument("ハッシュ木: 葉の番号 " + Num(index) + " が木のサイズ " +
                                         Num(size) + " の範囲外です");
  }
  // RFC 6962 §2.1.1 PATH, walked from the root down; the proof lists the
  // siblings from the leaf up.
  std::vector<Digest> proof;
  uint64_t begin = 0;
  uint64_t end = size;
  while (end - begin > 1) {
    const uint64_t k = std::bit_floor(end - begin - 1);
    if (index < begin + k) {
      ASSIGN_OR_RETURN(Digest sibling, RangeHash(begin + k, end, nodes));
      proof.push_back(sibling);
      end = begin + k;
    } else {
      ASSIGN_OR_RETURN(Digest sibling, RangeHash(begin, begin + k, nodes));
      proof.push_back(sibling);
      begin += k;
    }
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

base::Result<std::vector<Digest>> ConsistencyProof(uint64_t size1,
                                                   uint64_t size2,
                                                   const NodeHashFn& nodes) {
  if (size1 > size2) {
    return base::Status::InvalidArgument("ハッシュ木: サイズ " + Num(size1) + " から小さいサイズ " +
                                         Num(size2) + " への整合性証明は作れません");
  }
  std::vector<Digest> proof;
  if (size1 == 0 || size1 == size2) return proof;
  // RFC 6962 §2.1.2 SUBPROOF(m, D[begin:end), complete), unrolled.
  uint64_t begin = 0;
  uint64_t end = size2;
  bool complete = true;
  while (size1 != end) {
    const uint64_t k = std::bit_floor(end - begin - 1);
    if (size1 <= begin + k) {
      ASSIGN_OR_RETURN(Digest right, RangeHash(begin + k, end, nodes));
      proof.push_back(right);
      end = begin + k;
    } else {
      ASSIGN_OR_RETURN(Digest left, RangeHash(begin, begin + k, nodes));
      proof.push_back(left);
      begin += k;
      complete = false;
    }
  }
  if (!complete) {
    ASSIGN_OR_RETURN(Digest node, RangeHash(begin, end, nodes));
    proof.push_back(node);
  }
  std::reverse(proof.begin(), proof.end());
  return proof;
}

base::Result<Digest> RootFromInclusionProof(uint64_t index, uint64_t size,
                                            const Digest& leaf_hash,
                                            std::span<const Digest> proof) {
  if (index >= size) {
    return base::Status::InvalidArgument("ハッシュ木: 葉の番号 " + Num(index) + " が木のサイズ " +
                                         Num(size) + " の範囲外です");
  }
  // The path splits into an "inner" part below the point where it meets the
  // right border of the tree, and a "border" part where every sibling is on
  // the left.
  const int inner = std::bit_width(index ^ (size - 1));
  const int border = std::popcount(index >> inner);
  if (proof.size() != static_cast<size_t>(inner + border)) {
    return base::Status::InvalidArgument(
        "ハッシュ木: 葉 " + Num(index) + "（木のサイズ " + Num(size) + "）の包含証明のハッシュが " +
        Num(proof.size()) + " 個あります（正しくは " + Num(inner + border) + " 個）");
  }
  const Digest res = ChainInner(leaf_hash, proof.first(inner), index);
  return ChainBorderRight(res, proof.subspan(inner));
}

base::Status VerifyInclusion(uint64_t index, uint64_t size,
                             const Digest& leaf_hash,
                             std::span<const Digest> proof,
                             const Digest& root) {
  ASSIGN_OR_RETURN(const Digest computed,
                   RootFromInclusionProof(index, size, leaf_hash, proof));
  return Match(computed, root, "ルートハッシュ");
}

base::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               const Digest& root1, const Digest& root2,
                               std::span<const Digest> proof) {
  if (size2 < size1) {
    return base::Status::InvalidArgument("ハッシュ木: 新しいサイズ " + Num(size2) +
                                         " が古いサイズ " + Num(size1) + " より小さくなっています");
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return base::Status::InvalidArgument(
          "ハッシュ木: サイズが同じときの整合性証明は空のはずですが、ハッシュが " +
          Num(proof.size()) + " 個あります");
    }
    return Match(root1, root2, "ルートハッシュ");
  }
  if (size1 == 0) {
    // Every tree extends the empty tree.
    if (!proof.empty()) {
      return base::Status::InvalidArgument(
          "ハッシュ木: 空の木からの整合性証明は空のはずですが、ハッシュが " + Num(proof.size()) +
          " 個あります");
    }
    return base::Status::OK();
  }
  if (proof.empty()) return base::Status::InvalidArgument("ハッシュ木: 整合性証明が空です");

  // The proof is, apart from its first element, a suffix of the inclusion
  // proof of leaf size1-1 in the tree of size2, starting at the level of the
  // largest perfect subtree the two trees share on the right (2^shift).
  int inner = std::bit_width((size1 - 1) ^ (size2 - 1));
  const int border = std::popcount((size1 - 1) >> inner);
  const int shift = std::countr_zero(size1);
  inner -= shift;  // shift < inner because size1 < size2

  Digest seed = proof[0];
  size_t start = 1;
  if (size1 == (uint64_t{1} << shift)) {
    // The whole old tree is that perfect subtree; its root is root1.
    seed = root1;
    start = 0;
  }
  if (proof.size() != start + inner + border) {
    return base::Status::InvalidArgument(
        "ハッシュ木: サイズ " + Num(size1) + "→" + Num(size2) + " の整合性証明のハッシュが " +
        Num(proof.size()) + " 個あります（正しくは " + Num(start + inner + border) + " 個）");
  }
  const std::span<const Digest> rest = proof.subspan(start);
  const uint64_t mask = (size1 - 1) >> shift;

  Digest hash1 = ChainInnerRight(seed, rest.first(inner), mask);
  hash1 = ChainBorderRight(hash1, rest.subspan(inner));
  RETURN_IF_ERROR(Match(hash1, root1, "古い木のルートハッシュ"));

  Digest hash2 = ChainInner(seed, rest.first(inner), mask);
  hash2 = ChainBorderRight(hash2, rest.subspan(inner));
  return Match(hash2, root2, "新しい木のルートハッシュ");
}

}  // namespace signing
