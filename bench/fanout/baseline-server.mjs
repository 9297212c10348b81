// The baseline for bench/fanout: a bare socket.io server (same version, same namespace and rooms shape) that, once
// started over HTTP, broadcasts a payload of the app's event size to every subscribed client at the same rate.
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url?.startsWith('/emit')) {
    const { size, seq } = Object.fromEntries(new URL(req.url, 'http://x').searchParams);
    const at = new Date().toISOString();
    const event = {
      seq: Number(seq),
      type: 'contribution.published',
      consultationId: 'baseline',
      prev: Number(seq) - 1,
      at,
      data: {},
    };
    const overhead = JSON.stringify(event).length;
    event.data = { body: 'x'.repeat(Math.max(0, Number(size) - overhead - 12)) };
    io.of('/live').to('c:baseline:public').emit('event', event);
    res.writeHead(201).end();
    return;
  }
  res.writeHead(404).end();
});
const io = new Server(server, { transports: ['websocket', 'polling'] });
io.of('/live').on('connection', (socket) => {
  socket.on('subscribe', (_body, ack) => {
    socket.join('c:baseline:public');
    ack?.({ ok: true, consultationId: 'baseline', role: 'public', head: 0, events: [], more: false });
  });
});
server.listen(port, '127.0.0.1', () => process.stdout.write('baseline listening\n'));
process.on('SIGTERM', () => io.close(() => process.exit(0)));
