// The floor for a Node proxy on this machine: a bare HTTP server that streams each request to
// TARGET (host:port) and the answer back with stream.pipeline, nothing else. bench:edge compares
// the edge's /v2 proxy with it, to tell the edge's own cost from the cost of a Node hop.
import http from 'node:http';
import { pipeline } from 'node:stream';

const [host, port] = process.env.TARGET.split(':');
const server = http.createServer((req, res) => {
  const upstream = http.request({ host, port: Number(port), method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    pipeline(answer, res, () => {});
  });
  upstream.on('error', () => res.destroy());
  pipeline(req, upstream, () => {});
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
