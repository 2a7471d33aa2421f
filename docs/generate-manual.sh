#!/usr/bin/env bash
# Writes the manual page inspector-report.1 into FOLDER (default .build/manual) from the command's own help, through
# swift-argument-parser's generate-manual plugin.
#
# The page is dated by SOURCE_DATE_EPOCH or else the last commit, never the clock, so that one commit gives one page.
# The plugin describes every command as having a `help` subcommand, which this one has not, and closes with a
# generic exit status (">0 if an error occurs"); both are removed, since the description gives the real statuses.
# Its blank line between two paragraphs, which man warns about, becomes a paragraph break.
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-.build/manual}

if [[ -n ${SOURCE_DATE_EPOCH:-} ]]; then
  date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)
elif ! date=$(git log -1 --format=%cs 2>/dev/null); then
  echo "generate-manual.sh: error: not a git checkout; set SOURCE_DATE_EPOCH to date the page" >&2
  exit 2
fi

generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
swift package --allow-writing-to-directory "$generated" generate-manual --configuration debug \
  --output-directory "$generated" --date "$date" >&2
mkdir -p "$folder"
sed -e '/^\.Ar subcommand$/d' -e '/^\.It Em help$/,/^\.El$/d' -e '/^\.Sh "EXIT STATUS"$/,/^\.Ex -std$/d' \
  -e 's/^$/.Pp/' "$generated/inspector-report.1" >"$folder/inspector-report.1"
echo "$folder/inspector-report.1"
