// Helpers shared by every test binary: status assertions, scratch
// directories, the shared sample invoices.
#ifndef TESTS_FAKES_TEST_UTIL_H_
#define TESTS_FAKES_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "base/result.h"
#include "base/status.h"

#define ASSERT_OK(expr) ASSERT_TRUE(::kura_test::IsOk(expr))
#define EXPECT_OK(expr) EXPECT_TRUE(::kura_test::IsOk(expr))

namespace kura_test {

inline base::Status ToStatus(const base::Status& s) { return s; }
template <class T>
base::Status ToStatus(const base::Result<T>& r) {
  return r.ok() ? base::Status::OK() : r.status();
}
/// For ASSERT_OK/EXPECT_OK: success, or a failure that prints the status.
template <class T>
::testing::AssertionResult IsOk(const T& status_or_result) {
  const base::Status s = ToStatus(status_or_result);
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s.ToString();
}

/// A fresh directory under $TMPDIR (or /tmp), removed with its contents when
/// the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// ../shared/samples (or $KURA_SAMPLES_DIR) + "/" + relative.
std::string SamplePath(const std::string& relative);
/// Reads a whole file; fails the current test if it cannot.
std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& data);
/// Runs a shell command, returns its exit status and (stdout) output.
int RunCommand(const std::string& command, std::string* output);

}  // namespace kura_test

#endif  // TESTS_FAKES_TEST_UTIL_H_
