import { Broker, type BrokerOptions } from './broker.js';
import { logBrokerLine } from './info.js';

/**
 * What a broker process may host besides the broker, started once the broker serves (e.g. the workspace's plugins,
 * see `src/cli/broker-main.ts`). Returns what to close before the broker stops; a failure is logged, not fatal.
 */
export type BrokerGuest = (root: string, options: BrokerOptions) => Promise<() => Promise<void>>;

/**
 * The body of a broker process, `<entry> <root> [<BrokerOptions as JSON>]` (started detached by `startBroker`): starts
 * the broker, then `guest` if any, and runs until SIGTERM or SIGINT; then closes the guest, stops the broker (which
 * removes .metarepo/broker.json) and exits 0. A failure to start the broker is written to .metarepo/broker.log and
 * stderr, exit 1; bad arguments exit 2. Uncaught errors are logged and the broker keeps serving.
 */
export async function runBrokerProcess(args: string[], guest?: BrokerGuest): Promise<void> {
  const [root, json] = args;
  if (!root) {
    process.stderr.write('usage: broker-main.js <workspace root> [<options JSON>]\n');
    process.exit(2);
  }
  const options = json ? (JSON.parse(json) as BrokerOptions) : {};
  let broker: Broker;
  try {
    broker = await Broker.start(root, options);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    logBrokerLine(root, 'error', `could not start: ${message}`);
    process.stderr.write(`metarepo broker: could not start: ${message}\n`);
    process.exit(1);
  }
  let closeGuest: (() => Promise<void>) | undefined;
  const shutdown = (signal: string) => {
    logBrokerLine(root, 'info', `received ${signal}`);
    void (async () => {
      await closeGuest?.().catch((e: unknown) => logBrokerLine(root, 'error', `closing what the broker hosts failed: ${String(e)}`));
      await broker.stop();
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Log and keep serving: one bad message must not take the broker down.
  process.on('uncaughtException', (e) => logBrokerLine(root, 'error', `uncaught: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => logBrokerLine(root, 'error', `unhandled rejection: ${String(e)}`));
  if (!guest) return;
  try {
    closeGuest = await guest(root, options);
  } catch (e) {
    logBrokerLine(root, 'error', `could not start what the broker hosts: ${e instanceof Error ? e.message : String(e)}`);
  }
}
