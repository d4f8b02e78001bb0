/**
 * The shell script a helper container runs, and the parser of what it prints. The script uses only busybox
 * applets called through the busybox binary (`$B stat`, `$B base64`, …), so it works in images whose applet
 * links are incomplete. The host's `/` is mounted read-only at `/host`; `res` resolves every symbolic link
 * inside `/host` as a chroot would. Every line is one record; paths and contents travel base64-encoded, and
 * a final `END` line proves the output is complete.
 *
 *   F i STAT            requested file i: `missing` (ENOENT only), `loop`, `error B64WHY` or `%F|%u|%g|%a`
 *   C i =B64 | C i !why  content of requested file i, or why it could not be read
 *   D t B64PATH STAT    tree t: an entry (the tree root first)
 *   DC t B64PATH =B64|!why  content of a tree entry
 *   DE t B64WHY         tree t could not be listed completely (find failed), and why
 *   P pid B64COMM B64CMDLINE
 *   X =value | X !absent | X !noproc | X ?B64WHY   /proc/sys/crypto/fips_enabled (`?`: it could not be read)
 *
 * Only "No such file or directory" (ENOENT) makes a file `missing`: busybox prints strerror's text, which has
 * no locale in busybox. Any other failure (permission denied, an I/O error) is reported with its text.
 */
import type { HostFileRead, HostProcess, HostReadRequest, HostReadResult } from '../host-files.js';
import { FIPS_PATH, MAX_CONTENT_BYTES, splitCmdline } from '../host-files.js';

/** Where the host's root is mounted inside the helper container. */
export const HOST_MOUNT = '/host';

/** Single-quotes a string for sh. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

// `@{` stands for the shell's `${` (a template literal would interpolate it).
const FUNCTIONS = String.raw`
b64() { $B base64 | $B tr -d '\n'; }
res() {
  p=; r=$1; n=0
  while [ -n "$r" ]; do
    c=@{r%%/*}
    if [ "$c" = "$r" ]; then r=; else r=@{r#*/}; fi
    case $c in ''|.) continue ;; ..) p=@{p%/*}; continue ;; esac
    if [ -L "$H$p/$c" ]; then
      n=$((n+1)); [ "$n" -gt 40 ] && return 1
      t=$($B readlink "$H$p/$c")
      case $t in /*) p= ;; esac
      r=$t/$r
    else
      p=$p/$c
    fi
  done
  echo "@{p:-/}"
}
msg() { printf %s "$1" | $B tr '\n' ' ' | $B sed 's/.*: //;s/ *$//'; }
st() {
  r=$(res "$1") || { echo loop; return; }
  o=$($B stat -c '%F|%u|%g|%a' "$H$r" 2>&1) && { echo "$o"; return; }
  case $o in *'No such file or directory'*) echo missing ;; *) echo "error $(msg "$o" | b64)" ;; esac
}
ct() {
  r=$(res "$1") || { echo '!too many levels of symbolic links'; return; }
  [ -f "$H$r" ] || { echo '!not a regular file'; return; }
  s=$($B stat -c %s "$H$r" 2>&1) || { echo "!$(msg "$s")"; return; }
  [ "$s" -gt "$M" ] && { echo "!larger than $M bytes"; return; }
  o=$($B base64 "$H$r" 2>&1) || { echo "!$(msg "$o")"; return; }
  printf '=%s' "$o" | $B tr -d '\n'
}
tree() {
  echo "D $1 $(printf %s "$2" | b64) $(st "$2")"
  root=$(res "$2") || return
  [ -d "$H$root" ] || return
  e=$($B find "$H$root" 2>&1 >/dev/null) || echo "DE $1 $(printf %s "$e" | $B sed "s#$H##g" | b64)"
  $B find "$H$root" 2>/dev/null | while IFS= read -r e; do
    [ "$e" = "$H$root" ] && continue
    hp=$2@{e#"$H$root"}
    e64=$(printf %s "$hp" | b64)
    echo "D $1 $e64 $(st "$hp")"
    if [ -n "$3" ]; then case $hp in *"$3") echo "DC $1 $e64 $(ct "$hp")" ;; esac; fi
  done
}
`.replace(/@\{/g, '${');

/** The script answering `request` with the busybox binary at `busybox`. */
export function buildHelperScript(request: HostReadRequest, busybox: string): string {
  const lines = [`B=${shQuote(busybox)}`, `H=${HOST_MOUNT}`, `M=${MAX_CONTENT_BYTES}`, FUNCTIONS];
  (request.files ?? []).forEach((f, i) => {
    lines.push(`echo "F ${i} $(st ${shQuote(f.path)})"`);
    if (f.content === true) lines.push(`echo "C ${i} $(ct ${shQuote(f.path)})"`);
  });
  (request.trees ?? []).forEach((t, i) => lines.push(`tree ${i} ${shQuote(t.path)} ${shQuote(t.contentSuffix ?? '')}`));
  const names = request.processes ?? [];
  if (names.length > 0) {
    lines.push(
      'for d in /proc/[0-9]*; do',
      `  c=$($B cat "$d/comm" 2>/dev/null) || continue`,
      `  case $c in ${names.map(shQuote).join('|')}) ;; *) continue ;; esac`,
      `  a=$($B cat "$d/cmdline" 2>/dev/null | b64)`,
      `  [ -n "$a" ] && echo "P \${d#/proc/} $(printf %s "$c" | b64) $a"`,
      'done',
    );
  }
  if (request.fips === true) {
    lines.push(
      `if v=$($B cat ${FIPS_PATH} 2>&1); then echo "X =$v"`,
      `elif [ ! -d /proc/sys ]; then echo 'X !noproc'`,
      `else case $v in *'No such file or directory'*) echo 'X !absent' ;; *) echo "X ?$(msg "$v" | b64)" ;; esac; fi`,
    );
  }
  lines.push('echo END');
  return lines.join('\n');
}

const TYPES: Record<string, string> = {
  'regular file': 'file',
  'regular empty file': 'file',
  directory: 'directory',
  socket: 'socket',
  'symbolic link': 'symlink',
};

/** A file record from the `STAT` field of a line. */
export function parseStat(path: string, stat: string): HostFileRead {
  if (stat === 'missing') return { path, exists: false };
  if (stat.startsWith('error ')) return { path, exists: false, error: decode(stat.slice('error '.length)) || 'stat failed without a message' };
  if (stat === 'loop') return { path, exists: false, type: 'symlink', contentError: 'too many levels of symbolic links' };
  const m = /^([^|]+)\|(\d+)\|(\d+)\|([0-7]+)$/.exec(stat);
  if (m === null) throw new Error(`the helper container printed an unreadable stat for ${path}: ${JSON.stringify(stat)}`);
  return { path, exists: true, type: TYPES[m[1] as string] ?? 'other', uid: Number(m[2]), gid: Number(m[3]), mode: (m[4] as string).padStart(3, '0') };
}

function decode(b64: string): string {
  return Buffer.from(b64, 'base64').toString('utf8');
}

/** Applies a `=B64` / `!why` content field to a file record. */
function applyContent(file: HostFileRead, field: string): void {
  if (field.startsWith('=')) file.content = decode(field.slice(1));
  else file.contentError = field.startsWith('!') ? field.slice(1) : `unexpected output ${JSON.stringify(field.slice(0, 40))}`;
}

/** Splits `"A B rest with spaces"` into its first `n` words and the rest of the line. */
function words(line: string, n: number): string[] {
  const out: string[] = [];
  let rest = line;
  for (let i = 0; i < n; i++) {
    const sp = rest.indexOf(' ');
    if (sp < 0) {
      out.push(rest);
      rest = '';
    } else {
      out.push(rest.slice(0, sp));
      rest = rest.slice(sp + 1);
    }
  }
  out.push(rest);
  return out;
}

/** Parses the helper's standard output into a read result (owner and group names not yet applied). */
export function parseHelperOutput(stdout: string, request: HostReadRequest, source: string): HostReadResult {
  const lines = stdout.split('\n');
  if (!lines.includes('END')) throw new Error('the helper container output is incomplete (no END line)');
  const files: (HostFileRead | undefined)[] = (request.files ?? []).map(() => undefined);
  const trees: Record<string, HostFileRead[]> = {};
  const treeEntries = new Map<string, HostFileRead>();
  const processes: HostProcess[] = [];
  const result: HostReadResult = { via: 'helper-container', source, files: [], trees, processes };
  (request.trees ?? []).forEach((t) => (trees[t.path] = []));
  for (const line of lines) {
    if (line === '' || line === 'END') continue;
    const sp = line.indexOf(' ');
    const kind = sp < 0 ? line : line.slice(0, sp);
    const body = sp < 0 ? '' : line.slice(sp + 1);
    switch (kind) {
      case 'F': {
        const [i, stat] = words(body, 1) as [string, string];
        const req = request.files?.[Number(i)];
        if (req === undefined) throw new Error(`the helper container reported an unknown file ${i}`);
        files[Number(i)] = parseStat(req.path, stat);
        break;
      }
      case 'C': {
        const [i, field] = words(body, 1) as [string, string];
        const file = files[Number(i)];
        if (file === undefined) throw new Error(`the helper container reported content before the stat of file ${i}`);
        if (file.exists && file.type === 'file') applyContent(file, field);
        break;
      }
      case 'D': {
        const [t, p64, stat] = words(body, 2) as [string, string, string];
        const tree = request.trees?.[Number(t)];
        if (tree === undefined) throw new Error(`the helper container reported an unknown tree ${t}`);
        const entry = parseStat(decode(p64), stat);
        (trees[tree.path] as HostFileRead[]).push(entry);
        treeEntries.set(`${t} ${entry.path}`, entry);
        break;
      }
      case 'DE': {
        const [t, why64] = words(body, 1) as [string, string];
        const tree = request.trees?.[Number(t)];
        const root = tree === undefined ? undefined : trees[tree.path]?.[0];
        if (root === undefined) throw new Error(`the helper container reported a listing error for an unknown tree ${t}`);
        root.contentError = `its entries could not all be listed (${decode(why64).trim().replace(/\s+/g, ' ') || 'find failed'})`;
        break;
      }
      case 'DC': {
        const [t, p64, field] = words(body, 2) as [string, string, string];
        const entry = treeEntries.get(`${t} ${decode(p64)}`);
        if (entry?.exists === true && entry.type === 'file') applyContent(entry, field);
        break;
      }
      case 'P': {
        const [pid, comm64, cmd64] = words(body, 2) as [string, string, string];
        processes.push({ pid: Number(pid), comm: decode(comm64), cmdline: splitCmdline(decode(cmd64)) });
        break;
      }
      case 'X':
        result.fips = {
          path: FIPS_PATH,
          value: body.startsWith('=') ? body.slice(1).trim() : null,
          procPresent: body !== '!noproc',
          ...(body.startsWith('?') ? { error: decode(body.slice(1)) || 'unreadable' } : {}),
        };
        break;
      default:
        throw new Error(`the helper container printed an unexpected line: ${JSON.stringify(line.slice(0, 80))}`);
    }
  }
  const missing = files.findIndex((f) => f === undefined);
  if (missing >= 0) throw new Error(`the helper container did not report ${request.files?.[missing]?.path}`);
  result.files = files as HostFileRead[];
  for (const entries of Object.values(trees)) {
    const [root, ...below] = entries;
    if (root !== undefined) entries.splice(0, entries.length, root, ...below.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  }
  processes.sort((a, b) => a.pid - b.pid);
  return result;
}
