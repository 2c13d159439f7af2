// ParallelFor: runs fn(i) for i in [0, n) on up to `max_threads` threads
// (the calling thread included when there is only one). For the slow,
// independent per-item work of ingest and verify: hashing, reading,
// time-stamping, decoding events.
#ifndef BASE_PARALLEL_H_
#define BASE_PARALLEL_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace base {

template <class Fn>
void ParallelFor(size_t n, Fn fn, unsigned max_threads = 4) {
  const size_t workers = std::min<size_t>(
      n, std::max(1u, std::min(max_threads, std::thread::hardware_concurrency())));
  if (workers <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  pool.reserve(workers);
  for (size_t w = 0; w < workers; ++w) {
    pool.emplace_back([&] {
      for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
    });
  }
  for (auto& t : pool) t.join();
}

}  // namespace base

#endif  // BASE_PARALLEL_H_
