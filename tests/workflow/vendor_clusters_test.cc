// The consolidation of legacy creditor numbers (workflow/vendor_clusters.h):
// the normalised keys, each kind of link with its reason, the look-alikes
// that must stay apart, the suggested survivor, and precision and recall on
// a generated export whose truth is known (corpus/legacy_creditors.h).
#include "workflow/vendor_clusters.h"

#include <cstdio>
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "corpus/legacy_creditors.h"
#include "tests/fakes/test_util.h"
#include "workflow/matching.h"

namespace workflow {
namespace {

LegacyCreditor Row(std::string number, std::string name, std::string address = "") {
  LegacyCreditor c;
  c.number = std::move(number);
  c.name = std::move(name);
  c.address = std::move(address);
  return c;
}

TEST(VendorClustersTest, AddressFormsMeet) {
  const std::string want = NormalizeAddress("東京都千代田区丸の内1-2-3");
  EXPECT_EQ(want, "東京都千代田区丸の内1-2-3");
  for (const char* a : {"東京都千代田区丸の内一丁目2番3号", "東京都千代田区丸の内１－２－３",
                        "東京都 千代田区 丸の内1丁目2番地3", "東京都千代田区丸の内1丁目2番地の3",
                        "東京都千代田区丸の内一丁目二番三号"}) {
    EXPECT_EQ(NormalizeAddress(a), want) << a;
  }
  // Kanji numerals that are part of a place name stay.
  EXPECT_EQ(NormalizeAddress("三重県四日市市"), "三重県四日市市");
  EXPECT_NE(NormalizeAddress("東京都千代田区丸の内1-2-3"), NormalizeAddress("東京都千代田区丸の内1-2-4"));
}

TEST(VendorClustersTest, KanaFormsMeet) {
  const std::string want = NormalizeKana("オオスミショウジ");
  EXPECT_EQ(want, "オオスミシヨウジ");
  for (const char* k : {"ｶ)ｵｵｽﾐｼﾖｳｼﾞ", "ｵｵｽﾐｼｮｳｼﾞ(ｶ", "おおすみしょうじ", "オオスミショウジ カブシキガイシャ",
                        "（カ）オオスミショウジ"}) {
    EXPECT_EQ(NormalizeKana(k), want) << k;
  }
  EXPECT_EQ(NormalizeKana("大隅商事"), "");  // not a kana name
}

TEST(VendorClustersTest, EachKindOfLinkCarriesItsReason) {
  ClusterInput in;
  LegacyCreditor a = Row("A1", "株式会社大隅商事", "東京都千代田区丸の内1-2-3");
  a.registration_number = "T7010705000725";
  LegacyCreditor b = Row("A2", "大隅商事");
  b.corporate_number = "7010705000725";  // the same 法人 as A1's registration
  LegacyCreditor c = Row("A3", "ｵｵｽﾐｼｮｳｼﾞ");
  c.bank_code = "0001", c.branch_code = "001", c.account_number = "1234567";
  a.bank_code = "0001", a.branch_code = "001", a.account_number = "1234567";
  LegacyCreditor d = Row("A4", "㈱ 大隅商事", "東京都千代田区丸の内一丁目2番3号");
  LegacyCreditor e = Row("A5", "ｶ)ｵｵｽﾐｼﾖｳｼﾞ", "東京都千代田区丸の内１－２－３");
  a.name_kana = "オオスミショウジ";
  in.legacy = {a, b, c, d, e};
  const auto clusters = FindVendorClusters(in);
  ASSERT_EQ(clusters.size(), 1u);
  std::map<std::string, std::string> kind_of;
  for (const ClusterLink& l : clusters[0].links) kind_of[l.to] = l.kind + " " + l.reason;
  EXPECT_EQ(clusters[0].links.size(), 4u);
  EXPECT_NE(kind_of["A2"].find("登録番号と法人番号が一致"), std::string::npos) << kind_of["A2"];
  EXPECT_NE(kind_of["A3"].find("口座が同じ"), std::string::npos) << kind_of["A3"];
  EXPECT_NE(kind_of["A4"].find("名称と住所が同じ"), std::string::npos) << kind_of["A4"];
  EXPECT_NE(kind_of["A5"].find("カナ名と住所が同じ"), std::string::npos) << kind_of["A5"];
}

TEST(VendorClustersTest, LookAlikesStayApart) {
  ClusterInput in;
  // The same name in another city.
  in.legacy.push_back(Row("B1", "株式会社北斗建設", "東京都府中市宮町1-1-1"));
  in.legacy.push_back(Row("B2", "北斗建設株式会社", "広島県府中市府川町1-1-1"));
  // A parent and its subsidiary at one address, each with its 法人番号; a
  // number without one at that address is ambiguous and left alone.
  LegacyCreditor p = Row("C1", "株式会社青葉商事", "宮城県仙台市青葉区国分町1-1-1");
  p.corporate_number = "7010705000725";
  LegacyCreditor s = Row("C2", "青葉商事有限会社", "宮城県仙台市青葉区国分町一丁目1番1号");
  s.corporate_number = "1010001000006";  // another 法人
  in.legacy.insert(in.legacy.end(), {p, s, Row("C3", "青葉商事", "宮城県仙台市青葉区国分町1-1-1")});
  // Two companies paid through one factoring account.
  LegacyCreditor f1 = Row("D1", "朝日電機株式会社");
  f1.registration_number = "T5010001000002";
  LegacyCreditor f2 = Row("D2", "光洋運輸株式会社");
  f2.registration_number = "T5020001000001";
  for (LegacyCreditor* f : {&f1, &f2}) f->bank_code = "0009", f->branch_code = "100", f->account_number = "7777777";
  in.legacy.insert(in.legacy.end(), {f1, f2});
  EXPECT_TRUE(FindVendorClusters(in).empty());
}

TEST(VendorClustersTest, SurvivorIsTheMasterEntryElseTheMostUsedNumber) {
  ClusterInput in;
  LegacyCreditor a = Row("100", "大隅商事"), b = Row("200", "大隅商事"), c = Row("300", "大隅商事");
  for (LegacyCreditor* x : {&a, &b, &c}) x->registration_number = "T7010705000725";
  a.use_count = 5, b.use_count = 90, c.use_count = 90;
  b.last_used = "2023-01-01", c.last_used = "2024-06-01";
  in.legacy = {a, b, c};
  auto clusters = FindVendorClusters(in);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0].survivor, "300");  // as used as 200, used later
  EXPECT_NE(clusters[0].survivor_reason.find("利用回数"), std::string::npos);
  in.master.push_back(Vendor{"V00007", "株式会社大隅商事", "T7010705000725", "", "", ""});
  clusters = FindVendorClusters(in);
  ASSERT_EQ(clusters.size(), 1u);
  EXPECT_EQ(clusters[0].survivor, "V00007");
  EXPECT_EQ(clusters[0].members.front().number, "V00007");
  // Once every number is merged into the survivor, nothing is left to decide.
  in.merged = {{"100", "V00007"}, {"200", "V00007"}, {"300", "V00007"}};
  EXPECT_TRUE(FindVendorClusters(in).empty());
  in.merged.erase("300");
  clusters = FindVendorClusters(in);
  ASSERT_EQ(clusters.size(), 1u);
  for (const ClusterMember& m : clusters[0].members) {
    EXPECT_EQ(m.merged_into, m.number == "300" || m.in_master ? "" : "V00007") << m.number;
  }
}

TEST(VendorClustersTest, CsvListsEveryMemberWithItsReasons) {
  ClusterInput in;
  LegacyCreditor a = Row("100", "大隅, 商事"), b = Row("200", "大隅商事");
  a.registration_number = b.registration_number = "T7010705000725";
  in.legacy = {a, b};
  const std::string csv = ClustersCsv(FindVendorClusters(in));
  EXPECT_EQ(csv.rfind("\xEF\xBB\xBF" "クラスタ,統合先候補,債権者番号", 0), 0u);
  EXPECT_NE(csv.find("\"大隅, 商事\""), std::string::npos);
  EXPECT_NE(csv.find("登録番号が同じ（T7010705000725）"), std::string::npos);
}

// Pairs of numbers in one group, for precision and recall.
std::set<std::pair<std::string, std::string>> Pairs(
    const std::vector<std::vector<std::string>>& groups) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& g : groups) {
    for (size_t i = 0; i < g.size(); ++i) {
      for (size_t j = i + 1; j < g.size(); ++j) out.insert(std::minmax(g[i], g[j]));
    }
  }
  return out;
}

TEST(VendorClustersTest, PlantedDuplicatesAreFoundAndLookAlikesAreNot) {
  const corpus::LegacyCorpus corpus = corpus::GenerateLegacyCreditors({6000, 7, 40});
  auto parsed = ParseLegacyCreditors(corpus.csv, LegacyEncoding::kAuto);
  ASSERT_OK(parsed);
  ASSERT_TRUE(parsed->errors.empty()) << parsed->errors[0].line << " " << parsed->errors[0].message;
  ASSERT_EQ(parsed->rows.size(), 6000u);
  ClusterInput in;
  in.legacy = parsed->rows;
  for (const auto& m : corpus.master) {
    in.master.push_back(Vendor{m.id, m.name, m.registration_number, m.bank_account, m.address,
                               m.account_holder});
  }
  std::vector<std::vector<std::string>> found;
  for (const VendorCluster& c : FindVendorClusters(in)) {
    found.emplace_back();
    for (const ClusterMember& m : c.members) found.back().push_back(m.number);
  }
  const auto truth = Pairs(corpus.vendors), predicted = Pairs(found);
  size_t hit = 0;
  for (const auto& p : predicted) hit += truth.count(p);
  const double precision = predicted.empty() ? 0 : double(hit) / predicted.size();
  const double recall = truth.empty() ? 0 : double(hit) / truth.size();
  std::printf("planted:");
  for (const auto& [kind, n] : corpus.planted) std::printf(" %s=%zu", kind.c_str(), n);
  std::printf("\npairs: true %zu, predicted %zu, correct %zu; precision %.4f recall %.4f\n",
              truth.size(), predicted.size(), hit, precision, recall);
  for (const auto& [kind, n] : corpus.planted) EXPECT_GT(n, 0u) << kind;
  for (const auto& p : predicted) {
    if (!truth.count(p)) ADD_FAILURE() << "linked but not the same vendor: " << p.first << " " << p.second;
  }
  size_t missed = 0;
  for (const auto& p : truth) {
    if (!predicted.count(p) && ++missed <= 5) {
      std::string rows;
      for (const LegacyCreditor& c : parsed->rows) {
        if (c.number == p.first || c.number == p.second) rows += "\n" + ToApiJson(c).dump();
      }
      ADD_FAILURE() << "not linked: " << p.first << " " << p.second << rows;
    }
  }
  EXPECT_EQ(precision, 1.0);
  EXPECT_EQ(recall, 1.0);
}

}  // namespace
}  // namespace workflow
