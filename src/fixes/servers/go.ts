/** Go net/http: a wrapper around the whole handler, so it runs before any auth and for every response. */
import { goString } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

/** The allow-list and the wrapper, shared by the snippet and the example. */
function corsWrapper(p: PreparedPolicy): string {
  const originLines = [
    '\t\t\th.Set("Access-Control-Allow-Origin", origin)',
    ...(p.credentials ? ['\t\t\th.Set("Access-Control-Allow-Credentials", "true")'] : []),
    ...(p.exposeHeaders.length > 0 ? [`\t\t\th.Set("Access-Control-Expose-Headers", ${goString(p.exposeHeaders.join(', '))})`] : []),
  ];
  const preflightLines = [
    `\t\t\t\th.Set("Access-Control-Allow-Methods", ${goString(p.allowMethods.join(', '))})`,
    ...(p.allowHeaders.length > 0 ? [`\t\t\t\th.Set("Access-Control-Allow-Headers", ${goString(p.allowHeaders.join(', '))})`] : []),
    `\t\t\t\th.Set("Access-Control-Max-Age", "${p.maxAgeSeconds}")`,
  ];
  return `// Exact origins only; any other Origin gets no CORS headers.
var allowedOrigins = map[string]bool{
${p.origins.map((o) => `\t${goString(o)}: true,`).join('\n')}
}

// withCORS wraps the whole handler (outermost, before any auth middleware): preflights get 204 here, and every
// response, errors included, carries the headers.
func withCORS(next http.Handler) http.Handler {
\treturn http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
\t\th := w.Header()
\t\th.Add("Vary", "Origin")
\t\torigin := r.Header.Get("Origin")
\t\tif allowedOrigins[origin] {
${originLines.join('\n')}
\t\t\tif r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
${preflightLines.join('\n')}
\t\t\t\tw.WriteHeader(http.StatusNoContent)
\t\t\t\treturn
\t\t\t}
\t\t}
\t\tnext.ServeHTTP(w, r)
\t})
}
`;
}

export function go(p: PreparedPolicy): GeneratedSnippet {
  return {
    label: 'Go (net/http)',
    language: 'go',
    snippet: `import "net/http"\n\n${corsWrapper(p)}\n// http.ListenAndServe(addr, withCORS(yourHandler))\n`,
    pitfalls: [
      'Wrap the outermost handler: a wrapper inside an auth middleware never sees the preflight, which carries no credentials.',
      'Set the headers before WriteHeader or the first Write; headers added after that are ignored.',
      COMMON_PITFALLS.exactOrigin,
      'With rs/cors instead, list every request header in AllowedHeaders (its default allows almost none) and keep AllowedOrigins explicit.',
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function goExample(p: PreparedPolicy): GeneratedExample {
  const pathCheck =
    p.decodedPath !== undefined
      ? `\t\tif r.URL.Path != capturedPath {
\t\t\tw.WriteHeader(http.StatusNotFound)
\t\t\tw.Write([]byte(\`{"error":"not found"}\`))
\t\t\treturn
\t\t}
`
      : '';
  const main = `// Minimal server answering the captured request; start it with: go run main.go
package main

import (
\t"log"
\t"net/http"
)

${p.decodedPath !== undefined ? `const capturedPath = ${goString(p.decodedPath)}\n\n` : ''}${corsWrapper(p)}
func main() {
\tmux := http.NewServeMux()
\tmux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
\t\tw.Header().Set("Content-Type", "application/json")
${pathCheck}\t\tw.Write([]byte(\`{"ok":true}\`))
\t})
\tlog.Fatal(http.ListenAndServe("127.0.0.1:${p.port}", withCORS(mux)))
}
`;
  return {
    files: [{ path: 'main.go', content: main }],
    command: 'go run main.go',
  };
}
