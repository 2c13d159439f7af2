#!/usr/bin/env bash
# Installs the Debian 12 packages kura needs to build, test and run.
# Only what is missing is installed; with everything present it needs no
# network. Run as root (or with sudo).
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config
  # libraries (see docs/ARCHITECTURE.md for which module owns which)
  libpodofo-dev libxml2-dev libbotan-2-dev liblmdb-dev libcpp-httplib-dev
  libspdlog-dev libgtest-dev libgmock-dev nlohmann-json3-dev libcli11-dev
  libtomlplusplus-dev libicu-dev libarchive-dev libssl-dev libbenchmark-dev libpq-dev
  # the evidence export's ZIP: whole-buffer DEFLATE and CRC-32 (compliance/bag_io.cc)
  libdeflate-dev
  # the OASIS PKCS#11 header (signing/pkcs11.cc; keys in an HSM, [keys] in kura.toml)
  libp11-kit-dev
  # OCR of scanned invoices (issue 15): libtesseract with Leptonica, and the
  # Japanese and English trained data it reads with
  libtesseract-dev libleptonica-dev tesseract-ocr-jpn tesseract-ocr-eng
  # the legacy creditor export (issue 16): an RFC 4180 CSV parser
  libcsv-dev
  # tools the tests drive: openssl (ts -verify, s_client), curl (HTTPS),
  # pdftotext, a Japanese font, unzip (unzip -t of the evidence ZIP)
  openssl curl poppler-utils fonts-ipaexfont unzip
)
# --test: also what the browser tests drive (tests/e2e: Debian's chromium
# with its translations, chromium-l10n, so that it draws date inputs as a
# Japanese browser does, 年/月/日; and Node.js with npm for playwright-core and axe-core, unless a node is
# already installed), ImageMagick and img2pdf for the generated scans of the
# OCR tests (img2pdf wraps JPEG, PNG and G4 TIFF pages into image-only PDFs),
# and SoftHSM2 for the PKCS#11 key tests.
# --bench: also the peers and tools the benchmarks use (bench/search_bench
# starts its own PostgreSQL 15 server in a temporary directory; bench/http_bench
# drives the server with wrk; bench/ocr_bench runs the tesseract command).
for arg in "$@"; do
  case "$arg" in
    --test)
      packages+=(chromium chromium-l10n chromium-driver imagemagick img2pdf softhsm2)
      if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        packages+=(nodejs npm)
      fi
      ;;
    --bench) packages+=(postgresql-15 wrk tesseract-ocr) ;;
    *) echo "install-deps: unknown option $arg (use --test or --bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages are installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
