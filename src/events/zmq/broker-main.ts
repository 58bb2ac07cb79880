// The plain broker process: `node dist/src/events/zmq/broker-main.js <root> [<BrokerOptions as JSON>]`, started
// detached by `startBroker` (see runBrokerProcess). `metarepo broker start` runs src/cli/broker-main.ts instead, which
// also hosts the workspace's plugins.
import { runBrokerProcess } from './broker-process.js';

await runBrokerProcess(process.argv.slice(2));
