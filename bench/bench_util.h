// Small helpers shared by the bench/ programs: wall-clock timing and running
// a peer command. Benchmarks print their figure next to a peer measured in
// the same run, because this machine is shared and noisy.
#ifndef BENCH_BENCH_UTIL_H_
#define BENCH_BENCH_UTIL_H_

#include <chrono>
#include <cstdlib>
#include <string>

namespace bench {

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_;
};

/// Runs a shell command and returns its wall time in seconds, or a negative
/// number if it failed.
inline double TimeCommand(const std::string& command) {
  Stopwatch w;
  const int rc = std::system(command.c_str());
  return rc == 0 ? w.Seconds() : -1;
}

}  // namespace bench

#endif  // BENCH_BENCH_UTIL_H_
