#include "storage/key_codec.h"

namespace storage {
namespace {
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

void PutBigEndian(std::string* out, u128 v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
}  // namespace

KeyEncoder& KeyEncoder::U32(uint32_t v) {
  PutBigEndian(&key_, v, 4);
  return *this;
}

KeyEncoder& KeyEncoder::U64(uint64_t v) {
  PutBigEndian(&key_, v, 8);
  return *this;
}

KeyEncoder& KeyEncoder::I64(int64_t v) {
  PutBigEndian(&key_, static_cast<uint64_t>(v) ^ (uint64_t{1} << 63), 8);
  return *this;
}

KeyEncoder& KeyEncoder::String(std::string_view s) {
  for (char c : s) {
    key_.push_back(c);
    if (c == '\0') key_.push_back('\xff');
  }
  key_.push_back('\0');
  key_.push_back('\x01');
  return *this;
}

KeyEncoder& KeyEncoder::Decimal(const base::Decimal& d) {
  i128 v = d.mantissa();
  for (int s = d.scale(); s < base::Decimal::kMaxScale; ++s) v *= 10;
  PutBigEndian(&key_, static_cast<u128>(v) ^ (u128{1} << 127), 16);
  return *this;
}

KeyEncoder& KeyEncoder::Raw(std::string_view bytes) {
  key_.append(bytes);
  return *this;
}

bool KeyDecoder::U32(uint32_t* v) {
  uint64_t x;
  if (rest_.size() < 4) return false;
  x = 0;
  for (int i = 0; i < 4; ++i) x = x << 8 | static_cast<unsigned char>(rest_[i]);
  rest_.remove_prefix(4);
  *v = static_cast<uint32_t>(x);
  return true;
}

bool KeyDecoder::U64(uint64_t* v) {
  if (rest_.size() < 8) return false;
  uint64_t x = 0;
  for (int i = 0; i < 8; ++i) x = x << 8 | static_cast<unsigned char>(rest_[i]);
  rest_.remove_prefix(8);
  *v = x;
  return true;
}

bool KeyDecoder::I64(int64_t* v) {
  uint64_t u;
  if (!U64(&u)) return false;
  *v = static_cast<int64_t>(u ^ (uint64_t{1} << 63));
  return true;
}

bool KeyDecoder::String(std::string* s) {
  std::string out;
  for (size_t i = 0; i < rest_.size(); ++i) {
    if (rest_[i] != '\0') {
      out.push_back(rest_[i]);
      continue;
    }
    if (i + 1 >= rest_.size()) return false;
    if (rest_[i + 1] == '\x01') {
      rest_.remove_prefix(i + 2);
      *s = std::move(out);
      return true;
    }
    if (rest_[i + 1] != '\xff') return false;
    out.push_back('\0');
    ++i;
  }
  return false;
}

std::string PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty()) {
    if (static_cast<unsigned char>(s.back()) != 0xff) {
      s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
      return s;
    }
    s.pop_back();
  }
  return s;
}

}  // namespace storage
