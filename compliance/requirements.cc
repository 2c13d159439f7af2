// The requirement table of compliance/requirements.h. Each group is one
// function; Requirements() joins them once.
#include "compliance/requirements.h"

namespace compliance {
namespace {

using Table = std::vector<Requirement>;

void Authenticity(Table& t) {
  t.push_back(Requirement{
      "authenticity.timestamp", "真実性", "受領後、遅滞なくタイムスタンプを付す",
      "電子帳簿保存法第7条、同法施行規則第4条第1項第2号", "対応",
      "受領した文書ごとに、原本の SHA-256 に対する RFC 3161 タイムスタンプを受領の応答より前に"
      "取得し、受領者・受領日時とともに記録する。本番では [timestamp] url に総務大臣認定の"
      "時刻認証業務（TSA）を設定する。TSA に接続できないときも文書は保存し、取得待ちとして再試行する"
      "（kura timestamp、kura serve）。トークンは openssl ts -verify だけで検証でき、期間を指定した"
      "一括検証もできる。",
      {"kura token ID --out ID.tsr", "kura tsa-cert --out tsa-chain.pem",
       "kura verify --from YYYY-MM-DD --to YYYY-MM-DD", "kura timestamp"},
      {"請求書の詳細画面（#/invoices/ID: タイムスタンプの状態と時刻）",
       "GET /api/v1/documents/{id}"},
      {"TimestampTest.BuiltinTokenVerifiesWithOpensslAndFailsForChangedBytes",
       "TimestampTest.TsaOutageKeepsTheDocumentAndMarksItPending",
       "TsaClientTest.TokenFromARealOpensslTsaIsVerifiedAndReturned",
       "CliTest.TokenAndTsaCertVerifyWithOpensslTsVerify", "TamperTest.ForgedTokenIsDetected",
       "TamperTest.PeriodVerificationChecksOnlyThatPeriodsDocuments"}});
  t.push_back(Requirement{
      "authenticity.corrections", "真実性",
      "訂正・削除の事実と内容を確認できるシステム（訂正削除の記録）",
      "電子帳簿保存法施行規則第4条第1項第3号イ", "対応",
      "原本のバイト列は受領したまま読み取り専用で保存し、上書きも削除もできない。項目の訂正は"
      "理由・訂正者・日時つきの新しい版として記録し、以前の版は表示も検索（--history）もできる。"
      "文書を消す操作はなく、保存期間満了後の廃棄だけが二人の承認で行われ、その記録（墓標）が残る。"
      "すべての変更はイベントログ（RFC 6962 の Merkle 木、署名・タイムスタンプ付きチェックポイント）"
      "に記録され、kura の外からデータを書き換えると kura verify が検出する。",
      {"kura correct ID --set 項目=値 --reason 理由", "kura show ID", "kura search --history",
       "kura verify", "kura log proof ID"},
      {"請求書の詳細画面（版と履歴）", "項目入力画面（#/invoices/ID/entry）"},
      {"ArchiveTest.CorrectionsAddVersionsAndKeepTheOldOnes", "ArchiveTest.ObjectsAreStoredReadOnly",
       "CliTest.CorrectKeepsHistory", "WorkflowTest.DocumentHistoryTellsWhatACorrectionChanged",
       "TamperTest.EditedCatalogRecordIsDetected", "TamperTest.DeletedEventIsDetected",
       "TamperTest.RewrittenHistoryWithAFreshCheckpointFailsTheSignature",
       "RetentionTest.DisposalLeavesATombstoneThatVerifyAccepts"}});
  t.push_back(Requirement{
      "authenticity.rules", "真実性", "訂正削除の防止に関する事務処理規程",
      "電子帳簿保存法施行規則第4条第1項第4号", "運用で対応",
      "第2号（タイムスタンプ）と第3号（訂正削除の記録）を kura が満たすため必須ではない。"
      "市が規程を定める場合は、kura の操作（訂正は理由つきの新しい版、廃棄は二人の承認）と"
      "docs/SYSTEM-OVERVIEW.md を引用できる。",
      {"kura compliance report"},
      {},
      {}});
}

void Visibility(Table& t) {
  t.push_back(Requirement{
      "visibility.display", "可視性", "ディスプレイ・プリンタで速やかに整然と明瞭に出力できる",
      "電子帳簿保存法施行規則第2条第2項第2号（第4条第1項で準用）", "対応",
      "請求書の詳細画面は XML の請求書を帳票の形に表示し（元の XML も並べて表示）、PDF は"
      "ページをそのまま描画する。画面はブラウザの印刷機能で印刷でき、原本は受領したままの"
      "バイト列で取り出して印刷できる。",
      {"kura get ID --out 原本のファイル名", "kura show ID"},
      {"請求書の詳細画面（#/invoices/ID）", "GET /api/v1/documents/{id}/original"},
      {"CliTest.GetReturnsTheOriginalBytesUnchanged",
       "ApiTest.DocumentRecordSaysWhatTheReaderMayDoWithItsTimestampAndHistory",
       "tests/e2e/flows/invoices.test.mjs"}});
  t.push_back(Requirement{
      "visibility.search_items", "可視性", "取引年月日・取引金額・取引先で検索できる",
      "電子帳簿保存法施行規則第2条第6項第6号（第4条第1項で準用）", "対応",
      "取引年月日（請求書の発行日）、取引金額（支払額）、取引先（全角・半角や株式会社/(株)の"
      "違いを無視した部分一致）の索引を文書の保存と同じトランザクションで更新する。データを"
      "読み取れない PDF やスキャンは、担当者が項目を入力（訂正として記録）した時点で検索できる。",
      {"kura search --date-from 2026-04-01 --date-to 2027-03-31",
       "kura search --amount-min 100000 --amount-max 300000", "kura search --counterparty 山田"},
      {"検索画面（#/search）", "GET /api/v1/documents"},
      {"SearchTest.EveryCombinationOfDateAmountAndCounterpartyMatchesBruteForce",
       "SearchCorrectionTest.NeedsMetadataDocumentIsFoundByReceiptThenByEnteredFields",
       "CliTest.SearchPrintsJsonPagesAndCsvWithBomForEveryHit",
       "tests/e2e/flows/search.test.mjs"}});
  t.push_back(Requirement{
      "visibility.ranges", "可視性", "日付・金額の範囲指定と、二以上の任意の項目の組合せで検索できる",
      "電子帳簿保存法施行規則第2条第6項第6号ロ・ハ（第4条第1項で準用）", "対応",
      "日付と金額は範囲（両端を含む）で指定でき、すべての条件は AND で組み合わせられる。"
      "登録番号・部署・書類の種類・請求書番号・受領日でも絞り込める。",
      {"kura search --date-from 2026-04-01 --date-to 2026-06-30 --amount-min 100000 "
       "--counterparty 山田"},
      {"検索画面（#/search）", "GET /api/v1/documents"},
      {"SearchTest.EveryCombinationOfDateAmountAndCounterpartyMatchesBruteForce",
       "SearchTest.OtherConditionsFilterExactly", "SearchParamsTest.ParsesWhatTheCliAndApiSend"}});
  t.push_back(Requirement{
      "visibility.download", "可視性", "税務職員の求めに応じてデータを提出できる（ダウンロードの求め）",
      "電子帳簿保存法施行規則第2条第6項第6号（第4条第1項で準用）", "対応",
      "検索結果を UTF-8（BOM 付き）の CSV で全件出力でき、原本・タイムスタンプ・証明・履歴を"
      "まとめた証跡パッケージ（BagIt）を、kura がなくても sha256sum と openssl で検証できる形で"
      "書き出せる。",
      {"kura search --date-from 2026-04-01 --date-to 2027-03-31 --format csv",
       "kura export --date-from 2026-04-01 --date-to 2027-03-31 --out 証跡.zip",
       "kura verify-export 証跡.zip"},
      {"検索画面（CSV 出力）", "GET /api/v1/documents?output=csv"},
      {"SearchCsvTest.HasBomHeaderAndQuotesFields", "ApiTest.SearchReturnsPagesAsJsonAndEveryHitAsCsv",
       "ExportTest.BagChecksWithSha256sumOpensslAndItsOwnVerifier",
       "ExportTest.AChangedByteInAnyFileIsNamed"}});
  t.push_back(Requirement{
      "visibility.overview", "可視性", "電子計算機処理システムの概要を記載した書類（システム概要書）",
      "電子帳簿保存法施行規則第2条第2項第1号イ（第4条第1項で準用）", "対応",
      "docs/SYSTEM-OVERVIEW.md がシステム概要書であり、目的・構成・受領・タイムスタンプ・"
      "検証方法・検索・保存期間・権限・バックアップを記す。記載したコマンドと設定項目が"
      "実在することをテストが確かめる。この報告書も同じ内容を現在の状態とともに示す。",
      {"kura compliance report", "kura compliance report --format json"},
      {"GET /api/v1/compliance/report"},
      {"SystemOverviewTest.EveryCommandAndSettingItNamesExists",
       "RequirementsTest.EveryTestNamedInTheReportExists"}});
}

void Keeping(Table& t) {
  t.push_back(Requirement{
      "retention.period", "保存期間", "定められた期間、保存する（市の文書管理規程による）",
      "電子帳簿保存法第7条、法人税法施行規則第59条（7年。欠損金のある年度は10年）、市の文書管理規程",
      "対応",
      "文書の種類ごとに保存年数を kura.toml の [retention] で定め（既定: 支出証拠書類 10 年、"
      "その他 5 年）、取引年月日の属する会計年度の末日から数える。保存期限は延長だけができ、"
      "短縮はできない。法的保存（監査・住民監査請求・情報公開請求・訴訟）の間は廃棄できず、"
      "廃棄は期限後に二人の文書管理担当者の申請と承認で行い、記録（墓標）が残る。",
      {"kura retention schedule", "kura retention show ID", "kura retention due",
       "kura retention hold list"},
      {"GET /api/v1/retention/documents/{id}", "GET /api/v1/retention/due"},
      {"ScheduleTest.RetainUntilCountsFromTheEndOfTheFiscalYear",
       "RetentionTest.ExtensionAllowedShorteningRefused", "RetentionTest.HoldBlocksDisposalUntilReleased",
       "RetentionTest.OnePersonCannotDisposeAlone",
       "RetentionTest.TheScheduleCannotBeShortenedByConfiguration",
       "RetentionCliTest.TwoOfficersDisposeOfAnExpiredDocumentAndVerifyAcceptsIt"}});
  t.push_back(Requirement{
      "retention.verifiable", "保存期間", "保存期間を通じて、改ざんのないことを検証できる",
      "電子帳簿保存法施行規則第4条第1項第2号（タイムスタンプの検証可能性）", "対応",
      "ログの検証鍵と TSA ルート証明書の SHA-256 フィンガープリントを kura init が表示し、"
      "市が紙やウェブサイトで公開して控える（ピン留め）。証跡パッケージはこの控えと照合して"
      "kura なしで検証できる。組み込み TSA の証明書は 11 年、ルートは 20 年有効で、期限の前に"
      "組み込み TSA は証明書を更新し、kura retention renew が、まだ更新されていないトークンの"
      "Merkle 木の根に新しいタイムスタンプを 1 つ取得する（RFC 4998 の考え方）。各文書の証拠は"
      "連鎖となり、kura verify --at で将来の日付の時点でも検証できる。",
      {"kura keys fingerprints", "kura retention renew", "kura verify --at 2038-01-01",
       "kura export --out 証跡", "kura verify-export 証跡 --verifier-key 控えの検証鍵"},
      {"GET /api/v1/compliance/report"},
      {"FingerprintsTest.InitPrintsWhatOpensslPrintsForTheCaCertificate",
       "FingerprintsUnitTest.RootsAreTheSelfSignedOrUnissuedCertificates",
       "ExportTest.BagChecksWithSha256sumOpensslAndItsOwnVerifier",
       "LogProofTest.ConsistencyProofsVerifyWithAnRfc9162Verifier",
       "TsaIdentityTest.ValidityCoversElevenYears",
       "RenewalTest.RenewalChainVerifiesAfterTheFirstCertificateExpired",
       "RenewalTest.WithoutARenewalVerifyAtALaterDateFailsAndNamesTheDocument",
       "TsaRollTest.NotBeforeTheMarginThenANewCertificateAndOldTokensStillVerify"}});
}

void ScansAndLinks(Table& t) {
  t.push_back(Requirement{
      "scan.storage", "スキャナ保存", "紙の請求書をスキャンして保存する場合の要件",
      "電子帳簿保存法第4条第3項、同法施行規則第2条第6項", "一部対応",
      "スキャンしたファイルは取込みフォルダ（kura watch --source scan）または API で受領し、"
      "受領時にタイムスタンプを付す（入力期間内に取り込むのは市の運用）。項目（取引年月日・金額・"
      "取引先）は担当者が入力し、訂正の履歴が残り、入力後は電子取引と同じく検索できる。"
      "解像度（200dpi 以上）・階調（24 ビットカラー）・大きさ情報の確認は kura では行わず、"
      "スキャナの設定と市の規程で担保する。",
      {"kura watch DIR --source scan", "kura search --text ファイル名の一部", "kura correct ID --set issue_date=2026-04-01 --reason 入力"},
      {"項目入力画面（#/invoices/ID/entry）", "請求書の詳細画面（「項目入力が必要」）"},
      {"IntakeTest.SettledFileIsArchivedAndMovedToDoneWithALog",
       "PlainPdfTest.PdfWithoutInvoiceDataNeedsMetadata",
       "ApiTest.ClerkEntersTheSearchKeysOfAScannedInvoice",
       "SearchCorrectionTest.NeedsMetadataDocumentIsFoundByReceiptThenByEnteredFields"}});
  t.push_back(Requirement{
      "linkage.payment_orders", "相互関連性", "請求書と支出命令（帳簿側の記録）の相互関連性",
      "電子帳簿保存法施行規則第2条第6項（帳簿との相互関連性）", "対応",
      "支出命令は保存された請求書（文書ID）から起票され、請求書の項目と支出負担行為・債権者"
      "マスタを突合する。請求書の画面からその支出命令へ、支出命令の画面から請求書へたどれる。"
      "文書のイベント（受領・訂正）と支出命令の各段階は同じログにあり、文書ごとの包含証明と"
      "証跡パッケージの履歴に含まれる。",
      {"kura log proof ID", "kura export --out 証跡"},
      {"支出命令の画面（#/orders/ID）", "請求書の詳細画面（支出命令の状態）",
       "GET /api/v1/payment-orders/{id}"},
      {"WorkflowTest.DraftFillsTheOrderFromTheInvoiceAndMatchesEveryField",
       "WorkflowTest.DocumentStandingSaysWhatTheViewerMayDoAsTheOrderMoves",
       "DocumentEventsTest.ReceiptsCorrectionsAndOrderStepsBelongToTheirDocument",
       "LogProofTest.ProofCoversEveryEventOfADocument"}});
}

}  // namespace

const std::vector<Requirement>& Requirements() {
  static const Table table = [] {
    Table t;
    Authenticity(t);
    Visibility(t);
    Keeping(t);
    ScansAndLinks(t);
    return t;
  }();
  return table;
}

nlohmann::json ToJson(const Requirement& r) {
  return nlohmann::json{{"id", r.id},         {"group", r.group},       {"title", r.title},
                        {"basis", r.basis},   {"status", r.status},     {"how", r.how},
                        {"commands", r.commands}, {"screens", r.screens}, {"tests", r.tests}};
}

}  // namespace compliance
