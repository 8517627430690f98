#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, installed into a fresh project with no TypeScript toolchain, then on
# each supported Node: `npx heartlock --version`, `run <library scenario>`, `validate <file>`, `run all` serial and
# with `--jobs 2`, an HTML report, and a plain .mjs importing `heartlock` and `heartlock/client` against a running
# `heartlock serve` (and its studio page). Then, in a second project that
# also installs typescript (and msw, the optional peer), a consumer .ts type-checks under strict and
# exactOptionalPropertyTypes. Prints the runtime install size. Usage: .ci/package-check.sh [node versions...]
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(20.18.1 22 24 26)

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

# `npm ci` already built dist/ through `prepare`; build only if it is missing, then pack what is there.
[ -f dist/cli-bundle/main.js ] || npm run build
tarball="${work}/$(npm pack --ignore-scripts --silent --pack-destination "${work}" | tail -n 1)"
echo "== packed $(basename "${tarball}") ($(du -k "${tarball}" | cut -f1) KiB)"
listing="$(tar -tzf "${tarball}")"
if grep -E '\.test\.|^package/\.ci/|^package/(cli|core|protocol|mock-server|device-sim|scenarios|studio|test|bench)/' <<< "${listing}" ; then
  echo "the tarball carries tests or sources it should not"; exit 1
fi
# The bin runs the CLI's bundle when it is there and falls back to the modules without a word: a dist/ built
# before the bundle existed would pass every check below.
grep -qx 'package/dist/cli-bundle/main.js' <<< "${listing}" || { echo "the tarball carries no CLI bundle (dist/cli-bundle/main.js)"; exit 1; }
# The tarball has no .ts sources, so its source maps must carry them (a stack trace and a debugger show them).
tar -xzOf "${tarball}" package/dist/client/index.js.map | grep -q '"sourcesContent"' || { echo "the source maps carry no sources (inlineSources)"; exit 1; }
# The studio's scenario picker offers the fleet-sized scenarios beside the library: they must be built in too.
grep -qx 'package/dist/scenarios/fleets/thousand-phones.yaml' <<< "${listing}" || { echo "the tarball carries no fleet scenarios (dist/scenarios/fleets/)"; exit 1; }

runtime_project="${work}/runtime"
mkdir -p "${runtime_project}"
cd "${runtime_project}"
npm init -y > /dev/null
npm install --no-audit --no-fund --silent "${tarball}"
for forbidden in typescript tsx esbuild swagger-ui-dist @scarf/scarf; do
  if [ -e "node_modules/${forbidden}" ]; then echo "runtime install pulled in ${forbidden}"; exit 1; fi
done
if npm query ':attr(scripts, [postinstall]), :attr(scripts, [install]), :attr(scripts, [preinstall])' | grep -q '"name"'; then
  echo "a runtime dependency has an install script:"; npm query ':attr(scripts, [postinstall])' | grep '"name"'; exit 1
fi
echo "== runtime install: $(du -sk node_modules | cut -f1) KiB in node_modules ($(ls node_modules | wc -l) top-level entries), no install scripts"
cp "${repo}/.ci/package-check/consumer.mjs" .
cp node_modules/heartlock/dist/scenarios/library/on-time-payer.yaml my-story.yaml

for version in "${versions[@]}"; do
  prefix="${HOME}/.cache/heartlock-ci/node-${version}"
  if [ ! -x "${prefix}/node_modules/.bin/node" ]; then
    npm install --prefix "${prefix}" --no-audit --no-fund --no-save "node@${version}" > /dev/null
  fi
  bin_dir="${prefix}/node_modules/.bin"
  # The installed package's bin, as a user runs it, on this Node.
  heartlock() { PATH="${bin_dir}:${PATH}" npx --no -- heartlock "$@"; }
  echo "== the package on node $("${bin_dir}/node" --version)"
  heartlock --version
  heartlock run missed-payment-lock > run.txt 2> run.err || { cat run.txt run.err; exit 1; }
  # A user's `heartlock` prints no Node warning (Node 20.18 warned on JSON module imports in the built code).
  if grep -i "warning" run.err; then echo "heartlock run printed a warning on node ${version}"; exit 1; fi
  tail -n 2 run.txt
  heartlock validate my-story.yaml
  # The bundled CLI (dist/cli-bundle/): --jobs 2 starts the bundle's own worker and must give the serial run's
  # bytes; the HTML report inlines uPlot, which the bundle resolves from its dependencies.
  heartlock run all --reporter json > serial.json || { echo "run all failed"; exit 1; }
  heartlock run all --reporter json --jobs 2 > jobs2.json || { echo "run all --jobs 2 failed"; exit 1; }
  cmp serial.json jobs2.json || { echo "run all --jobs 2 differs from the serial run on node ${version}"; exit 1; }
  heartlock run fleet-of-phones --reporter html --out report.html > /dev/null
  grep -q "var uPlot=function" report.html || { echo "the HTML report carries no uPlot library on node ${version}"; exit 1; }
  echo "run all: --jobs 2 gives the serial run's bytes; the HTML report carries its charts"
  PATH="${bin_dir}:${PATH}" node consumer.mjs
done

types_project="${work}/types"
mkdir -p "${types_project}"
cd "${types_project}"
npm init -y > /dev/null
npm install --no-audit --no-fund --silent "${tarball}" "typescript@$(node -p 'require(process.argv[1]).version' "${repo}/node_modules/typescript/package.json")" "msw@$(node -p 'require(process.argv[1]).version' "${repo}/node_modules/msw/package.json")"
cp "${repo}/.ci/package-check/consumer.ts" "${repo}/.ci/package-check/tsconfig.consumer.json" .
./node_modules/.bin/tsc -p tsconfig.consumer.json
echo "== consumer.ts type-checks under strict and exactOptionalPropertyTypes"
