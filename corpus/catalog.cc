// The generator's tables. Every company, address and account here is made
// up; place names, bank codes and budget terms are real so that the data
// looks like what a city in Saitama receives. 蔵前市 itself is fictional.

#include "corpus/internal/catalog.h"

#include <array>
#include <cstdio>

#include "base/random.h"
#include "base/registration_number.h"
#include "base/utf8.h"

namespace corpus::internal {
namespace {

enum Category : int {
  kCleaning,
  kFacility,
  kConstruction,
  kOfficeSupplies,
  kPrinting,
  kSchoolLunch,
  kNewspaper,
  kIt,
  kLease,
  kLandscaping,
  kSurvey,
  kWaste,
  kFuel,
  kEquipment,
  kVehicle,
};

// {description, unit code, unit name, price lo, price hi, qty max, rate,
//  weight, halves}
constexpr ItemSpec kCleaningItems[] = {
    {"庁舎日常清掃業務委託（{m}月分）", "MON", "月", 0, 0, 1, 10, 3, false},
    {"定期清掃（床面洗浄・ワックス）", "MTK", "m²", 150, 400, 5000, 10, 2,
     true},
    {"窓ガラス清掃", "MTK", "m²", 200, 600, 2000, 10, 2, true},
    {"施設警備業務委託（{m}月分）", "MON", "月", 0, 0, 1, 10, 2, false},
    {"害虫駆除作業", "LS", "式", 0, 0, 1, 10, 1, false},
    {"トイレ清掃用消耗品", "SET", "セット", 2000, 8000, 50, 10, 1, false},
    {"公園トイレ巡回清掃", "DAY", "日", 8000, 20000, 31, 10, 1, false},
};
constexpr ItemSpec kFacilityItems[] = {
    {"昇降機保守点検業務（{m}月分）", "MON", "月", 0, 0, 1, 10, 3, false},
    {"空調設備定期点検", "LS", "式", 0, 0, 1, 10, 2, false},
    {"消防用設備等点検業務", "LS", "式", 0, 0, 1, 10, 2, false},
    {"自家用電気工作物保安管理業務（{m}月分）", "MON", "月", 0, 0, 1, 10, 2,
     false},
    {"自動ドア保守点検", "H87", "台", 15000, 40000, 20, 10, 1, false},
    {"非常用発電機負荷試験", "LS", "式", 0, 0, 1, 10, 1, false},
};
constexpr ItemSpec kConstructionItems[] = {
    {"市道舗装補修工事", "LS", "式", 0, 0, 1, 10, 2, false},
    {"舗装打換え工（As t=5cm）", "MTK", "m²", 3000, 8000, 5000, 10, 3, true},
    {"側溝改良工（U型300）", "MTR", "m", 15000, 40000, 800, 10, 2, true},
    {"区画線設置工", "MTR", "m", 150, 500, 5000, 10, 2, false},
    {"交通誘導警備員", "DAY", "人日", 15000, 25000, 300, 10, 2, false},
    {"仮設工", "LS", "式", 0, 0, 1, 10, 1, false},
    {"現場管理費", "LS", "式", 0, 0, 1, 10, 1, false},
    {"一般管理費等", "LS", "式", 0, 0, 1, 10, 1, false},
    {"小学校屋上防水改修工事", "LS", "式", 0, 0, 1, 10, 1, false},
    {"公民館トイレ改修工事", "LS", "式", 0, 0, 1, 10, 1, false},
    {"防犯灯LED化工事", "H87", "基", 30000, 80000, 500, 10, 1, false},
};
constexpr ItemSpec kOfficeSupplyItems[] = {
    {"コピー用紙 A4（2,500枚入）", "BX", "箱", 2500, 4500, 200, 10, 4, false},
    {"コピー用紙 A3（1,500枚入）", "BX", "箱", 3000, 5500, 50, 10, 2, false},
    {"ボールペン（黒 0.5mm）", "H87", "本", 80, 200, 500, 10, 2, false},
    {"トナーカートリッジ（ブラック）", "H87", "本", 8000, 25000, 20, 10, 2,
     false},
    {"クリアファイル A4（10枚入）", "PK", "袋", 150, 400, 200, 10, 2, false},
    {"フラットファイル A4", "H87", "冊", 60, 150, 500, 10, 2, false},
    {"長形3号封筒（1,000枚入）", "BX", "箱", 2500, 6000, 50, 10, 1, false},
    {"付箋紙 75×75mm", "PK", "冊", 100, 300, 200, 10, 1, false},
    {"ホッチキス針 No.10", "BX", "箱", 50, 150, 200, 10, 1, false},
    {"アルカリ乾電池 単3形（4本入）", "PK", "パック", 250, 600, 200, 10, 1,
     false},
    {"朱肉", "H87", "個", 500, 1500, 20, 10, 1, false},
    {"会議用ペットボトル茶 500ml", "H87", "本", 80, 130, 500, 8, 1, false},
};
constexpr ItemSpec kPrintingItems[] = {
    {"市報くらまえ（{m}月号）印刷", "H87", "部", 15, 40, 60000, 10, 3, false},
    {"窓付き封筒（長3）印刷", "H87", "枚", 5, 15, 50000, 10, 2, false},
    {"名刺印刷（100枚）", "BX", "箱", 800, 2000, 100, 10, 1, false},
    {"予算書・決算書 製本", "H87", "冊", 1500, 6000, 500, 10, 1, false},
    {"啓発ポスター B2 印刷", "H87", "枚", 100, 500, 2000, 10, 1, false},
    {"版下作成・校正", "LS", "式", 0, 0, 1, 10, 1, false},
    {"納税通知書 印刷", "H87", "枚", 3, 12, 80000, 10, 1, false},
};
constexpr ItemSpec kSchoolLunchItems[] = {
    {"給食用食材（精米）", "KGM", "kg", 350, 600, 5000, 8, 3, true},
    {"給食用食材（牛乳 200ml）", "H87", "本", 45, 70, 40000, 8, 3, false},
    {"給食用食材（野菜類）", "KGM", "kg", 200, 800, 3000, 8, 3, true},
    {"給食用食材（鶏肉）", "KGM", "kg", 600, 1200, 1000, 8, 2, true},
    {"給食用食材（豚肉）", "KGM", "kg", 900, 1600, 1000, 8, 2, true},
    {"給食用食材（冷凍食品）", "KGM", "kg", 500, 1500, 800, 8, 1, true},
    {"給食用食材（パン）", "H87", "個", 40, 80, 20000, 8, 1, false},
    {"給食用食材（調味料）", "LS", "式", 0, 0, 1, 8, 1, false},
    {"配送料", "LS", "式", 0, 0, 1, 10, 1, false},
    {"食品用ラップフィルム", "H87", "本", 300, 800, 100, 10, 1, false},
};
constexpr ItemSpec kNewspaperItems[] = {
    {"全国紙 朝刊 定期購読（{m}月分）", "H87", "部", 3000, 4500, 30, 8, 3,
     false},
    {"地方紙 定期購読（{m}月分）", "H87", "部", 2500, 3500, 20, 8, 2, false},
    {"業界紙 定期購読（{m}月分）", "H87", "部", 3000, 8000, 5, 8, 1, false},
    {"電子版 購読料（{m}月分）", "MON", "月", 0, 0, 1, 10, 1, false},
    {"新聞広告掲載料（職員募集）", "LS", "式", 0, 0, 1, 10, 1, false},
};
constexpr ItemSpec kItItems[] = {
    {"財務会計システム保守（{m}月分）", "MON", "月", 0, 0, 1, 10, 2, false},
    {"住民情報システム運用支援（{m}月分）", "MON", "月", 0, 0, 1, 10, 2, false},
    {"クラウドサービス利用料（{m}月分）", "MON", "月", 0, 0, 1, 10, 2, false},
    {"複合機保守（カウンター料金）", "H87", "枚", 1, 10, 300000, 10, 1, false},
    {"SE作業支援", "HUR", "時間", 8000, 15000, 400, 10, 2, true},
    {"ネットワーク機器保守", "LS", "式", 0, 0, 1, 10, 1, false},
    {"ソフトウェアライセンス更新", "H87", "ライセンス", 5000, 50000, 500, 10, 1,
     false},
};
constexpr ItemSpec kLeaseItems[] = {
    {"パソコン賃貸借（{m}月分）", "H87", "台", 2500, 6000, 600, 10, 3, false},
    {"複合機賃貸借（{m}月分）", "H87", "台", 8000, 20000, 50, 10, 2, false},
    {"公用車リース（{m}月分）", "H87", "台", 20000, 45000, 30, 10, 2, false},
    {"仮設トイレレンタル", "H87", "基", 5000, 20000, 20, 10, 1, false},
    {"テント・机椅子レンタル（イベント用）", "LS", "式", 0, 0, 1, 10, 1, false},
};
constexpr ItemSpec kLandscapingItems[] = {
    {"公園樹木剪定業務", "LS", "式", 0, 0, 1, 10, 2, false},
    {"街路樹剪定（高木）", "H87", "本", 8000, 25000, 300, 10, 2, false},
    {"公園除草業務", "MTK", "m²", 30, 120, 30000, 10, 2, true},
    {"花壇植替え（{m}月）", "LS", "式", 0, 0, 1, 10, 1, false},
    {"遊具点検業務", "H87", "基", 5000, 15000, 200, 10, 1, false},
};
constexpr ItemSpec kSurveyItems[] = {
    {"道路測量設計業務委託", "LS", "式", 0, 0, 1, 10, 2, false},
    {"橋梁定期点検業務委託", "H87", "橋", 300000, 1500000, 30, 10, 2, false},
    {"地質調査業務委託", "LS", "式", 0, 0, 1, 10, 1, false},
    {"公共施設長寿命化計画策定支援", "LS", "式", 0, 0, 1, 10, 1, false},
    {"用地測量", "MTK", "m²", 300, 1200, 20000, 10, 1, true},
};
constexpr ItemSpec kWasteItems[] = {
    {"一般廃棄物収集運搬業務（{m}月分）", "MON", "月", 0, 0, 1, 10, 3, false},
    {"粗大ごみ処理", "TNE", "t", 20000, 50000, 300, 10, 2, true},
    {"資源物収集運搬", "TNE", "t", 15000, 35000, 500, 10, 2, true},
    {"機密文書溶解処理", "KGM", "kg", 30, 80, 20000, 10, 1, true},
    {"不法投棄物回収", "LS", "式", 0, 0, 1, 10, 1, false},
};
constexpr ItemSpec kFuelItems[] = {
    {"レギュラーガソリン", "LTR", "L", 160, 185, 5000, 10, 3, true},
    {"軽油", "LTR", "L", 140, 165, 5000, 10, 2, true},
    {"灯油（庁舎暖房用）", "LTR", "L", 100, 130, 10000, 10, 2, true},
    {"A重油", "LTR", "L", 90, 120, 20000, 10, 1, false},
    {"洗車", "H87", "台", 500, 1500, 50, 10, 1, false},
};
constexpr ItemSpec kEquipmentItems[] = {
    {"事務用机（両袖）", "H87", "台", 50000, 150000, 50, 10, 2, false},
    {"事務用回転椅子", "H87", "脚", 15000, 60000, 100, 10, 2, false},
    {"スチール書庫（両開き）", "H87", "台", 30000, 90000, 30, 10, 1, false},
    {"AED（自動体外式除細動器）", "H87", "台", 250000, 400000, 10, 10, 1,
     false},
    {"防災用発電機", "H87", "台", 100000, 500000, 10, 10, 1, false},
    {"折りたたみテーブル", "H87", "台", 8000, 25000, 100, 10, 1, false},
    {"設置・搬入費", "LS", "式", 0, 0, 1, 10, 1, false},
};
constexpr ItemSpec kVehicleItems[] = {
    {"公用車12か月点検", "H87", "台", 15000, 35000, 20, 10, 2, false},
    {"車検整備", "H87", "台", 60000, 150000, 10, 10, 2, false},
    {"タイヤ交換（4本）", "SET", "セット", 30000, 80000, 10, 10, 1, false},
    {"エンジンオイル交換", "LTR", "L", 800, 2000, 50, 10, 1, true},
    {"部品代", "LS", "式", 0, 0, 1, 10, 1, false},
    {"整備工賃", "HUR", "時間", 6000, 10000, 40, 10, 1, true},
};

constexpr const char* kAnyDepartment[] = {
    "somu",  "zaisei", "kaikei", "joho",  "shimin", "fukushi", "kodomo",
    "kenko", "kankyo", "doboku", "toshi", "kyoiku", "shobo"};
constexpr const char* kCleaningDepts[] = {"somu", "kyoiku", "fukushi",
                                          "kodomo"};
constexpr const char* kFacilityDepts[] = {"somu", "kyoiku", "shobo"};
constexpr const char* kConstructionDepts[] = {"doboku", "toshi", "kyoiku"};
constexpr const char* kPrintingDepts[] = {"somu", "zaisei", "shimin", "kenko",
                                          "kodomo"};
constexpr const char* kLunchDepts[] = {"kyushoku"};
constexpr const char* kNewspaperDepts[] = {"somu"};
constexpr const char* kItDepts[] = {"joho", "shimin", "zaisei"};
constexpr const char* kLeaseDepts[] = {"joho", "somu", "kankyo"};
constexpr const char* kLandscapingDepts[] = {"toshi", "doboku", "kyoiku"};
constexpr const char* kSurveyDepts[] = {"doboku", "toshi"};
constexpr const char* kWasteDepts[] = {"kankyo", "somu"};
constexpr const char* kFuelDepts[] = {"somu", "shobo", "kankyo"};
constexpr const char* kEquipmentDepts[] = {"somu", "kyoiku", "shobo", "kenko",
                                           "kodomo"};
constexpr const char* kVehicleDepts[] = {"somu", "shobo", "kankyo"};

// In the order of enum Category.
constexpr CategorySpec kCategories[] = {
    {"委託料", 100'000, 4'000'000, 30, kCleaningItems, kCleaningDepts},
    {"委託料", 50'000, 3'000'000, 30, kFacilityItems, kFacilityDepts},
    {"工事請負費", 1'000'000, 50'000'000, 40, kConstructionItems,
     kConstructionDepts},
    {"需用費", 2'000, 800'000, 0, kOfficeSupplyItems, kAnyDepartment},
    {"需用費", 20'000, 3'000'000, 30, kPrintingItems, kPrintingDepts},
    {"需用費", 50'000, 5'000'000, 0, kSchoolLunchItems, kLunchDepts},
    {"需用費", 3'000, 300'000, 0, kNewspaperItems, kNewspaperDepts},
    {"委託料", 100'000, 20'000'000, 30, kItItems, kItDepts},
    {"使用料及び賃借料", 30'000, 5'000'000, 0, kLeaseItems, kLeaseDepts},
    {"委託料", 100'000, 10'000'000, 30, kLandscapingItems, kLandscapingDepts},
    {"委託料", 500'000, 30'000'000, 30, kSurveyItems, kSurveyDepts},
    {"委託料", 100'000, 10'000'000, 30, kWasteItems, kWasteDepts},
    {"需用費", 10'000, 2'000'000, 0, kFuelItems, kFuelDepts},
    {"備品購入費", 50'000, 10'000'000, 30, kEquipmentItems, kEquipmentDepts},
    {"需用費", 10'000, 2'000'000, 30, kVehicleItems, kVehicleDepts},
};

// {category, weight, name, name on invoice, kana, postal code, prefecture,
//  city, street}
constexpr VendorSpec kVendors[] = {
    {kCleaning, 2, "株式会社クリーンサービス関東", "(株)クリーンサービス関東",
     "クリーンサービスカントウ", "3300063", "埼玉県", "さいたま市浦和区",
     "高砂2丁目5番14号"},
    {kCleaning, 2, "東和ビルメンテナンス株式会社", nullptr,
     "トウワビルメンテナンス", "1600023", "東京都", "新宿区",
     "西新宿3丁目7番1号"},
    {kCleaning, 1, "有限会社みどり美装", "(有)みどり美装", "ミドリビソウ",
     "2520239", "神奈川県", "相模原市中央区", "中央4丁目9番2号"},
    {kCleaning, 1, "株式会社セーフティ警備保障", nullptr,
     "セーフティケイビホショウ", "2600013", "千葉県", "千葉市中央区",
     "中央1丁目11番6号"},
    {kFacility, 1, "ジャパンリフトメンテナンス株式会社", nullptr,
     "ジャパンリフトメンテナンス", "1410031", "東京都", "品川区",
     "西五反田7丁目22番17号"},
    {kFacility, 1, "株式会社テクノ設備保安", nullptr, "テクノセツビホアン",
     "3300064", "埼玉県", "さいたま市浦和区", "岸町4丁目25番12号"},
    {kConstruction, 2, "株式会社山田建設", "㈱山田建設", "ヤマダケンセツ",
     "3400011", "埼玉県", "草加市", "栄町3丁目2番8号"},
    {kConstruction, 1, "北辰道路工業株式会社", nullptr,
     "ホクシンドウロコウギョウ", "3320012", "埼玉県", "川口市",
     "本町2丁目4番15号"},
    {kConstruction, 1, "株式会社佐藤組", nullptr, "サトウグミ", "3620037",
     "埼玉県", "上尾市", "上町1丁目8番3号"},
    {kConstruction, 1, "丸高土木株式会社", "丸高土木 株式会社",
     "マルタカドボク", "2700034", "千葉県", "松戸市", "新松戸2丁目19番"},
    {kConstruction, 1, "株式会社髙橋工務店", "株式会社高橋工務店",
     "タカハシコウムテン", "1200034", "東京都", "足立区", "千住5丁目3番2号"},
    {kConstruction, 1, "協栄電設工業株式会社", nullptr,
     "キョウエイデンセツコウギョウ", "1350016", "東京都", "江東区",
     "東陽4丁目1番13号"},
    {kOfficeSupplies, 4, "株式会社文具のまるやま", nullptr, "ブングノマルヤマ",
     "3300846", "埼玉県", "さいたま市大宮区", "大門町1丁目26番"},
    {kOfficeSupplies, 3, "ＯＡサプライ東京株式会社", "OAサプライ東京株式会社",
     "オーエーサプライトウキョウ", "1010047", "東京都", "千代田区",
     "内神田2丁目14番6号"},
    {kOfficeSupplies, 2, "有限会社さくら事務機", "有限会社　さくら事務機",
     "サクラジムキ", "2730005", "千葉県", "船橋市", "本町6丁目2番10号"},
    {kOfficeSupplies, 2, "株式会社オフィスパートナーズ", nullptr,
     "オフィスパートナーズ", "2310023", "神奈川県", "横浜市中区",
     "山下町23番地"},
    {kOfficeSupplies, 2, "Ｋ＆Ｍビジネスサプライ株式会社",
     "K&Mビジネスサプライ株式会社", "ケイアンドエムビジネスサプライ", "1700013",
     "東京都", "豊島区", "東池袋1丁目34番5号"},
    {kPrinting, 2, "株式会社蔵前印刷", nullptr, "クラマエインサツ", "3490115",
     "埼玉県", "蔵前市", "本町3丁目4番1号"},
    {kPrinting, 1, "東光印刷株式会社", "東光印刷(株)", "トウコウインサツ",
     "3310812", "埼玉県", "さいたま市北区", "宮原町2丁目51番"},
    {kPrinting, 1, "合同会社デザインラボ蔵前", nullptr, "デザインラボクラマエ",
     "3490112", "埼玉県", "蔵前市", "中央2丁目3番4号"},
    {kSchoolLunch, 3, "株式会社蔵前青果", nullptr, "クラマエセイカ", "3490121",
     "埼玉県", "蔵前市", "市場町5番地"},
    {kSchoolLunch, 2, "彩の国食品流通株式会社", nullptr,
     "サイノクニショクヒンリュウツウ", "3600012", "埼玉県", "熊谷市",
     "上之1丁目5番3号"},
    {kSchoolLunch, 2, "有限会社丸正精米店", "(有)丸正精米店",
     "マルショウセイマイテン", "3490104", "埼玉県", "蔵前市",
     "東町3丁目12番7号"},
    {kSchoolLunch, 2, "株式会社みどり乳業", nullptr, "ミドリニュウギョウ",
     "3550005", "埼玉県", "東松山市", "松葉町1丁目2番3号"},
    {kSchoolLunch, 1, "蔵前市学校給食物資協同組合", nullptr,
     "クラマエシガッコウキュウショクブッシ", "3490101", "埼玉県", "蔵前市",
     "本町1丁目7番2号"},
    {kNewspaper, 1, "有限会社蔵前新聞舗", nullptr, "クラマエシンブンポ",
     "3490114", "埼玉県", "蔵前市", "本町2丁目8番1号"},
    {kNewspaper, 1, "株式会社武州日報社", nullptr, "ブシュウニッポウシャ",
     "3300063", "埼玉県", "さいたま市浦和区", "高砂3丁目1番4号"},
    {kIt, 2, "株式会社自治体情報システムズ", nullptr,
     "ジチタイジョウホウシステムズ", "1050014", "東京都", "港区",
     "芝2丁目28番8号"},
    {kIt, 1, "ＮＫＳソリューションズ株式会社", "NKSソリューションズ株式会社",
     "エヌケーエスソリューションズ", "1030027", "東京都", "中央区",
     "日本橋3丁目9番1号"},
    {kIt, 1, "合同会社クラウドブリッジ", nullptr, "クラウドブリッジ", "1500002",
     "東京都", "渋谷区", "渋谷2丁目21番1号"},
    {kIt, 1, "株式会社ITサポート蔵前", "株式会社ＩＴサポート蔵前",
     "アイティーサポートクラマエ", "3490111", "埼玉県", "蔵前市",
     "中央1丁目10番2号"},
    {kLease, 2, "東都オフィスリース株式会社", nullptr, "トウトオフィスリース",
     "1000005", "東京都", "千代田区", "丸の内1丁目6番5号"},
    {kLease, 1, "株式会社レンタルのさいたま", nullptr, "レンタルノサイタマ",
     "3620021", "埼玉県", "上尾市", "原市3丁目11番9号"},
    {kLandscaping, 2, "株式会社緑風造園", "(株)緑風造園", "リョクフウゾウエン",
     "3490106", "埼玉県", "蔵前市", "西町4丁目6番11号"},
    {kLandscaping, 1, "有限会社植松園芸", nullptr, "ウエマツエンゲイ",
     "3390057", "埼玉県", "さいたま市岩槻区", "本町3丁目2番5号"},
    {kLandscaping, 1, "武蔵野グリーンテック株式会社", nullptr,
     "ムサシノグリーンテック", "1800006", "東京都", "武蔵野市",
     "中町1丁目12番10号"},
    {kSurvey, 1, "株式会社関東測量設計", nullptr, "カントウソクリョウセッケイ",
     "3300854", "埼玉県", "さいたま市大宮区", "桜木町2丁目3番地"},
    {kSurvey, 1, "東邦橋梁コンサルタント株式会社", nullptr,
     "トウホウキョウリョウコンサルタント", "1130033", "東京都", "文京区",
     "本郷3丁目40番10号"},
    {kSurvey, 1, "株式会社地盤技研", "㈱地盤技研", "ジバンギケン", "2200004",
     "神奈川県", "横浜市西区", "北幸2丁目8番19号"},
    {kWaste, 2, "株式会社蔵前環境サービス", nullptr,
     "クラマエカンキョウサービス", "3490131", "埼玉県", "蔵前市",
     "工業団地7番地"},
    {kWaste, 1, "有限会社エコ・リサイクル埼玉", "(有)ｴｺ･ﾘｻｲｸﾙ埼玉",
     "エコ・リサイクルサイタマ", "3620066", "埼玉県", "上尾市",
     "領家1丁目4番6号"},
    {kWaste, 1, "首都圏機密文書処理株式会社", nullptr,
     "シュトケンキミツブンショショリ", "1430006", "東京都", "大田区",
     "平和島3丁目1番1号"},
    {kFuel, 2, "株式会社蔵前石油", nullptr, "クラマエセキユ", "3490113",
     "埼玉県", "蔵前市", "本町5丁目1番3号"},
    {kFuel, 1, "関東エネルギー販売株式会社", "関東エネルギー販売(株)",
     "カントウエネルギーハンバイ", "3300062", "埼玉県", "さいたま市浦和区",
     "仲町1丁目8番2号"},
    {kEquipment, 1, "株式会社ワークスペース東京", nullptr,
     "ワークスペーストウキョウ", "1040031", "東京都", "中央区",
     "京橋2丁目5番18号"},
    {kEquipment, 1, "株式会社ライフセーフ", "株式会社　ライフセーフ",
     "ライフセーフ", "1110032", "東京都", "台東区", "浅草1丁目3番5号"},
    {kEquipment, 1, "合同会社メディカルプラス", nullptr, "メディカルプラス",
     "3500043", "埼玉県", "川越市", "新富町1丁目22番地"},
    {kVehicle, 1, "有限会社蔵前モータース", nullptr, "クラマエモータース",
     "3490117", "埼玉県", "蔵前市", "南町2丁目15番9号"},
    {kVehicle, 1, "株式会社北関東オートサービス", nullptr,
     "キタカントウオートサービス", "3600841", "埼玉県", "熊谷市",
     "新堀1015番地"},
};

constexpr DepartmentSpec kDepartments[] = {
    {"somu", "総務課"},
    {"zaisei", "財政課"},
    {"kaikei", "会計課"},
    {"joho", "情報政策課"},
    {"shimin", "市民課"},
    {"fukushi", "福祉課"},
    {"kodomo", "こども家庭課"},
    {"kenko", "健康推進課"},
    {"kankyo", "環境課"},
    {"doboku", "土木課"},
    {"toshi", "都市計画課"},
    {"kyoiku", "学校教育課"},
    {"kyushoku", "学校給食センター"},
    {"shobo", "消防本部"},
};

struct BankSpec {
  const char* code;
  const char* name;
};
// Real bank codes (全銀協), for a realistic look only.
constexpr BankSpec kBanks[] = {
    {"0001", "みずほ銀行"},     {"0005", "三菱ＵＦＪ銀行"},
    {"0009", "三井住友銀行"},   {"0010", "りそな銀行"},
    {"0017", "埼玉りそな銀行"}, {"0133", "武蔵野銀行"},
    {"0134", "千葉銀行"},       {"0138", "横浜銀行"},
};
constexpr const char* kBranches[] = {
    "本店営業部", "駅前支店", "市役所出張所", "中央支店",
    "東口支店",   "西支店",   "南支店",       "北支店",
    "大宮支店",   "浦和支店", "新宿支店",     "上野支店",
};

// Registration office codes (first four digits of the twelve) by prefecture,
// roughly as the 法務局 number them.
int OfficeBase(std::string_view prefecture) {
  if (prefecture == "東京都") return 100;
  if (prefecture == "神奈川県") return 200;
  if (prefecture == "埼玉県") return 300;
  if (prefecture == "千葉県") return 400;
  return 900;
}

// Half-width katakana for U+30A1 (ァ) .. U+30F4 (ヴ); small kana become large.
constexpr const char* kHalfWidthKana[] = {
    "ｱ",  "ｱ",  "ｲ",  "ｲ",  "ｳ",  "ｳ",  "ｴ",  "ｴ",  "ｵ",  "ｵ",  "ｶ", "ｶﾞ",
    "ｷ",  "ｷﾞ", "ｸ",  "ｸﾞ", "ｹ",  "ｹﾞ", "ｺ",  "ｺﾞ", "ｻ",  "ｻﾞ", "ｼ", "ｼﾞ",
    "ｽ",  "ｽﾞ", "ｾ",  "ｾﾞ", "ｿ",  "ｿﾞ", "ﾀ",  "ﾀﾞ", "ﾁ",  "ﾁﾞ", "ﾂ", "ﾂ",
    "ﾂﾞ", "ﾃ",  "ﾃﾞ", "ﾄ",  "ﾄﾞ", "ﾅ",  "ﾆ",  "ﾇ",  "ﾈ",  "ﾉ",  "ﾊ", "ﾊﾞ",
    "ﾊﾟ", "ﾋ",  "ﾋﾞ", "ﾋﾟ", "ﾌ",  "ﾌﾞ", "ﾌﾟ", "ﾍ",  "ﾍﾞ", "ﾍﾟ", "ﾎ", "ﾎﾞ",
    "ﾎﾟ", "ﾏ",  "ﾐ",  "ﾑ",  "ﾒ",  "ﾓ",  "ﾔ",  "ﾔ",  "ﾕ",  "ﾕ",  "ﾖ", "ﾖ",
    "ﾗ",  "ﾘ",  "ﾙ",  "ﾚ",  "ﾛ",  "ﾜ",  "ﾜ",  "ｲ",  "ｴ",  "ｦ",  "ﾝ", "ｳﾞ",
};
static_assert(std::size(kHalfWidthKana) == 0x30F4 - 0x30A1 + 1);

// Legal forms, how banks abbreviate them, and the registry's type code.
struct LegalForm {
  std::string_view name;
  const char* bank_abbrev;
  int type_code;
};
constexpr LegalForm kLegalForms[] = {
    {"株式会社", "ｶ", 1},
    {"有限会社", "ﾕ", 2},
    {"合同会社", "ﾄﾞ", 3},
    {"協同組合", "ｷﾖｳｸﾐ", 5},
};

const LegalForm* FindLegalForm(std::string_view name, bool* prefix) {
  for (const LegalForm& f : kLegalForms) {
    if (name.starts_with(f.name)) {
      *prefix = true;
      return &f;
    }
    if (name.ends_with(f.name)) {
      *prefix = false;
      return &f;
    }
  }
  return nullptr;
}

}  // namespace

std::span<const CategorySpec> Categories() { return kCategories; }
std::span<const VendorSpec> VendorSpecs() { return kVendors; }
std::span<const DepartmentSpec> DepartmentSpecs() { return kDepartments; }

std::string BuyerCorporateNumber() {
  // 地方公共団体 numbers are "000020" + the 6-digit local government code;
  // 119997 belongs to no real city.
  const std::string body = "000020119997";
  return std::string(1, base::CorporateNumberCheckDigit(body)) + body;
}

const char* BuyerAddress() { return "埼玉県蔵前市本町1丁目1番1号"; }

std::string ToBankKana(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t start = i;
    const int32_t cp = base::NextCodePoint(s, &i);
    if (cp >= 0x30A1 && cp <= 0x30F4) {
      out += kHalfWidthKana[cp - 0x30A1];
    } else if (cp == 0x30FC) {  // ー
      out += "ｰ";
    } else if (cp == 0x30FB) {  // ・
      out += '.';
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

std::vector<Vendor> BuildVendors() {
  std::vector<Vendor> vendors;
  vendors.reserve(std::size(kVendors));
  for (size_t i = 0; i < std::size(kVendors); ++i) {
    const VendorSpec& s = kVendors[i];
    // A fixed seed per vendor: the vendor master is the same for every
    // corpus seed, and adding a vendor at the end changes no other vendor.
    base::Random rng(0x6b757261'00000000ULL + i);
    Vendor v;
    v.name = s.name;
    v.name_on_invoice = s.name_on_invoice ? s.name_on_invoice : s.name;
    v.name_kana = s.kana;
    v.postal_code = s.postal_code;
    v.prefecture = s.prefecture;
    v.city = s.city;
    v.street = s.street;
    v.address = v.prefecture + v.city + v.street;
    v.expense_type = kCategories[s.category].expense_type;

    bool prefix = false;
    const LegalForm* form = FindLegalForm(v.name, &prefix);
    char body[16];
    std::snprintf(body, sizeof body, "%04d%02d%06d",
                  static_cast<int>(OfficeBase(v.prefecture) + rng.Range(1, 13)),
                  form ? form->type_code : 5,
                  static_cast<int>(rng.Range(0, 999'999)));
    v.registration_number =
        std::string("T") + base::CorporateNumberCheckDigit(body) + body;

    const BankSpec& bank = kBanks[rng.Uniform(std::size(kBanks))];
    const int branch = static_cast<int>(rng.Range(100, 899));
    const int type = rng.OneIn(5) ? 2 : 1;
    const int number = static_cast<int>(rng.Range(1'000'000, 9'999'999));
    char account[32];
    std::snprintf(account, sizeof account, "%s:%03d:%d:%07d", bank.code, branch,
                  type, number);
    v.bank_account = account;
    v.bank_name = bank.name;
    v.branch_name = kBranches[rng.Uniform(std::size(kBranches))];
    const std::string kana = ToBankKana(v.name_kana);
    if (form == nullptr) {
      v.account_name = kana;
    } else if (prefix) {
      v.account_name = std::string(form->bank_abbrev) + ")" + kana;
    } else {
      v.account_name = kana + "(" + form->bank_abbrev;
    }
    vendors.push_back(std::move(v));
  }
  return vendors;
}

}  // namespace corpus::internal
