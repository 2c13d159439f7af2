// Order-preserving key encoding: composite keys whose bytewise order (LMDB's
// default comparison) equals the order of their typed components.
//
//   KeyEncoder k;  k.U32(2026).String("株式会社A").U64(id);
//   txn.Put(index, k.key(), "");
//
// Encodings:
//   U64/U32   big-endian fixed width.
//   I64       big-endian with the sign bit flipped.
//   String    bytes with 0x00 escaped as 0x00 0xFF, terminated by 0x00 0x01,
//             so that "a" < "a\0" < "ab" and a prefix never splits a component.
//   Decimal   the value scaled to 18 fraction digits as a signed 128-bit
//             integer, big-endian with the sign bit flipped: numeric order,
//             1.5 and 1.50 encode the same.
//   Raw       bytes as they are; only as the last component.
//
// Thread safety: values; not shared.
#ifndef STORAGE_KEY_CODEC_H_
#define STORAGE_KEY_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/money.h"

namespace storage {

class KeyEncoder {
 public:
  KeyEncoder& U32(uint32_t v);
  KeyEncoder& U64(uint64_t v);
  KeyEncoder& I64(int64_t v);
  KeyEncoder& String(std::string_view s);
  KeyEncoder& Decimal(const base::Decimal& d);
  KeyEncoder& Raw(std::string_view bytes);

  const std::string& key() const { return key_; }
  std::string Release() { return std::move(key_); }

 private:
  std::string key_;
};

/// Reads components back in the order they were written. Each method returns
/// false (and leaves the decoder failed) if the input does not hold one.
class KeyDecoder {
 public:
  explicit KeyDecoder(std::string_view key) : rest_(key) {}
  bool U32(uint32_t* v);
  bool U64(uint64_t* v);
  bool I64(int64_t* v);
  bool String(std::string* s);
  /// The remaining bytes.
  std::string_view Rest() const { return rest_; }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
};

/// The smallest key greater than every key that starts with prefix, or ""
/// if there is none (prefix of all 0xFF).
std::string PrefixSuccessor(std::string_view prefix);

}  // namespace storage

#endif  // STORAGE_KEY_CODEC_H_
