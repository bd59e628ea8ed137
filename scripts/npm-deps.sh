#!/bin/sh
# Installs the npm packages exactly as pinned in package-lock.json when the
# ones in node_modules differ (playwright-core and axe-core for the browser
# tests, @redocly/cli, openapi-typescript and typescript for the OpenAPI
# check; none downloads a binary). Optional packages (per-platform builds)
# are not required. usage: scripts/npm-deps.sh NAME   (NAME prefixes the message)
set -eu
cd "$(dirname "$0")/.."
if ! node -e '
const lock = require("./package-lock.json").packages;
for (const [p, v] of Object.entries(lock)) {
    if (!p || v.optional) continue;
    let have = null;
    try { have = require("./" + p + "/package.json").version; } catch {}
    if (have !== v.version) process.exit(1);
}' 2>/dev/null; then
    echo "${1:-npm-deps}: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
fi
