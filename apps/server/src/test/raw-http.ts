import { connect } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  readonly headers: string;
  readonly body: string;
  /** Bytes of the body the test had sent when the server closed the connection. */
  readonly bodyBytesSent: number;
}

/**
 * Sends a request's headers and the first `firstPiece` bytes of its body on a raw socket, then
 * waits, sending nothing more, until the server answers and closes the connection. A server that
 * waits for the rest of the body instead never answers, and the test times out.
 */
export function sendHeadersOnly(url: string, head: string, firstPiece: number): Promise<RawAnswer> {
  const chunked = /transfer-encoding:\s*chunked/i.test(head);
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    socket.on('connect', () => {
      socket.write(`${head.trim().split('\n').map((line) => line.trim()).join('\r\n')}\r\n\r\n`);
      const piece = Buffer.alloc(firstPiece, 0x61);
      // A chunked body's first chunk is framed as one (and not the last), so the body stays open.
      socket.write(chunked ? Buffer.concat([Buffer.from(`${firstPiece.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
    });
    socket.on('data', (data) => received.push(data));
    socket.on('error', (error) => {
      // A reset after the answer arrived is the server refusing the rest of the body: still an answer.
      if (received.length === 0) reject(error);
    });
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('latin1');
      const [headers = '', body = ''] = text.split('\r\n\r\n', 2);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1] ?? 0);
      resolve({ status, headers, body, bodyBytesSent: firstPiece });
    });
  });
}
