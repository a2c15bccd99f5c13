#!/usr/bin/env bash
# Re-vendor Leaflet from the npm registry into static/vendor/leaflet/.
#
# Usage: bash tools/vendor-leaflet.sh
#
# Downloads the pinned `leaflet` package tarball with `npm pack`, extracts it
# into a temporary directory and copies the distributable files (leaflet.js,
# leaflet.css, images/ and LICENSE) into static/vendor/leaflet/, replacing
# what was there. Bump LEAFLET_VERSION to upgrade.
set -euo pipefail

LEAFLET_VERSION="1.9.4"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/static/vendor/leaflet"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(cd "$tmp" && npm pack --silent "leaflet@$LEAFLET_VERSION" >/dev/null)
tarball="$(ls "$tmp"/leaflet-*.tgz)"
tar -xzf "$tarball" -C "$tmp"
pkg="$tmp/package"

actual_version="$(node -p "require('$pkg/package.json').version" 2>/dev/null \
    || sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg/package.json" | head -n1)"
if [[ "$actual_version" != "$LEAFLET_VERSION" ]]; then
    echo "vendor-leaflet: expected leaflet $LEAFLET_VERSION, got $actual_version" >&2
    exit 1
fi

for f in dist/leaflet.js dist/leaflet.css LICENSE; do
    if [[ ! -f "$pkg/$f" ]]; then
        echo "vendor-leaflet: $f missing from leaflet@$LEAFLET_VERSION" >&2
        exit 1
    fi
done

rm -rf "$dest"
mkdir -p "$dest/images"
cp "$pkg/dist/leaflet.js" "$pkg/dist/leaflet.css" "$dest/"
cp "$pkg/LICENSE" "$dest/LICENSE"
cp "$pkg"/dist/images/*.png "$dest/images/"

echo "vendored leaflet $LEAFLET_VERSION into static/vendor/leaflet/:"
(cd "$dest" && find . -type f | sort | sed 's|^\./|  |')
