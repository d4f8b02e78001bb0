/**
 * `plimsoll report ASSESSMENT --format F --out FILE [--node NODE]`: one report of a stored assessment, as the
 * server renders it for download; and `plimsoll verify BUNDLE [FILES…]`: the offline check of a signed bundle
 * (no database: whoever received the bundle can run it).
 */
import type { Command } from 'commander';
import { REPORT_FORMATS } from '../../domain/report.js';
import { CliExit, EXIT } from '../format.js';
import { formatVerification } from '../report-format.js';
import { isLocalFile, readLocalFile, writeLocalFile } from '../report-files.js';
import type { CliContext } from '../runtime.js';

export function registerReportCommands(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .argument('<assessment>', 'an assessment id, or a Plimsoll assessment-results file of an assessment stored in the database')
    .requiredOption('--format <format>', `one of ${REPORT_FORMATS.join(', ')} (as this server offers them)`)
    .requiredOption('--out <file>', 'where to write the report')
    .option('--node <node>', "limit the report to one of the assessment's nodes (id or name); per-node formats need it for a fleet")
    .option('--db <file>', 'SQLite database file (PLIMSOLL_DB)')
    .option('--json', 'print what was written as JSON')
    .action(async (assessment: string, opts: { format: string; out: string; node?: string; db?: string; json?: boolean }) => {
      const document = (await isLocalFile(assessment)) ? await readLocalFile(assessment) : undefined;
      const { report, assessmentId, keyId } = await ctx.withApp({ db: opts.db }, async ({ services }) => {
        const id = document !== undefined ? await services.reports.assessmentOfResults(document) : assessment;
        const rendered = await services.reports.render(id, opts.format, opts.node !== undefined ? { node: opts.node } : {});
        const key = rendered.format === 'bundle' ? await services.reports.signingKey() : undefined;
        return { report: rendered, assessmentId: id, keyId: key?.keyId };
      });
      const file = await writeLocalFile(opts.out, report.bytes);
      const summary = { assessmentId, format: report.format, file, fileName: report.fileName, contentType: report.contentType, size: report.bytes.length, sha256: report.sha256, ...(keyId !== undefined ? { signingKeyId: keyId } : {}) };
      if (opts.json) {
        ctx.io.out(JSON.stringify(summary, null, 2));
        return;
      }
      const node = opts.node !== undefined ? ` (node ${opts.node})` : '';
      ctx.io.out(`wrote the ${report.format} report of assessment ${assessmentId}${node} to ${file}: ${report.bytes.length} bytes, sha256 ${report.sha256}`);
      if (keyId !== undefined) ctx.io.out(`signed with key ${keyId}`);
    });

  program
    .command('verify')
    .argument('<bundle>', 'the bundle (plimsoll report --format bundle, or its download)')
    .argument('[files...]', 'copies of reports kept elsewhere, matched to the bundle by file name')
    .option('--key <file>', 'the public key (PEM) to trust, e.g. from GET /.well-known/plimsoll-signing-key; default: the key embedded in the bundle')
    .option('--json', 'print the verification as JSON')
    .action(async (bundle: string, files: string[], opts: { key?: string; json?: boolean }) => {
      const bytes = (await readLocalFile(bundle)).bytes;
      const given = await Promise.all(files.map((f) => readLocalFile(f)));
      const keyPem = opts.key !== undefined ? Buffer.from((await readLocalFile(opts.key)).bytes).toString('utf8') : undefined;
      // Loaded here, not at start: the verifier brings the signing code (jose), which only `verify` needs.
      const { verifyBundle } = await import('../../reporting/signing/bundle-verify.js');
      const result = await verifyBundle(bytes, { files: given, ...(keyPem !== undefined ? { publicKeyPem: keyPem } : {}) });
      const lines = formatVerification(bundle, result);
      if (opts.json) ctx.io.out(JSON.stringify({ ...result, statement: undefined }, null, 2));
      if (!result.verified) throw new CliExit(EXIT.verificationFailed, lines);
      if (!opts.json) ctx.io.out(lines.join('\n'));
    });
}
