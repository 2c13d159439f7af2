// SHA-256 digests: the Digest value type, one-shot hashing and a streaming
// hasher. The archive content-addresses originals with these, the Merkle
// tree and the time-stamps are built on them.
//
// Backed by Botan's SHA-256, which uses the x86 SHA extensions (SHA-NI) when
// the CPU has them.
//
// Thread safety: Digest is a plain value. Sha256() is safe to call from any
// thread. A Sha256Hasher is not thread-safe; use one per thread.
#ifndef SIGNING_SHA256_H_
#define SIGNING_SHA256_H_

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace signing {

/// A 32-byte SHA-256 value. Default-constructed: all zero bytes.
struct Digest {
  static constexpr size_t kSize = 32;
  std::array<uint8_t, kSize> bytes{};

  /// 64 lower-case hex digits.
  std::string Hex() const;
  /// The 32 raw bytes as a string.
  std::string ToBytes() const;
  std::string_view AsStringView() const {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }

  /// Parses 64 hex digits (either case). Anything else is InvalidArgument.
  static base::Result<Digest> FromHex(std::string_view hex);
  /// Takes exactly 32 raw bytes. Any other length is InvalidArgument.
  static base::Result<Digest> FromBytes(std::string_view raw);

  friend bool operator==(const Digest&, const Digest&) = default;
  friend auto operator<=>(const Digest&, const Digest&) = default;
};

/// SHA-256 of data.
Digest Sha256(std::string_view data);

/// SHA-256 of the concatenation of parts, without copying them together.
Digest Sha256Concat(std::initializer_list<std::string_view> parts);

/// Incremental SHA-256: Update() any number of times, then Finish(). A
/// moved-from hasher may only be destroyed or assigned to.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(Sha256Hasher&&) noexcept;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept;
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Update(std::string_view data);
  /// The digest of everything passed to Update() since construction or the
  /// previous Finish(); the hasher is then reset and may be reused.
  Digest Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signing

#endif  // SIGNING_SHA256_H_
