#!/usr/bin/env bash
# The README's test command (`npm test`) runs this: it installs what the suite needs (as root, from
# Debian), builds, and runs every test tier. Private Docker daemons are started by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically' || need+=(busybox-static)
command -v file >/dev/null 2>&1 || need+=(file)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# PDF tests read the outline (bookmarks) with qpdf's JSON view.
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
[ -f /usr/share/xml/scap/ssg/content/ssg-rhel8-ds.xml ] || need+=(ssg-nondebian ssg-debian)
command -v oscap >/dev/null 2>&1 || need+=(openscap-scanner)
# Supply-chain tests: a registry and a Notary server (memory storage, local signer), htpasswd for basic auth.
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
command -v notary-server >/dev/null 2>&1 || need+=(notary)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "installing test dependencies: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "missing test dependencies (run as root to install them): ${need[*]}" >&2
    exit 1
  fi
fi

# The reference content (never copied into the repository): PLIMSOLL_CONTENT_MIRROR, else shared/data beside
# the repository or one of its ancestors, else beside the local checkout it was cloned from (git's origin: a
# clone in a temporary directory). Exported so that the CLI processes the tests start find it too.
find_shared_data() {
  local dir="$1"
  while [ "$dir" != "/" ]; do
    dir="$(dirname "$dir")"
    if [ -d "$dir/shared/data" ]; then export PLIMSOLL_CONTENT_MIRROR="$dir/shared/data"; return 0; fi
  done
  return 1
}
if [ -z "${PLIMSOLL_CONTENT_MIRROR:-}" ] && ! find_shared_data "$(pwd)"; then
  origin="$(git config --get remote.origin.url 2>/dev/null || true)"
  origin="${origin#file://}"
  if [ -n "$origin" ] && [ -d "$origin" ]; then find_shared_data "$(cd "$origin" && pwd)" || true; fi
fi
if [ -z "${PLIMSOLL_CONTENT_MIRROR:-}" ] || [ ! -d "$PLIMSOLL_CONTENT_MIRROR" ]; then
  echo "reference content not found: set PLIMSOLL_CONTENT_MIRROR to the shared/data directory" >&2
  exit 1
fi

npm run -s build
npx vitest run "$@"
