#include "corpus/legacy_creditors.h"

#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "base/random.h"
#include "base/registration_number.h"

namespace corpus {
namespace {

struct Reading {
  std::string_view kanji, kana;
};
constexpr std::array<Reading, 24> kSurnames = {{
    {"大隅", "オオスミ"}, {"山田", "ヤマダ"},   {"北斗", "ホクト"},   {"三河", "ミカワ"},
    {"青葉", "アオバ"},   {"朝日", "アサヒ"},   {"白石", "シライシ"}, {"丸正", "マルショウ"},
    {"富士", "フジ"},     {"松本", "マツモト"}, {"東和", "トウワ"},   {"中央", "チュウオウ"},
    {"平和", "ヘイワ"},   {"桜井", "サクライ"}, {"新栄", "シンエイ"}, {"日進", "ニッシン"},
    {"協和", "キョウワ"}, {"大和", "ヤマト"},   {"光洋", "コウヨウ"}, {"明星", "ミョウジョウ"},
    {"高砂", "タカサゴ"}, {"若草", "ワカクサ"}, {"千歳", "チトセ"},   {"緑川", "ミドリカワ"},
}};
constexpr std::array<Reading, 18> kTrades = {{
    {"商事", "ショウジ"},     {"建設", "ケンセツ"},   {"印刷", "インサツ"},
    {"電機", "デンキ"},       {"食品", "ショクヒン"}, {"設備", "セツビ"},
    {"造園", "ゾウエン"},     {"運輸", "ウンユ"},     {"事務機", "ジムキ"},
    {"工業", "コウギョウ"},   {"薬品", "ヤクヒン"},   {"技研", "ギケン"},
    {"警備", "ケイビ"},       {"測量", "ソクリョウ"}, {"興産", "コウサン"},
    {"リース", "リース"},     {"システム", "システム"}, {"サービス", "サービス"},
}};
constexpr std::array<std::string_view, 8> kCities = {
    "東京都千代田区", "大阪府大阪市北区", "愛知県名古屋市中区", "福岡県福岡市博多区",
    "北海道札幌市中央区", "神奈川県横浜市西区", "宮城県仙台市青葉区", "広島県広島市中区"};
constexpr std::array<std::string_view, 30> kTowns = {
    "丸の内", "本町",   "栄",     "天神",   "大通西", "桜木町", "中央",   "紙屋町",
    "霞が関", "梅田",   "錦",     "博多駅前", "北条",  "高島",   "国分町", "八丁堀",
    "有楽町", "堂島",   "大須",   "中洲",   "南条",   "戸部",   "一番町", "本通",
    "内幸町", "曽根崎", "新栄",   "住吉",   "平岸",   "花咲町"};
constexpr std::array<std::string_view, 6> kDepartments = {"総務課", "財政課", "土木課",
                                                          "福祉課", "教育総務課", "環境課"};
constexpr std::array<std::string_view, 5> kBanks = {"0001", "0005", "0009", "0017", "0158"};
constexpr std::string_view kKanjiDigits[] = {"〇", "一", "二", "三", "四",
                                             "五", "六", "七", "八", "九"};

std::string Pad(uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*llu", width, static_cast<unsigned long long>(n));
  return buf;
}

std::string CorporateNumber(uint64_t body12) {
  const std::string body = Pad(body12, 12);
  return std::string(1, base::CorporateNumberCheckDigit(body)) + body;
}

// Full-width katakana → the bank's half-width form (small kana as large).
std::string BankKana(std::string_view kana) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(kana.data(), static_cast<int32_t>(kana.size())));
  for (int32_t i = 0; i < u.length(); ++i) {
    const UChar c = u[i];
    if (c == u'ァ' || c == u'ィ' || c == u'ゥ' || c == u'ェ' || c == u'ォ' || c == u'ッ' ||
        c == u'ャ' || c == u'ュ' || c == u'ョ') {
      u.setCharAt(i, static_cast<UChar>(c + 1));
    }
  }
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(
      icu::Transliterator::createInstance("Fullwidth-Halfwidth", UTRANS_FORWARD, status));
  if (U_SUCCESS(status)) t->transliterate(u);
  std::string out;
  u.toUTF8String(out);
  return out;
}

// As a person types it in hiragana: each katakana one block lower, the
// long-vowel mark kept (ICU's Katakana-Hiragana would spell リース りいす).
std::string Hiragana(std::string_view kana) {
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(kana.data(), static_cast<int32_t>(kana.size())));
  for (int32_t i = 0; i < u.length(); ++i) {
    if (u[i] >= 0x30A1 && u[i] <= 0x30F6) u.setCharAt(i, static_cast<UChar>(u[i] - 0x60));
  }
  std::string out;
  u.toUTF8String(out);
  return out;
}

struct Vendor {
  std::string base, kana;  // 大隅商事, オオスミショウジ (an individual: family + given)
  size_t family_bytes = 0;  // an individual's family name in base
  int form = 0;            // 0 株式会社X, 1 X株式会社, 2 有限会社 X, 3 individual
  std::string corporate, registration;
  size_t address = 0;  // index into the address space
  std::string bank, branch, type, account;
  bool shared_bank = false, shared_name_address = false;
};

std::string Name(const Vendor& v, int variant) {
  if (v.form == 3) {
    return variant % 2 ? v.base : v.base.substr(0, v.family_bytes) + "　" + v.base.substr(v.family_bytes);
  }
  const bool yugen = v.form == 2;
  const std::string full = yugen ? "有限会社" : "株式会社", abbr = yugen ? "（有）" : "（株）";
  switch (variant % 6) {
    case 0: return v.form == 1 ? v.base + full : full + v.base;
    case 1: return abbr + v.base;
    case 2: return yugen ? "(有)" + v.base : "㈱" + v.base;
    case 3: return v.base + " " + full;
    case 4: return full + "　" + v.base;
    default: return v.base + "(" + (yugen ? "有" : "株") + ")";
  }
}

std::string KanaName(const Vendor& v, int variant) {
  const std::string legal = v.form == 2 ? "ﾕ" : "ｶ";
  switch (variant % 3) {
    case 0: return v.form == 3 ? BankKana(v.kana) : legal + ")" + BankKana(v.kana);
    case 1: return v.form == 3 ? Hiragana(v.kana) : BankKana(v.kana) + "(" + legal;
    default: return Hiragana(v.kana);
  }
}

std::string Address(size_t a, int variant) {
  const size_t chome = a % 9 + 1, ban = (a / 9) % 30 + 1, go = (a / 270) % 20 + 1;
  const std::string_view town = kTowns[(a / 5400) % kTowns.size()];
  const std::string city(kCities[(a / (5400 * kTowns.size())) % kCities.size()]);
  const std::string c = std::to_string(chome), b = std::to_string(ban), g = std::to_string(go);
  switch (variant % 6) {
    case 0: return city + std::string(town) + c + "丁目" + b + "番" + g + "号";
    case 1: return city + std::string(town) + std::string(kKanjiDigits[chome]) + "丁目" + b + "番" + g + "号";
    case 2: return city + std::string(town) + c + "-" + b + "-" + g;
    case 3: {
      std::string s = city + std::string(town);
      for (char ch : c + "-" + b + "-" + g) {
        if (ch == '-') {
          s += "－";
        } else {
          s += "\xEF\xBC";  // full-width digits U+FF10..
          s.push_back(static_cast<char>(0x90 + (ch - '0')));
        }
      }
      return s;
    }
    case 4: return city + " " + std::string(town) + " " + c + "丁目" + b + "番地" + g;
    default: return city + std::string(town) + c + "丁目" + b + "番地の" + g;
  }
}

constexpr std::array<Reading, 8> kGivenNames = {{{"太郎", "タロウ"}, {"花子", "ハナコ"},
                                                 {"誠", "マコト"},   {"由美", "ユミ"},
                                                 {"健一", "ケンイチ"}, {"直子", "ナオコ"},
                                                 {"翔", "ショウ"},   {"恵", "メグミ"}}};

constexpr size_t kAddressHalf = 648000;  // 8 cities × 30 towns × 5,400 street numbers / 2

size_t SpreadAddress(size_t i) { return (i * 1000003) % kAddressHalf; }

Vendor MakeVendor(size_t i) {
  Vendor v;
  const Reading& s = kSurnames[i % kSurnames.size()];
  if (i % 10 < 8) {
    const Reading& t = kTrades[(i / kSurnames.size()) % kTrades.size()];
    v.base = std::string(s.kanji) + std::string(t.kanji);
    v.kana = std::string(s.kana) + std::string(t.kana);
    v.form = static_cast<int>(i % 3);
    const std::string corp = CorporateNumber(100000000000ULL + i * 37);
    const size_t r = i % 20;
    if (r < 14 || r >= 17) v.registration = "T" + corp;
    if (r < 17) v.corporate = corp;
  } else {
    const Reading& g = kGivenNames[(i / kSurnames.size()) % kGivenNames.size()];
    v.base = std::string(s.kanji) + std::string(g.kanji);
    v.family_bytes = s.kanji.size();
    v.kana = std::string(s.kana) + std::string(g.kana);
    v.form = 3;
    if (i % 2 == 0) v.registration = "T" + CorporateNumber(900000000000ULL + i);
  }
  v.address = SpreadAddress(i);
  v.bank = std::string(kBanks[i % kBanks.size()]);
  v.branch = Pad(i % 1000, 3);
  v.type = "1";
  v.account = Pad(i + 1, 7);
  return v;
}

using Row = std::array<std::string, 14>;

std::string Date(base::Random& rng, bool slashes) {
  const int y = 2015 + static_cast<int>(rng.Uniform(11)), m = 1 + static_cast<int>(rng.Uniform(12)),
            d = 1 + static_cast<int>(rng.Uniform(28));
  if (slashes) return std::to_string(y) + "/" + std::to_string(m) + "/" + std::to_string(d);
  return std::to_string(y) + "-" + Pad(m, 2) + "-" + Pad(d, 2);
}

Row Primary(const std::string& number, const Vendor& v, base::Random& rng) {
  return {number,
          Name(v, 0),
          v.kana,
          v.registration,
          v.corporate,
          Address(v.address, 0),
          v.bank,
          v.branch,
          v.type,
          v.account,
          KanaName(v, 0),
          std::to_string(rng.Uniform(800)),
          Date(rng, false),
          std::string(kDepartments[rng.Uniform(kDepartments.size())])};
}

// A duplicate of v that shares only what kind says.
Row Duplicate(const std::string& number, const Vendor& v, std::string_view kind,
              base::Random& rng) {
  const int nv = 1 + static_cast<int>(rng.Uniform(5)), av = 1 + static_cast<int>(rng.Uniform(5));
  Row r{number, Name(v, nv), "", "", "", "", "", "", "", "", "",
        std::to_string(rng.Uniform(50)), rng.OneIn(4) ? "" : Date(rng, rng.OneIn(2)),
        std::string(kDepartments[rng.Uniform(kDepartments.size())])};
  if (kind == "registration_number") {
    r[3] = v.registration;
  } else if (kind == "corporate_number") {
    r[4] = v.corporate;
  } else if (kind == "registration_corporate") {
    if (v.registration.empty()) r[3] = "T" + v.corporate;
    if (v.corporate.empty()) r[4] = v.registration.substr(1);
  } else if (kind == "bank_account") {
    r[1] = KanaName(v, nv);
    r[6] = std::to_string(std::stoi(v.bank));
    r[7] = v.branch;
    r[8] = "普通";
    r[9] = std::to_string(std::stoll(v.account));
  } else if (kind == "name_address") {
    r[5] = Address(v.address, av);
  } else {  // kana_address
    r[1] = KanaName(v, nv);
    r[5] = Address(v.address, av);
  }
  return r;
}

std::vector<std::string_view> Kinds(const Vendor& v) {
  std::vector<std::string_view> kinds;
  if (!v.registration.empty()) kinds.push_back("registration_number");
  if (!v.corporate.empty()) kinds.push_back("corporate_number");
  if (v.form != 3 && (v.registration.empty() != v.corporate.empty())) {
    kinds.push_back("registration_corporate");
  }
  if (!v.shared_bank) kinds.push_back("bank_account");
  if (!v.shared_name_address) {
    kinds.push_back("name_address");
    kinds.push_back("kana_address");
  }
  return kinds;
}

// The look-alike of v (a 法人), and the kind: another vendor kura must keep apart.
Vendor LookAlike(size_t i, Vendor* v, std::string* kind) {
  Vendor w = MakeVendor(i + 7);  // another name, numbers and account
  w.corporate = CorporateNumber(500000000000ULL + i);
  w.registration = "T" + w.corporate;
  w.account = Pad(5000000 + i, 7);
  w.address = kAddressHalf + SpreadAddress(i);  // another city
  switch ((i / 25) % 3) {
    case 0:  // the same name in another city, without any number
      *kind = "same_name_other_city";
      w.base = v->base, w.kana = v->kana, w.form = v->form;
      w.corporate.clear(), w.registration.clear();
      break;
    case 1:  // a subsidiary at the parent's address, with its own 法人番号
      *kind = "subsidiary_same_address";
      w.address = v->address;
      w.base = v->base + ((i / 75) % 2 ? "ホールディングス" : "");
      w.kana = v->kana + ((i / 75) % 2 ? "ホールディングス" : "");
      w.form = v->form == 2 ? 0 : 2;
      v->shared_name_address = true;
      break;
    default:  // paid through the same factoring account
      *kind = "shared_factoring_account";
      w.bank = v->bank, w.branch = v->branch, w.account = v->account;
      v->shared_bank = true;
      break;
  }
  return w;
}

std::string CsvLine(const Row& r) {
  std::string line;
  for (size_t f = 0; f < r.size(); ++f) {
    if (f > 0) line += ',';
    if (f == 1 || f == 5) {  // names and addresses quoted, as exports do
      line += '"' + r[f] + '"';
    } else {
      line += r[f];
    }
  }
  return line + "\r\n";
}

}  // namespace

LegacyCorpus GenerateLegacyCreditors(const LegacyCorpusOptions& options) {
  LegacyCorpus out;
  base::Random rng(options.seed);
  std::vector<Row> rows;
  std::map<std::string, size_t> planted;
  uint64_t k = 0;
  auto next_number = [&] { return std::to_string(1000000 + (k++ * 7919) % 9000000); };
  auto add = [&](Row row, std::vector<std::string>* group) {
    if (rows.size() >= options.rows) return false;
    group->push_back(row[0]);
    rows.push_back(std::move(row));
    return true;
  };
  for (size_t i = 0; rows.size() < options.rows; ++i) {
    Vendor v = MakeVendor(i);
    std::string look_kind;
    std::optional<Vendor> w;
    if (i % 25 == 0) w = LookAlike(i, &v, &look_kind);
    std::vector<std::string> group;
    add(Primary(next_number(), v, rng), &group);
    if (options.master_every > 0 && i % options.master_every == 0) {
      const std::string id = "V" + Pad(out.master.size() + 1, 5);
      out.master.push_back({id, Name(v, 0),
                            v.registration.empty() && !v.corporate.empty() ? "T" + v.corporate
                                                                           : v.registration,
                            v.bank + ":" + v.branch + ":1:" + v.account, Address(v.address, 2),
                            KanaName(v, 0)});
      group.push_back(id);
    }
    const uint64_t roll = rng.Uniform(100);
    const int dups = roll < 60 ? 0 : roll < 80 ? 1 : roll < 92 ? 2 : roll < 98 ? 3 : 4;
    const std::vector<std::string_view> kinds = Kinds(v);
    for (int d = 0; d < dups; ++d) {
      const std::string_view kind = kinds[rng.Uniform(kinds.size())];
      if (add(Duplicate(next_number(), v, kind, rng), &group)) ++planted[std::string(kind)];
    }
    out.vendors.push_back(std::move(group));
    if (w) {
      std::vector<std::string> other;
      if (add(Primary(next_number(), *w, rng), &other)) ++planted[look_kind];
      out.vendors.push_back(std::move(other));
    }
  }
  for (size_t i = rows.size(); i > 1; --i) std::swap(rows[i - 1], rows[rng.Uniform(i)]);
  out.csv =
      "債権者番号,債権者名,債権者名カナ,登録番号,法人番号,住所,銀行コード,支店コード,預金種目,"
      "口座番号,口座名義,利用回数,最終利用日,所管課\r\n";
  for (const Row& r : rows) out.csv += CsvLine(r);
  out.planted.assign(planted.begin(), planted.end());
  return out;
}

}  // namespace corpus
