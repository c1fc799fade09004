/**
 * The backends a user can pick, with their default base URLs and how each reports cost.
 * Facts from shared/docs/model-backends.md.
 */

export type BackendKind = 'minimax' | 'minimax-cn' | 'openrouter' | 'litellm' | 'openai' | 'anthropic' | 'gemini' | 'deepseek' | 'ollama' | 'lmstudio' | 'llamacpp' | 'vllm' | 'sglang' | 'custom';

export interface BackendPreset {
  kind: BackendKind;
  label: string;
  baseUrl: string;
  /** Runs on this machine: costs nothing, needs no key. */
  local: boolean;
  /** Environment variable the CLI reads the key from. */
  keyEnv: string;
  /**
   * What the backend is known to add to the model's price, as a fraction; reserved on top of every
   * worst case. OpenRouter's fee is 5.5% of what is paid (5% on bring-your-own-key calls).
   */
  markup: number;
}

const preset = (kind: BackendKind, label: string, baseUrl: string, keyEnv: string, local = false, markup = 0): BackendPreset => ({
  kind,
  label,
  baseUrl,
  local,
  keyEnv,
  markup,
});

export const BACKENDS: Record<BackendKind, BackendPreset> = {
  minimax: preset('minimax', 'MiniMax', 'https://api.minimax.io/v1', 'MINIMAX_API_KEY'),
  'minimax-cn': preset('minimax-cn', 'MiniMax (China)', 'https://api.minimaxi.com/v1', 'MINIMAX_API_KEY'),
  openrouter: preset('openrouter', 'OpenRouter', 'https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY', false, 0.055),
  litellm: preset('litellm', 'LiteLLM proxy', 'http://localhost:4000', 'LITELLM_API_KEY'),
  openai: preset('openai', 'OpenAI', 'https://api.openai.com/v1', 'OPENAI_API_KEY'),
  anthropic: preset('anthropic', 'Anthropic', 'https://api.anthropic.com/v1/', 'ANTHROPIC_API_KEY'),
  gemini: preset('gemini', 'Google Gemini', 'https://generativelanguage.googleapis.com/v1beta/openai/', 'GEMINI_API_KEY'),
  deepseek: preset('deepseek', 'DeepSeek', 'https://api.deepseek.com', 'DEEPSEEK_API_KEY'),
  ollama: preset('ollama', 'Ollama', 'http://localhost:11434/v1', 'OLLAMA_API_KEY', true),
  lmstudio: preset('lmstudio', 'LM Studio', 'http://localhost:1234/v1', 'LMSTUDIO_API_KEY', true),
  llamacpp: preset('llamacpp', 'llama.cpp', 'http://127.0.0.1:8080/v1', 'LLAMACPP_API_KEY', true),
  vllm: preset('vllm', 'vLLM', 'http://localhost:8000/v1', 'VLLM_API_KEY', true),
  sglang: preset('sglang', 'SGLang', 'http://localhost:30000/v1', 'SGLANG_API_KEY', true),
  custom: preset('custom', 'OpenAI-compatible server', '', 'NIGHTSHIFT_API_KEY'),
};

export function isLoopbackUrl(baseUrl: string): boolean {
  try {
    // The URL parser writes every IPv4 form (127.1, 0x7f.0.0.1) as four decimal parts: only such an address is one. A host name that starts with "127." (127.0.0.1.nip.io) is a name anywhere.
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host) || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/i.test(host);
  } catch {
    return false;
  }
}

/** The backend a base URL belongs to, by its host or, on loopback, by its port. */
export function inferBackendKind(baseUrl: string): BackendKind {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'custom';
  }
  for (const b of Object.values(BACKENDS)) {
    if (!b.baseUrl) continue;
    const known = new URL(b.baseUrl);
    if (b.local || b.kind === 'litellm') {
      if (isLoopbackUrl(baseUrl) && known.port === url.port) return b.kind;
    } else if (known.hostname === url.hostname) return b.kind;
  }
  return 'custom';
}

/** Names a backend for people: "MiniMax", "the local server at 127.0.0.1:8080". */
export function backendDisplayName(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `the server at ${baseUrl}`;
  }
  const kind = inferBackendKind(baseUrl);
  if (kind === 'litellm') return `the LiteLLM proxy at ${url.host}`;
  if (kind !== 'custom' && !BACKENDS[kind].local) return BACKENDS[kind].label;
  if (isLoopbackUrl(baseUrl)) return `the local server at ${url.host}`;
  return url.host;
}
