// Result<T>: a value or the Status that explains why there is none, after
// monero's src/common/expect.h (std::expected is C++23). Accessing the value
// of an error Result is a bug and aborts.
//
// Thread safety: as for T.
#ifndef BASE_RESULT_H_
#define BASE_RESULT_H_

#include <cassert>
#include <cstdlib>
#include <optional>
#include <utility>

#include "base/status.h"

namespace base {

template <class T>
class [[nodiscard]] Result {
 public:
  /// REQUIRES: !status.ok() (an OK Result needs a value).
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit
    if (status_.ok()) std::abort();
  }
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { return Checked(); }
  const T& value() const& { return const_cast<Result*>(this)->Checked(); }
  T&& value() && { return std::move(Checked()); }

  T& operator*() & { return Checked(); }
  const T& operator*() const& { return const_cast<Result*>(this)->Checked(); }
  T* operator->() { return &Checked(); }
  const T* operator->() const { return &const_cast<Result*>(this)->Checked(); }

  /// The status, or OK when there is a value; for use with RETURN_IF_ERROR.
  Status TakeStatus() && { return std::move(status_); }

 private:
  T& Checked() {
    if (!value_) std::abort();
    return *value_;
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace base

/// ASSIGN_OR_RETURN(lhs, expr): evaluates expr (a Result<T>); on error returns
/// its status from the enclosing function, else assigns the value to lhs
/// (which may be a declaration: `ASSIGN_OR_RETURN(auto x, F());`).
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(KURA_STATUS_CONCAT_(kura_result_, __COUNTER__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)      \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return std::move(tmp).TakeStatus(); \
  lhs = std::move(tmp).value()

#endif  // BASE_RESULT_H_
