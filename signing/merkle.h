// The RFC 6962 / RFC 9162 Merkle tree hash: leaf and node hashing, roots,
// the compact range (frontier) that an append-only log keeps to extend its
// tree in O(log n) memory, and inclusion and consistency proofs.
//
//   leaf hash  = SHA-256(0x00 ‖ data)
//   node hash  = SHA-256(0x01 ‖ left ‖ right)
//   empty tree = SHA-256("")
//
// Proof verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 in the form of
// transparency-dev/merkle proof/verify.go; proofs generated here are the
// RFC 6962 §2.1.1/§2.1.2 PATH and PROOF lists.
//
// Tree nodes are named (level, index): the node at level L and index i is
// the root of the perfect subtree over leaves [i·2^L, (i+1)·2^L). Leaves are
// level 0.
//
// Thread safety: the free functions are thread-safe (given a thread-safe
// NodeHashFn). A CompactRange is a value; mutating one needs external
// synchronisation.
#ifndef SIGNING_MERKLE_H_
#define SIGNING_MERKLE_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "signing/sha256.h"

namespace signing {

/// SHA-256 of the empty string: the root of the tree of size 0.
Digest EmptyRoot();
/// SHA-256(0x00 ‖ data).
Digest HashLeaf(std::string_view data);
/// SHA-256(0x01 ‖ left ‖ right).
Digest HashChildren(const Digest& left, const Digest& right);

/// The Merkle tree hash (MTH) over the given leaf hashes, in order. An empty
/// span gives EmptyRoot(). O(n) time, O(log n) memory.
Digest RootFromLeafHashes(std::span<const Digest> leaf_hashes);

/// The frontier of a tree of `size` leaves: the roots of the perfect
/// subtrees that cover [0, size), one per set bit of size, largest (leftmost)
/// first. It is all a log needs to keep to append leaves and know its root.
class CompactRange {
 public:
  /// Called for every perfect subtree completed by Append(), leaf included
  /// (level 0), so a caller can store node hashes for later proofs.
  using NodeVisitor =
      std::function<void(int level, uint64_t index, const Digest& hash)>;

  /// The empty tree.
  CompactRange() = default;

  /// Restores a saved frontier. InvalidArgument unless hashes.size() equals
  /// the number of set bits of size.
  static base::Result<CompactRange> FromHashes(uint64_t size,
                                               std::vector<Digest> hashes);

  /// Appends the leaf with this hash. O(log n) hashing in the worst case,
  /// amortised O(1). visitor may be empty.
  void Append(const Digest& leaf_hash, const NodeVisitor& visitor = nullptr);

  uint64_t size() const { return size_; }
  /// The frontier, largest subtree first (what FromHashes() takes back).
  const std::vector<Digest>& hashes() const { return hashes_; }
  /// The root of the tree [0, size); EmptyRoot() for size 0. O(log n).
  Digest Root() const;

  friend bool operator==(const CompactRange&, const CompactRange&) = default;

 private:
  uint64_t size_ = 0;
  std::vector<Digest> hashes_;
};

/// Returns the hash of the node (level, index) of the tree, i.e. of the
/// perfect subtree over leaves [index·2^level, (index+1)·2^level). Proof
/// generation asks only for nodes that lie inside the tree it proves.
/// Errors are passed through unchanged.
using NodeHashFn =
    std::function<base::Result<Digest>(int level, uint64_t index)>;

/// A NodeHashFn over leaf hashes held in memory. Computes each node from the
/// leaves (O(2^level)); meant for tests and small trees. `leaf_hashes` must
/// outlive the returned function. Asking for a node that is not wholly
/// inside the span is InvalidArgument.
NodeHashFn NodesFromLeafHashes(std::span<const Digest> leaf_hashes);

/// The inclusion proof (audit path) of leaf `index` in the tree of `size`
/// leaves, lowest level first. InvalidArgument if index >= size; errors from
/// `nodes` are returned as they are. O(log n) node fetches.
base::Result<std::vector<Digest>> InclusionProof(uint64_t index, uint64_t size,
                                                 const NodeHashFn& nodes);

/// The consistency proof from the tree of size1 leaves to the tree of size2
/// leaves. Empty when size1 == 0 or size1 == size2 (RFC 9162 needs no proof
/// there). InvalidArgument if size1 > size2.
base::Result<std::vector<Digest>> ConsistencyProof(uint64_t size1,
                                                   uint64_t size2,
                                                   const NodeHashFn& nodes);

/// The root implied by an inclusion proof. InvalidArgument if index >= size
/// or the proof has the wrong number of hashes for (index, size).
base::Result<Digest> RootFromInclusionProof(uint64_t index, uint64_t size,
                                            const Digest& leaf_hash,
                                            std::span<const Digest> proof);

/// OK if `proof` shows that `leaf_hash` is leaf `index` of the tree of
/// `size` leaves whose root is `root`. Errors: InvalidArgument for an index
/// beyond the size or a proof of the wrong length; Corruption when the
/// computed root differs from `root`.
base::Status VerifyInclusion(uint64_t index, uint64_t size,
                             const Digest& leaf_hash,
                             std::span<const Digest> proof, const Digest& root);

/// OK if `proof` shows that the tree of size2 leaves with root2 extends the
/// tree of size1 leaves with root1 (append-only). Sizes 0 → anything and
/// equal sizes with equal roots take an empty proof. Errors: InvalidArgument
/// for size1 > size2 or a proof of the wrong length; Corruption when a
/// computed root differs from root1 or root2.
base::Status VerifyConsistency(uint64_t size1, uint64_t size2,
                               const Digest& root1, const Digest& root2,
                               std::span<const Digest> proof);

}  // namespace signing

#endif  // SIGNING_MERKLE_H_
