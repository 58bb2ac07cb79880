import { createServer } from 'node:http';
import { billingService } from './index.js';

/** Port from the PORT environment variable, else 8080. */
const port = Number(process.env.PORT ?? 8080);

/** Answers every request with a JSON greeting. */
export const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ message: billingService(req.url ?? '/') }));
});

server.listen(port, () => {
  console.log(`@acme/billing-service listening on http://localhost:${port}`);
});
