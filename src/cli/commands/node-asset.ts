/** `plimsoll node show` and `plimsoll node asset set`: a node and its asset facts (for checklists). */
import { type Command, InvalidArgumentError } from 'commander';
import { ASSET_FIELDS, type AssetField, type AssetOverrideInput } from '../../domain/asset.js';
import { ErrorCode, PlimsollError } from '../../domain/errors.js';
import { nodeView } from '../../domain/node.js';
import { formatNodeAsset, formatNodes } from '../format.js';
import { collect } from '../options.js';
import type { CliContext } from '../runtime.js';

interface SetOptions {
  hostName?: string;
  fqdn?: string;
  ip?: string[];
  mac?: string[];
  os?: string;
  role?: string;
  note?: string;
  clear?: AssetField[];
  db?: string;
}

function collectField(value: string, previous: AssetField[] = []): AssetField[] {
  if (!(ASSET_FIELDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`must be one of ${ASSET_FIELDS.join(', ')}`);
  return [...previous, value as AssetField];
}

/** The override input of `node asset set`: given values set, `--clear` fields clear; a field both set and cleared is refused. */
export function assetInputOf(opts: SetOptions): AssetOverrideInput {
  const input: AssetOverrideInput = {
    ...(opts.hostName !== undefined ? { hostName: opts.hostName } : {}),
    ...(opts.fqdn !== undefined ? { fqdn: opts.fqdn } : {}),
    ...(opts.ip !== undefined ? { ipAddresses: opts.ip } : {}),
    ...(opts.mac !== undefined ? { macAddresses: opts.mac } : {}),
    ...(opts.os !== undefined ? { os: opts.os } : {}),
    ...(opts.role !== undefined ? { role: opts.role } : {}),
    ...(opts.note !== undefined ? { note: opts.note } : {}),
  };
  for (const field of opts.clear ?? []) {
    if (input[field] !== undefined) throw new PlimsollError(ErrorCode.BAD_INPUT, `--clear ${field} and a value for ${field} contradict each other`);
    input[field] = null;
  }
  return input;
}

/** Adds `show` and `asset set` to the `node` command. */
export function registerNodeAssetCommands(node: Command, ctx: CliContext): void {
  node
    .command('show')
    .description('show a node and its asset facts (host name, FQDN, IP and MAC addresses, OS, role) with where each came from')
    .argument('<ref>', 'node name, id or endpoint (a removed node by id)')
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print JSON')
    .action(async (ref: string, opts: { db?: string; json?: boolean }) => {
      const shown = await ctx.withApp({ db: opts.db }, async ({ services }) => {
        const asset = await services.nodeAssets.get(ref);
        return { node: await services.nodes.find(asset.nodeId, { includeRemoved: true }), asset };
      });
      if (opts.json) {
        // The public view: a node's TLS material (PEMs, sealed key) never leaves as output.
        ctx.io.out(JSON.stringify({ node: shown.node !== undefined ? nodeView(shown.node) : undefined, asset: shown.asset }, null, 2));
        return;
      }
      const removed = shown.node?.removedAt !== undefined ? [`removed ${shown.node.removedAt}`] : [];
      ctx.io.out([...(shown.node ? formatNodes([shown.node]) : []), ...removed, '', ...formatNodeAsset(shown.asset)].join('\n'));
    });
  const asset = node.command('asset').description("a node's asset facts");
  asset
    .command('set')
    .description('set (or --clear) an assessor override of asset facts; later collections keep it')
    .argument('<ref>', 'node name, id or endpoint')
    .option('--host-name <name>', 'host name')
    .option('--fqdn <name>', 'fully qualified domain name')
    .option('--ip <address>', 'an IP address (repeatable; replaces the list)', collect)
    .option('--mac <address>', 'a MAC address (repeatable; replaces the list)', collect)
    .option('--os <text>', 'operating system')
    .option('--role <text>', 'role, e.g. "Member Server"')
    .option('--note <text>', 'why (kept with the values)')
    .option('--clear <field>', `clear the override of a field (repeatable): ${ASSET_FIELDS.join(', ')}`, collectField)
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .action(async (ref: string, opts: SetOptions) => {
      const input = assetInputOf(opts);
      const updated = await ctx.withApp({ db: opts.db }, ({ services }) => services.nodeAssets.set(ref, input));
      ctx.io.out(formatNodeAsset(updated).join('\n'));
    });
}
