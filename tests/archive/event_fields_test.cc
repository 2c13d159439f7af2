// The verifier reads events with a one-pass canonical scan instead of a
// parse and re-dump (archive/internal/event_fields.h). The scan is only
// allowed to be faster: whenever it answers, its answer must be the
// reference's, and it must answer for every event kura writes.
#include "archive/internal/event_fields.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "corpus/corpus.h"
#include "ledger/data_dir.h"
#include "ledger/event_log.h"
#include "base/random.h"
#include "tests/fakes/sanitizers.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

using nlohmann::json;

// The stored events of a fresh archive after write(archive).
std::vector<std::string> EventsAfter(const std::function<void(Archive&)>& write) {
  kura_test::TempDir dir;
  auto fs = base::NewPosixFileSystem();
  base::FakeClock clock(*base::ParseRfc3339("2026-11-22T01:00:00Z"));
  ArchiveOptions options;
  options.data_dir = dir.Join("kura-data");
  EXPECT_OK(ledger::InitDataDir(fs.get(), ledger::DataDirLayout{options.data_dir}, ""));
  auto a = Archive::Open(options, fs.get(), &clock);
  EXPECT_OK(a);
  if (!a.ok()) return {};
  write(**a);
  std::vector<std::string> events;
  EXPECT_OK((*a)->ledger().ForEachEvent(0, [&](uint64_t, std::string_view e) {
    events.emplace_back(e);
    return base::Status::OK();
  }));
  return events;
}

// Stored events of a small archive: receipts, a second receipt of the same
// bytes, a correction; names with quotes, newlines and control characters.
std::vector<std::string> RealEvents() {
  return EventsAfter([](Archive& a) {
    std::vector<std::string> ids;
    for (const char* bytes : {"%PDF-1.4 one", "%PDF-1.4 two", "%PDF-1.4 one"}) {
      std::vector<IncomingFile> files;
      files.push_back({"請求書 \"1\"\n.pdf", "somu", "cli", "cli:test\\x", bytes});
      auto r = a.Ingest(std::move(files));
      EXPECT_OK(r[0]);
      if (r[0].ok()) ids.push_back(r[0]->id);
    }
    invoice::FieldPatch patch;
    patch.total.Set("1000");
    patch.counterparty.Set("株式会社\t蔵前");
    EXPECT_OK(a.Correct(ids[0], patch, "tanaka", "金額の訂正\u0001"));
  });
}

// The scan may decline, but if it answers it must agree with the reference.
void ExpectAgrees(const std::string& bytes) {
  const EventFields ref = DecodeEventReference(bytes);
  const std::optional<EventFields> fast = ScanCanonicalEvent(bytes);
  if (fast) {
    EXPECT_TRUE(*fast == ref) << bytes;
    EXPECT_TRUE(ref.canonical) << bytes;
  }
  EXPECT_TRUE(DecodeEvent(bytes) == ref) << bytes;
}

TEST(EventFieldsTest, ScansEveryEventKuraWritesAndAgreesWithTheReference) {
  const std::vector<std::string> events = RealEvents();
  ASSERT_EQ(events.size(), 4u);
  std::set<std::string> types;
  for (const std::string& e : events) {
    const std::optional<EventFields> fast = ScanCanonicalEvent(e);
    ASSERT_TRUE(fast.has_value()) << e;
    const EventFields ref = DecodeEventReference(e);
    EXPECT_TRUE(*fast == ref) << e;
    EXPECT_TRUE(fast->canonical);
    ASSERT_TRUE(fast->type.has_value());
    types.insert(*fast->type);
    // The hashes are those of the members' canonical bytes.
    const json j = json::parse(e);
    if (j.contains("receipt")) {
      EXPECT_EQ(fast->receipt, signing::Sha256(ledger::EventLog::Canonical(j["receipt"])));
    }
    if (j.contains("version")) {
      EXPECT_EQ(fast->version, signing::Sha256(ledger::EventLog::Canonical(j["version"])));
    }
  }
  EXPECT_EQ(types, (std::set<std::string>{"document.received", "document.received_again",
                                          "document.corrected"}));
  // The first event is a receipt with every member the verifier reads.
  const EventFields f = DecodeEvent(events[0]);
  EXPECT_EQ(f.id, "D00000001");
  EXPECT_EQ(f.media_type, "application/pdf");
  EXPECT_EQ(f.size, 12u);
  EXPECT_EQ(f.received_at, "2026-11-22T01:00:00.000000Z");
  EXPECT_EQ(f.timestamp, EventFields::Timestamp::kObject);
  ASSERT_TRUE(f.tsr.has_value());
  EXPECT_EQ(f.tsr->size(), 64u);
}

// Every single-byte change, deletion and insertion of real events: the scan
// never accepts what the reference calls non-canonical, and never differs.
TEST(EventFieldsTest, AgreesWithTheReferenceOnEveryOneByteEdit) {
  const std::vector<std::string> events = RealEvents();
  ASSERT_FALSE(events.empty());
  const char replacements[] = {' ', '"', '\\', '0', '9', 'a', '{', '}', '[', ',', ':', '\x01',
                               '\x7f', '\xe3', '\xff', 'n', '-', '.', 'e'};
  size_t accepted_changes = 0;
  for (const std::string& e : {events[0], events[3]}) {
    for (size_t i = 0; i < e.size(); ++i) {
      for (char r : replacements) {
        if (e[i] == r) continue;
        std::string changed = e;
        changed[i] = r;
        ExpectAgrees(changed);
        accepted_changes += ScanCanonicalEvent(changed).has_value();
      }
      std::string deleted = e;
      deleted.erase(i, 1);
      ExpectAgrees(deleted);
      std::string inserted = e;
      inserted.insert(i, " ");
      ExpectAgrees(inserted);
    }
  }
  // Changes inside string values keep an event canonical: the scan must
  // still read those (and then agree), not decline everything.
  EXPECT_GT(accepted_changes, 1000u);
}

TEST(EventFieldsTest, HandWrittenCases) {
  // A member nested this deep is re-dumped by the reference, recursively
  // (nlohmann's serializer): its frames under ASan are some 20 times larger
  // than at -O2, so 5,000 levels overflow the 8 MiB stack there (near 2,500).
  constexpr size_t kDeep = kura_test::kAddressSanitizer ? 1000 : 5000;
  const std::vector<std::string> cases = {
      "",
      "null",
      "[]",
      "{}",
      " {}",
      "{} ",
      "{}{}",
      R"({"type":"document.received"})",
      R"({"type":"a","type":"b"})",              // duplicate key
      R"({"type":"b","id":"D00000001"})",        // keys out of order
      R"({"id":"D00000001","type":"b"})",
      R"({"id" :"D1"})",
      R"({"id":"\u3042"})",                      // escaped where canonical is raw
      R"({"id":"あ"})",
      R"({"id":"\/"})",
      R"({"id":"a\nb"})",
      R"({"id":"a\u000ab"})",
      R"({"id":"a\u0001b"})",
      R"({"id":"a\u0001B"})",                    // canonical escapes are lower case
      R"({"id":"a\u001fb"})",
      R"({"id":"a\"b\\c"})",
      "{\"id\":\"a\x7f\"}",
      "{\"id\":\"\xff\"}",                         // not UTF-8
      R"({"size":12})",
      R"({"size":-12})",
      R"({"size":-0})",
      R"({"size":0})",
      R"({"size":012})",
      R"({"size":12.0})",
      R"({"size":1.5})",
      R"({"size":1e3})",
      R"({"size":1000.0})",
      R"({"size":18446744073709551615})",
      R"({"size":18446744073709551616})",
      R"({"size":"12"})",
      R"({"id":{"id":"D00000001"}})",
      R"({"receipt":{"received_at":"2026-01-01T00:00:00Z"}})",
      R"({"receipt":{"received_at":5}})",
      R"({"receipt":{"x":{"received_at":"2026"}}})",
      R"({"receipt":["received_at"]})",
      R"({"receipt":null,"version":[1,2,{"a":[]}]})",
      R"({"receipt":{},"version":{}})",
      R"({"timestamp":null})",
      R"({"timestamp":[]})",
      R"({"timestamp":0})",
      R"({"timestamp":{}})",
      R"({"timestamp":{"tsr":"ab"}})",
      R"({"timestamp":{"tsr":null}})",
      R"({"timestamp":{"a":{"tsr":"ab"}}})",
      R"({"a":[1,2,3],"b":[true,false,null],"c":{"d":[{"e":"f"}]}})",
      R"({"a":[1, 2]})",
      R"({"a":[1,2,]})",
      R"({"a":true,})",
      std::string(10000, '[') + std::string(10000, ']'),
      "{\"a\":" + std::string(kDeep, '[') + std::string(kDeep, ']') + "}",
  };
  for (const std::string& c : cases) ExpectAgrees(c);
  // Spot checks of what the reference (and so the scan) says.
  EXPECT_FALSE(DecodeEvent("[]").object);
  EXPECT_TRUE(DecodeEvent(R"({"type":"a","type":"b"})").object);
  EXPECT_FALSE(DecodeEvent(R"({"type":"a","type":"b"})").canonical);
  EXPECT_FALSE(DecodeEvent(R"({"id":"\u3042"})").canonical);
  EXPECT_TRUE(DecodeEvent(R"({"id":"あ"})").canonical);
  EXPECT_TRUE(ScanCanonicalEvent(R"({"id":"a\u0001b"})").has_value());
  EXPECT_TRUE(ScanCanonicalEvent(R"({"id":"a\u001fb"})").has_value());
  EXPECT_TRUE(ScanCanonicalEvent(R"({"size":1000.0})").has_value());
  EXPECT_EQ(DecodeEvent(R"({"size":-12})").size, std::nullopt);
  EXPECT_EQ(DecodeEvent(R"({"timestamp":null})").timestamp, EventFields::Timestamp::kOther);
  EXPECT_EQ(DecodeEvent(R"({"timestamp":{"a":{"tsr":"ab"}}})").tsr, std::nullopt);
}

// Events written before they carried "search_row" are checked by deriving
// the row from the version's fields and the first receipt: that must give
// exactly the row kura wrote. Real invoices (line descriptions, amounts,
// registration numbers), a scanned PDF and corrections that set and remove
// members.
TEST(EventFieldsTest, RowDerivedFromAnOldEventIsTheRowKuraWrote) {
  const std::vector<std::string> events = EventsAfter([](Archive& a) {
    corpus::Options co;
    co.target_xml_bytes = 0;
    corpus::Generator gen(co);
    std::vector<IncomingFile> files;
    for (int i = 0; i < 20; ++i) {
      const corpus::Invoice inv = gen.Next();
      files.push_back({inv.id + ".xml", i % 2 ? "somu" : "doboku", "peppol", "cli:test",
                       corpus::RenderJpPint(inv)});
    }
    files.push_back({"スキャン.pdf", "somu", "scan", "cli:test", "%PDF-1.4 paper"});
    for (const auto& r : a.Ingest(std::move(files))) EXPECT_OK(r);
    invoice::FieldPatch entered;
    entered.issue_date.Set("2026-10-31");
    entered.total.Set("55000");
    entered.counterparty.Set("株式会社　山田");
    entered.needs_metadata.Set(false);
    EXPECT_OK(a.Correct("D00000021", entered, "cli:clerk", "紙の請求書から入力"));
    // Removed members (absent from the version) read as they always did.
    invoice::FieldPatch removed;
    removed.counterparty.Remove();
    removed.registration_number.Remove();
    removed.document_type.Remove();
    removed.total.Remove();
    removed.needs_metadata.Set(true);
    EXPECT_OK(a.Correct("D00000003", removed, "cli:clerk", "取引先の削除"));
  });
  struct FirstReceipt {
    base::Time at;
    std::string department, file_name;
  };
  std::map<uint64_t, FirstReceipt> receipts;
  size_t derived = 0;
  for (const std::string& bytes : events) {
    json j = json::parse(bytes);
    if (!j.contains("search_row")) continue;
    const std::string written = j["search_row"];
    const uint64_t seq = *ParseDocumentId(j["id"].get<std::string>());
    if (j["type"] == "document.received") {
      receipts[seq] = {*base::ParseRfc3339(j["receipt"]["received_at"].get<std::string>()),
                       j["receipt"]["department"], j["receipt"]["file_name"]};
    }
    j.erase("search_row");
    const std::string old_style = ledger::EventLog::Canonical(j);
    ExpectAgrees(old_style);
    const EventFields f = DecodeEvent(old_style);
    ASSERT_TRUE(f.row_fields.has_value()) << old_style;
    const FirstReceipt& r = receipts.at(seq);
    const auto row = ImpliedSearchRow(seq, r.at, r.department, r.file_name, f);
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->Hex(), written) << old_style;
    // With the digest present, nothing is derived.
    EXPECT_FALSE(DecodeEvent(bytes).row_fields.has_value());
    ++derived;
  }
  EXPECT_EQ(derived, 23u);
}

// Random JSON-ish documents built from canonical pieces, some then spoiled.
TEST(EventFieldsTest, AgreesOnRandomDocuments) {
  base::Random rng(20261123);
  const std::vector<std::string> keys = {"id",      "media_type", "receipt", "received_at", "sha256",
                                         "size",    "timestamp",  "tsr",     "type",        "version",
                                         "writes",  "a",          "z",       "あ",          "\n"};
  std::function<json(int)> value = [&](int depth) -> json {
    switch (rng.Uniform(depth > 3 ? 6 : 8)) {
      case 0: return nullptr;
      case 1: return rng.Uniform(2) == 0;
      case 2: return static_cast<int64_t>(rng.Uniform(1000)) - 500;
      case 3: return rng.Uniform(1u << 30);
      case 4: return rng.Uniform(1000) / 8.0;
      case 5: return keys[rng.Uniform(keys.size())] + "\"\\\x01";
      case 6: {
        json a = json::array();
        for (uint32_t n = rng.Uniform(4); n > 0; --n) a.push_back(value(depth + 1));
        return a;
      }
      default: {
        json o = json::object();
        for (uint32_t n = rng.Uniform(6); n > 0; --n) {
          o[keys[rng.Uniform(keys.size())]] = value(depth + 1);
        }
        return o;
      }
    }
  };
  for (int i = 0; i < 3000; ++i) {
    json doc = json::object();
    for (uint32_t n = rng.Uniform(8); n > 0; --n) doc[keys[rng.Uniform(keys.size())]] = value(1);
    std::string bytes = ledger::EventLog::Canonical(doc);
    ASSERT_TRUE(ScanCanonicalEvent(bytes).has_value()) << bytes;
    ExpectAgrees(bytes);
    if (!bytes.empty()) {
      bytes[rng.Uniform(bytes.size())] = " \"\\{}[],:0a"[rng.Uniform(11)];
      ExpectAgrees(bytes);
    }
  }
}

}  // namespace
}  // namespace archive
