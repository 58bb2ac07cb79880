import { createServer } from 'node:http';
import { ordersApi } from './index.js';

/** Port from the PORT environment variable, else 3000. */
const port = Number(process.env.PORT ?? 3000);

/** Answers every request with a JSON greeting. */
export const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: ordersApi(req.url ?? '/') }));
});

server.listen(port, () => {
  console.log(`orders-api listening on http://localhost:${port}`);
});
