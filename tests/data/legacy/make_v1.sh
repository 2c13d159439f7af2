#!/usr/bin/env bash
# Makes the legacy data directory fixture (data-v1.tar.gz) with the kura
# binary given as $1, exactly as that build writes it: documents received
# from the command line (XML, hybrid PDF, plain PDF, one received twice), a
# correction, the organisation from the CLI, and one payment order walked
# from draft to paid over the HTTP API. tests/ledger/legacy_data_test.cc
# opens it with today's code and verifies it.
#
#   bash tests/data/legacy/make_v1.sh build/kura   # from the repository root
#
# It was made once, with the kura of commit 69e846b (before ledger/ existed);
# do not regenerate it with a newer kura, or the test proves nothing.
set -euo pipefail
KURA=$(realpath "$1")
HERE=$(cd "$(dirname "$0")" && pwd)
SAMPLES=$(realpath "$HERE/../../../../shared/samples")
WORK=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"
D=data
$KURA --data $D init >/dev/null
$KURA --data $D department add --code somu --name 総務課
$KURA --data $D department add --code kaikei --name 会計室
for u in "tanto clerk somu" "kacho approver somu" "kaikei accountant kaikei"; do
  set -- $u
  extra=()
  if [ "$2" = approver ]; then extra=(--title 課長); fi
  printf 'legacy-pass-2026\n' | $KURA --data $D user add --login "$1" --name "$1" \
    --department "$3" --role "$2" "${extra[@]}" >/dev/null
done
$KURA --data $D demo-data --out corpus --count 3 --seed 7 --pdf-share 0.34 2>/dev/null
JP=$(ls "$SAMPLES"/jp-pint/pint-jp-1.1.3/*.xml | head -1)
FX=$(ls "$SAMPLES"/facturx/*.pdf | head -1)
$KURA --data $D ingest --department somu corpus/invoice-000001.xml corpus/invoice-000002.xml \
  corpus/invoice-000003.pdf "$JP" "$FX" > ingest.jsonl
$KURA --data $D ingest --department somu corpus/invoice-000001.xml >> ingest.jsonl   # again
PDF_ID=$(jq -r 'select(.media_type=="application/pdf" and .fields.needs_metadata) | .id' ingest.jsonl | head -1)
$KURA --data $D correct "$PDF_ID" --set issue_date=2026-11-20 --set total=55000 \
  --set counterparty=株式会社レガシー商事 --reason "紙の請求書から入力" >/dev/null
# The vendor of the first invoice, as the vendor master knows it.
read -r REG NAME BANK < <(jq -r 'select(.status=="archived") | .fields |
  "\(.registration_number) \(.counterparty) \(.bank_account)"' ingest.jsonl | head -1)
DOC=$(jq -r 'select(.status=="archived") | .id' ingest.jsonl | head -1)
$KURA --data $D vendor add --id V00001 --name "$NAME" --registration-number "$REG" \
  --bank-account "$BANK" >/dev/null
$KURA --data $D serve --listen 127.0.0.1:18787 > serve.log 2>&1 &
SERVER=$!
K=http://127.0.0.1:18787
for _ in $(seq 50); do curl -sf $K/healthz >/dev/null && break; sleep 0.2; done
J='Content-Type: application/json'
login() {  # login jar -> prints the CSRF token
  curl -sf -c "$2" -H "$J" -d "{\"login\":\"$1\",\"password\":\"legacy-pass-2026\"}" \
    $K/api/v1/session | jq -r .csrf_token
}
T=$(login tanto jar1); T2=$(login kacho jar2); T3=$(login kaikei jar3)
C=$(curl -sf -b jar1 -H "X-CSRF-Token: $T" -H "$J" $K/api/v1/commitments -d '{
  "department": "somu", "vendor_id": "V00001", "budget_line": "02-01-01-13",
  "fiscal_year": 2026, "description": "レガシー契約", "amount": "10000000",
  "contract_from": "2020-04-01", "contract_to": "2030-03-31", "expense_type": "services"}' | jq -r .id)
P=$(curl -sf -b jar1 -H "X-CSRF-Token: $T" -H "$J" $K/api/v1/payment-orders \
  -d "{\"document_id\":\"$DOC\",\"commitment_id\":\"$C\"}")
O=$K/api/v1/payment-orders/$(jq -r .id <<<"$P")/actions
ACK=$(jq -c .unacknowledged <<<"$P")
act() { curl -sf -b "$1" -H "X-CSRF-Token: $2" -H "$J" -d "$3" $O | jq -r .state; }
act jar1 "$T" "{\"action\":\"submit\",\"version\":1,\"acknowledge\":$ACK,\"comment\":\"確認済み\"}"
act jar2 "$T2" '{"action":"approve","version":2}'
act jar3 "$T3" '{"action":"return","version":3,"comment":"検収日を記入してください"}'
act jar1 "$T" "{\"action\":\"submit\",\"version\":4,\"acknowledge\":$ACK,\"comment\":\"確認済み\"}"
act jar2 "$T2" '{"action":"approve","version":5}'
act jar3 "$T3" '{"action":"accept","version":6,"checklist":{"fiscal_year":true,"budget_line":true,"legitimate_creditor":true,"amount":true,"delivery_done":true,"debt_fixed":true,"payment_method_and_date":true}}'
act jar3 "$T3" '{"action":"pay","version":7}'
kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=
$KURA --data $D verify > verify.json
jq -c . verify.json
rm -f $D/LOCK
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=2026-12-02 \
  -czf "$HERE/data-v1.tar.gz" $D
echo "wrote $HERE/data-v1.tar.gz ($(stat -c %s "$HERE/data-v1.tar.gz") bytes)"
