import { describe, expect, it } from 'vitest';
import { multipartBoundary, parseMultipart } from './multipart.js';

describe('multipart bodies', () => {
  it('finds the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc123')).toBe('abc123');
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('application/gzip')).toBeNull();
    expect(multipartBoundary(undefined)).toBeNull();
  });

  it('splits the archive and metadata parts rsconnect-python sends, keeping binary data intact', async () => {
    const binary = Buffer.from([0x1f, 0x8b, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    const form = new FormData();
    form.append('metadata', JSON.stringify({ source: 'git' }));
    form.append('archive', new Blob([binary], { type: 'application/x-tar' }), 'bundle.tar.gz');
    const request = new Request('http://x/', { method: 'POST', body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const parts = parseMultipart(body, multipartBoundary(request.headers.get('content-type') ?? '')!);
    expect(parts?.map((part) => [part.name, part.filename, part.contentType])).toEqual([
      ['metadata', null, null],
      ['archive', 'bundle.tar.gz', 'application/x-tar'],
    ]);
    expect(parts?.[1]?.data.equals(binary)).toBe(true);
    expect(parts?.[0]?.data.toString()).toBe('{"source":"git"}');
  });

  it('answers null for a body that is not multipart', () => {
    expect(parseMultipart(Buffer.from('just bytes'), 'abc')).toBeNull();
  });
});
