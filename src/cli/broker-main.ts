// The broker process of `metarepo broker start`: `node dist/src/cli/broker-main.js <root> [<BrokerOptions as JSON>]`.
// Besides the broker (src/events/zmq, which imports no plugin), it hosts the workspace's plugins as every long-running
// metarepo process does: once the broker serves, it opens the workspace on the bus through this very broker and
// publishes `core:system:long-running`, so plugins that live as long as it does (fs-watch) activate.
import { runBrokerProcess } from '../events/zmq/broker-process.js';

await runBrokerProcess(process.argv.slice(2), async (root, options) => {
  const { closeWorkspace, openWorkspace } = await import('../workspace/open.js');
  const session = await openWorkspace(root, 'broker', { strict: options.strict });
  await session.plugins();
  await session.bus.ready?.(); // plugins that activate on the event are subscribed through this very broker
  session.bus.publish('core:system:long-running', { command: 'broker', pid: process.pid });
  return () => closeWorkspace(session, 0);
});
