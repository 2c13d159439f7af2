// `kura export` and `kura verify-export`: the bag checked with tools nobody
// at kura wrote (sha256sum, openssl ts -verify) and with the bag's own
// Python verifier, and every changed byte named.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "archive/archive.h"
#include "base/file_system.h"
#include "base/time.h"
#include "compliance/export.h"
#include "compliance/internal/bag_io.h"
#include "tests/compliance/kura_cli.h"

namespace {

using kura_test::KuraRun;
using nlohmann::json;
namespace fs = std::filesystem;

class ExportTest : public kura_test::KuraCliTest {
 protected:
  // Every regular file of the bag, relative to its root, sorted.
  std::vector<std::string> BagFiles(const std::string& bag) {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir_.Join(bag))) {
      if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir_.Join(bag)).string());
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

TEST_F(ExportTest, BagChecksWithSha256sumOpensslAndItsOwnVerifier) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(8));
  ASSERT_EQ(Kura("correct D00000003 --set total=1000 --reason 金額の誤り").exit_code, 0);
  const KuraRun r = Kura("export --out bag --organization 蔵前市会計室");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["documents"], 8);
  EXPECT_NE(r.err.find("8 / 8 件"), std::string::npos) << r.err;  // progress

  std::string out;
  EXPECT_EQ(Sh("cd bag && sha256sum -c manifest-sha256.txt", &out), 0) << out;
  EXPECT_EQ(Sh("cd bag && sha512sum -c manifest-sha512.txt", &out), 0) << out;
  EXPECT_EQ(Sh("cd bag && sha256sum -c tagmanifest-sha256.txt", &out), 0) << out;
  // Every token, each against the original itself and the exported chain.
  int tokens = 0;
  for (const auto& e : fs::directory_iterator(dir_.Join("bag/data/originals"))) {
    const std::string id = e.path().filename().string();
    for (const auto& f : fs::directory_iterator(e.path())) {
      ASSERT_EQ(Sh("cd bag && openssl ts -verify -data " + fs::relative(f.path(), dir_.Join("bag")).string() +
                       " -in data/timestamps/" + id + ".tsr -CAfile data/timestamps/tsa-chain.pem",
                   &out),
                0)
          << id << ": " << out;
      EXPECT_NE(out.find("Verification: OK"), std::string::npos);
      ++tokens;
    }
  }
  EXPECT_EQ(tokens, 8);
  // The checkpoints' tokens, over their note files.
  int checkpoint_tokens = 0;
  for (const auto& e : fs::directory_iterator(dir_.Join("bag/data/checkpoints"))) {
    if (e.path().extension() != ".tsr") continue;
    const std::string t = "data/checkpoints/" + e.path().stem().string();
    ASSERT_EQ(Sh("cd bag && openssl ts -verify -data " + t + ".note -in " + t +
                     ".tsr -CAfile data/timestamps/tsa-chain.pem",
                 &out),
              0)
        << out;
    ++checkpoint_tokens;
  }
  EXPECT_GE(checkpoint_tokens, 1);
  // The bag's own verifier, on every proof: 8 receipts and 1 correction.
  ASSERT_EQ(Sh("cd bag && python3 verify_proofs.py", &out), 0) << out;
  EXPECT_NE(out.find("9 inclusion proofs"), std::string::npos) << out;
  const json proof = json::parse(kura_test::ReadFileOrDie(dir_.Join("bag/data/proofs/D00000003.json")));
  ASSERT_EQ(proof["events"].size(), 2u);
  EXPECT_NE(proof["events"][1]["event"].get<std::string>().find("document.corrected"),
            std::string::npos);

  const std::string info = kura_test::ReadFileOrDie(dir_.Join("bag/bag-info.txt"));
  EXPECT_NE(info.find("Source-Organization: 蔵前市会計室\n"), std::string::npos) << info;
  EXPECT_NE(info.find("Payload-Oxum: "), std::string::npos);
  EXPECT_NE(info.find("Bagging-Date: "), std::string::npos);
  EXPECT_EQ(kura_test::ReadFileOrDie(dir_.Join("bag/bagit.txt")),
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n");
  EXPECT_EQ(kura_test::ReadFileOrDie(dir_.Join("bag/data/metadata.csv")).rfind("\xEF\xBB\xBF", 0), 0u);
  const json meta = json::parse(kura_test::ReadFileOrDie(dir_.Join("bag/data/metadata.json")));
  ASSERT_EQ(meta.size(), 8u);
  EXPECT_TRUE(meta[0]["fields"].is_object());
  EXPECT_EQ(kura_test::ReadFileOrDie(dir_.Join("bag/data/report.pdf")).rfind("%PDF-", 0), 0u);
  // The originals are the received bytes.
  for (const json& row : meta) {
    const std::string name = row["file_name"];
    EXPECT_EQ(kura_test::ReadFileOrDie(dir_.Join("bag/" + row["original"].get<std::string>())),
              kura_test::ReadFileOrDie(dir_.Join("inv/" + name)));
  }
  const KuraRun v = Kura("verify-export bag");
  EXPECT_EQ(v.exit_code, 0) << v.err;
}

// The history's versions are copied from the stored records, not decoded
// and encoded again: they must still be what `kura show` reads, and the
// metadata's fields those of the current version.
TEST_F(ExportTest, HistoryHoldsEveryVersionAsKuraShowReadsIt) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(3));
  ASSERT_EQ(Kura("correct D00000002 --set total=1000 --reason 金額の誤り").exit_code, 0);
  const KuraRun shown = Kura("show D00000002");
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  const json view = json::parse(shown.out);
  const KuraRun r = Kura("export --out bag");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const json history = json::parse(kura_test::ReadFileOrDie(dir_.Join("bag/data/history/D00000002.json")));
  ASSERT_EQ(history["versions"].size(), 2u);
  EXPECT_EQ(history["versions"], view["versions"]);
  EXPECT_EQ(history["versions"][1]["reason"], "金額の誤り");
  EXPECT_EQ(history["record"], view["record"]);
  EXPECT_EQ(history["receipts"], view["receipts"]);
  EXPECT_FALSE(history.contains("current"));  // the last version, not repeated
  ASSERT_EQ(history["events"].size(), 2u);    // received, corrected
  const json meta = json::parse(kura_test::ReadFileOrDie(dir_.Join("bag/data/metadata.json")));
  for (const json& row : meta) {
    if (row["id"] == "D00000002") {
      EXPECT_EQ(row["fields"], view["versions"][1]["fields"]);
    }
  }
  const json other = json::parse(kura_test::ReadFileOrDie(dir_.Join("bag/data/history/D00000001.json")));
  EXPECT_EQ(other["versions"].size(), 1u);
}

// A ZIP that stores everything (ExportOptions::zip_store_all) writes the
// metadata files and the manifests piece by piece, with the CRC-32 taken
// over the pieces: it must still be a ZIP that unzip and verify-export
// accept, with no entry deflated.
TEST_F(ExportTest, AZipThatStoresEverythingVerifies) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(3));
  {
    auto fs = base::NewPosixFileSystem();
    base::SystemClock clock;
    archive::ArchiveOptions options;
    options.data_dir = dir_.Join("kura-data");
    auto arc = archive::Archive::Open(options, fs.get(), &clock);
    ASSERT_TRUE(arc.ok()) << arc.status().ToString();
    ASSERT_TRUE((*arc)->ledger().PublishCheckpoint().ok());
    compliance::ExportOptions o;
    o.out = dir_.Join("stored.zip");
    o.zip_store_all = true;
    o.organization = "蔵前市会計室";
    auto s = compliance::ExportBag(**arc, clock, o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(s->documents, 3u);
  }
  std::string out;
  ASSERT_EQ(Sh("unzip -t stored.zip", &out), 0) << out;
  ASSERT_EQ(Sh("unzip -v stored.zip", &out), 0) << out;
  EXPECT_NE(out.find("data/metadata.json"), std::string::npos) << out;
  EXPECT_NE(out.find("manifest-sha512.txt"), std::string::npos) << out;
  EXPECT_EQ(out.find("Defl"), std::string::npos) << out;
  const KuraRun v = Kura("verify-export stored.zip");
  EXPECT_EQ(v.exit_code, 0) << v.err;
}

TEST_F(ExportTest, AChangedByteInAnyFileIsNamed) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(3));
  ASSERT_EQ(Kura("export --out bag").exit_code, 0);
  const std::vector<std::string> files = BagFiles("bag");
  ASSERT_GT(files.size(), 20u);
  for (const std::string& file : files) {
    std::string out;
    ASSERT_EQ(Sh("rm -rf t && cp -r bag t", &out), 0);
    // Flip one byte in the middle (a hex digit of a manifest stays a hex digit).
    const std::string path = dir_.Join("t/" + file);
    std::string bytes = kura_test::ReadFileOrDie(path);
    ASSERT_FALSE(bytes.empty()) << file;
    const size_t at = bytes.size() / 2;
    bytes[at] = bytes[at] == '0' ? '1' : (bytes[at] == '\n' ? ' ' : '0');
    kura_test::WriteFileOrDie(path, bytes);
    const KuraRun v = Kura("verify-export t");
    EXPECT_EQ(v.exit_code, 1) << file;
    EXPECT_NE(v.err.find(file), std::string::npos) << file << ":\n" << v.err;
  }
}

TEST_F(ExportTest, AFileAddedToDataIsNamed) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(2));
  ASSERT_EQ(Kura("export --out bag").exit_code, 0);
  kura_test::WriteFileOrDie(dir_.Join("bag/data/originals/extra.pdf"), "%PDF forged");
  const KuraRun v = Kura("verify-export bag");
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(v.err.find("data/originals/extra.pdf"), std::string::npos) << v.err;
}

TEST_F(ExportTest, TheBagsVerifierRejectsAChangedProof) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(4));
  ASSERT_EQ(Kura("export --out bag").exit_code, 0);
  const std::string path = dir_.Join("bag/data/proofs/D00000002.json");
  json p = json::parse(kura_test::ReadFileOrDie(path));
  std::string h = p["events"][0]["inclusion_proof"][0];
  h[0] = h[0] == '0' ? '1' : '0';
  p["events"][0]["inclusion_proof"][0] = h;
  kura_test::WriteFileOrDie(path, p.dump(2));
  std::string out;
  EXPECT_EQ(Sh("cd bag && python3 verify_proofs.py", &out), 1) << out;
  EXPECT_NE(out.find("NG data/proofs/D00000002.json"), std::string::npos) << out;
}

TEST_F(ExportTest, ZipBagVerifiesAndUnpacksToTheSameChecks) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(5));
  const KuraRun r = Kura("export --department somu --out bag.zip");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir_.Join("bag.zip.partial")));
  const KuraRun v = Kura("verify-export bag.zip");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  EXPECT_EQ(json::parse(v.out)["documents"], 5);
  std::string out;
  // The ZIP is written by kura's own writer: Info-ZIP's unzip and Python's
  // zipfile test every file's CRC-32 and sizes.
  ASSERT_EQ(Sh("unzip -tq bag.zip && python3 -m zipfile -t bag.zip", &out), 0) << out;
  ASSERT_EQ(Sh("mkdir u && cd u && python3 -m zipfile -e ../bag.zip . && sha256sum -c "
               "manifest-sha256.txt && python3 verify_proofs.py",
               &out),
            0)
      << out;
  // A ZIP whose bytes changed does not pass.
  std::string zip = kura_test::ReadFileOrDie(dir_.Join("bag.zip"));
  zip[zip.size() / 3] ^= 0x20;
  kura_test::WriteFileOrDie(dir_.Join("bad.zip"), zip);
  EXPECT_NE(Kura("verify-export bad.zip").exit_code, 0);
}

// More files than a ZIP's end record can count (65,535): the writer adds
// the Zip64 end records, and unzip, Python and libarchive read them all.
TEST_F(ExportTest, AZipOfMoreThan65535FilesHasZip64EndRecords) {
  auto sink = compliance::internal::NewZipSink(dir_.Join("many.zip"));
  ASSERT_TRUE(sink.ok()) << sink.status().ToString();
  constexpr int kFiles = 70000;
  for (int i = 0; i < kFiles; ++i) {
    const std::string body = "file " + std::to_string(i) + "\n";
    ASSERT_TRUE((*sink)->Put("f/" + std::to_string(i), body).ok());
  }
  ASSERT_TRUE((*sink)->Finish().ok());
  std::string out;
  ASSERT_EQ(Sh("unzip -tq many.zip && python3 -c \"import zipfile; z = zipfile.ZipFile('many.zip'); "
               "assert z.testzip() is None; n = len(z.namelist()); assert n == 70000, n; "
               "assert z.read('f/69999') == b'file 69999\\n'\"",
               &out),
            0)
      << out;
  int seen = 0;
  ASSERT_TRUE(compliance::internal::ForEachBagFile(
                  dir_.Join("many.zip"),
                  [&](const std::string&, uint64_t, const auto&) {
                    ++seen;
                    return base::Status::OK();
                  })
                  .ok());
  EXPECT_EQ(seen, kFiles);
}

// Originals keep the names they were received under, Japanese ones too:
// the ZIP's UTF-8 names are read whatever the caller's locale (libarchive
// converts names through LC_CTYPE, which kura sets to C.UTF-8 itself).
TEST_F(ExportTest, AZipWithJapaneseFileNamesVerifiesUnderTheCLocale) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(1));
  std::string out;
  ASSERT_EQ(Sh("mkdir ja && for f in inv/*; do cp \"$f\" ja/請求書_令和8年12月.pdf; break; done && "
               "printf 'scan' >> ja/請求書_令和8年12月.pdf",
               &out),
            0)
      << out;
  ASSERT_EQ(Kura("ingest --department somu ja/請求書_令和8年12月.pdf").exit_code, 0);
  ASSERT_EQ(Kura("export --department somu --out bag.zip").exit_code, 0);
  ASSERT_EQ(Sh(std::string("LC_ALL=C LANG=C ") + KURA_PROGRAM + " verify-export bag.zip", &out), 0)
      << out;
  EXPECT_NE(out.find("\"documents\":2"), std::string::npos) << out;
  ASSERT_EQ(Sh("python3 -m zipfile -l bag.zip | grep -c 請求書_令和8年12月.pdf", &out), 0) << out;
}

TEST_F(ExportTest, BatchTokensVerifyThroughTheBagsRoot) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(3, /*batch_timestamps=*/true));
  ASSERT_EQ(Kura("export --out bag").exit_code, 0);
  std::string out;
  ASSERT_EQ(Sh("cd bag && python3 verify_proofs.py", &out), 0) << out;
  // "data/timestamps/D00000001.json: openssl ts -verify -digest ROOT"
  const std::string key = "data/timestamps/D00000001.json: openssl ts -verify -digest ";
  const size_t at = out.find(key);
  ASSERT_NE(at, std::string::npos) << out;
  const std::string root = out.substr(at + key.size(), 64);
  EXPECT_EQ(Sh("cd bag && openssl ts -verify -digest " + root +
                   " -in data/timestamps/D00000001.tsr -CAfile data/timestamps/tsa-chain.pem",
               &out),
            0)
      << out;
  EXPECT_EQ(Kura("verify-export bag").exit_code, 0);
}

TEST_F(ExportTest, ADocumentWithoutItsOriginalIsMarkedNotFailed) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(3));
  // As after a disposal: the bytes are gone, the records stay.
  const std::string sha = json::parse(Kura("show D00000002").out)["record"]["sha256"];
  std::string out;
  ASSERT_EQ(Sh("find kura-data/objects -name '" + sha + "*' -delete", &out), 0) << out;
  const KuraRun r = Kura("export --out bag");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["missing_originals"], 1);
  EXPECT_FALSE(fs::exists(dir_.Join("bag/data/originals/D00000002")));
  const json meta = json::parse(kura_test::ReadFileOrDie(dir_.Join("bag/data/metadata.json")));
  for (const json& row : meta) {
    EXPECT_EQ(row["original"].is_null(), row["id"] == "D00000002") << row["id"];
  }
  EXPECT_NE(kura_test::ReadFileOrDie(dir_.Join("bag/data/metadata.csv")).find("（原本なし）"),
            std::string::npos);
  // report.pdf (rendered while the documents were prepared) says the same:
  // one original missing, every token's time.
  ASSERT_EQ(Sh("pdftotext -layout bag/data/report.pdf -", &out), 0) << out;
  EXPECT_NE(out.find("3 件（原本なし 1 件）"), std::string::npos) << out;
  EXPECT_EQ(out.find("（タイムスタンプなし）"), std::string::npos) << out;
  const size_t row = out.find("SHA-256 " + sha);
  ASSERT_NE(row, std::string::npos) << out;
  EXPECT_NE(out.substr(row, out.find('\n', row) - row).find("原本なし"), std::string::npos) << out;
  EXPECT_EQ(Kura("verify-export bag").exit_code, 0);
}

TEST_F(ExportTest, RefusesANonEmptyFolderAndBadFilters) {
  ASSERT_NO_FATAL_FAILURE(InitWithInvoices(1));
  std::string out;
  ASSERT_EQ(Sh("mkdir full && echo x > full/x", &out), 0);
  KuraRun r = Kura("export --out full");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("空ではありません"), std::string::npos) << r.err;
  r = Kura("export --date-from 2026-13-01 --out b");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(dir_.Join("b")));
}

}  // namespace
