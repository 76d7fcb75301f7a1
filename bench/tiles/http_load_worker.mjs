/**
 * bench:tiles' HTTP client, in a worker thread of its own: a browser fetches tiles from another
 * process, so the endpoint must not be charged for the client's socket reads and response
 * parsing on the server's own event loop (they shared it before, and the client's share grew as
 * the tiles got cheaper). The server, the raw SQL path and this worker still share the machine's
 * cores, like any load generator on the same host.
 *
 * Plain JavaScript: Node 20 runs a worker's entry without tsx's loader hooks, whatever execArgv says.
 * Messages in: { tiles: TilePath[], concurrency, decoded }; out: { wallMs, latencies, sizes } in
 * the tiles' order (size on the wire, or gunzipped when `decoded`, to compare with the raw path).
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';


const { base, token, acceptEncoding, maxSockets } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets });

/** @param {import('./http_load_types.ts').TilePath} tile @param {boolean} decoded @returns {Promise<number>} */
function getTile(tile, decoded) {
  return new Promise((resolve, reject) => {
    const url = `${base}/tiles/${tile.layer}/${tile.z}/${tile.x}/${tile.y}.mvt`;
    const request = http.get(url, { agent, headers: { authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding } }, (response) => {
      /** @type {Buffer[]} */
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const body = Buffer.concat(chunks);
        if (response.statusCode !== 200 && response.statusCode !== 204) {
          reject(new Error(`${tile.layer}/${tile.z}/${tile.x}/${tile.y}: ${response.statusCode} ${body.toString()}`));
          return;
        }
        const gzipped = response.headers['content-encoding'] === 'gzip';
        resolve(decoded && gzipped ? gunzipSync(body).byteLength : body.byteLength);
      });
    });
    request.on('error', reject);
  });
}

/** @param {import('./http_load_types.ts').SweepRequest} request @returns {Promise<import('./http_load_types.ts').SweepResult>} */
async function sweep({ tiles, concurrency, decoded }) {
  const latencies = new Array(tiles.length).fill(0);
  const sizes = new Array(tiles.length).fill(0);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (;;) {
      const index = next;
      next += 1;
      if (index >= tiles.length) return;
      const t0 = performance.now();
      sizes[index] = await getTile(tiles[index], decoded);
      latencies[index] = performance.now() - t0;
    }
  }));
  return { wallMs: performance.now() - started, latencies, sizes };
}

parentPort.on('message', (message) => {
  if (message === 'close') {
    agent.destroy();
    parentPort.close();
    return;
  }
  sweep(message).then(
    (result) => parentPort.postMessage({ ok: true, result }),
    (error) => parentPort.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) }),
  );
});
