#!/bin/sh
# Checks the OpenAPI document that `xrm serve` answers at /api/v1/openapi.json:
# installs the npm packages from the lockfile when missing (@redocly/cli,
# openapi-typescript, typescript), starts `build/xrm serve` on a fresh database
# on 127.0.0.1 (a free port), fetches the document and
#   1. lints it with `redocly lint` (rules: .redocly.yaml): no errors allowed;
#   2. generates TypeScript types from it with openapi-typescript and compiles
#      tests/openapi/example.ts with `tsc --strict` against them;
#   3. runs the example against the server: it creates a party and reads it.
# The server is stopped whatever happens. Output goes to build/openapi/.
# usage: scripts/test-openapi.sh   (env: XRM_BIN)
set -eu
cd "$(dirname "$0")/.."
bin=${XRM_BIN:-build/xrm}
out=build/openapi

need() {
    command -v "$1" >/dev/null 2>&1 || { echo "test-openapi: $1 not found; $2" >&2; exit 1; }
}
need node "install Debian's nodejs and npm"
need npm "install Debian's npm"
need curl "install Debian's curl"
[ -x "$bin" ] || { echo "test-openapi: $bin not found; run make build/xrm" >&2; exit 1; }

# The npm packages as pinned in package-lock.json (scripts/npm-deps.sh).
scripts/npm-deps.sh test-openapi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/xrm-openapi.XXXXXX")
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

password="openapi-test-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
XRM_ADMIN_PASSWORD=$password "$bin" init --db "$tmp/api.db" >/dev/null
token=$("$bin" token create --db "$tmp/api.db" --user admin)
"$bin" serve --db "$tmp/api.db" --listen 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
pid=$!

url=""
i=0
while [ $i -lt 100 ]; do
    url=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$tmp/serve.log" | head -n 1)
    [ -n "$url" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$url" ]; then
    echo "test-openapi: xrm serve did not start:" >&2
    cat "$tmp/serve.log" >&2
    exit 1
fi

mkdir -p "$out"
curl -sSf -o "$out/openapi.json" "$url/api/v1/openapi.json"
echo "test-openapi: $(wc -c <"$out/openapi.json") bytes from $url/api/v1/openapi.json"

# Node 20 is what Debian ships; redocly only warns that it wants a newer one.
echo "test-openapi: redocly lint"
node_modules/.bin/redocly lint --config .redocly.yaml --format=summary "$out/openapi.json"

echo "test-openapi: openapi-typescript and tsc --strict"
node_modules/.bin/openapi-typescript "$out/openapi.json" -o "$out/api.d.ts" --silent
# One compile both type-checks (strict; any error fails it) and emits the example.
node_modules/.bin/tsc -p tests/openapi/tsconfig.json --noEmit false --outDir "$out/example"

echo "test-openapi: running the example"
XRM_URL=$url XRM_TOKEN=$token node "$out/example/example.js"
echo "test-openapi: ok"
