#include "signing/sha256.h"

#include <botan/sha2_32.h>

#include "base/hex.h"

namespace signing {

std::string Digest::Hex() const { return base::HexEncode(AsStringView()); }

std::string Digest::ToBytes() const { return std::string(AsStringView()); }

base::Result<Digest> Digest::FromHex(std::string_view hex) {
  if (hex.size() != 2 * kSize) {
    return base::Status::InvalidArgument("SHA-256 のハッシュは 16 進数 64 文字ですが、" +
                                         std::to_string(hex.size()) + " 文字あります");
  }
  ASSIGN_OR_RETURN(const std::string raw, base::HexDecode(hex));
  return FromBytes(raw);
}

base::Result<Digest> Digest::FromBytes(std::string_view raw) {
  if (raw.size() != kSize) {
    return base::Status::InvalidArgument("SHA-256 のハッシュは 32 バイトですが、" +
                                         std::to_string(raw.size()) + " バイトあります");
  }
  Digest d;
  for (size_t i = 0; i < kSize; ++i) d.bytes[i] = static_cast<uint8_t>(raw[i]);
  return d;
}

// Botan::SHA_256 is used directly rather than through HashFunction::create()
// (no registry lookup), and one per thread is reused: constructing one
// allocates its buffers from Botan's locked memory pool, which behind a
// mutex cost more than hashing a short record. final() resets the state.
// Hashing never throws.
Digest Sha256Concat(std::initializer_list<std::string_view> parts) {
  thread_local Botan::SHA_256 h;
  for (std::string_view p : parts) {
    h.update(reinterpret_cast<const uint8_t*>(p.data()), p.size());
  }
  Digest d;
  h.final(d.bytes.data());
  return d;
}

Digest Sha256(std::string_view data) { return Sha256Concat({data}); }

struct Sha256Hasher::Impl {
  Botan::SHA_256 hash;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {}
Sha256Hasher::~Sha256Hasher() = default;
Sha256Hasher::Sha256Hasher(Sha256Hasher&&) noexcept = default;
Sha256Hasher& Sha256Hasher::operator=(Sha256Hasher&&) noexcept = default;

void Sha256Hasher::Update(std::string_view data) {
  impl_->hash.update(reinterpret_cast<const uint8_t*>(data.data()),
                     data.size());
}

Digest Sha256Hasher::Finish() {
  Digest d;
  impl_->hash.final(d.bytes.data());  // final() also resets the state
  return d;
}

}  // namespace signing
