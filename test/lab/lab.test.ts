import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('lab servers', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
  });
  afterAll(async () => {
    await lab?.stop();
  });

  const byId = (id: string): LabScenario => {
    const s = scenarios.find((x) => x.id === id);
    if (!s) throw new Error(id);
    return s;
  };

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
