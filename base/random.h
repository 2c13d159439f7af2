// Random: a small deterministic pseudo-random generator for non-cryptographic
// uses (demo data, tests, jitter), seeded explicitly so that runs repeat
// (leveldb util/random.h). splitmix64: the same seed gives the same sequence
// on every platform, unlike std::uniform_int_distribution.
//
// Never use it for keys, nonces or serial numbers: those come from the
// cryptographic generator in signing/.
//
// Thread safety: not thread-safe; one per thread.
#ifndef BASE_RANDOM_H_
#define BASE_RANDOM_H_

#include <cstdint>

namespace base {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n). REQUIRES: n > 0.
  uint64_t Uniform(uint64_t n) { return Next() % n; }
  /// Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Uniform(static_cast<uint64_t>(hi - lo) + 1));
  }
  /// True with probability 1/n.
  bool OneIn(uint64_t n) { return Uniform(n) == 0; }

 private:
  uint64_t state_;
};

}  // namespace base

#endif  // BASE_RANDOM_H_
