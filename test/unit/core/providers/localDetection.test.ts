import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { detectLocalServers } from '../../../../src/core/providers/localDetection';
import { FakeModelServer } from '../../../fakes/fakeModelServer';

describe('detectLocalServers', () => {
  const lmstudio = new FakeModelServer();
  const html = http.createServer((_req, res) => res.end('<html>not a model server</html>'));
  let lmUrl = '';
  let htmlUrl = '';
  let closedUrl = '';

  before(async () => {
    lmstudio.model = 'qwen3-coder-30b';
    lmUrl = await lmstudio.start();
    await new Promise<void>((r) => html.listen(0, '127.0.0.1', r));
    htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}/v1`;
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    closedUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/v1`;
    await new Promise<void>((r) => closed.close(() => r()));
  });
  after(async () => {
    await lmstudio.close();
    await new Promise<void>((r) => html.close(() => r()));
  });

  it('finds a running server and its models, and ignores closed ports and non-model servers', async () => {
    const found = await detectLocalServers([
      { kind: 'lmstudio', label: 'LM Studio', baseUrl: lmUrl },
      { kind: 'ollama', label: 'Ollama', baseUrl: closedUrl },
      { kind: 'vllm', label: 'vLLM', baseUrl: htmlUrl },
    ]);
    assert.deepEqual(found, [{ kind: 'lmstudio', label: 'LM Studio', baseUrl: lmUrl, models: ['qwen3-coder-30b'] }]);
  });

  it('never asks an address that is not loopback', async () => {
    const asked: string[] = [];
    const recording = (async (url: string | URL | Request) => {
      asked.push(String(url));
      return new Response(JSON.stringify({ data: [{ id: 'm' }] }));
    }) as typeof fetch;
    const found = await detectLocalServers(
      [
        { kind: 'custom', label: 'x', baseUrl: 'http://10.1.2.3:11434/v1' },
        { kind: 'custom', label: 'y', baseUrl: 'http://example.com/v1' },
        { kind: 'ollama', label: 'Ollama', baseUrl: 'http://localhost:11434/v1' },
      ],
      { fetch: recording },
    );
    assert.deepEqual(asked, ['http://localhost:11434/v1/models']);
    assert.deepEqual(
      found.map((f) => f.label),
      ['Ollama'],
    );
  });
});
