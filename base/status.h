// Status: the outcome of an operation that can fail, after leveldb's
// include/leveldb/status.h. OK is represented by an empty state, so the
// success path costs one pointer test. Errors carry a code and a message that
// names what failed, in Japanese because people read it
// ("invoice.pdf: ファイルが空です").
//
// Thread safety: a const Status may be read from many threads; mutation
// needs external synchronisation.
#ifndef BASE_STATUS_H_
#define BASE_STATUS_H_

#include <memory>
#include <string>
#include <string_view>

namespace base {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kCorruption,
    kInvalidArgument,
    kIOError,
    kFailedPrecondition,
    kPermissionDenied,
    kAlreadyExists,
    kResourceExhausted,  ///< too large, quota, map full after growth
    kUnavailable,        ///< a peer (TSA, ...) did not answer usefully
    kAborted,            ///< conflict: stale version, concurrent change
    kInternal,
  };

  Status() noexcept = default;
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }
  static Status NotFound(std::string_view msg) { return {Code::kNotFound, msg}; }
  static Status Corruption(std::string_view msg) { return {Code::kCorruption, msg}; }
  static Status InvalidArgument(std::string_view msg) {
    return {Code::kInvalidArgument, msg};
  }
  static Status IOError(std::string_view msg) { return {Code::kIOError, msg}; }
  static Status FailedPrecondition(std::string_view msg) {
    return {Code::kFailedPrecondition, msg};
  }
  static Status PermissionDenied(std::string_view msg) {
    return {Code::kPermissionDenied, msg};
  }
  static Status AlreadyExists(std::string_view msg) {
    return {Code::kAlreadyExists, msg};
  }
  static Status ResourceExhausted(std::string_view msg) {
    return {Code::kResourceExhausted, msg};
  }
  static Status Unavailable(std::string_view msg) { return {Code::kUnavailable, msg}; }
  static Status Aborted(std::string_view msg) { return {Code::kAborted, msg}; }
  static Status Internal(std::string_view msg) { return {Code::kInternal, msg}; }

  /// An error whose message is "context: " and Japanese text for err_no
  /// with its name ("…: ディスクの空き容量が不足しています (ENOSPC)", see
  /// base/errno_text.h). The code follows err_no: ENOENT NotFound,
  /// EACCES/EPERM PermissionDenied, EEXIST AlreadyExists, ENOSPC/EFBIG
  /// ResourceExhausted, anything else IOError.
  static Status FromErrno(std::string_view context, int err_no);

  bool ok() const { return state_ == nullptr; }
  Code code() const { return state_ ? state_->code : Code::kOk; }
  bool IsNotFound() const { return code() == Code::kNotFound; }
  bool IsCorruption() const { return code() == Code::kCorruption; }
  bool IsAlreadyExists() const { return code() == Code::kAlreadyExists; }
  bool IsInvalidArgument() const { return code() == Code::kInvalidArgument; }

  /// The message without the code name; empty for OK.
  const std::string& message() const;
  /// "NotFound: message", or "OK".
  std::string ToString() const;

  /// Returns a copy whose message is "context: message". OK stays OK.
  Status WithContext(std::string_view context) const;

  /// Spells out that an error is deliberately dropped, so grep finds it.
  void IgnoreError() const {}

 private:
  struct State {
    Code code;
    std::string message;
  };
  Status(Code code, std::string_view msg);

  std::unique_ptr<State> state_;
};

/// The name of a code, e.g. "NotFound".
std::string_view CodeName(Status::Code code);

}  // namespace base

#define KURA_STATUS_CONCAT_INNER_(a, b) a##b
#define KURA_STATUS_CONCAT_(a, b) KURA_STATUS_CONCAT_INNER_(a, b)

/// Evaluates expr (a Status); returns it from the enclosing function if not OK.
/// (The variable name is unique per use, so that nested uses inside lambdas
/// do not shadow each other.)
#define RETURN_IF_ERROR(expr) RETURN_IF_ERROR_IMPL_(KURA_STATUS_CONCAT_(kura_status_, __COUNTER__), expr)
#define RETURN_IF_ERROR_IMPL_(var, expr) \
  do {                                   \
    ::base::Status var = (expr);         \
    if (!var.ok()) return var;           \
  } while (0)

#endif  // BASE_STATUS_H_
