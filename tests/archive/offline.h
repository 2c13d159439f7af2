// What someone with access to the data directory, but not to kura, can do:
// edit an LMDB table directly; and what an auditor does afterwards: verify
// the archive from a read-only open. Shared by the tamper tests.
#ifndef TESTS_ARCHIVE_OFFLINE_H_
#define TESTS_ARCHIVE_OFFLINE_H_

#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "archive/archive.h"
#include "storage/lmdb_env.h"
#include "tests/fakes/test_util.h"

namespace archive {

/// Runs edit on one table of the data directory's catalog environment in one
/// transaction. REQUIRES: no archive is open for writing on it.
inline void EditTableOffline(
    const std::string& data_dir, const std::string& table,
    const std::function<base::Status(storage::WriteTxn&, const storage::Table&)>& edit) {
  auto env = storage::Env::Open(data_dir + "/catalog", {});
  ASSERT_OK(env);
  auto t = (*env)->OpenTable(table);
  ASSERT_OK(t);
  ASSERT_OK((*env)->Write([&](storage::WriteTxn& txn) { return edit(txn, *t); }));
}

/// Archive::Verify on a read-only open of options.data_dir.
inline VerifyReport VerifyReadOnly(ArchiveOptions options, base::FileSystem* fs,
                                   const base::Clock* clock) {
  options.read_only = true;
  auto a = Archive::Open(options, fs, clock);
  EXPECT_OK(a);
  if (!a.ok()) return VerifyReport{};
  auto r = (*a)->Verify();
  EXPECT_OK(r);
  return r.ok() ? *r : VerifyReport{};
}

}  // namespace archive

#endif  // TESTS_ARCHIVE_OFFLINE_H_
