#!/usr/bin/env bash
# Builds the package Terraform deploys, in dist/package: the bundled code
# (scripts/bundle.ts: one ES module per function and shared chunks, every
# dependency but the functions framework inside), a package.json without
# scripts (Cloud Build installs the production dependencies from the lockfile
# and has nothing to compile), and the lockfile. Terraform zips this directory
# and uploads it; run this before every apply that should ship new code.
# `npm run bench cold-start` starts its functions from this same directory.
set -euo pipefail
cd "$(dirname "$0")/.."

rm -rf dist
npm run build

out=dist/package
mkdir -p "$out/dist"
cp -R dist/bundle "$out/dist/"
cp package-lock.json "$out/"
node -e '
  const pkg = JSON.parse(require("fs").readFileSync("package.json", "utf8"));
  delete pkg.scripts;
  process.stdout.write(JSON.stringify(pkg, null, 2) + "\n");
' > "$out/package.json"

main=$(node -p 'require("./'"$out"'/package.json").main')
if [ ! -f "$out/$main" ]; then
  echo "package.sh: $out/$main is missing; does package.json main match the build output?" >&2
  exit 1
fi
echo "Deployable package written to $out ($(du -sh "$out" | cut -f1))."
