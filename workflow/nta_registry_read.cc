// Reading the 公表サイト's bulk download (nta_registry.h): ZIP through
// libarchive, CSV through libcsv fed one physical line at a time (so every
// record knows its line), the kept columns packed into RegistryRows.
#include <archive.h>
#include <archive_entry.h>
#include <csv.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "base/registration_number.h"
#include "base/text.h"
#include "base/status.h"
#include "base/utf8.h"
#include "signing/sha256.h"
#include "workflow/internal/registry_codec.h"
#include "workflow/nta_registry.h"

namespace workflow {
namespace {

using base::Status;

// Columns (0-based) of the published layout that kura reads.
enum Column : size_t {
  kSequence = 0,
  kNumber = 1,
  kProcess = 2,
  kKind = 4,
  kLatest = 6,
  kRegistered = 7,
  kUpdated = 8,
  kCancelled = 9,
  kExpired = 10,
  kAddress = 11,
  kAddressRequest = 14,
  kKana = 17,
  kName = 18,
  kMinColumns = 19,
};

bool IsDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool IsProcess(std::string_view s) {
  return s == "01" || s == "02" || s == "03" || s == "04" || s == "99";
}

// Control characters become spaces (the stored form separates with 0x1F).
std::string Clean(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

// The reason a record cannot be taken, or "" and *e filled.
std::string ToEntry(const std::vector<std::string>& f, size_t n, RegistryEntry* e) {
  if (n < kMinColumns) {
    return std::to_string(n) + " 列しかありません（氏名又は名称まで少なくとも 19 列が必要です）";
  }
  if (!base::LooksLikeRegistrationNumber(f[kNumber])) {
    return "登録番号「" + base::PrintableText(f[kNumber]) + "」が T と 13 桁の数字ではありません";
  }
  if (!IsProcess(f[kProcess])) {
    return "事業者処理区分「" + base::PrintableText(f[kProcess]) +
           "」が 01・02・03・04・99 のどれでもありません";
  }
  const bool deleted = f[kProcess] == "99";
  if (!IsDate(f[kRegistered]) && !deleted) {
    return "登録年月日「" + base::PrintableText(f[kRegistered]) + "」が YYYY-MM-DD の日付ではありません";
  }
  for (size_t c : {kUpdated, kCancelled, kExpired}) {
    if (!f[c].empty() && !IsDate(f[c])) {
      return "日付「" + base::PrintableText(f[c]) + "」（" + std::to_string(c + 1) +
             " 列目）が YYYY-MM-DD の日付ではありません";
    }
  }
  for (size_t c : {kAddress, kAddressRequest, kKana, kName}) {
    if (!base::IsValidUtf8(f[c])) return "UTF-8 として読めないバイトがあります";
  }
  e->number = f[kNumber];
  e->process = f[kProcess];
  e->kind = f[kKind];
  e->latest = f[kLatest] != "0";
  e->registered = f[kRegistered];
  e->updated = f[kUpdated];
  e->cancelled = f[kCancelled];
  e->expired = f[kExpired];
  e->address = Clean(f[kAddress].empty() ? f[kAddressRequest] : f[kAddress]);
  e->kana = Clean(f[kKana]);
  e->name = Clean(f[kName]);
  e->sequence = std::strtoull(f[kSequence].c_str(), nullptr, 10);
  return "";
}

class CsvReader {
 public:
  CsvReader(std::string file, RegistryRows* rows, std::vector<RegistryRowError>* errors,
            RegistryFileInfo* info)
      : file_(std::move(file)), rows_(rows), errors_(errors), info_(info), fields_(32) {
    Init();
  }
  ~CsvReader() { ::csv_free(&p_); }
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  void Read(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    int line_no = 0;
    for (size_t pos = 0; pos < bytes.size();) {
      size_t end = bytes.find('\n', pos);
      end = end == std::string_view::npos ? bytes.size() : end + 1;
      ++line_no;
      if (at_boundary_) {
        record_line_ = line_no;
        at_boundary_ = false;
      }
      const size_t len = end - pos;
      if (::csv_parse(&p_, bytes.data() + pos, len, &Field, &End, this) != len) {
        Fail("引用符（\"）の使い方が CSV の規則に合いません");
        ::csv_free(&p_);
        Init();
      }
      pos = end;
    }
    if (::csv_fini(&p_, &Field, &End, this) != 0) {
      Fail("引用符（\"）が閉じられないままファイルが終わっています");
    }
  }

 private:
  void Init() {
    ::csv_init(&p_, CSV_STRICT | CSV_STRICT_FINI);
    n_ = 0;
    at_boundary_ = true;
  }
  static void Field(void* s, size_t len, void* data) {
    auto* r = static_cast<CsvReader*>(data);
    if (r->n_ < r->fields_.size()) r->fields_[r->n_].assign(static_cast<const char*>(s), len);
    ++r->n_;
  }
  static void End(int, void* data) {
    auto* r = static_cast<CsvReader*>(data);
    const std::string reason = ToEntry(r->fields_, r->n_, &r->entry_);
    if (reason.empty()) {
      r->rows_->Add(r->entry_);
      ++r->info_->rows;
    } else {
      r->Fail(reason);
    }
    r->n_ = 0;
    r->at_boundary_ = true;
  }
  void Fail(std::string message) {
    errors_->push_back({file_, record_line_, std::move(message)});
    ++info_->errors;
    n_ = 0;
    at_boundary_ = true;
  }

  std::string file_;
  RegistryRows* rows_;
  std::vector<RegistryRowError>* errors_;
  RegistryFileInfo* info_;
  struct csv_parser p_;
  std::vector<std::string> fields_;
  size_t n_ = 0;
  bool at_boundary_ = true;
  int record_line_ = 0;
  RegistryEntry entry_;
};

bool EndsWithCsv(std::string_view name) {
  if (name.size() < 4) return false;
  std::string tail(name.substr(name.size() - 4));
  std::transform(tail.begin(), tail.end(), tail.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return tail == ".csv";
}

Status ReadZip(std::string_view name, std::string_view bytes, RegistryRows* rows,
               std::vector<RegistryRowError>* errors, RegistryFileInfo* info) {
  struct archive* a = ::archive_read_new();
  std::unique_ptr<struct archive, int (*)(struct archive*)> owner(a, ::archive_read_free);
  ::archive_read_support_format_zip(a);
  if (::archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    return Status::InvalidArgument(std::string(name) + " を ZIP として開けません: " +
                                   ::archive_error_string(a));
  }
  int csv_entries = 0;
  struct archive_entry* e = nullptr;
  while (true) {
    const int rc = ::archive_read_next_header(a, &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) {
      return Status::InvalidArgument(std::string(name) + " の ZIP が壊れています: " +
                                     ::archive_error_string(a));
    }
    const std::string entry = ::archive_entry_pathname(e) ? ::archive_entry_pathname(e) : "";
    if (!EndsWithCsv(entry)) continue;
    std::string data;
    if (::archive_entry_size_is_set(e)) data.reserve(::archive_entry_size(e));
    char buf[1 << 16];
    la_ssize_t n;
    while ((n = ::archive_read_data(a, buf, sizeof buf)) > 0) data.append(buf, n);
    if (n < 0) {
      return Status::InvalidArgument(std::string(name) + " の " + entry +
                                     " を展開できません: " + ::archive_error_string(a));
    }
    ++csv_entries;
    CsvReader(std::string(name) + ":" + entry, rows, errors, info).Read(data);
  }
  if (csv_entries == 0) {
    return Status::InvalidArgument(std::string(name) + " に CSV ファイルが入っていません");
  }
  return Status::OK();
}

}  // namespace

Status ReadRegistryFile(std::string_view name, std::string_view bytes, RegistryRows* rows,
                        std::vector<RegistryRowError>* errors, RegistryFileInfo* info) {
  info->name = std::string(name);
  // The file's hash on the other core while it is parsed.
  std::thread hasher([&] { info->sha256 = signing::Sha256(bytes).Hex(); });
  Status s;
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    s = ReadZip(name, bytes, rows, errors, info);
  } else {
    CsvReader(std::string(name), rows, errors, info).Read(bytes);
  }
  hasher.join();
  return s;
}

// ---- RegistryRows ----

RegistryRows::RegistryRows() : rep_(std::make_unique<Rep>()) {}
RegistryRows::~RegistryRows() = default;
RegistryRows::RegistryRows(RegistryRows&&) noexcept = default;
RegistryRows& RegistryRows::operator=(RegistryRows&&) noexcept = default;

void RegistryRows::Add(const RegistryEntry& e) {
  internal::RegistryItem item;
  item.key = std::strtoull(e.number.c_str() + 1, nullptr, 10);
  item.offset = rep_->arena.size();
  internal::AppendRegistryValue(e, &rep_->arena);
  item.length = static_cast<uint32_t>(rep_->arena.size() - item.offset);
  item.order = static_cast<uint32_t>(rep_->items.size());
  item.latest = e.latest;
  item.deleted = e.process == "99";
  rep_->items.push_back(item);
}

uint64_t RegistryRows::size() const { return rep_->items.size(); }

void RegistryRows::SortAndDeduplicate() {
  auto& items = rep_->items;
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return a.key != b.key ? a.key < b.key : a.order < b.order;
  });
  size_t out = 0;
  for (size_t i = 0; i < items.size();) {
    size_t j = i, pick = i;
    for (; j < items.size() && items[j].key == items[i].key; ++j) {
      if (items[j].latest || !items[pick].latest) pick = j;
    }
    items[out++] = items[pick];
    i = j;
  }
  items.resize(out);
}

}  // namespace workflow
