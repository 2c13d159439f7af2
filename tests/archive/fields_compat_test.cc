// A version's fields are typed (invoice::InvoiceFields) but stored, hashed
// into the event log and compared by verify as canonical JSON, so decoding
// and encoding a stored version must give back its exact bytes: for the
// data directory an older build wrote (tests/data/legacy, kura of 69e846b)
// and for every kind of correction made today, from a person's input
// through NormalizeCorrection and from typed patches. The readers' output
// and the shapes of earlier builds are covered in
// tests/invoice/fields_round_trip_test.cc and field_patch_test.cc.
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "archive/correction.h"
#include "base/json.h"
#include "corpus/corpus.h"
#include "invoice/field_patch.h"
#include "invoice/fields_json.h"
#include "ledger/data_dir.h"
#include "storage/lmdb_env.h"
#include "tests/fakes/test_util.h"

namespace archive {
namespace {

using nlohmann::json;

// The version records exactly as stored in the catalog's versions table.
std::vector<std::string> StoredVersionRecords(const std::string& data_dir) {
  std::vector<std::string> out;
  storage::EnvOptions options;
  options.read_only = true;
  auto env = storage::Env::Open(data_dir + "/catalog", options);
  EXPECT_OK(env);
  if (!env.ok()) return out;
  auto table = (*env)->OpenTable("versions");
  EXPECT_OK(table);
  if (!table.ok()) return out;
  EXPECT_OK((*env)->Read([&](const storage::ReadTxn& txn) -> base::Status {
    ASSIGN_OR_RETURN(storage::Cursor c, txn.NewCursor(*table));
    for (bool ok = c.First(); ok; ok = c.Next()) out.emplace_back(c.value());
    return c.status();
  }));
  return out;
}

// A stored version record reads into the typed Version and writes back to
// exactly its bytes.
void ExpectVersionSurvives(const std::string& record) {
  auto j = base::ParseJson(record);
  ASSERT_OK(j);
  auto v = VersionFromJson(*j);
  ASSERT_OK(v) << record;
  EXPECT_EQ(base::DumpJson(ToJson(*v)), record);
}

struct LogCounts {
  size_t versions = 0;
  size_t corrections = 0;
};

// Every version and every correction's changes in the log survive the
// typed codecs byte for byte. (Workflow events have a "version" too: the
// order's.)
LogCounts ExpectLogSurvives(const Archive& archive) {
  LogCounts n;
  EXPECT_OK(archive.ledger().ForEachEvent(0, [&](uint64_t, std::string_view bytes) {
    const json e = json::parse(bytes);
    const std::string type = e.value("type", "");
    if (type.rfind("document.", 0) == 0 && e.contains("version")) {
      ExpectVersionSurvives(base::DumpJson(e["version"]));
      ++n.versions;
    }
    if (type == "document.corrected") {
      auto patch = invoice::PatchFromJson(e["changes"]);
      EXPECT_OK(patch) << e["changes"].dump();
      if (patch.ok()) {
        EXPECT_EQ(invoice::PatchToJson(*patch), e["changes"]);
      }
      ++n.corrections;
    }
    return base::Status::OK();
  }));
  return n;
}

class FieldsCompatTest : public ::testing::Test {
 protected:
  void Open(const std::string& data_dir, bool read_only) {
    archive_.reset();
    options_.data_dir = data_dir;
    options_.read_only = read_only;
    auto a = Archive::Open(options_, fs_.get(), &clock_);
    ASSERT_OK(a);
    archive_ = std::move(*a);
  }
  void ExpectVerifies() {
    auto report = archive_->Verify();
    ASSERT_OK(report);
    EXPECT_TRUE(report->failed.empty()) << ToJson(*report).dump();
  }

  kura_test::TempDir dir_;
  std::unique_ptr<base::FileSystem> fs_ = base::NewPosixFileSystem();
  base::FakeClock clock_{*base::ParseRfc3339("2026-12-03T01:00:00Z")};
  ArchiveOptions options_;
  std::unique_ptr<Archive> archive_;
};

TEST_F(FieldsCompatTest, LegacyDataDirectoryReadsBackByteForByte) {
  ASSERT_EQ(kura_test::RunCommand(
                "tar -xzf " KURA_SOURCE_DIR "/tests/data/legacy/data-v1.tar.gz -C " + dir_.path(),
                nullptr),
            0);
  const std::string data_dir = dir_.Join("data");
  const std::vector<std::string> records = StoredVersionRecords(data_dir);
  ASSERT_EQ(records.size(), 6u);  // five documents, one corrected
  for (const std::string& r : records) ExpectVersionSurvives(r);

  Open(data_dir, /*read_only=*/true);
  const LogCounts n = ExpectLogSurvives(*archive_);
  EXPECT_EQ(n.versions, 6u);
  EXPECT_EQ(n.corrections, 1u);
  ExpectVerifies();

  // Today's corrections of a version an older build wrote: removing and
  // setting members, then verify.
  Open(data_dir, /*read_only=*/false);
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    const std::string id = FormatDocumentId(seq);
    auto before = archive_->Get(id);
    ASSERT_OK(before);
    auto patch = NormalizeCorrection(
        json{{"counterparty", nullptr}, {"total", "１２,３４５"}, {"needs_metadata", "false"}});
    ASSERT_OK(patch);
    auto v = archive_->Correct(id, *patch, "cli:test", "互換性の確認");
    ASSERT_OK(v);
    json expected = invoice::FieldsToJson(before->versions.back().fields);
    expected.erase("counterparty");
    expected["total"] = "12345";
    expected["needs_metadata"] = false;
    EXPECT_EQ(base::DumpJson(invoice::FieldsToJson(v->fields)), base::DumpJson(expected));
  }
  ExpectLogSurvives(*archive_);
  ExpectVerifies();
}

TEST_F(FieldsCompatTest, EveryKindOfCorrectionReadsBackByteForByte) {
  const std::string data_dir = dir_.Join("kura-data");
  ASSERT_OK(ledger::InitDataDir(fs_.get(), ledger::DataDirLayout{data_dir}, ""));
  Open(data_dir, /*read_only=*/false);
  corpus::Options co;
  co.target_xml_bytes = 0;
  corpus::Generator gen(co);
  std::vector<IncomingFile> files;
  files.push_back({"scan.pdf", "somu", "scan", "cli:test", "%PDF-1.4 paper"});
  files.push_back({"unknown.bin", "somu", "cli", "cli:test", "not an invoice"});
  for (int i = 0; i < 3; ++i) {
    const corpus::Invoice inv = gen.Next();
    files.push_back({inv.id + ".xml", "somu", "peppol", "cli:test", corpus::RenderJpPint(inv)});
  }
  const corpus::Invoice inv = gen.Next();
  auto pdf = corpus::RenderPdf(inv);
  ASSERT_OK(pdf);
  files.push_back({inv.id + ".pdf", "somu", "cli", "cli:test", *pdf});
  std::vector<std::string> ids;
  for (const auto& r : archive_->Ingest(std::move(files))) {
    ASSERT_OK(r);
    ids.push_back(r->id);
  }

  // What people type, set and removed, field by field and all at once.
  const std::vector<json> inputs = {
      {{"issue_date", "２０２６-１０-３１"},
       {"total", "55,000"},
       {"counterparty", "株式会社　山田商事"},
       {"needs_metadata", "false"}},
      {{"registration_number", "t8010401349597"}, {"currency", "jpy"}},
      {{"due_date", "2026-11-30"}, {"tax_inclusive_total", "55000"}},
      {{"invoice_number", "A-1"}, {"bank_account", "0005:123:1:1234567"}},
      {{"document_type", "credit_note"}, {"needs_metadata", true}},
      {{"counterparty", nullptr}, {"registration_number", nullptr}},
      {{"issue_date", nullptr},
       {"due_date", nullptr},
       {"total", nullptr},
       {"tax_inclusive_total", nullptr},
       {"invoice_number", nullptr},
       {"bank_account", nullptr},
       {"currency", nullptr},
       {"document_type", nullptr},
       {"needs_metadata", nullptr}},
      {{"counterparty", "戻した取引先"}, {"document_type", "invoice"}},
  };
  for (const std::string& id : ids) {
    for (const json& input : inputs) {
      auto patch = NormalizeCorrection(input);
      ASSERT_OK(patch) << input.dump();
      ASSERT_OK(archive_->Correct(id, *patch, "cli:clerk", "訂正"));
    }
  }
  // And typed patches made in code.
  invoice::FieldPatch p;
  p.total.Set("1");
  p.bank_account.Remove();
  ASSERT_OK(archive_->Correct(ids[0], p, "cli:clerk", "訂正"));

  archive_.reset();  // LMDB: one open of an environment per process
  const std::vector<std::string> records = StoredVersionRecords(data_dir);
  ASSERT_EQ(records.size(), ids.size() * (1 + inputs.size()) + 1);
  for (const std::string& r : records) ExpectVersionSurvives(r);
  Open(data_dir, /*read_only=*/true);
  const LogCounts n = ExpectLogSurvives(*archive_);
  EXPECT_EQ(n.versions, records.size());
  EXPECT_EQ(n.corrections, ids.size() * inputs.size() + 1);
  ExpectVerifies();
}

}  // namespace
}  // namespace archive
