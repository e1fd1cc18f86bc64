#!/usr/bin/env sh
# Regenerates every icon from the SVG sources in build/icon-sources/ (run after editing them).
# Needs rsvg-convert (librsvg2-bin), png2icns (icnsutils) and icotool (icoutils):
#   apt-get install -y librsvg2-bin icnsutils icoutils
set -eu
cd "$(dirname "$0")/.."
src=build/icon-sources
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in rsvg-convert png2icns icotool; do
  command -v "$tool" >/dev/null || { echo "make-icons: $tool is missing (apt-get install -y librsvg2-bin icnsutils icoutils)" >&2; exit 1; }
done

render() { rsvg-convert --width "$2" --height "$2" --output "$3" "$src/$1"; }

# App icon: electron-builder reads build/icon.png (>= 1024), build/icon.icns (macOS), build/icon.ico (Windows)
# and build/icons/<size>x<size>.png (Linux desktop entries).
render icon.svg 1024 build/icon.png
mkdir -p build/icons
for size in 16 24 32 48 64 128 256 512 1024; do
  render icon.svg "$size" "$work/$size.png"
done
for size in 16 32 48 64 128 256 512 1024; do
  cp "$work/$size.png" "build/icons/${size}x${size}.png"
done
png2icns build/icon.icns "$work/16.png" "$work/32.png" "$work/48.png" "$work/128.png" "$work/256.png" "$work/512.png" "$work/1024.png" >/dev/null
icotool --create --output build/icon.ico "$work/16.png" "$work/24.png" "$work/32.png" "$work/48.png" "$work/64.png" "$work/128.png" --raw "$work/256.png"

# Runtime icons in resources/: the window icon (Linux, Windows) and the tray (1x and @2x).
render icon.svg 512 resources/icon.png
render tray.svg 16 resources/tray.png
render tray.svg 32 resources/tray@2x.png
render trayTemplate.svg 16 resources/trayTemplate.png
render trayTemplate.svg 32 resources/trayTemplate@2x.png
echo "make-icons: wrote build/icon.{png,icns,ico}, build/icons/*.png and resources/{icon,tray,trayTemplate}*.png"
