#!/bin/sh
# Turns the invoice PDFs in DIR/pdf/ into scans of five qualities under
# DIR/scans/<quality>/, as a scanner would have made them: rendered with
# poppler's pdftoppm, degraded with ImageMagick (skew, blur, noise, JPEG
# artefacts) and stored as the files a scanner writes (JPEG, PNG, TIFF, or an
# image-only PDF made with img2pdf: DCTDecode for JPEG pages, CCITTFaxDecode
# for G4 TIFF pages). Used by tests/ocr/ocr_accuracy.cc and bench/ocr_bench.
#
#   300-colour        300 dpi RGB, skewed 0.4°, JPEG q85, in a PDF
#   300-grey          300 dpi 8-bit grey, slight blur, PNG
#   300-bw            300 dpi black and white (threshold), G4 TIFF in a PDF
#   200-grey-noise    200 dpi grey, skewed 0.7°, noise, blur, JPEG q70
#   200-colour-noise  200 dpi RGB, skewed 0.5°, noise, JPEG q60, in a PDF
#
# Usage: make_scans.sh DIR [QUALITY...]   (all five without QUALITY)
set -eu
dir=$1
shift
qualities=${*:-300-colour 300-grey 300-bw 200-grey-noise 200-colour-noise}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Deterministic noise: ImageMagick seeds its generator from -seed.
im="convert -seed 15"
for q in $qualities; do mkdir -p "$dir/scans/$q"; done
for pdf in "$dir"/pdf/*.pdf; do
  name=$(basename "$pdf" .pdf)
  for q in $qualities; do
    out="$dir/scans/$q/$name"
    case $q in
      300-colour)
        pdftoppm -r 300 -singlefile -png "$pdf" "$tmp/p"
        $im "$tmp/p.png" -background white -rotate 0.4 -alpha off -type TrueColor \
          -units PixelsPerInch -density 300 -quality 85 "$tmp/p.jpg"
        img2pdf -o "$out.pdf" "$tmp/p.jpg"
        ;;
      300-grey)
        pdftoppm -r 300 -singlefile -gray -png "$pdf" "$tmp/p"
        $im "$tmp/p.png" -blur 0x0.6 -units PixelsPerInch -density 300 \
          -type Grayscale -depth 8 "$out.png"
        ;;
      300-bw)
        # A scanner's black-and-white mode thresholds (pdftoppm -mono would
        # dither the grey fills into noise).
        pdftoppm -r 300 -singlefile -gray -png "$pdf" "$tmp/p"
        $im "$tmp/p.png" -threshold 60% -monochrome -units PixelsPerInch -density 300 \
          -compress Group4 "$tmp/p.tif"
        img2pdf -o "$out.pdf" "$tmp/p.tif"
        ;;
      200-grey-noise)
        pdftoppm -r 200 -singlefile -gray -png "$pdf" "$tmp/p"
        $im "$tmp/p.png" -background white -rotate -0.7 -attenuate 0.4 +noise Gaussian \
          -blur 0x0.5 -colorspace Gray -units PixelsPerInch -density 200 -quality 70 "$out.jpg"
        ;;
      200-colour-noise)
        pdftoppm -r 200 -singlefile -png "$pdf" "$tmp/p"
        $im "$tmp/p.png" -background white -rotate 0.5 -alpha off -type TrueColor -attenuate 0.4 \
          +noise Gaussian -units PixelsPerInch -density 200 -quality 60 "$tmp/p.jpg"
        img2pdf -o "$out.pdf" "$tmp/p.jpg"
        ;;
      *) echo "make_scans: unknown quality $q" >&2; exit 2 ;;
    esac
  done
done
