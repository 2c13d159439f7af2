// A DER (and a little BER) TLV tree for the structure-aware mutator of
// tsa_verify_fuzzer.cc: parse a TimeStampResp into nodes, change nodes, and
// write it back with every enclosing length recomputed, so a mutation deep
// inside (a byte of the genTime, a deleted attribute, a duplicated
// certificate) still yields a response whose outer structure decodes.
//
// Not a validating parser: anything that does not split into TLVs is kept
// as opaque bytes. Thread safety: plain values.
#ifndef TESTS_FUZZ_DER_TREE_H_
#define TESTS_FUZZ_DER_TREE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kura_fuzz {

struct DerNode {
  uint8_t tag = 0;
  // A constructed node, or an OCTET/BIT STRING whose content is itself DER
  // (encapsulated: the TSTInfo, an extension's value, a signature): the
  // children are the content. Otherwise `content` holds the raw bytes.
  bool has_children = false;
  std::vector<DerNode> children;
  std::string content;
  // BIT STRING with children: the unused-bits byte that precedes them.
  std::string prefix;
  // How the length is written: 0 = minimal DER; n > 0 = long form with n
  // length bytes (non-minimal when fewer would do); -1 = indefinite (BER,
  // constructed only, ended by 00 00).
  int length_bytes = 0;

  bool IsConstructed() const { return (tag & 0x20) != 0; }
  /// The whole TLV as bytes.
  std::string Encode() const;
  /// The content bytes (what the length counts).
  std::string EncodeContent() const;
  /// Makes this a primitive-style leaf holding `bytes` (drops children).
  void SetContent(std::string bytes);
};

/// Parses exactly one TLV spanning all of `der` (depth-limited); nullopt if
/// the bytes are not a TLV tree at the top level.
std::optional<DerNode> ParseDer(std::string_view der);

/// Walks every node (pre-order), the root included.
void CollectNodes(DerNode* root, std::vector<DerNode*>* out);

/// DER length bytes for n (minimal).
std::string DerLength(size_t n);

}  // namespace kura_fuzz

#endif  // TESTS_FUZZ_DER_TREE_H_
