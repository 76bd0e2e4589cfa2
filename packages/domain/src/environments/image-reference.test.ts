import { describe, expect, it } from 'vitest';
import { imageReferenceProblem } from './image-reference.js';

describe('imageReferenceProblem', () => {
  it.each([
    'ghcr.io/my-org/connect-runtime:r4.4-py3.11',
    'rstudio/content-base:r4.1.0-py3.9.2-jammy',
    'ubuntu',
    'localhost:5000/team/image',
    'registry.example.com:443/a/b/c:1.0',
    'my-org/content-base:r4.1-py3.10',
    'ghcr.io/org/img@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    '[::1]:5000/img:tag',
  ])('accepts %s', (name) => {
    expect(imageReferenceProblem(name)).toBeNull();
  });

  it.each([
    ['', 'is empty'],
    ['Ghcr.io/Org/Image', 'not a container image reference'],
    ['ghcr.io/org/image:', 'not a container image reference'],
    ['image name', 'whitespace'],
    ['ghcr.io//image', 'not a container image reference'],
    ['ghcr.io/org/image:-tag', 'not a container image reference'],
    ['a/' + 'b'.repeat(300), 'longer than 255'],
  ])('rejects %j', (name, reason) => {
    expect(imageReferenceProblem(name)).toContain(reason);
  });
});
