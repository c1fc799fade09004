/** Names a backend for people, from its base URL. */

const KNOWN_HOSTS: Record<string, string> = {
  'api.minimax.io': 'MiniMax',
  'api.minimaxi.com': 'MiniMax (China)',
  'openrouter.ai': 'OpenRouter',
  'api.openai.com': 'OpenAI',
  'api.deepseek.com': 'DeepSeek',
};

export function isLoopbackUrl(baseUrl: string): boolean {
  try {
    const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

export function backendDisplayName(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `the server at ${baseUrl}`;
  }
  if (isLoopbackUrl(baseUrl)) return `the local server at ${url.host}`;
  return KNOWN_HOSTS[url.hostname] ?? url.host;
}
