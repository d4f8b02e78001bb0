import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { tempDir } from '../../harness/content.js';

const dir = tempDir('plimsoll-config-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'ca.pem'), 'not checked here');

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig({}, env, dir);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('PLIMSOLL_SUPPLY_CHAIN_CONFIG', () => {
  it('reads registries, trust servers and signers per environment, passwords from named variables', () => {
    const file = write('ok.yaml', [
      'environments:',
      '  prod:',
      '    trustServers: [{ name: notary, url: "https://notary.example.mil:4443/", caFile: ca.pem, pinnedRootKeys: { "registry.example.mil/*": ["' + 'a'.repeat(64) + '"] } }]',
      '    registries:',
      '      - { name: prod, url: "https://registry.example.mil", username: svc, passwordEnv: REG_PW, trustServer: notary, repositories: ["team/*"] }',
      '      - { name: local, url: "http://127.0.0.1:5000", host: "127.0.0.1:5000" }',
      '    allowedSigners: [{ role: targets/releases, keyIds: ["' + 'b'.repeat(64) + '"] }]',
    ].join('\n'));
    const c = loadConfig({}, { PLIMSOLL_SUPPLY_CHAIN_CONFIG: file, REG_PW: 's3cret' }, dir);
    expect(c.supplyChain.environments).toEqual([
      {
        environment: 'prod',
        trustServers: [{ name: 'notary', url: 'https://notary.example.mil:4443', caPath: path.join(dir, 'ca.pem'), pinnedRootKeys: { 'registry.example.mil/*': ['a'.repeat(64)] } }],
        registries: [
          { name: 'prod', url: 'https://registry.example.mil', host: 'registry.example.mil', credentials: { username: 'svc', password: 's3cret' }, trustServer: 'notary', repositories: ['team/*'] },
          { name: 'local', url: 'http://127.0.0.1:5000', host: '127.0.0.1:5000' },
        ],
        allowedSigners: [{ role: 'targets/releases', keyIds: ['b'.repeat(64)] }],
      },
    ]);
    expect(c.supplyChain.timeoutMs).toBe(10_000);
  });

  it('names the file and JSON pointer of every problem', () => {
    const file = write('bad.yaml', [
      'environments:',
      '  prod:',
      '    trustServers: [{ name: notary, url: "http://notary.example.mil" }]',
      '    registries:',
      '      - { name: r, url: "http://registry.example.mil", trustServer: nope, password: inline }',
      '      - { name: r2, url: "http://127.0.0.1:5000", username: u, passwordEnv: UNSET_VAR }',
      '    allowedSigners: [{ role: releases }, { role: targets/x, keyIds: [short] }]',
    ].join('\n'));
    const problems = problemsOf({ PLIMSOLL_SUPPLY_CHAIN_CONFIG: file });
    const at = (pointer: string) => problems.find((p) => p.startsWith(`${file}#${pointer}:`));
    expect(at('/environments/prod/trustServers/0/url')).toMatch(/https/);
    expect(at('/environments/prod/registries/0/url')).toMatch(/loopback/);
    expect(at('/environments/prod/registries/0/trustServer')).toMatch(/names no trust server/);
    expect(at('/environments/prod/registries/1/url')).toMatch(/credentials are sent over https/);
    expect(at('/environments/prod/allowedSigners/0/role')).toBeDefined();
    expect(at('/environments/prod/allowedSigners/1/keyIds/0')).toBeDefined();
    expect(problems.join('\n')).not.toContain('inline');
  });

  it('reports an unreadable or unparsable file', () => {
    expect(problemsOf({ PLIMSOLL_SUPPLY_CHAIN_CONFIG: path.join(dir, 'missing.yaml') })[0]).toMatch(/can't be read/);
    expect(problemsOf({ PLIMSOLL_SUPPLY_CHAIN_CONFIG: write('x.json', '{') })[0]).toMatch(/not valid JSON/);
  });
});
