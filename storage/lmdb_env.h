// Env: an LMDB environment (one directory holding data.mdb and lock.mdb) with
// RAII transactions that never escape a callback.
//
//   env->Write([&](storage::WriteTxn& txn) { return txn.Put(table, k, v); });
//   env->Read([&](const storage::ReadTxn& txn) { ... });
//
// A write transaction is committed when the callback returns OK and aborted
// otherwise. When LMDB reports MDB_MAP_FULL the map is grown (doubled, up to
// EnvOptions::max_map_size) and the callback runs again from the start, so a
// callback must keep no state between attempts (Trillian's
// ReadWriteTransaction; monero's database::try_write). Commits are durable:
// LMDB fsyncs the data and meta pages before Write returns OK.
//
// Group commit (EnvOptions::defer_meta_sync): LMDB opens with MDB_NOMETASYNC,
// so a commit flushes its data pages (fdatasync) and then only writes the
// meta page that makes it current. Write still flushes that meta page before
// it returns; WriteDeferred does not, and tells the caller the commit's
// transaction id instead. The commit is durable once LastCommitted() is
// greater than that id — a later commit by any process flushed the data file
// after the meta page was written — or after Sync(). A crash before then
// loses the commit as a whole, never half of it (lmdb.h, MDB_NOMETASYNC).
//
// Thread safety: an Env is safe for concurrent use. Writers are serialised;
// readers run concurrently with each other and with the writer. Transactions
// and cursors belong to the callback's thread and must not leave it (LMDB
// Caveats in lmdb.h): keep callbacks short and do slow work before them.
#ifndef STORAGE_LMDB_ENV_H_
#define STORAGE_LMDB_ENV_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct MDB_env;
struct MDB_txn;
struct MDB_cursor;

namespace storage {

struct EnvOptions {
  uint64_t initial_map_size = uint64_t{256} << 20;  ///< 256 MiB
  uint64_t max_map_size = uint64_t{1} << 40;        ///< 1 TiB
  unsigned max_tables = 64;
  bool read_only = false;
  /// Opens with MDB_NOMETASYNC for WriteDeferred (see the file comment).
  bool defer_meta_sync = false;
};

/// A named table (an LMDB sub-database). Cheap to copy; valid for the life of
/// the Env that opened it.
struct Table {
  unsigned dbi = 0;
  std::string name;
};

class Cursor;

/// A read-only view of the environment at one point in time.
class ReadTxn {
 public:
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;

  /// The value stored under key. The view stays valid until the transaction
  /// ends (and, in a WriteTxn, until the next change). NotFound if absent.
  base::Result<std::string_view> Get(const Table& table, std::string_view key) const;
  /// Number of entries in the table.
  base::Result<uint64_t> Count(const Table& table) const;
  /// A cursor over the table; it must not outlive this transaction.
  base::Result<Cursor> NewCursor(const Table& table) const;
  /// The snapshot a read-only transaction reads: the id of the last write
  /// transaction committed before it began (by any process), so two read
  /// transactions with the same id see the same data. nullopt in a write
  /// transaction, whose data is not a committed snapshot (it may abort).
  std::optional<uint64_t> snapshot_id() const;

 protected:
  explicit ReadTxn(MDB_txn* txn, bool writes = false) : txn_(txn), writes_(writes) {}
  ~ReadTxn() = default;
  MDB_txn* txn_;
  bool writes_;

  friend class Env;
};

class WriteTxn final : public ReadTxn {
 public:
  /// Stores value under key, replacing any value there.
  base::Status Put(const Table& table, std::string_view key, std::string_view value);
  /// Stores value under key; AlreadyExists if the key is present.
  base::Status Insert(const Table& table, std::string_view key, std::string_view value);
  /// Stores value under key, which must sort after every key already in
  /// the table (LMDB's MDB_APPEND: pages are filled, no search): a bulk
  /// load of sorted data. InvalidArgument if key does not sort last.
  base::Status Append(const Table& table, std::string_view key, std::string_view value);
  /// Removes key; NotFound if absent.
  base::Status Delete(const Table& table, std::string_view key);

  /// Called after each successful Put or Insert (with the value) and Delete
  /// (with nullopt) made through this transaction.
  using Observer = std::function<void(const Table& table, std::string_view key,
                                      std::optional<std::string_view> value)>;
  /// Watches the changes from now on (nullptr: stop). The observer must
  /// outlive the watching. For a layer that must account for every change
  /// made on its behalf (archive::Archive::Write).
  void SetObserver(const Observer* observer) { observer_ = observer; }

  /// Runs fn in a transaction nested in this one (LMDB child transaction):
  /// its changes become part of this transaction if fn returns OK, and are
  /// undone, leaving this one as it was, if fn fails. This transaction must
  /// not be used while fn runs. The nested transaction starts without an
  /// observer. For grouping independent writers into one commit, each able
  /// to fail on its own (ledger's writer queue).
  base::Status Nested(const std::function<base::Status(WriteTxn&)>& fn);

 private:
  explicit WriteTxn(MDB_txn* txn) : ReadTxn(txn, /*writes=*/true) {}
  void Notify(const Table& table, std::string_view key, std::optional<std::string_view> value) {
    if (observer_) (*observer_)(table, key, value);
  }
  const Observer* observer_ = nullptr;
  friend class Env;
};

/// Iterates a table in key order (bytewise). Position methods return false
/// when there is no such entry (end of table) or on error; status() tells
/// which.
class Cursor {
 public:
  Cursor(Cursor&& other) noexcept;
  Cursor& operator=(Cursor&& other) noexcept;
  ~Cursor();

  bool First();
  bool Last();
  /// Positions at the first key >= key.
  bool Seek(std::string_view key);
  bool Next();
  bool Prev();

  bool Valid() const { return valid_; }
  /// REQUIRES: Valid(). Views valid until the cursor moves or the txn ends.
  std::string_view key() const { return key_; }
  std::string_view value() const { return value_; }
  const base::Status& status() const { return status_; }

 private:
  friend class ReadTxn;
  explicit Cursor(MDB_cursor* cursor) : cursor_(cursor) {}
  bool Move(int op, std::string_view seek_key = {});

  MDB_cursor* cursor_ = nullptr;
  bool valid_ = false;
  std::string_view key_, value_;
  base::Status status_;
};

class Env {
 public:
  /// Opens (creating if needed, unless read_only) the environment in dir,
  /// which must exist. A read-only open of a missing environment is NotFound.
  static base::Result<std::unique_ptr<Env>> Open(const std::string& dir,
                                                 const EnvOptions& options);
  ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  /// Opens a named table, creating it unless the Env is read-only (then a
  /// missing table is NotFound). Call at start-up, before concurrent use.
  base::Result<Table> OpenTable(const std::string& name);
  /// The names of all tables in the environment, in bytewise order.
  base::Result<std::vector<std::string>> TableNames() const;

  /// Runs fn in a write transaction; see the file comment. Returns fn's error,
  /// or an error from LMDB (ResourceExhausted when the map cannot grow
  /// further, IOError when the commit fails). FailedPrecondition on a
  /// read-only Env, and for a Write or OpenTable from inside fn (which
  /// would otherwise wait forever for LMDB's writer lock).
  base::Status Write(const std::function<base::Status(WriteTxn&)>& fn);
  /// As Write, but with EnvOptions::defer_meta_sync the meta page is left
  /// for a later commit or Sync to flush: *txnid is the committed
  /// transaction's id, durable once LastCommitted() > *txnid, or 0 when the
  /// commit wrote nothing (or the Env syncs every commit itself).
  base::Status WriteDeferred(const std::function<base::Status(WriteTxn&)>& fn,
                             uint64_t* txnid);
  /// The id of the latest transaction committed by any process sharing the
  /// environment.
  uint64_t LastCommitted() const;
  /// Flushes the data file. Returns the id through which every commit is
  /// durable.
  base::Result<uint64_t> Sync();
  /// Runs fn in a read transaction and returns its status.
  base::Status Read(const std::function<base::Status(const ReadTxn&)>& fn) const;

  uint64_t map_size() const;
  bool read_only() const;
  const std::string& dir() const { return dir_; }

 private:
  struct Rep;
  Env(std::string dir, std::unique_ptr<Rep> rep);
  base::Status Commit(const std::function<base::Status(WriteTxn&)>& fn, bool defer,
                      uint64_t* txnid);
  std::string dir_;
  std::unique_ptr<Rep> rep_;
};

}  // namespace storage

#endif  // STORAGE_LMDB_ENV_H_
