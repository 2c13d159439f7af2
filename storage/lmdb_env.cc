#include "storage/lmdb_env.h"

#include <lmdb.h>

#include <algorithm>
#include <mutex>
#include <shared_mutex>

namespace storage {
namespace {

using base::Result;
using base::Status;

// Japanese text for an LMDB return code, with its name; errno values go
// through base::Status::FromErrno.
std::string LmdbText(int rc) {
  switch (rc) {
    case MDB_NOTFOUND:
      return "キーが見つかりません (MDB_NOTFOUND)";
    case MDB_KEYEXIST:
      return "キーが既に存在します (MDB_KEYEXIST)";
    case MDB_MAP_FULL:
      return "データベースの領域（マップサイズ）が満杯です (MDB_MAP_FULL)";
    case MDB_TXN_FULL:
      return "1 回の書き込みでの変更が多すぎます (MDB_TXN_FULL)";
    case MDB_DBS_FULL:
      return "テーブルの数が上限に達しました (MDB_DBS_FULL)";
    case MDB_READERS_FULL:
      return "同時に読み取っているプロセスやスレッドが多すぎます (MDB_READERS_FULL)";
    case MDB_CORRUPTED:
      return "データベースが壊れています (MDB_CORRUPTED)";
    case MDB_PAGE_NOTFOUND:
      return "データベースのページが見つかりません。データベースが壊れている可能性があります "
             "(MDB_PAGE_NOTFOUND)";
    case MDB_INVALID:
      return "LMDB のデータベースファイルではありません (MDB_INVALID)";
    case MDB_VERSION_MISMATCH:
      return "データベースを作成した LMDB とバージョンが一致しません (MDB_VERSION_MISMATCH)";
    case MDB_MAP_RESIZED:
      return "別のプロセスがデータベースの領域を拡張しました (MDB_MAP_RESIZED)";
    default:
      break;
  }
  return std::string("LMDB のエラーです（") + ::mdb_strerror(rc) + "、コード " +
         std::to_string(rc) + "）";
}

Status LmdbError(int rc, std::string_view context) {
  std::string msg(context);
  msg += ": ";
  msg += LmdbText(rc);
  switch (rc) {
    case MDB_NOTFOUND: return Status::NotFound(msg);
    case MDB_KEYEXIST: return Status::AlreadyExists(msg);
    case MDB_MAP_FULL:
    case MDB_TXN_FULL:
    case MDB_DBS_FULL:
    case MDB_READERS_FULL: return Status::ResourceExhausted(msg);
    case MDB_CORRUPTED:
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID: return Status::Corruption(msg);
    case MDB_VERSION_MISMATCH: return Status::FailedPrecondition(msg);
    default: break;
  }
  if (rc > 0) return Status::FromErrno(context, rc);
  return Status::IOError(msg);
}

MDB_val Val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view View(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

// Set by a WriteTxn operation that hit MDB_MAP_FULL, so that Env::Write
// grows the map and retries even when the callback rewrote the error.
thread_local bool t_map_full = false;

// True while this thread runs a write callback: a nested Write or
// OpenTable would wait forever for LMDB's writer lock.
thread_local bool t_in_write = false;

Status Checked(int rc, std::string_view context) {
  if (rc == MDB_SUCCESS) return Status::OK();
  if (rc == MDB_MAP_FULL) t_map_full = true;
  return LmdbError(rc, context);
}

}  // namespace

// ---- ReadTxn / WriteTxn ------------------------------------------------------

Result<std::string_view> ReadTxn::Get(const Table& table, std::string_view key) const {
  MDB_val k = Val(key), v;
  const int rc = ::mdb_get(txn_, table.dbi, &k, &v);
  if (rc == MDB_NOTFOUND) {
    return Status::NotFound("テーブル " + table.name + " に該当するキーがありません");
  }
  if (rc != MDB_SUCCESS) return LmdbError(rc, "テーブル " + table.name + " の読み取り");
  return View(v);
}

Result<uint64_t> ReadTxn::Count(const Table& table) const {
  MDB_stat st;
  const int rc = ::mdb_stat(txn_, table.dbi, &st);
  if (rc != MDB_SUCCESS) return LmdbError(rc, "テーブル " + table.name + " の件数の取得");
  return static_cast<uint64_t>(st.ms_entries);
}

std::optional<uint64_t> ReadTxn::snapshot_id() const {
  if (writes_) return std::nullopt;
  return static_cast<uint64_t>(::mdb_txn_id(txn_));
}

Result<Cursor> ReadTxn::NewCursor(const Table& table) const {
  MDB_cursor* c = nullptr;
  const int rc = ::mdb_cursor_open(txn_, table.dbi, &c);
  if (rc != MDB_SUCCESS) return LmdbError(rc, "テーブル " + table.name + " のカーソルの作成");
  return Cursor(c);
}

Status WriteTxn::Put(const Table& table, std::string_view key, std::string_view value) {
  MDB_val k = Val(key), v = Val(value);
  RETURN_IF_ERROR(
      Checked(::mdb_put(txn_, table.dbi, &k, &v, 0), "テーブル " + table.name + " への書き込み"));
  Notify(table, key, value);
  return Status::OK();
}

Status WriteTxn::Insert(const Table& table, std::string_view key, std::string_view value) {
  MDB_val k = Val(key), v = Val(value);
  const int rc = ::mdb_put(txn_, table.dbi, &k, &v, MDB_NOOVERWRITE);
  if (rc == MDB_KEYEXIST) {
    return Status::AlreadyExists("テーブル " + table.name + " に同じキーが既にあります");
  }
  RETURN_IF_ERROR(Checked(rc, "テーブル " + table.name + " への追加"));
  Notify(table, key, value);
  return Status::OK();
}

Status WriteTxn::Append(const Table& table, std::string_view key, std::string_view value) {
  MDB_val k = Val(key), v = Val(value);
  const int rc = ::mdb_put(txn_, table.dbi, &k, &v, MDB_APPEND);
  if (rc == MDB_KEYEXIST) {
    return Status::InvalidArgument("テーブル " + table.name + " への追記: キーが順に並んでいません");
  }
  RETURN_IF_ERROR(Checked(rc, "テーブル " + table.name + " への追記"));
  Notify(table, key, value);
  return Status::OK();
}

Status WriteTxn::Delete(const Table& table, std::string_view key) {
  MDB_val k = Val(key);
  const int rc = ::mdb_del(txn_, table.dbi, &k, nullptr);
  if (rc == MDB_NOTFOUND) {
    return Status::NotFound("テーブル " + table.name + " に該当するキーがありません");
  }
  RETURN_IF_ERROR(Checked(rc, "テーブル " + table.name + " からの削除"));
  Notify(table, key, std::nullopt);
  return Status::OK();
}

Status WriteTxn::Nested(const std::function<Status(WriteTxn&)>& fn) {
  MDB_txn* raw = nullptr;
  RETURN_IF_ERROR(Checked(::mdb_txn_begin(::mdb_txn_env(txn_), txn_, 0, &raw),
                          "入れ子の書き込みトランザクションの開始"));
  // Aborts the child if fn throws, as Env::Write does for the parent.
  struct AbortOnUnwind {
    MDB_txn* txn;
    ~AbortOnUnwind() {
      if (txn) ::mdb_txn_abort(txn);
    }
  } guard{raw};
  WriteTxn child(raw);
  const Status status = fn(child);
  guard.txn = nullptr;
  if (!status.ok() || t_map_full) {
    ::mdb_txn_abort(raw);
    return status.ok() ? Status::ResourceExhausted("データベース（catalog）の領域が満杯です")
                       : status;
  }
  return Checked(::mdb_txn_commit(raw), "入れ子の書き込みトランザクションの確定");
}

// ---- Cursor --------------------------------------------------------------------

Cursor::Cursor(Cursor&& o) noexcept
    : cursor_(std::exchange(o.cursor_, nullptr)),
      valid_(o.valid_),
      key_(o.key_),
      value_(o.value_),
      status_(std::move(o.status_)) {}

Cursor& Cursor::operator=(Cursor&& o) noexcept {
  if (this != &o) {
    if (cursor_) ::mdb_cursor_close(cursor_);
    cursor_ = std::exchange(o.cursor_, nullptr);
    valid_ = o.valid_;
    key_ = o.key_;
    value_ = o.value_;
    status_ = std::move(o.status_);
  }
  return *this;
}

Cursor::~Cursor() {
  if (cursor_) ::mdb_cursor_close(cursor_);
}

bool Cursor::Move(int op, std::string_view seek_key) {
  MDB_val k = Val(seek_key), v{0, nullptr};
  const int rc = ::mdb_cursor_get(cursor_, &k, &v, static_cast<MDB_cursor_op>(op));
  if (rc == MDB_SUCCESS) {
    valid_ = true;
    key_ = View(k);
    value_ = View(v);
    return true;
  }
  valid_ = false;
  key_ = value_ = {};
  if (rc != MDB_NOTFOUND) status_ = LmdbError(rc, "カーソルの移動");
  return false;
}

bool Cursor::First() { return Move(MDB_FIRST); }
bool Cursor::Last() { return Move(MDB_LAST); }
bool Cursor::Seek(std::string_view key) { return Move(MDB_SET_RANGE, key); }
bool Cursor::Next() { return Move(MDB_NEXT); }
bool Cursor::Prev() { return Move(MDB_PREV); }

// ---- Env -------------------------------------------------------------------------

struct Env::Rep {
  MDB_env* env = nullptr;
  EnvOptions options;
  std::mutex write_mu;                 // one writer at a time in this process
  mutable std::shared_mutex resize_mu;  // exclusive only while the map is resized
  uint64_t map_size = 0;                // GUARDED_BY(resize_mu)

  ~Rep() {
    if (env) ::mdb_env_close(env);
  }

  // Adopts a size set by another process, or grows ours. REQUIRES: resize_mu
  // held exclusively (no transaction of this process is active).
  Status SetMapSize(uint64_t size) {
    const int rc = ::mdb_env_set_mapsize(env, size);
    if (rc != MDB_SUCCESS) return LmdbError(rc, "データベース（catalog）の領域の拡張");
    MDB_envinfo info;
    ::mdb_env_info(env, &info);
    map_size = info.me_mapsize;
    return Status::OK();
  }

  // After a commit with id id: with defer_meta_sync, either flushes its meta
  // page (a plain Write) or hands the id to the caller (WriteDeferred).
  // Nothing to flush when the commit wrote nothing: then no meta page with
  // id is ever written, and the latest is older.
  Status Committed(uint64_t id, bool defer, uint64_t* txnid) {
    if (!options.defer_meta_sync) return Status::OK();
    MDB_envinfo info;
    ::mdb_env_info(env, &info);
    if (info.me_last_txnid < id) return Status::OK();
    if (defer) {
      *txnid = id;
      return Status::OK();
    }
    const int rc = ::mdb_env_sync(env, 1);
    return rc == MDB_SUCCESS
               ? Status::OK()
               : LmdbError(rc, "データベース（catalog）のディスクへの書き出し");
  }

  // Begins a transaction, adopting a map grown by another process.
  Status Begin(unsigned flags, MDB_txn** txn, std::shared_lock<std::shared_mutex>* lock) {
    for (int attempt = 0;; ++attempt) {
      const int rc = ::mdb_txn_begin(env, nullptr, flags, txn);
      if (rc == MDB_SUCCESS) return Status::OK();
      if (rc != MDB_MAP_RESIZED || attempt > 2) {
        return LmdbError(rc, "データベース（catalog）のトランザクションの開始");
      }
      lock->unlock();
      {
        std::unique_lock<std::shared_mutex> excl(resize_mu);
        RETURN_IF_ERROR(SetMapSize(0));
      }
      lock->lock();
    }
  }
};

Env::Env(std::string dir, std::unique_ptr<Rep> rep) : dir_(std::move(dir)), rep_(std::move(rep)) {}
Env::~Env() = default;

Result<std::unique_ptr<Env>> Env::Open(const std::string& dir, const EnvOptions& options) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  int rc = ::mdb_env_create(&rep->env);
  if (rc != MDB_SUCCESS) return LmdbError(rc, dir);
  ::mdb_env_set_maxdbs(rep->env, options.max_tables);
  ::mdb_env_set_mapsize(rep->env, options.initial_map_size);
  // MDB_NOTLS: reader slots belong to transactions, not threads, so server
  // thread pools may run one read transaction per request safely.
  unsigned flags = MDB_NOTLS;
  if (options.read_only) flags |= MDB_RDONLY;
  if (options.defer_meta_sync && !options.read_only) flags |= MDB_NOMETASYNC;
  rc = ::mdb_env_open(rep->env, dir.c_str(), flags, 0640);
  if (rc != MDB_SUCCESS) return LmdbError(rc, dir);
  // Several kura processes may share the environment; free the reader
  // slots of any that died holding one (lmdb.h, mdb_reader_check).
  int dead = 0;
  ::mdb_reader_check(rep->env, &dead);
  MDB_envinfo info;
  ::mdb_env_info(rep->env, &info);
  rep->map_size = info.me_mapsize;
  return std::unique_ptr<Env>(new Env(dir, std::move(rep)));
}

Result<Table> Env::OpenTable(const std::string& name) {
  if (t_in_write) {
    return Status::FailedPrecondition(
        "書き込みトランザクションの中ではテーブルを開けません（プログラムの誤りです）");
  }
  std::shared_lock<std::shared_mutex> lock(rep_->resize_mu);
  MDB_txn* txn = nullptr;
  const bool ro = rep_->options.read_only;
  RETURN_IF_ERROR(rep_->Begin(ro ? MDB_RDONLY : 0, &txn, &lock));
  MDB_dbi dbi;
  int rc = ::mdb_dbi_open(txn, name.c_str(), ro ? 0 : MDB_CREATE, &dbi);
  if (rc != MDB_SUCCESS) {
    ::mdb_txn_abort(txn);
    if (rc == MDB_NOTFOUND) {
      return Status::NotFound("データベース（catalog）にテーブル " + name + " がありません");
    }
    return LmdbError(rc, "テーブル " + name + " を開く処理");
  }
  rc = ::mdb_txn_commit(txn);
  if (rc == MDB_SUCCESS && !ro && rep_->options.defer_meta_sync) rc = ::mdb_env_sync(rep_->env, 1);
  if (rc != MDB_SUCCESS) return LmdbError(rc, "テーブル " + name + " を開く処理");
  return Table{dbi, name};
}

Result<std::vector<std::string>> Env::TableNames() const {
  std::vector<std::string> names;
  RETURN_IF_ERROR(Read([&](const ReadTxn& txn) -> Status {
    // The unnamed main database holds one key per named table.
    MDB_dbi main;
    RETURN_IF_ERROR(Checked(::mdb_dbi_open(txn.txn_, nullptr, 0, &main), "テーブル一覧の読み取り"));
    ASSIGN_OR_RETURN(Cursor c, txn.NewCursor(Table{main, "(main)"}));
    for (bool ok = c.First(); ok; ok = c.Next()) names.emplace_back(c.key());
    return c.status();
  }));
  return names;
}

Status Env::Write(const std::function<Status(WriteTxn&)>& fn) {
  uint64_t txnid = 0;
  return Commit(fn, /*defer=*/false, &txnid);
}

Status Env::WriteDeferred(const std::function<Status(WriteTxn&)>& fn, uint64_t* txnid) {
  return Commit(fn, /*defer=*/true, txnid);
}

uint64_t Env::LastCommitted() const {
  MDB_envinfo info;
  ::mdb_env_info(rep_->env, &info);
  return info.me_last_txnid;
}

Result<uint64_t> Env::Sync() {
  // Every commit whose meta page is written by now is flushed by the
  // fdatasync below.
  const uint64_t through = LastCommitted();
  const int rc = ::mdb_env_sync(rep_->env, 1);
  if (rc != MDB_SUCCESS) return LmdbError(rc, "データベース（catalog）のディスクへの書き出し");
  return through;
}

Status Env::Commit(const std::function<Status(WriteTxn&)>& fn, bool defer, uint64_t* txnid) {
  *txnid = 0;
  if (rep_->options.read_only) {
    return Status::FailedPrecondition(
        "データベース（catalog）は読み取り専用で開かれているため書き込めません");
  }
  if (t_in_write) {
    return Status::FailedPrecondition(
        "書き込みトランザクションを入れ子にはできません（プログラムの誤りです）");
  }
  std::lock_guard<std::mutex> writer(rep_->write_mu);
  struct InWrite {
    InWrite() { t_in_write = true; }
    ~InWrite() { t_in_write = false; }
  } in_write;
  for (;;) {
    bool map_full = false;
    Status status;
    {
      std::shared_lock<std::shared_mutex> lock(rep_->resize_mu);
      MDB_txn* raw = nullptr;
      RETURN_IF_ERROR(rep_->Begin(0, &raw, &lock));
      // Aborts the transaction if fn throws (a bug, but it must not leave
      // LMDB's writer lock held for ever).
      struct AbortOnUnwind {
        MDB_txn* txn;
        ~AbortOnUnwind() {
          if (txn) ::mdb_txn_abort(txn);
        }
      } guard{raw};
      t_map_full = false;
      WriteTxn txn(raw);
      status = fn(txn);
      map_full = t_map_full;
      guard.txn = nullptr;
      if (status.ok() && !map_full) {
        // LMDB frees the transaction whether or not the commit succeeds.
        const uint64_t id = ::mdb_txn_id(raw);
        const int rc = ::mdb_txn_commit(raw);
        if (rc == MDB_SUCCESS) return rep_->Committed(id, defer, txnid);
        if (rc != MDB_MAP_FULL) return LmdbError(rc, "データベース（catalog）への書き込みの確定");
        map_full = true;
      } else {
        ::mdb_txn_abort(raw);
      }
    }
    if (!map_full) return status;
    std::unique_lock<std::shared_mutex> excl(rep_->resize_mu);
    if (rep_->map_size >= rep_->options.max_map_size) {
      return Status::ResourceExhausted("データベース（catalog）が満杯です: 領域の上限 " +
                                       std::to_string(rep_->options.max_map_size) +
                                       " バイトに達しました");
    }
    RETURN_IF_ERROR(
        rep_->SetMapSize(std::min(rep_->map_size * 2, rep_->options.max_map_size)));
  }
}

Status Env::Read(const std::function<Status(const ReadTxn&)>& fn) const {
  std::shared_lock<std::shared_mutex> lock(rep_->resize_mu);
  MDB_txn* raw = nullptr;
  RETURN_IF_ERROR(rep_->Begin(MDB_RDONLY, &raw, &lock));
  struct Aborter {
    MDB_txn* txn;
    ~Aborter() { ::mdb_txn_abort(txn); }
  } aborter{raw};
  ReadTxn txn(raw);
  return fn(txn);
}

bool Env::read_only() const { return rep_->options.read_only; }

uint64_t Env::map_size() const {
  std::shared_lock<std::shared_mutex> lock(rep_->resize_mu);
  return rep_->map_size;
}

}  // namespace storage
