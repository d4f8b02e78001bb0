import { describe, expect, it } from 'vitest';
import { preAuthEncoding, signEnvelope } from '../../../../src/reporting/signing/dsse.js';

describe('DSSE pre-authentication encoding', () => {
  it("matches the DSSE protocol's test vector", () => {
    expect(preAuthEncoding('http://example.com/HelloWorld', Buffer.from('hello world')).toString('utf8')).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters, of the type and the body', () => {
    expect(preAuthEncoding('typé', Buffer.from('中文', 'utf8'))).toEqual(Buffer.concat([Buffer.from('DSSEv1 5 typé 6 ', 'utf8'), Buffer.from('中文', 'utf8')]));
    expect(preAuthEncoding('t', new Uint8Array()).toString('utf8')).toBe('DSSEv1 1 t 0 ');
  });

  it('signs the encoding, not the payload, and carries payload and signature in standard base64', () => {
    const seen: Buffer[] = [];
    const env = signEnvelope('application/vnd.in-toto+json', Buffer.from('{}'), { keyId: 'k1', sign: (d) => (seen.push(Buffer.from(d)), Buffer.from([0xfb, 0xff])) });
    expect(seen[0]!.toString('utf8')).toBe('DSSEv1 28 application/vnd.in-toto+json 2 {}');
    expect(env).toEqual({ payloadType: 'application/vnd.in-toto+json', payload: 'e30=', signatures: [{ keyid: 'k1', sig: '+/8=' }] });
  });
});
