// The Merkle tree of a renewal held in memory, with every perfect subtree's
// hash computed once, so the inclusion path of any leaf costs O(log n)
// (signing::NodesFromLeafHashes recomputes each node from the leaves).
// Not for use outside retention/.
#ifndef RETENTION_INTERNAL_RENEWAL_TREE_H_
#define RETENTION_INTERNAL_RENEWAL_TREE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "signing/sha256.h"

namespace retention::internal {

/// The leaf hash of a covered token: SHA-256(0x00 ‖ SHA-256(token DER)).
signing::Digest TokenLeafHash(std::string_view token_der);

class RenewalTree {
 public:
  /// REQUIRES: leaf_hashes is not empty.
  explicit RenewalTree(std::vector<signing::Digest> leaf_hashes);
  uint64_t size() const { return levels_.front().size(); }
  signing::Digest Root() const;
  /// InvalidArgument if index >= size().
  base::Result<std::vector<signing::Digest>> Path(uint64_t index) const;

 private:
  /// levels_[l][i]: the perfect subtree over leaves [i·2^l, (i+1)·2^l).
  std::vector<std::vector<signing::Digest>> levels_;
};

}  // namespace retention::internal

#endif  // RETENTION_INTERNAL_RENEWAL_TREE_H_
