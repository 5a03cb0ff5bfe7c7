// The lab page's logic (plain browser JavaScript, served as-is). Each scenario becomes one or more requests whose
// URL carries a unique token (`?lab=<id>~<nonce>`), so the requests can be found in DevTools, CDP and HAR captures.
// window.lab = { runScenario(id), runAll(), results } is what the tests drive.

const config = JSON.parse(document.getElementById('lab-config').textContent);
const { origins, scenarios } = config;
const pageNonce = Math.random().toString(36).slice(2, 8);
let runCounter = 0;
const results = {};

function tokenFor(id) {
  runCounter += 1;
  return `${id}~${pageNonce}${runCounter.toString(36)}`;
}

function urlFor(scenario, token) {
  const hop = scenario.hops[0];
  const url = `${origins[hop.origin]}/s/${scenario.id}?lab=${encodeURIComponent(token)}`;
  // A WebSocket asks for the same server and path over ws:// (wss:// from https).
  return scenario.request.api === 'websocket' ? url.replace(/^http/, 'ws') : url;
}

function requestHeaders(request) {
  const headers = request.headers.map(([n, v]) => [n, v]);
  if (request.body && !headers.some(([n]) => n.toLowerCase() === 'content-type')) {
    headers.push(['Content-Type', request.body.mimeType]);
  }
  return headers;
}

function fetchInit(request) {
  const init = { method: request.method, headers: requestHeaders(request), credentials: request.credentials };
  if (request.body) init.body = request.body.text;
  if (request.mode) init.mode = request.mode;
  if (request.redirect) init.redirect = request.redirect;
  if (request.targetAddressSpace) init.targetAddressSpace = request.targetAddressSpace;
  return init;
}

function viaFetch(request, url) {
  const init = fetchInit(request);
  let timer;
  if (request.abortAfterMs !== undefined) {
    const controller = new AbortController();
    init.signal = controller.signal;
    timer = setTimeout(() => controller.abort(), request.abortAfterMs);
  }
  return fetch(url, init).then(
    async (r) => {
      // The body can still fail after the headers arrived (a connection reset mid-body).
      try {
        await r.arrayBuffer();
      } catch (e) {
        return `error reading the body of ${r.status}: ${e.name}: ${e.message}`;
      }
      // An opaque response (no-cors) or opaque redirect (redirect: 'manual') has status 0: say which it was.
      return r.type === 'opaque' || r.type === 'opaqueredirect' ? `loaded ${r.status} (${r.type})` : `loaded ${r.status}`;
    },
    (e) => `error ${e.name}: ${e.message}`,
  ).finally(() => clearTimeout(timer));
}

function viaXhr(request, url) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(request.method, url);
    xhr.withCredentials = request.credentials === 'include';
    for (const [n, v] of requestHeaders(request)) xhr.setRequestHeader(n, v);
    xhr.onload = () => resolve(`loaded ${xhr.status}`);
    xhr.onerror = () => resolve(`error (XHR status ${xhr.status})`);
    xhr.send(request.body ? request.body.text : null);
  });
}

function viaFont(scenario, url) {
  const face = new FontFace(`lab-${scenario.id}`, `url("${url}")`);
  // The lab serves bytes that are not a real font, so a load that passed CORS still fails to decode; the network
  // outcome (what DevTools and CDP see) is what matters here.
  return face.load().then(
    () => 'loaded font',
    (e) => `error ${e.name}: ${e.message}`,
  );
}

/** The `crossorigin` attribute for the request; `null` for a no-cors load (no attribute). */
function crossOriginAttr(request) {
  if (request.mode === 'no-cors') return null;
  return request.credentials === 'include' ? 'use-credentials' : 'anonymous';
}

function viaImage(request, url) {
  return new Promise((resolve) => {
    const img = new Image();
    img.crossOrigin = crossOriginAttr(request);
    img.onload = () => resolve('loaded image');
    img.onerror = () => resolve('error (image)');
    img.src = url;
  });
}

function viaModuleScript(request, url) {
  return new Promise((resolve) => {
    const s = document.createElement('script');
    s.type = 'module';
    s.crossOrigin = crossOriginAttr(request);
    s.onload = () => resolve('loaded script');
    s.onerror = () => resolve('error (script)');
    s.src = url;
    document.head.append(s);
  });
}

function viaWebSocket(url) {
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    let opened = false;
    socket.onopen = () => {
      opened = true;
      socket.close();
    };
    socket.onclose = (e) => resolve(opened ? 'loaded websocket (opened)' : `error (websocket closed, code ${e.code})`);
  });
}

function viaClassicScript(request, url) {
  return new Promise((resolve) => {
    const s = document.createElement('script');
    const attr = crossOriginAttr(request);
    if (attr !== null) s.crossOrigin = attr;
    s.onload = () => resolve('loaded script');
    s.onerror = () => resolve('error (script)');
    s.src = url;
    document.head.append(s);
  });
}

// A sandboxed iframe (opaque origin, so its requests carry `Origin: null`) that runs fetches on request.
const SANDBOX_SRCDOC = `<!doctype html><script>
addEventListener('message', async (e) => {
  const { id, url, init } = e.data;
  let outcome;
  try { const r = await fetch(url, init); await r.arrayBuffer(); outcome = 'loaded ' + r.status; }
  catch (err) { outcome = 'error ' + err.name + ': ' + err.message; }
  parent.postMessage({ id, outcome }, '*');
});
parent.postMessage({ ready: true }, '*');
<\/script>`;
let sandbox;
let sandboxCalls = 0;
const sandboxWaiters = new Map();
addEventListener('message', (e) => {
  if (!sandbox || e.source !== sandbox.frame.contentWindow) return;
  if (e.data?.ready) sandbox.ready();
  else sandboxWaiters.get(e.data?.id)?.(e.data.outcome);
});
function sandboxFrame() {
  if (!sandbox) {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.title = 'sandboxed requester (Origin: null)';
    frame.style.display = 'none';
    let ready;
    const loaded = new Promise((r) => (ready = r));
    sandbox = { frame, ready, loaded };
    frame.srcdoc = SANDBOX_SRCDOC;
    document.body.append(frame);
  }
  return sandbox.loaded.then(() => sandbox.frame.contentWindow);
}
async function viaSandboxedFetch(request, url) {
  const win = await sandboxFrame();
  const id = ++sandboxCalls;
  const init = fetchInit(request);
  return new Promise((resolve) => {
    sandboxWaiters.set(id, (outcome) => {
      sandboxWaiters.delete(id);
      resolve(outcome);
    });
    win.postMessage({ id, url, init }, '*');
  });
}

function sendOnce(scenario, url) {
  const { request } = scenario;
  if (request.initiator === 'sandboxed-iframe') {
    return request.api === 'fetch' ? viaSandboxedFetch(request, url) : Promise.resolve('error: a sandboxed iframe runs fetch only');
  }
  switch (request.api) {
    case 'fetch':
      return viaFetch(request, url);
    case 'xhr':
      return viaXhr(request, url);
    case 'font':
      return viaFont(scenario, url);
    case 'img':
      return viaImage(request, url);
    case 'module-script':
      return viaModuleScript(request, url);
    case 'script':
      return viaClassicScript(request, url);
    case 'websocket':
      return viaWebSocket(url);
    default:
      return Promise.resolve(`error: unknown api ${request.api}`);
  }
}

async function runScenario(id) {
  const scenario = scenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`no scenario ${id}`);
  const token = tokenFor(id);
  const url = urlFor(scenario, token);
  const outcomes = [];
  const times = scenario.request.repeat ?? 1;
  for (let i = 0; i < times; i++) outcomes.push(await sendOnce(scenario, url));
  const result = { id, token, url, outcomes };
  results[id] = result;
  const out = document.querySelector(`output[data-outcome="${CSS.escape(id)}"]`);
  if (out) {
    out.textContent = outcomes.join(' · ');
    out.className = outcomes.every((o) => o.startsWith('loaded')) ? 'ok' : 'error';
  }
  return result;
}

/** Runs every scenario of this page one after the other, or only those whose id is in `ids`. */
async function runAll(ids) {
  const status = document.getElementById('run-all-status');
  status.textContent = 'running…';
  const all = [];
  for (const s of scenarios) if (!ids || ids.includes(s.id)) all.push(await runScenario(s.id));
  status.textContent = `done: ${all.length} scenarios`;
  document.documentElement.dataset.labRuns = String(Number(document.documentElement.dataset.labRuns ?? 0) + 1);
  return all;
}

document.getElementById('run-all').addEventListener('click', () => void runAll());
for (const button of document.querySelectorAll('button[data-run]')) {
  button.addEventListener('click', () => void runScenario(button.dataset.run));
}

// Create the sandboxed iframe now, not on first use: DevTools attaches to it as a separate (out-of-process) frame,
// and a request sent the instant it exists can come before DevTools is listening there.
if (scenarios.some((s) => s.request.initiator === 'sandboxed-iframe')) void sandboxFrame();

window.lab = { runScenario, runAll, results, scenarios, origins };
document.documentElement.dataset.labReady = 'true';
