/**
 * Image history lines keep their shape with build-time values replaced by salted hashes: ENV/ARG values always,
 * other command tokens when they are secrets; the findings name the variable, its classes and the hash.
 */
import { describe, expect, it } from 'vitest';
import { EnvRedactor } from '../../../src/domain/env-redaction.js';
import { secretClassifier } from '../../../src/domain/secret-classifier.js';
import { lineValues } from '../../../src/domain/secret-history.js';
import { FAKE_PEM } from '../../fixtures/secrets/secret-fixtures.js';

const SALT = 'history-salt-of-16-chars';
const redactor = new EnvRedactor(SALT, [secretClassifier]);
const h = (v: string) => redactor.hash(v);
const GHP = 'ghp_R8mX2kV7qL4tZ9wN3bH6yJ1cF5dS0aP8eU2o';

function redact(lines: string[]): { lines: string[]; found: ReturnType<EnvRedactor['redact']> } {
  const history = lines.map((CreatedBy, i) => ({ Id: `layer${i}`, CreatedBy }));
  const found = redactor.redact({ history }, 'engine/histories/sha256:abc');
  return { lines: history.map((x) => x.CreatedBy), found };
}

describe('image history redaction', () => {
  it('replaces every value of the classic builder’s ENV and ARG lines and classifies them by name', () => {
    const { lines, found } = redact(['/bin/sh -c #(nop)  ENV API_TOKEN=tok-7734 PATH=/usr/bin', '/bin/sh -c #(nop)  ARG DB_PASSWORD=Tr0ub4dor', '/bin/sh -c #(nop)  CMD ["sh"]']);
    expect(lines).toEqual([`/bin/sh -c #(nop)  ENV API_TOKEN=${h('tok-7734')} PATH=${h('/usr/bin')}`, `/bin/sh -c #(nop)  ARG DB_PASSWORD=${h('Tr0ub4dor')}`, '/bin/sh -c #(nop)  CMD ["sh"]']);
    expect(found).toEqual([
      { location: 'engine/histories/sha256:abc/history/0/CreatedBy', name: 'API_TOKEN', classes: ['secret-named-literal'], hash: h('tok-7734') },
      { location: 'engine/histories/sha256:abc/history/1/CreatedBy', name: 'DB_PASSWORD', classes: ['secret-named-literal'], hash: h('Tr0ub4dor') },
    ]);
  });

  it('reads BuildKit lines: ENV without the shell prefix, and the build arguments of a RUN', () => {
    const { lines, found } = redact(['ENV GITHUB_TOKEN=' + GHP, 'RUN |2 NPM_TOKEN=abc-123 VERSION=1.2 /bin/sh -c npm ci # buildkit']);
    expect(lines[0]).toBe(`ENV GITHUB_TOKEN=${h(GHP)}`);
    expect(lines[1]).toBe(`RUN |2 NPM_TOKEN=${h('abc-123')} VERSION=${h('1.2')} /bin/sh -c npm ci # buildkit`);
    expect(found.map((f) => [f.name, f.classes])).toEqual([
      ['GITHUB_TOKEN', ['github-token']],
      ['NPM_TOKEN', ['secret-named-literal']],
    ]);
  });

  it('replaces only secret tokens of a command: flags with values, name=value words, known formats and PEM blocks', () => {
    const line = `/bin/sh -c curl -u deploy --password=Sup3rS3cret https://x.internal/a && login --token ${GHP} && echo '${FAKE_PEM}' > /k && make VERBOSE=1`;
    const { lines, found } = redact([line]);
    const out = lines[0]!;
    for (const secret of ['Sup3rS3cret', GHP, 'MIIEow', 'PRIVATE KEY']) expect(out).not.toContain(secret);
    expect(out).toContain('curl -u deploy --password=redacted:hmac-sha256:');
    expect(out).toContain('make VERBOSE=1');
    expect(out).toContain('https://x.internal/a');
    expect(found.map((f) => [f.name, f.classes])).toEqual([
      ['', ['private-key']],
      ['password', ['secret-named-literal']],
      ['token', ['github-token']],
    ]);
  });

  it('redacts the classic builder’s copy of the instruction in an image’s ContainerConfig.Cmd, and nothing twice', () => {
    const image = { Config: { Cmd: ['sh'] }, ContainerConfig: { Cmd: ['/bin/sh', '-c', '#(nop) ', 'ENV API_TOKEN=tok-7734'] } };
    const found = redactor.redact(image, 'engine/images/0');
    expect(image.ContainerConfig.Cmd[3]).toBe(`ENV API_TOKEN=${h('tok-7734')}`);
    expect(image.Config.Cmd).toEqual(['sh']);
    expect(found).toEqual([{ location: 'engine/images/0/ContainerConfig/Cmd/3', name: 'API_TOKEN', classes: ['secret-named-literal'], hash: h('tok-7734') }]);
    const again = JSON.stringify(image);
    expect(redactor.redact(image, 'engine/images/0')).toEqual([]);
    expect(JSON.stringify(image)).toBe(again);
  });

  it('parses quoted and legacy ENV forms', () => {
    expect(lineValues('ENV A="x y" B=2')).toEqual([
      { name: 'A', value: 'x y', always: true },
      { name: 'B', value: '2', always: true },
    ]);
    expect(lineValues('/bin/sh -c #(nop)  ENV SECRET hello world')).toEqual([{ name: 'SECRET', value: 'hello world', always: true }]);
  });
});
