import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskQueue } from '../../../../src/core/agent/TaskQueue';
import type { Task } from '../../../../src/core/agent/taskSources';

const task = (key: string, priority: Task['priority']): Task => ({
  key,
  id: key,
  kind: 'fix',
  priority,
  input: { uri: `file:///ws/${key}.ts`, relativePath: `${key}.ts`, languageId: 'typescript', text: '', diagnostics: [] },
});

describe('TaskQueue', () => {
  it('orders by priority, then by arrival, and gives up the lowest, oldest task when full', () => {
    const q = new TaskQueue(3);
    assert.equal(q.push(task('a', 'low')), undefined);
    q.push(task('b', 'normal'));
    q.push(task('c', 'high'));
    assert.equal(q.push(task('d', 'normal'))?.key, 'a', 'the low-priority task makes room');
    assert.equal(q.push(task('e', 'low'))?.key, 'e', 'a new low task is the lowest itself');
    assert.deepEqual([q.shift()?.key, q.shift()?.key, q.shift()?.key, q.shift()], ['c', 'b', 'd', undefined]);
  });

  it('puts a task back at the head and removes the ones that match', () => {
    const q = new TaskQueue();
    q.push(task('a', 'normal'));
    q.push(task('b', 'normal'));
    q.unshift(task('held', 'low'));
    assert.deepEqual(
      q.remove((t) => t.key === 'a').map((t) => t.key),
      ['a'],
    );
    assert.equal(q.length, 2);
    assert.equal(q.shift()?.key, 'held');
    q.clear();
    assert.equal(q.length, 0);
  });
});
