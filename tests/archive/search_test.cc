// Search: every combination of the three 電子帳簿保存法 conditions (date,
// amount, counterparty) against a brute-force filter over the generator's own
// invoices, plus paging, sorting, corrections, needs-metadata documents, CSV
// and the planner's choice of index.
#include "archive/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "archive/archive.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "base/text.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

using base::Date;
using base::Decimal;
using base::Status;
using nlohmann::json;

constexpr int kInvoices = 300;

struct Truth {
  std::string id;
  Date date{2025, 4, 1};
  Decimal amount;
  std::string counterparty_key;  // NormalizeName of the name on the invoice
  std::string department;
};

class SearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new kura_test::TempDir;
    fs_ = base::NewPosixFileSystem().release();
    clock_ = new base::FakeClock(*base::ParseRfc3339("2026-11-22T01:00:00Z"));
    options_.data_dir = dir_->Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_, ledger::DataDirLayout{options_.data_dir}, ""));
    auto a = Archive::Open(options_, fs_, clock_);
    ASSERT_OK(a);
    archive_ = a->release();

    corpus::Options o;
    o.seed = 7;
    o.from = Date(2024, 4, 1);
    o.to = Date(2026, 3, 31);
    o.target_xml_bytes = 0;
    corpus::Generator gen(o);
    truth_ = new std::vector<Truth>;
    std::vector<IncomingFile> batch;
    for (int i = 0; i < kInvoices; ++i) {
      const corpus::Invoice inv = gen.Next();
      truth_->push_back(Truth{"", inv.issue_date, inv.payable_amount,
                              base::NormalizeName(inv.vendor.name_on_invoice),
                              inv.department_code});
      batch.push_back(IncomingFile{corpus::CorpusFileName(i + 1, corpus::Format::kJpPint),
                                   inv.department_code, "cli", "cli:test",
                                   corpus::RenderJpPint(inv)});
      if (batch.size() == 50) Flush(&batch);
    }
    Flush(&batch);
  }
  static void Flush(std::vector<IncomingFile>* batch) {
    const size_t first = truth_->size() - batch->size();
    auto results = archive_->Ingest(std::move(*batch));
    batch->clear();
    for (size_t i = 0; i < results.size(); ++i) {
      ASSERT_OK(results[i]);
      (*truth_)[first + i].id = results[i]->id;
    }
  }
  static void TearDownTestSuite() {
    delete archive_;
    delete truth_;
    delete clock_;
    delete fs_;
    delete dir_;
  }

  // Every hit of q, paging through with the cursor (limit 7), in order.
  static std::vector<std::string> AllIds(SearchQuery q, uint64_t* count = nullptr) {
    std::vector<std::string> ids;
    q.limit = 7;
    for (int page = 0; page < 1000; ++page) {
      auto r = archive_->Search(q);
      EXPECT_OK(r);
      if (!r.ok()) break;
      if (page == 0 && count) *count = r->count;
      EXPECT_LE(r->items.size(), 7u);
      for (const auto& item : r->items) ids.push_back(item.id);
      if (!r->next) break;
      q.after = *r->next;
    }
    return ids;
  }

  static inline kura_test::TempDir* dir_ = nullptr;
  static inline base::FileSystem* fs_ = nullptr;
  static inline base::FakeClock* clock_ = nullptr;
  static inline ArchiveOptions options_;
  static inline Archive* archive_ = nullptr;
  static inline std::vector<Truth>* truth_ = nullptr;
};

TEST_F(SearchTest, EveryCombinationOfDateAmountAndCounterpartyMatchesBruteForce) {
  std::vector<Truth> by_date = *truth_;
  std::sort(by_date.begin(), by_date.end(),
            [](const Truth& a, const Truth& b) { return a.date < b.date; });
  std::vector<Decimal> amounts;
  for (const auto& t : *truth_) amounts.push_back(t.amount);
  std::sort(amounts.begin(), amounts.end());
  // Bounds taken from the data itself, so that inclusive boundaries matter.
  const Date d_lo = by_date[60].date, d_hi = by_date[220].date;
  const Decimal a_lo = amounts[40], a_hi = amounts[200];
  // A frequent counterparty, searched by a short part of its name and by
  // its name written with ㈱ and full-width spaces.
  std::map<std::string, int> freq;
  for (const auto& t : *truth_) freq[t.counterparty_key]++;
  const std::string top =
      std::max_element(freq.begin(), freq.end(), [](auto& a, auto& b) {
        return a.second < b.second;
      })->first;
  const std::string part = top.substr(0, std::min<size_t>(top.size(), 6));  // two kanji
  const std::vector<std::string> cps = {part, "㈱　" + top};

  struct DateCond {
    std::optional<Date> from, to;
  };
  struct AmountCond {
    std::optional<Decimal> min, max;
  };
  const std::vector<DateCond> dates = {{}, {d_lo, d_hi}, {d_lo, {}}, {{}, d_hi}, {d_lo, d_lo}};
  const std::vector<AmountCond> amounts_c = {{}, {a_lo, a_hi}, {a_lo, {}}, {{}, a_hi}, {a_hi, a_hi}};
  std::vector<std::string> cps_c = {""};
  cps_c.insert(cps_c.end(), cps.begin(), cps.end());

  int queries = 0;
  for (const auto& dc : dates) {
    for (const auto& ac : amounts_c) {
      for (const auto& cp : cps_c) {
        SearchQuery q;
        q.date_from = dc.from;
        q.date_to = dc.to;
        q.amount_min = ac.min;
        q.amount_max = ac.max;
        q.counterparty = cp;
        const std::string needle = base::NormalizeName(cp);
        // Brute force, in the search's date order (date, amount, id).
        std::vector<const Truth*> want;
        for (const auto& t : *truth_) {
          if (dc.from && t.date < *dc.from) continue;
          if (dc.to && t.date > *dc.to) continue;
          if (ac.min && t.amount < *ac.min) continue;
          if (ac.max && t.amount > *ac.max) continue;
          if (!needle.empty() && t.counterparty_key.find(needle) == std::string::npos) continue;
          want.push_back(&t);
        }
        std::sort(want.begin(), want.end(), [](const Truth* a, const Truth* b) {
          if (a->date != b->date) return a->date < b->date;
          if (a->amount != b->amount) return a->amount < b->amount;
          return a->id < b->id;
        });
        std::vector<std::string> want_ids;
        for (const Truth* t : want) want_ids.push_back(t->id);
        const std::string what = "date " + (dc.from ? dc.from->ToString() : "-") + ".." +
                                 (dc.to ? dc.to->ToString() : "-") + " amount " +
                                 (ac.min ? ac.min->ToString() : "-") + ".." +
                                 (ac.max ? ac.max->ToString() : "-") + " cp '" + cp + "'";
        // Whatever index drives the query, the hits are the same.
        for (const char* hint : {"", "date", "amount", "counterparty", "date (all)"}) {
          q.index_hint = hint;
          q.descending = false;
          uint64_t count = 0;
          const std::vector<std::string> got = AllIds(q, &count);
          EXPECT_EQ(got, want_ids) << what << " via '" << hint << "'";
          EXPECT_EQ(count, want_ids.size()) << what << " via '" << hint << "'";
          // Descending is the exact reverse.
          q.descending = true;
          std::vector<std::string> rev = AllIds(q);
          std::reverse(rev.begin(), rev.end());
          EXPECT_EQ(rev, want_ids) << what << " via '" << hint << "' (descending)";
        }
        ++queries;
      }
    }
  }
  EXPECT_EQ(queries, 75);
  // The conditions are not vacuous: the closed triple finds some but not all.
  SearchQuery all3;
  all3.date_from = d_lo;
  all3.date_to = d_hi;
  all3.amount_min = a_lo;
  all3.amount_max = a_hi;
  all3.counterparty = part;
  const auto hits = AllIds(all3);
  EXPECT_GT(hits.size(), 0u);
  EXPECT_LT(hits.size(), static_cast<size_t>(kInvoices) / 4);
}

TEST_F(SearchTest, SortsByAmountAndCounterpartyWithOffsetAndCursorAgreeing) {
  for (SearchSort sort : {SearchSort::kDate, SearchSort::kAmount, SearchSort::kCounterparty}) {
    for (bool desc : {false, true}) {
      SearchQuery q;
      q.sort = sort;
      q.descending = desc;
      q.date_from = Date(2025, 1, 1);  // drive by date, order by another key
      const std::vector<std::string> by_cursor = AllIds(q);
      std::vector<std::string> by_offset;
      q.limit = 11;
      for (q.offset = 0;; q.offset += 11) {
        auto r = archive_->Search(q);
        ASSERT_OK(r);
        for (const auto& item : r->items) by_offset.push_back(item.id);
        if (!r->next) break;
      }
      EXPECT_EQ(by_cursor, by_offset);
      ASSERT_FALSE(by_cursor.empty());
      // Counting: the same whichever way the query runs.
      uint64_t count_planned = 0, count_scanned = 0;
      q.offset = 0;
      AllIds(q, &count_planned);
      SearchQuery scan = q;
      scan.include_history = true;  // no corrections here, so the same hits, counted by scanning
      AllIds(scan, &count_scanned);
      EXPECT_EQ(count_planned, by_cursor.size());
      EXPECT_EQ(count_scanned, by_cursor.size());
      // And the order is the one asked for.
      q.offset = 0;
      q.limit = 1000;
      auto r = archive_->Search(q);
      ASSERT_OK(r);
      for (size_t i = 1; i < r->items.size(); ++i) {
        const SearchItem &a = r->items[i - 1], &b = r->items[i];
        if (sort == SearchSort::kDate) {
          EXPECT_TRUE(desc ? *a.issue_date >= *b.issue_date : *a.issue_date <= *b.issue_date);
        } else if (sort == SearchSort::kAmount) {
          const Decimal x = *Decimal::Parse(*a.total), y = *Decimal::Parse(*b.total);
          EXPECT_TRUE(desc ? x >= y : x <= y) << a.id << " " << b.id;
        } else {
          const std::string x = base::NormalizeName(a.counterparty),
                            y = base::NormalizeName(b.counterparty);
          EXPECT_TRUE(desc ? x >= y : x <= y) << a.counterparty << " / " << b.counterparty;
        }
      }
    }
  }
}

TEST_F(SearchTest, SortsByReceiptNewestFirstWhicheverIndexDrives) {
  // Every document here was received on the same day: the receipt order is
  // the order of their ids.
  std::vector<std::string> all;
  for (const auto& t : *truth_) all.push_back(t.id);
  std::sort(all.begin(), all.end());
  SearchQuery q;
  q.sort = SearchSort::kReceived;
  uint64_t count = 0;
  EXPECT_EQ(AllIds(q, &count), all);
  EXPECT_EQ(count, all.size());
  q.descending = true;
  std::vector<std::string> newest_first(all.rbegin(), all.rend());
  EXPECT_EQ(AllIds(q), newest_first);
  // Driven by the receipt date (streams) and by the department (heap): the
  // same order, by cursor and by offset.
  q.received_from = Date(2026, 11, 22);
  EXPECT_EQ(AllIds(q), newest_first);
  const std::string dept = (*truth_)[0].department;
  SearchQuery by_dept;
  by_dept.sort = SearchSort::kReceived;
  by_dept.descending = true;
  by_dept.department = dept;
  std::vector<std::string> want;
  for (const auto& id : newest_first) {
    for (const auto& t : *truth_) {
      if (t.id == id && t.department == dept) want.push_back(id);
    }
  }
  ASSERT_GE(want.size(), 3u);
  EXPECT_EQ(AllIds(by_dept), want);
  by_dept.limit = 1;
  by_dept.offset = 2;
  auto r = archive_->Search(by_dept);
  ASSERT_OK(r);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].id, want[2]);
  EXPECT_EQ(r->count, want.size());
}

TEST_F(SearchTest, FilterOfAModuleAboveCountsAndPagesInsideTheQuery) {
  SearchQuery q;
  q.sort = SearchSort::kReceived;
  q.descending = true;
  int calls = 0;
  q.filter = [&](const storage::ReadTxn&, uint64_t seq) -> base::Result<bool> {
    ++calls;
    return seq % 3 == 0;
  };
  uint64_t count = 0;
  const std::vector<std::string> ids = AllIds(q, &count);
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(count, ids.size());
  EXPECT_EQ(count, static_cast<uint64_t>(kInvoices / 3));
  for (const auto& id : ids) EXPECT_EQ(*ParseDocumentId(id) % 3, 0u) << id;
  EXPECT_GT(calls, 0);
  // Its error ends the search.
  q.filter = [](const storage::ReadTxn&, uint64_t) -> base::Result<bool> {
    return Status::Internal("broken filter");
  };
  EXPECT_FALSE(archive_->Search(q).ok());
  // needs_metadata=false: every generated XML invoice; true: none.
  SearchQuery readable;
  readable.needs_metadata = false;
  auto r = archive_->Search(readable);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, static_cast<uint64_t>(kInvoices));
  readable.needs_metadata = true;
  r = archive_->Search(readable);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 0u);
}

TEST_F(SearchTest, PlannerDrivesBySelectiveIndexNotTheWholeCatalog) {
  const Truth& t = (*truth_)[17];
  SearchQuery q;
  q.counterparty = t.counterparty_key;
  q.date_from = t.date;
  q.date_to = t.date;
  auto r = archive_->Search(q);
  ASSERT_OK(r);
  EXPECT_GE(r->count, 1u);
  // One counterparty on one day: a handful of entries, not 300.
  EXPECT_NE(r->plan.find("counterparty"), std::string::npos) << r->plan;
  const uint64_t visited = std::stoull(r->plan.substr(r->plan.find(": ") + 2));
  EXPECT_LE(visited, 10u) << r->plan;

  SearchQuery by_amount;
  by_amount.amount_min = t.amount;
  by_amount.amount_max = t.amount;
  r = archive_->Search(by_amount);
  ASSERT_OK(r);
  EXPECT_NE(r->plan.find("amount"), std::string::npos) << r->plan;
  EXPECT_LE(std::stoull(r->plan.substr(r->plan.find(": ") + 2)), 10u) << r->plan;

  // A page deep into everything: counted by day, so only the page is read.
  SearchQuery deep;
  deep.offset = 250;
  deep.limit = 5;
  r = archive_->Search(deep);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, static_cast<uint64_t>(kInvoices));
  EXPECT_EQ(r->items.size(), 5u);
  EXPECT_LE(std::stoull(r->plan.substr(r->plan.find(": ") + 2)), 20u) << r->plan;
}

TEST_F(SearchTest, OtherConditionsFilterExactly) {
  const Truth& t = (*truth_)[3];
  SearchQuery q;
  q.department = t.department;
  const auto ids = AllIds(q);
  size_t want = 0;
  for (const auto& x : *truth_) want += x.department == t.department;
  EXPECT_EQ(ids.size(), want);

  auto doc = archive_->Get(t.id);
  ASSERT_OK(doc);
  const invoice::InvoiceFields& f = doc->versions.back().fields;
  ASSERT_TRUE(f.registration_number.has_value());
  SearchQuery by_number;
  by_number.invoice_number = f.invoice_number;
  auto r = archive_->Search(by_number);
  ASSERT_OK(r);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].id, t.id);
  EXPECT_EQ(r->items[0].registration_number, *f.registration_number);
  by_number.invoice_number = "  " + by_number.invoice_number + " ";  // as pasted from a mail
  r = archive_->Search(by_number);
  ASSERT_OK(r);
  ASSERT_EQ(r->items.size(), 1u);

  SearchQuery by_regno;
  by_regno.registration_numbers = {*f.registration_number, "T0000000000000"};
  r = archive_->Search(by_regno);
  ASSERT_OK(r);
  for (const auto& item : r->items) {
    EXPECT_EQ(item.registration_number, *f.registration_number);
  }
  EXPECT_GE(r->count, 1u);

  SearchQuery by_text;  // a line description, in full-width letters where it has any
  ASSERT_FALSE(f.line_descriptions.empty());
  by_text.text = f.line_descriptions[0];
  r = archive_->Search(by_text);
  ASSERT_OK(r);
  EXPECT_GE(r->count, 1u);
  bool found = false;
  for (const auto& item : AllIds(by_text)) found |= item == t.id;
  EXPECT_TRUE(found);

  SearchQuery credit;
  credit.type = "credit_note";
  r = archive_->Search(credit);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 0u);  // the generator writes invoices only
  SearchQuery none;
  none.counterparty = "存在しない取引先";
  r = archive_->Search(none);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 0u);
  EXPECT_TRUE(r->items.empty());
  EXPECT_FALSE(r->next);
}

TEST_F(SearchTest, CursorFromAnotherOrderIsRefused) {
  SearchQuery q;
  q.limit = 2;
  auto r = archive_->Search(q);
  ASSERT_OK(r);
  ASSERT_TRUE(r->next);
  q.sort = SearchSort::kAmount;
  q.after = *r->next;
  EXPECT_TRUE(archive_->Search(q).status().IsInvalidArgument());
  q.after = "d+zz";
  q.sort = SearchSort::kDate;
  EXPECT_TRUE(archive_->Search(q).status().IsInvalidArgument());
}

// Corrections and documents without data, in an archive of their own.
class SearchCorrectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.data_dir = dir_.Join("kura-data");
    ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{options_.data_dir}, ""));
    auto a = Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
  }
  std::string Ingest(std::string name, std::string bytes) {
    std::vector<IncomingFile> files;
    files.push_back({std::move(name), "zaisei", "scan", "cli:test", std::move(bytes)});
    auto r = archive_->Ingest(std::move(files));
    EXPECT_OK(r[0]);
    return r[0].ok() ? r[0]->id : "";
  }
  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-11-22T01:00:00Z")};
  ArchiveOptions options_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(SearchCorrectionTest, NeedsMetadataDocumentIsFoundByReceiptThenByEnteredFields) {
  const std::string id = Ingest("スキャン請求書_山田.pdf", "%PDF-1.4 a scanned paper invoice");
  SearchQuery by_received;
  by_received.received_from = Date(2026, 11, 22);
  by_received.received_to = Date(2026, 11, 22);
  by_received.department = "zaisei";
  auto r = archive_->Search(by_received);
  ASSERT_OK(r);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].id, id);
  EXPECT_TRUE(r->items[0].needs_metadata);
  EXPECT_FALSE(r->items[0].issue_date);
  SearchQuery needing = by_received;
  needing.needs_metadata = true;
  r = archive_->Search(needing);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 1u);
  SearchQuery by_name;
  by_name.text = "山田";
  r = archive_->Search(by_name);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 1u);
  SearchQuery by_date;
  by_date.date_from = Date(2026, 10, 1);
  r = archive_->Search(by_date);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 0u);  // no date yet

  // A person enters the search keys (a correction, with history).
  invoice::FieldPatch entered;
  entered.issue_date.Set("2026-10-31");
  entered.total.Set("55000");
  entered.counterparty.Set("株式会社山田商事");
  entered.needs_metadata.Set(false);
  ASSERT_OK(archive_->Correct(id, entered, "cli:clerk", "紙の請求書から入力"));
  r = archive_->Search(by_date);
  ASSERT_OK(r);
  ASSERT_EQ(r->count, 1u);
  EXPECT_EQ(r->items[0].total, "55000");
  EXPECT_EQ(r->items[0].version, 2u);
  EXPECT_FALSE(r->items[0].needs_metadata);

  // A second correction of the amount: the new amount finds it, the old one
  // only with history.
  invoice::FieldPatch amount;
  amount.total.Set("50000");
  ASSERT_OK(archive_->Correct(id, amount, "cli:clerk", "金額の誤り"));
  SearchQuery old_amount;
  old_amount.amount_min = Decimal::FromInt(55000);
  old_amount.amount_max = Decimal::FromInt(55000);
  r = archive_->Search(old_amount);
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 0u);
  old_amount.include_history = true;
  r = archive_->Search(old_amount);
  ASSERT_OK(r);
  ASSERT_EQ(r->count, 1u);
  EXPECT_EQ(r->items[0].version, 2u);
  EXPECT_FALSE(r->items[0].current);
  SearchQuery new_amount;
  new_amount.amount_min = Decimal::FromInt(50000);
  new_amount.amount_max = Decimal::FromInt(50000);
  new_amount.counterparty = "(株)山田";
  r = archive_->Search(new_amount);
  ASSERT_OK(r);
  ASSERT_EQ(r->count, 1u);
  EXPECT_EQ(r->items[0].version, 3u);
  EXPECT_TRUE(r->items[0].current);
  // Still one document in an unconditional search.
  r = archive_->Search(SearchQuery{});
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 1u);
  // Verify re-derives every version's row from the log and finds the index
  // exactly as written, history included.
  auto report = archive_->Verify();
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
}

TEST_F(SearchCorrectionTest, IndexIsBuiltForAnArchiveWrittenBeforeItExisted) {
  Ingest("a.pdf", "%PDF-1.4 one");
  Ingest("b.pdf", "%PDF-1.4 two");
  archive_.reset();
  // Drop the search tables as an older kura would have left them.
  {
    storage::EnvOptions eo;
    auto env = storage::Env::Open(options_.data_dir + "/catalog", eo);
    ASSERT_OK(env);
    auto rows = (*env)->OpenTable("s_rows");
    ASSERT_OK(rows);
    ASSERT_OK((*env)->Write([&](storage::WriteTxn& txn) -> Status {
      auto c = txn.NewCursor(*rows);
      if (!c.ok()) return c.status();
      std::vector<std::string> keys;
      for (bool ok = c->First(); ok; ok = c->Next()) keys.emplace_back(c->key());
      for (const auto& k : keys) RETURN_IF_ERROR(txn.Delete(*rows, k));
      return Status::OK();
    }));
  }
  auto a = Archive::Open(options_, fs_.get(), &clock_);
  ASSERT_OK(a);
  auto r = (*a)->Search(SearchQuery{});
  ASSERT_OK(r);
  EXPECT_EQ(r->count, 2u);
  auto report = (*a)->Verify();  // the rebuilt index is exactly what Put writes
  ASSERT_OK(report);
  EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
}

TEST(SearchParamsTest, ParsesWhatTheCliAndApiSend) {
  auto q = SearchQueryFromParams({{"date_from", "2025-04-01"},
                                  {"date_to", "2026-03-31"},
                                  {"amount_min", "1,000"},
                                  {"amount_max", "500000"},
                                  {"counterparty", "山田"},
                                  {"registration_number", "T7010705000725,T8040001079502"},
                                  {"sort", "amount"},
                                  {"order", "desc"},
                                  {"limit", "20"}});
  ASSERT_OK(q);
  EXPECT_EQ(q->date_from, Date(2025, 4, 1));
  EXPECT_EQ(*q->amount_min, Decimal::FromInt(1000));
  EXPECT_EQ(q->registration_numbers.size(), 2u);
  EXPECT_EQ(q->sort, SearchSort::kAmount);
  EXPECT_TRUE(q->descending);
  EXPECT_EQ(q->limit, 20u);
  q = SearchQueryFromParams({{"sort", "received"}, {"desc", "true"}, {"needs_metadata", "true"}});
  ASSERT_OK(q);
  EXPECT_EQ(q->sort, SearchSort::kReceived);
  EXPECT_EQ(q->needs_metadata, std::optional<bool>(true));

  for (const auto& bad : std::vector<std::pair<std::string, std::string>>{
           {"date_from", "2025/13/01"},
           {"amount_min", "abc"},
           {"limit", "0"},
           {"limit", "5000"},
           {"sort", "name"},
           {"needs_metadata", "maybe"},
           {"counterparty", "株式会社"},  // nothing left to search for
           {"counterparty", " (株)　"},
           {"colour", "red"}}) {
    auto r = SearchQueryFromParams({bad});
    EXPECT_TRUE(r.status().IsInvalidArgument()) << bad.first;
    EXPECT_NE(r.status().message().find(bad.first), std::string::npos) << r.status().message();
  }
  EXPECT_TRUE(SearchQueryFromParams({{"date_from", "2026-01-02"}, {"date_to", "2026-01-01"}})
                  .status()
                  .IsInvalidArgument());
}

TEST(SearchCsvTest, HasBomHeaderAndQuotesFields) {
  const std::string header = SearchCsvHeader();
  EXPECT_EQ(header.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(header.find("取引年月日,取引金額,通貨,取引先"), std::string::npos);
  EXPECT_EQ(header.substr(header.size() - 2), "\r\n");
  SearchItem item;
  item.id = "D00000001";
  item.version = 1;
  item.counterparty = "山田商事, \"本店\"";
  item.issue_date = "2026-10-31";
  item.total = "-5000";
  item.file_name = "=cmd.pdf";
  const std::string row = SearchCsvRows({item});
  EXPECT_NE(row.find("\"山田商事, \"\"本店\"\"\""), std::string::npos) << row;
  EXPECT_NE(row.find(",-5000,"), std::string::npos) << row;
  EXPECT_NE(row.find("\"'=cmd.pdf\""), std::string::npos) << row;  // no spreadsheet formula
}

}  // namespace
}  // namespace archive

namespace archive {
namespace {

// The count of a query is remembered per snapshot (Catalog::Search): a
// document received later is counted by the next search. (Another
// process's write is a new snapshot in the same way: LMDB's transaction id
// is the environment's, not the process's.)
TEST(SearchCountTest, ARememberedCountFollowsEveryWrite) {
  kura_test::TempDir dir;
  auto fs = base::NewPosixFileSystem();
  base::FakeClock clock(*base::ParseRfc3339("2026-11-22T01:00:00Z"));
  ArchiveOptions options;
  options.data_dir = dir.Join("kura-data");
  ASSERT_OK(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{options.data_dir}, ""));
  auto reader = Archive::Open(options, fs.get(), &clock);
  ASSERT_OK(reader);
  corpus::Options o;
  o.seed = 11;
  o.target_xml_bytes = 0;
  corpus::Generator gen(o);
  const auto ingest = [&](Archive* a, int n) {
    const corpus::Invoice inv = gen.Next();
    auto r = a->Ingest({IncomingFile{corpus::CorpusFileName(n, corpus::Format::kJpPint),
                                     "somu", "cli", "cli:test", corpus::RenderJpPint(inv)}});
    ASSERT_EQ(r.size(), 1u);
    ASSERT_OK(r[0]);
  };
  SearchQuery q;
  q.department = "somu";
  q.limit = 1;
  for (int n = 1; n <= 3; ++n) {
    ingest(reader->get(), n);
    for (int twice = 0; twice < 2; ++twice) {
      auto r = (*reader)->Search(q);
      ASSERT_OK(r);
      EXPECT_EQ(r->count, static_cast<uint64_t>(n));
      EXPECT_EQ(r->next.has_value(), n > 1);
    }
  }
}

}  // namespace
}  // namespace archive
