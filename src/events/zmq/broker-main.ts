// The broker process: `node dist/src/events/zmq/broker-main.js <root> [<BrokerOptions as JSON>]`, started detached
// by `startBroker`. Runs until SIGTERM or SIGINT, then removes .metarepo/broker.json and exits 0. A failure to
// start is written to .metarepo/broker.log and stderr, exit 1.
import { Broker, type BrokerOptions } from './broker.js';
import { logBrokerLine } from './info.js';

const [root, json] = process.argv.slice(2);
if (!root) {
  process.stderr.write('usage: broker-main.js <workspace root> [<options JSON>]\n');
  process.exit(2);
}

try {
  const broker = await Broker.start(root, json ? (JSON.parse(json) as BrokerOptions) : {});
  const shutdown = (signal: string) => {
    logBrokerLine(root, 'info', `received ${signal}`);
    void broker.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Log and keep serving: one bad message must not take the broker down.
  process.on('uncaughtException', (e) => logBrokerLine(root, 'error', `uncaught: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => logBrokerLine(root, 'error', `unhandled rejection: ${String(e)}`));
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  logBrokerLine(root, 'error', `could not start: ${message}`);
  process.stderr.write(`metarepo broker: could not start: ${message}\n`);
  process.exit(1);
}
