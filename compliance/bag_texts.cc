// The fixed texts of an evidence bag (internal/bag_parts.h).
#include "compliance/internal/bag_parts.h"

namespace compliance::internal {

std::string BagitTxt() { return "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"; }

std::string VerifyTxt() {
  return R"TXT(kura 証跡パッケージの検証方法 / How to verify this kura evidence package
========================================================================

このフォルダ（または ZIP を展開したフォルダ）は BagIt 1.0（RFC 8493）の形式です。
kura がなくても、sha256sum・openssl・python3（標準ライブラリーのみ）ですべて確かめられます。
以下のコマンドは、このフォルダの最上位（bagit.txt のある場所）で実行してください。

1. ファイルが書き出したときのままであること（改ざん・欠落がないこと）

    sha256sum -c manifest-sha256.txt        # data/ の全ファイル
    sha512sum -c manifest-sha512.txt        # 同じく SHA-512 で
    sha256sum -c tagmanifest-sha256.txt     # bagit.txt, bag-info.txt, マニフェスト, この文書, verify_proofs.py

   manifest に載っていないファイルが data/ にないことも確かめてください:
    find data -type f | sort > /tmp/files; cut -c67- manifest-sha256.txt | sort | diff - /tmp/files

2. 原本の受領時刻（RFC 3161 タイムスタンプ）

   各文書のトークンは data/timestamps/<文書ID>.tsr、検証用の証明書は
   data/timestamps/tsa-chain.pem です。"kind": "each" の文書（既定）は原本そのものを検証します:

    for d in data/originals/*/; do id=$(basename "$d"); for f in "$d"*; do
      openssl ts -verify -data "$f" -in "data/timestamps/$id.tsr" \
        -CAfile data/timestamps/tsa-chain.pem || echo "NG $id"; done; done

   "kind": "batch" の文書は、python3 verify_proofs.py が表示する木の根（16 進）を使います:
    openssl ts -verify -digest <根> -in data/timestamps/<文書ID>.tsr -CAfile data/timestamps/tsa-chain.pem
   葉の規則: SHA-256(0x00 || SHA-256(原本))（32 バイトの値。16 進文字列ではない）。

   イベントログのチェックポイントにもタイムスタンプがあります:
    for t in data/checkpoints/*.tsr; do
      openssl ts -verify -data "${t%.tsr}.note" -in "$t" -CAfile data/timestamps/tsa-chain.pem; done

   tsa-chain.pem のルート証明書（root CA）は、市が別の経路で公表した SHA-256
   フィンガープリント（kura init・kura keys fingerprints が表示し、bag-info.txt の
   Kura-TSA-Root-SHA256 にもある値）と照合してください。各証明書の名前と値を表示します:
    awk '/BEGIN CERT/{c=""} {c=c $0 "\n"} /END CERT/{o="openssl x509 -noout -subject -fingerprint -sha256"; printf "%s", c | o; close(o)}' data/timestamps/tsa-chain.pem

   注意: openssl ts -verify は現在時刻で証明書の有効期間を確かめます。証明書の期限が
   切れた後は -attime <トークンの時刻の UNIX 秒> を付けてください。

   タイムスタンプの更新（RFC 4998 の考え方）: 証明書の期限前に kura は、まだ更新されていない
   トークンのハッシュ木の根に新しいトークンを 1 つ取得します。更新された文書には
   data/timestamps/renewals/<文書ID>.chain.json（連鎖: 元のトークン → 木の中の経路 →
   更新トークン data/timestamps/renewals/T<番号>.tsr → …）があります。葉の規則:
   SHA-256(0x00 || SHA-256(前のトークンの DER))、節は SHA-256(0x01 || 左 || 右)（RFC 9162）。
   python3 verify_proofs.py が経路を確かめ、各更新トークンの openssl コマンドを表示します:
    openssl ts -verify -digest <covered> -in data/timestamps/renewals/T<番号>.tsr \
      -CAfile data/timestamps/tsa-certificates.pem [-attime <次の更新の時刻の UNIX 秒>]
   各リンクは次のリンクの時刻で、最後のリンクは今日の日付で有効であれば連鎖全体が有効です。
   tsa-certificates.pem には、以前の（期限切れを含む）タイムスタンプ局の証明書もすべて入っています。

3. 文書の履歴がすべてイベントログにあり、ログが書き換えられていないこと（Merkle 証明）

    python3 verify_proofs.py

   data/proofs/<文書ID>.json: 文書のすべてのイベント（受領・訂正・支出命令の各段階）の
   包含証明（RFC 9162）。葉の規則: SHA-256(0x00 || イベントのバイト列)。イベントは正規化した
   JSON（キーは昇順、空白なし、UTF-8）です。証明は data/checkpoints/<件数>.note（署名付き
   チェックポイント、C2SP tlog-checkpoint）の根に至ります。consistency-<a>-<b>.json は、
   チェックポイント b が a に追記しただけであること（一貫性証明）を示します。

4. チェックポイントの署名（Ed25519、C2SP signed note）

   検証鍵は data/checkpoints/verifier-key.txt にあります。この鍵は kura init が表示したもの、
   または別の経路で公表されたものと同じであることを必ず照合してください（このパッケージに
   入っている鍵だけを信じないこと）。署名の検証は Go の golang.org/x/mod/sumdb/note などで行えます。

5. 一覧と報告書

   data/metadata.csv（UTF-8 BOM 付き、Excel で開けます）と data/metadata.json は電子帳簿保存法の
   検索項目（取引年月日・取引金額・取引先）と抽出した項目、SHA-256、タイムスタンプ時刻です。
   data/history/<文書ID>.json は受領・訂正・支出命令の履歴、data/report.pdf は概要です。

------------------------------------------------------------------------

This folder (or the unpacked ZIP) is a BagIt 1.0 bag (RFC 8493). Everything in it can be
checked without kura, with sha256sum, openssl and python3 (standard library only). Run the
commands from the bag's top folder (where bagit.txt is).

1. Fixity: `sha256sum -c manifest-sha256.txt` (every payload file), `sha512sum -c
   manifest-sha512.txt`, `sha256sum -c tagmanifest-sha256.txt` (the tag files), and the
   `find ... | diff` above to see that data/ holds no file the manifest does not list.

2. Time-stamps (RFC 3161): data/timestamps/<id>.tsr, certificates in
   data/timestamps/tsa-chain.pem. For "kind": "each" (the default) the token covers the
   original itself: `openssl ts -verify -data data/originals/<id>/<file> -in
   data/timestamps/<id>.tsr -CAfile data/timestamps/tsa-chain.pem` (the loop above does all).
   For "kind": "batch" the token covers an RFC 9162 root over its batch; leaf =
   SHA-256(0x00 || SHA-256(original)) (the 32-byte digest, not hex); verify_proofs.py prints
   the root to pass to `openssl ts -verify -digest`. The checkpoints have tokens over their
   note files too (loop above). After the TSA certificate expires add `-attime`.
   Compare the root CA of tsa-chain.pem with the SHA-256 fingerprint the city published out
   of band (the awk line above prints each certificate's subject and fingerprint; kura init
   and `kura keys fingerprints` print it, bag-info.txt repeats it as Kura-TSA-Root-SHA256).
   Renewal (RFC 4998 in spirit): before a TSA certificate ends, kura takes one new token
   over the RFC 9162 root of the tokens not yet renewed. A renewed document has
   data/timestamps/renewals/<id>.chain.json: its token → path in the renewal's tree → the
   renewal token data/timestamps/renewals/T<n>.tsr → …; leaf = SHA-256(0x00 || SHA-256(previous
   token's DER)). verify_proofs.py checks each path and prints `openssl ts -verify -digest
   <covered> -in <renewal token> -CAfile data/timestamps/tsa-certificates.pem` for each link
   (add `-attime` with the next link's time). The chain holds if each link is valid at the
   next link's time and the last one today. tsa-certificates.pem holds every TSA
   certificate that signed a token in the bag, retired ones included.

3. Merkle proofs: `python3 verify_proofs.py`. data/proofs/<id>.json proves every event of the
   document (receipt, corrections, payment-order steps) in the checkpoint it names; leaf =
   SHA-256(0x00 || event bytes), events being canonical JSON (sorted keys, no whitespace,
   UTF-8); the algorithms are RFC 9162 2.1.3.2 and 2.1.4.2. consistency-<a>-<b>.json shows
   that checkpoint b only appended to checkpoint a.

4. Checkpoint signatures (Ed25519, C2SP signed note): the verifier key is in
   data/checkpoints/verifier-key.txt. Compare it with the key kura init printed or the city
   published out of band — do not trust the copy in this package alone. Verify with e.g.
   Go's golang.org/x/mod/sumdb/note.

5. data/metadata.csv (UTF-8 with BOM) and data/metadata.json list the search fields of the
   Electronic Bookkeeping Act (date, amount, counterparty), the extracted fields, SHA-256 and
   time-stamp time of each document; data/history/<id>.json its history; data/report.pdf a
   readable summary.
)TXT";
}

}  // namespace compliance::internal
