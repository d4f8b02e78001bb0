/** Report layouts as data: the shipped files load, and a bad one is refused naming the file and the JSON pointer. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlimsollError } from '../../../src/domain/errors.js';
import { ReportLayoutRepository } from '../../../src/repositories/report-layout-repository.js';
import { ATTESTATION_SECTIONS, parseLayout, REMEDIATION_SECTIONS } from '../../../src/reporting/report-layout.js';
import { repoRoot, tempDir } from '../../harness/content.js';

const shipped = path.join(repoRoot, 'reports');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function copyWith(file: string, change: (json: Record<string, unknown>) => unknown): string {
  const dir = tempDir('plimsoll-layouts-');
  dirs.push(dir);
  for (const f of fs.readdirSync(shipped)) fs.copyFileSync(path.join(shipped, f), path.join(dir, f));
  const json = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
  fs.writeFileSync(path.join(dir, file), JSON.stringify(change(json)));
  return dir;
}

async function refusal(dir: string): Promise<PlimsollError> {
  const e = await new ReportLayoutRepository(dir).load().catch((x: unknown) => x);
  expect(e).toBeInstanceOf(PlimsollError);
  return e as PlimsollError;
}

describe('report layouts', () => {
  it('ships every section the renderers know, each once', async () => {
    const layouts = await new ReportLayoutRepository(shipped).load();
    expect(layouts.attestation.sections.map((s) => s.id).sort()).toEqual([...ATTESTATION_SECTIONS].sort());
    expect(layouts.remediation.sections.map((s) => s.id).sort()).toEqual([...REMEDIATION_SECTIONS].sort());
    expect(layouts.branding.fonts.regular).toBe('Helvetica');
  });

  it('refuses an unknown section id with the file and pointer', async () => {
    const e = await refusal(copyWith('attestation.json', (j) => ({ ...j, sections: [...(j.sections as object[]), { id: 'appendix', title: 'Appendix' }] })));
    expect(e.code).toBe('CONTENT_INVALID');
    expect(e.problems[0]).toMatchObject({ file: 'reports/attestation.json', pointer: '/sections/9/id' });
    expect(e.problems[0]!.message).toContain('cover, scope');
  });

  it('refuses a section listed twice, a bad colour and an unknown key', async () => {
    const twice = await refusal(copyWith('remediation-plan.json', (j) => ({ ...j, sections: [...(j.sections as object[]), { id: 'items', title: 'Again' }] })));
    expect(twice.problems[0]).toMatchObject({ file: 'reports/remediation-plan.json', pointer: '/sections/4/id', message: 'section "items" is listed twice' });
    const colour = await refusal(copyWith('branding.json', (j) => ({ ...j, colors: { ...(j.colors as object), primary: 'navy' } })));
    expect(colour.problems[0]).toMatchObject({ file: 'reports/branding.json', pointer: '/colors/primary' });
    expect(() => parseLayout('branding', 'b.json', { organization: 'x' })).toThrow(/b.json is invalid/);
  });

  it('says which file is missing or not JSON, without echoing its content', async () => {
    const dir = copyWith('branding.json', (j) => j);
    fs.rmSync(path.join(dir, 'attestation.json'));
    expect((await refusal(dir)).code).toBe('CONTENT_MISSING');
    fs.copyFileSync(path.join(shipped, 'attestation.json'), path.join(dir, 'attestation.json'));
    fs.writeFileSync(path.join(dir, 'branding.json'), '{"organization": SECRET');
    const e = await refusal(dir);
    expect(e.message).toBe('report layout reports/branding.json is not valid JSON');
  });
});
