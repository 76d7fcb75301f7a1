/**
 * bench:tiles' HTTP client, in a worker thread of its own: a browser fetches tiles from another
 * process, so the endpoint must not be charged for the client's socket reads and response
 * parsing on the server's own event loop (they shared it before, and the client's share grew as
 * the tiles got cheaper). The server, the raw SQL path and this worker still share the machine's
 * cores, like any load generator on the same host — so the client should cost as little as it can:
 *
 * - `raw` (default): one keep-alive TCP socket per concurrent request stream, requests written as
 *   text and responses read by Content-Length, as wrk does — what a lean load generator costs.
 * - `node`: node:http with a keep-alive agent (s6's client; ClientRequest/IncomingMessage objects
 *   and the agent's bookkeeping per request), kept to compare.
 *
 * Plain JavaScript: Node 20 runs a worker's entry without tsx's loader hooks, whatever execArgv says.
 * Messages in: { tiles: TilePath[], concurrency, decoded }; out: { wallMs, latencies, sizes } in
 * the tiles' order (size on the wire, or gunzipped when `decoded`, to compare with the raw path).
 */
import http from 'node:http';
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';

const { base, token, acceptEncoding, maxSockets, client } = workerData;
const baseUrl = new URL(base);
const agent = new http.Agent({ keepAlive: true, maxSockets });

/** @param {import('./http_load_types.ts').TilePath} tile */
const tilePath = (tile) => `${baseUrl.pathname}/tiles/${tile.layer}/${tile.z}/${tile.x}/${tile.y}.mvt`;

/** @param {import('./http_load_types.ts').TilePath} tile @param {number} status @param {Buffer} body @param {boolean} gzipped @param {boolean} decoded */
function tileSize(tile, status, body, gzipped, decoded) {
  if (status !== 200 && status !== 204) throw new Error(`${tile.layer}/${tile.z}/${tile.x}/${tile.y}: ${status} ${body.toString()}`);
  return decoded && gzipped ? gunzipSync(body).byteLength : body.byteLength;
}

/** node:http over the keep-alive agent. @param {import('./http_load_types.ts').TilePath} tile @param {boolean} decoded @returns {Promise<number>} */
function getTileNode(tile, decoded) {
  return new Promise((resolve, reject) => {
    const request = http.get(`${baseUrl.origin}${tilePath(tile)}`, { agent, headers: { authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding } }, (response) => {
      /** @type {Buffer[]} */
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        try {
          resolve(tileSize(tile, response.statusCode ?? 0, Buffer.concat(chunks), response.headers['content-encoding'] === 'gzip', decoded));
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('error', reject);
  });
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * One keep-alive connection, one request at a time: the request as text, the response's head
 * parsed for status, Content-Length and Content-Encoding, the body read by its length (every tile
 * response has one: 200 with the tile, 204 without a body; a chunked response is refused).
 */
class RawConnection {
  constructor() {
    this.socket = net.connect(Number(baseUrl.port), baseUrl.hostname);
    this.socket.setNoDelay(true);
    /** @type {Buffer} */
    this.buffer = Buffer.alloc(0);
    /** @type {null | { resolve: (value: { status: number, gzipped: boolean, body: Buffer }) => void, reject: (error: Error) => void }} */
    this.pending = null;
    this.socket.on('data', (chunk) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (/** @type {Error} */ error) => {
      if (this.pending) this.pending.reject(error);
      this.pending = null;
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed before the response was read')));
  }

  drain() {
    if (!this.pending) return;
    const headEnd = this.buffer.indexOf(HEADER_END);
    if (headEnd < 0) return;
    const head = this.buffer.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      this.pending.reject(new Error('chunked response: the raw client reads bodies by Content-Length (use --http-client node)'));
      this.pending = null;
      return;
    }
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    const bodyStart = headEnd + HEADER_END.length;
    if (this.buffer.length < bodyStart + length) return;
    const body = this.buffer.subarray(bodyStart, bodyStart + length);
    this.buffer = this.buffer.subarray(bodyStart + length);
    const { resolve } = this.pending;
    this.pending = null;
    resolve({ status, gzipped: /\r\ncontent-encoding:\s*gzip/i.test(head), body });
  }

  /** @param {string} path */
  get(path) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(`GET ${path} HTTP/1.1\r\nHost: ${baseUrl.host}\r\nAuthorization: Bearer ${token}\r\nAccept-Encoding: ${acceptEncoding}\r\n\r\n`);
    });
  }
}

/** @type {RawConnection[]} */
const connections = [];

/** @param {import('./http_load_types.ts').SweepRequest} request @returns {Promise<import('./http_load_types.ts').SweepResult>} */
async function sweep({ tiles, concurrency, decoded }) {
  const latencies = new Array(tiles.length).fill(0);
  const sizes = new Array(tiles.length).fill(0);
  let next = 0;
  // Fresh connections per sweep: the server closes a keep-alive connection idle for 5 s (its
  // keepAliveTimeout), as it may be while the raw path's sweep runs.
  for (const connection of connections.splice(0)) connection.socket.destroy();
  if (client !== 'node') for (let stream = 0; stream < concurrency; stream += 1) connections.push(new RawConnection());
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, stream) => {
    const connection = connections[stream];
    for (;;) {
      const index = next;
      next += 1;
      if (index >= tiles.length) return;
      const tile = tiles[index];
      const t0 = performance.now();
      if (client === 'node') {
        sizes[index] = await getTileNode(tile, decoded);
      } else {
        const response = await connection.get(tilePath(tile));
        sizes[index] = tileSize(tile, response.status, response.body, response.gzipped, decoded);
      }
      latencies[index] = performance.now() - t0;
    }
  }));
  return { wallMs: performance.now() - started, latencies, sizes };
}

parentPort.on('message', (message) => {
  if (message === 'close') {
    agent.destroy();
    for (const connection of connections) connection.socket.destroy();
    parentPort.close();
    return;
  }
  sweep(message).then(
    (result) => parentPort.postMessage({ ok: true, result }),
    (error) => parentPort.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
