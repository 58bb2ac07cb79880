// Issue 13 item 2 through a real broker process: a broker started on a log with a garbage line and a cut-off last
// line sets the partial line aside, reports both in .metarepo/broker.log, and never reuses the cut-off sequence.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventsDir } from '../../../src/events/dir.js';
import { EventLog, readEvents, setAsideFiles } from '../../../src/events/log.js';
import { brokerStatus, stopBroker } from '../../../src/events/zmq/client.js';
import { brokerLogPath } from '../../../src/events/zmq/info.js';
import { ZmqBus } from '../../../src/events/zmq/zmq-bus.js';
import { InProcessBus } from '../../../src/events/in-process-bus.js';
import { broker, tempRoot } from '../events-zmq/helpers.js';

describe('broker: a corrupt log', () => {
  it('restarts on a garbage line and a cut-off last line: reports both, sets the tail aside, reuses no sequence', async () => {
    const root = tempRoot();
    const dir = eventsDir(root);
    const live = path.join(dir, 'events.jsonl');
    const bus = new InProcessBus(new EventLog(dir));
    for (let i = 0; i < 3; i++) bus.publish('zt:corrupt:before', { i });
    void bus.close();
    const garbageAt = fs.statSync(live).size;
    fs.appendFileSync(live, '%%% garbage %%%\n');
    const cutAt = fs.statSync(live).size + 0;
    fs.appendFileSync(live, '{"specversion":"1.0","id":"cut","source":"core","ty');

    await broker(root);
    expect(await brokerStatus(root)).toMatchObject({ stats: { latest: 4 } }); // 1-3, and 4 reserved for the cut-off event
    expect(setAsideFiles(dir)).toEqual([{ file: `${live}.truncated-${cutAt}-seq-4`, offset: cutAt, sequence: 4 }]);
    const brokerLog = fs.readFileSync(brokerLogPath(root), 'utf8');
    expect(brokerLog).toContain(`${live}:4 (byte ${garbageAt})`);
    expect(brokerLog).toContain(`${live}.truncated-${cutAt}-seq-4`);

    const publisher = await ZmqBus.connect(root);
    const e = publisher.publish('zt:corrupt:after', {});
    await publisher.close();
    expect(e.sequence).toBe(5);
    await stopBroker(root);
    await broker(root);
    expect(await brokerStatus(root)).toMatchObject({ stats: { latest: 5 } });
    expect([...readEvents(dir)].map((x) => x.sequence)).toEqual([1, 2, 3, 5]);
  });
});
