// Helper for sweep-peers.bench.mjs (not a benchmark itself): the targets of a
// loopback sweep, in their own process so the checking side's figures are its
// own. COUNT TCP servers that accept and close, and COUNT HTTP servers that
// answer 200 after DELAY ms, all on 127.0.0.1. Talks over IPC:
//   parent → {start: {count, delayMs}} ; child → {tcp: [ports], http: [ports]}
//   parent → {stats: true}             ; child → {tcp: n, http: n, cpuMs: n}
//   parent → {stop: true}              ; child exits
import http from 'node:http';
import net from 'node:net';

const servers = [];
let tcpAccepted = 0;
let httpAnswered = 0;

const listen = (server) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });

process.on('message', async (msg) => {
  if (msg.start) {
    const { count, delayMs } = msg.start;
    const tcp = [];
    const web = [];
    for (let i = 0; i < count; i++) {
      const t = net.createServer({ backlog: 4096 }, (socket) => {
        tcpAccepted += 1;
        socket.on('error', () => {});
        socket.end();
      });
      servers.push(t);
      tcp.push(await listen(t));
      const h = http.createServer((req, res) => {
        req.resume();
        setTimeout(() => {
          httpAnswered += 1;
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 });
          res.end('ok\n');
        }, delayMs);
      });
      h.keepAliveTimeout = 1000;
      servers.push(h);
      web.push(await listen(h));
    }
    process.send({ tcp, http: web });
  } else if (msg.stats) {
    const u = process.cpuUsage();
    process.send({ tcp: tcpAccepted, http: httpAnswered, cpuMs: (u.user + u.system) / 1000 });
  } else if (msg.stop) {
    for (const s of servers) s.close();
    process.exit(0);
  }
});
