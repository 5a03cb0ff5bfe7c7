import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { besideCorsScenarios } from './beside-scenarios.js';
import { startLab, type Lab } from './server.js';
import { scenarios, scenarioUrl, type LabScenario } from './scenarios.js';

describe('lab scenario list', () => {
  it('has at least 25 distinct scenarios, none of whose ids contains another (the panel is searched by id)', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(25);
    const ids = scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of ids) for (const b of ids) if (a !== b) expect(a.includes(b), `${a} contains ${b}`).toBe(false);
  });

  it('covers fetch, XHR with and without credentials, font, crossorigin image and module script', () => {
    const apis = new Set(scenarios.map((s) => s.request.api));
    expect([...apis].sort()).toEqual(['fetch', 'font', 'img', 'module-script', 'xhr']);
    const xhr = scenarios.filter((s) => s.request.api === 'xhr');
    expect(xhr.some((s) => s.request.credentials === 'include')).toBe(true);
    expect(xhr.some((s) => s.request.credentials !== 'include')).toBe(true);
  });

  it('describes redirects hop by hop, each later hop on another origin', () => {
    const redirecting = scenarios.filter((s) => s.hops.length > 1);
    expect(redirecting.length).toBeGreaterThanOrEqual(3);
    for (const s of redirecting) expect(s.hops[1]?.origin).toBe('other');
  });
});

/** A scenario of either list by id (throws for an unknown id, so a renamed scenario fails the test that uses it). */
const byId = (id: string): LabScenario => {
  const s = [...scenarios, ...besideCorsScenarios].find((x) => x.id === id);
  if (!s) throw new Error(id);
  return s;
};

describe('lab servers', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('serves three distinct origins on ports picked at run time', () => {
    expect(new Set([lab.pageOrigin, lab.apiOrigin, lab.otherOrigin]).size).toBe(3);
    expect(lab.pageOrigin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lab.otherOrigin).toMatch(/^http:\/\/localhost:\d+$/);
  });

  it('serves the page with a button per scenario, Run all, and a cookie for credentialed requests', async () => {
    const res = await fetch(lab.pageUrl);
    const html = await res.text();
    expect(res.headers.get('set-cookie')).toContain('lab_session=1');
    expect(html).toContain('id="run-all"');
    for (const s of scenarios) expect(html).toContain(`data-run="${s.id}"`);
    const script = await fetch(`${lab.pageOrigin}/lab-page.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
  });

  it('answers the preflight and the actual request as the scenario says, with placeholders resolved', async () => {
    const s = byId('pass-preflighted-put');
    const url = scenarioUrl(lab.origins, s, 0, 'unit~1');
    const pre = await fetch(url, { method: 'OPTIONS', headers: { Origin: lab.pageOrigin, 'Access-Control-Request-Method': 'PUT' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(lab.pageOrigin);
    expect(pre.headers.get('access-control-allow-methods')).toBe('PUT');
    const actual = await fetch(url, { method: 'PUT', body: '{}', headers: { Origin: lab.pageOrigin } });
    expect(actual.status).toBe(200);
    expect(await actual.json()).toEqual({ scenario: s.id });
  });

  it('sends repeated header lines separately', async () => {
    const res = await fetch(scenarioUrl(lab.origins, byId('fail-allow-origin-two-lines'), 0, 'unit~2'));
    // fetch joins repeated lines with ", ", which shows there were two.
    expect(res.headers.get('access-control-allow-origin')).toBe(`${lab.pageOrigin}, ${lab.pageOrigin}`);
  });

  it('points redirects at the next hop on the third origin, keeping the token, with user:pass@ when asked', async () => {
    const plain = await fetch(scenarioUrl(lab.origins, byId('fail-redirect-without-cors'), 0, 'unit~3'), { redirect: 'manual' });
    expect(plain.status).toBe(302);
    expect(plain.headers.get('location')).toBe(`${lab.otherOrigin}/s/fail-redirect-without-cors/hop1?lab=unit~3`);
    const withUserinfo = await fetch(scenarioUrl(lab.origins, byId('fail-redirect-with-userinfo'), 0, 'unit~4'), { redirect: 'manual' });
    expect(withUserinfo.headers.get('location')).toMatch(/^http:\/\/user:pass@localhost:\d+\/s\/fail-redirect-with-userinfo\/hop1\?lab=unit~4$/);
    const hop1 = await fetch(plain.headers.get('location')!);
    expect(hop1.status).toBe(200);
  });

  it('answers 404 for a hop asked of the wrong origin, and logs every request', async () => {
    const res = await fetch(`${lab.apiOrigin}/s/fail-redirect-without-cors/hop1`);
    expect(res.status).toBe(404);
    expect(lab.requests.some((r) => r.server === 'api' && r.url.endsWith('/hop1') && r.status === 404)).toBe(true);
  });
});

describe('lab servers for the scenarios beside CORS', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab({ scenarios: [...scenarios, ...besideCorsScenarios] });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  /** A raw HTTP GET that reports how the connection ended, which fetch() would hide. */
  function rawGet(url: string): Promise<{ status?: number; headers?: Record<string, unknown>; error?: string }> {
    return new Promise((resolve) => {
      let answer: { status?: number; headers?: Record<string, unknown> } = {};
      const req = httpRequest(url, (res) => {
        answer = { status: res.statusCode, headers: res.headers };
        res.on('data', () => undefined);
        res.on('end', () => resolve(answer));
        res.on('error', (e: NodeJS.ErrnoException) => resolve({ ...answer, error: e.code ?? e.message }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve({ ...answer, error: e.code ?? e.message }));
      req.end();
    });
  }

  it('keeps the ids distinct from each other and from the classic ones, and never a substring of another', () => {
    const ids = [...scenarios, ...besideCorsScenarios].map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const a of ids) for (const b of ids) if (a !== b) expect(a.includes(b), `${a} contains ${b}`).toBe(false);
  });

  it('tells Chromium which ports are public and local, maps *.example to loopback, and grants the granted page', () => {
    const overrides = lab.chromiumArgs.find((a) => a.startsWith('--ip-address-space-overrides='));
    const port = (origin: string | undefined) => new URL(origin!).port;
    expect(overrides).toContain(`127.0.0.1:${port(lab.origins.pages?.public)}=public`);
    expect(overrides).toContain(`127.0.0.1:${port(lab.origins.pages?.['public-insecure'])}=public`);
    expect(overrides).toContain(`127.0.0.1:${port(lab.origins.lan)}=local`);
    // The API and the classic page stay loopback: the classic scenarios are not touched.
    expect(overrides).not.toContain(`:${port(lab.apiOrigin)}=`);
    expect(overrides).not.toContain(`:${port(lab.pageOrigin)}=`);
    expect(lab.chromiumArgs).toContain('--host-resolver-rules=MAP *.example 127.0.0.1');
    expect(lab.permissionGrants).toEqual([{ origin: lab.origins.pages?.['public-granted'], permissions: ['loopbackNetwork', 'localNetwork'] }]);
    expect(lab.devtoolsBlockedUrls.length).toBe(1);
  });

  it('serves the COEP and CSP page variants with their headers, listing only their own scenarios', async () => {
    const coep = await fetch(lab.pageUrlFor('coep'));
    expect(coep.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    const html = await coep.text();
    expect(html).toContain('data-run="coep-image-without-corp"');
    expect(html).not.toContain('data-run="pass-simple-get"');
    const csp = await fetch(lab.pageUrlFor('csp'));
    expect(csp.headers.get('content-security-policy')).toContain("connect-src 'self'");
    // The lab page links to every variant.
    const main = await (await fetch(lab.pageUrl)).text();
    for (const origin of Object.values(lab.origins.pages ?? {})) expect(main).toContain(`href="${origin}/"`);
  });

  it('resets the connection after the headers, closes without an answer, and refuses on the dead port', async () => {
    const reset = await rawGet(scenarioUrl(lab.origins, byId('net-reset-after-headers'), 0, 'unit~5'));
    expect(reset.status).toBe(200);
    expect(reset.headers?.['access-control-allow-origin']).toBe(lab.pageOrigin);
    expect(reset.error).toMatch(/ECONNRESET|aborted/);
    const empty = await rawGet(scenarioUrl(lab.origins, byId('net-empty-response'), 0, 'unit~6'));
    expect(empty.status).toBeUndefined();
    expect(empty.error).toMatch(/ECONNRESET|socket hang up/);
    const refused = await rawGet(scenarioUrl(lab.origins, byId('net-connection-refused'), 0, 'unit~7'));
    expect(refused.error).toBe('ECONNREFUSED');
  });

  it('redirects to itself for the loop, and echoes the page variant\'s origin in {page}', async () => {
    const loopUrl = scenarioUrl(lab.origins, byId('redirect-loop'), 0, 'unit~8');
    const loop = await fetch(loopUrl, { redirect: 'manual' });
    expect(loop.headers.get('location')).toBe(loopUrl);
    const granted = await fetch(scenarioUrl(lab.origins, byId('lna-granted-allowed'), 0, 'unit~9'));
    expect(granted.headers.get('access-control-allow-origin')).toBe(lab.origins.pages?.['public-granted']);
  });
});
