export interface FormPart {
  readonly name: string;
  readonly filename: string | null;
  readonly contentType: string | null;
  readonly data: Buffer;
}

/** The boundary of a `multipart/form-data` Content-Type, or null for any other type. */
export function multipartBoundary(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

function headerValue(headers: string, name: string): string | null {
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(headers);
  return match?.[1]?.trim() ?? null;
}

function dispositionParam(disposition: string, key: string): string | null {
  const match = new RegExp(`${key}="([^"]*)"|${key}=([^;\\s]+)`, 'i').exec(disposition);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * Splits a buffered multipart body into its parts (rsconnect-python sends the bundle as `archive`
 * plus a `metadata` JSON part). Returns null when the body is not well-formed multipart.
 */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let position = body.indexOf(delimiter);
  if (position === -1) return null;
  while (true) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return parts;
    if (body.subarray(position, position + 2).toString() === '\r\n') position += 2;
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd === -1) return null;
    const headers = body.subarray(position, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next === -1) return null;
    const disposition = headerValue(headers, 'content-disposition') ?? '';
    parts.push({
      name: dispositionParam(disposition, 'name') ?? '',
      filename: dispositionParam(disposition, 'filename'),
      contentType: headerValue(headers, 'content-type'),
      data: body.subarray(headerEnd + 4, next),
    });
    position = next + 2;
  }
}
