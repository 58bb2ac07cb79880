import { describe, expect, it } from 'vitest';
import { Burst, OwnWrites } from '../../../plugins/fs-watch/changes.js';

describe('fs-watch Burst', () => {
  it('folds the events of a quiet period into one change per file, sorted by file', () => {
    const burst = new Burst();
    for (let i = 0; i < 20; i++) burst.add('b.txt', i === 0 ? 'created' : 'modified');
    burst.add('a.txt', 'modified');
    burst.add('tmp.txt', 'created');
    burst.add('tmp.txt', 'deleted');
    burst.add('swap.txt', 'deleted');
    burst.add('swap.txt', 'created');
    burst.add('gone.txt', 'modified');
    burst.add('gone.txt', 'deleted');
    expect(burst.take()).toEqual([
      { file: 'a.txt', change: 'modified' },
      { file: 'b.txt', change: 'created' },
      { file: 'gone.txt', change: 'deleted' },
      { file: 'swap.txt', change: 'modified' },
    ]);
    expect(burst.empty).toBe(true);
  });
});

describe('fs-watch OwnWrites', () => {
  it('explains one change per recorded write, and forgets a write nobody claimed once it is older than its ttl', () => {
    const own = new OwnWrites(1_000);
    own.add('gen/a.ts', 0);
    own.add('gen/b.ts', 0);
    expect(own.claim('gen/a.ts', 10)).toBe(true);
    expect(own.claim('gen/a.ts', 20)).toBe(false); // a second change of the same file is someone else's
    expect(own.claim('gen/b.ts', 5_000)).toBe(false); // expired
    expect(own.claim('notes.md', 30)).toBe(false);
  });
});
