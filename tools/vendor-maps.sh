#!/usr/bin/env bash
# Re-vendor the map libraries from the npm registry into static/vendor/.
#
# Usage: bash tools/vendor-maps.sh
#
# For each pinned package below: downloads its tarball with `npm pack`, checks
# the version, and copies the listed distributable files (unmodified) into
# static/vendor/<directory>/, replacing what was there. Every package is
# downloaded and checked before anything in static/vendor/ is touched, so a
# failure leaves the vendored copies as they were. static/vendor/README.md
# lists the same packages, versions and files: keep the two in step.
#
# To upgrade a library, bump its version below (and in static/vendor/README.md),
# run this script and review `git diff static/vendor`.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vendor_dir="$repo_root/static/vendor"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

fail() {
    echo "vendor-maps: $*" >&2
    exit 1
}

command -v npm >/dev/null 2>&1 || fail "npm is needed (it downloads the packages)"

staged=()

# stage PACKAGE VERSION DIRECTORY FILE...
#
# Each FILE is a path (or glob) inside the package, copied as SOURCE:TARGET into
# static/vendor/DIRECTORY/; TARGET defaults to the file's base name, and a TARGET
# ending in "/" is a directory that takes every file the glob matches.
stage() {
    local package="$1" version="$2" directory="$3"
    shift 3
    local work="$tmp/$directory"
    local out="$work/out"
    mkdir -p "$work" "$out"

    (cd "$work" && npm pack --silent "$package@$version" >/dev/null) \
        || fail "npm pack $package@$version failed"
    local tarballs=("$work"/*.tgz)
    [[ ${#tarballs[@]} -eq 1 && -f "${tarballs[0]}" ]] \
        || fail "expected one tarball for $package@$version"
    tar -xzf "${tarballs[0]}" -C "$work"
    local pkg="$work/package"

    local actual
    actual="$(node -p "require('$pkg/package.json').version" 2>/dev/null \
        || sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pkg/package.json" | head -n1)"
    [[ "$actual" == "$version" ]] || fail "expected $package $version, got $actual"

    local spec source target files
    for spec in "$@"; do
        source="${spec%%:*}"
        if [[ "$spec" == *:* ]]; then
            target="${spec#*:}"
        else
            target="$(basename "$source")"
        fi
        shopt -s nullglob
        # shellcheck disable=SC2206  # $source may be a glob: expand it
        files=("$pkg"/$source)
        shopt -u nullglob
        # (a name without wildcards stays in the list even when there is no such file)
        [[ ${#files[@]} -gt 0 && -f "${files[0]}" ]] || fail "$source missing from $package@$version"
        if [[ "$target" == */ ]]; then
            mkdir -p "$out/$target"
            cp "${files[@]}" "$out/$target"
        else
            [[ ${#files[@]} -eq 1 ]] || fail "$source matches several files in $package@$version"
            mkdir -p "$(dirname "$out/$target")"
            cp "${files[0]}" "$out/$target"
        fi
    done
    staged+=("$directory:$package $version")
}

stage leaflet 1.9.4 leaflet \
    dist/leaflet.js \
    dist/leaflet.css \
    LICENSE \
    "dist/images/*.png:images/"

stage leaflet.markercluster 1.5.3 leaflet.markercluster \
    dist/leaflet.markercluster.js \
    dist/MarkerCluster.css \
    dist/MarkerCluster.Default.css \
    MIT-LICENCE.txt:LICENSE

stage leaflet-polylinedecorator 1.6.0 leaflet-polylinedecorator \
    dist/leaflet.polylineDecorator.js \
    LICENSE

# Everything downloaded and checked: replace the vendored copies.
mkdir -p "$vendor_dir"
for entry in "${staged[@]}"; do
    directory="${entry%%:*}"
    rm -rf "${vendor_dir:?}/$directory"
    cp -R "$tmp/$directory/out" "$vendor_dir/$directory"
    # Plain files whatever the tarball's modes (some packages ship them executable).
    find "$vendor_dir/$directory" -type d -exec chmod 755 {} +
    find "$vendor_dir/$directory" -type f -exec chmod 644 {} +
    echo "vendored ${entry#*:} into static/vendor/$directory/:"
    (cd "$vendor_dir/$directory" && find . -type f | sort | sed 's|^\./|  |')
done
