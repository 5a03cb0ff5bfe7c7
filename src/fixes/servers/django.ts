/** Django with django-cors-headers. */
import { pythonString } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

const pyList = (values: readonly string[]): string => `[${values.map(pythonString).join(', ')}]`;

function corsSettings(p: PreparedPolicy): string[] {
  return [
    `CORS_ALLOWED_ORIGINS = ${pyList(p.origins)}`,
    ...(p.credentials ? ['CORS_ALLOW_CREDENTIALS = True'] : []),
    `CORS_ALLOW_METHODS = ${pyList(p.allowMethods)}`,
    `CORS_ALLOW_HEADERS = ${pyList(p.allowHeaders)}`,
    ...(p.exposeHeaders.length > 0 ? [`CORS_EXPOSE_HEADERS = ${pyList(p.exposeHeaders)}`] : []),
    `CORS_PREFLIGHT_MAX_AGE = ${p.maxAgeSeconds}`,
  ];
}

export function django(p: PreparedPolicy): GeneratedSnippet {
  const snippet = `# settings.py
INSTALLED_APPS += ["corsheaders"]
# First in MIDDLEWARE: above CommonMiddleware, WhiteNoise and anything that can answer early.
MIDDLEWARE.insert(0, "corsheaders.middleware.CorsMiddleware")

${corsSettings(p).join('\n')}
`;
  return {
    label: 'Django (django-cors-headers)',
    language: 'python',
    snippet,
    pitfalls: [
      'CorsMiddleware must come first in MIDDLEWARE, at least above CommonMiddleware and WhiteNoise: responses those produce (redirects, 404s) otherwise lack the headers.',
      'CORS_ALLOWED_ORIGINS entries are full origins: scheme, host, optional port; no path, no trailing slash.',
      'CSRF is a separate check: a cookie-authenticated POST from another origin also needs that origin in CSRF_TRUSTED_ORIGINS.',
      'Old setting names (CORS_ORIGIN_WHITELIST, CORS_ORIGIN_ALLOW_ALL) still appear in tutorials; CORS_ALLOW_ALL_ORIGINS with credentials reflects any origin.',
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function djangoExample(p: PreparedPolicy): GeneratedExample {
  const kwargs = corsSettings(p).map((line) => `    ${line.replace(' = ', '=')},`).join('\n');
  const pathCheck =
    p.decodedPath !== undefined
      ? `    if request.path != CAPTURED_PATH:
        return JsonResponse({"error": "not found"}, status=404)
`
      : '';
  const app = `# Minimal Django project in one file, answering the captured request; start it with: python3 app.py
import sys

from django.conf import settings

CAPTURED_PATH = ${pythonString(p.decodedPath ?? p.path)}

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    SECRET_KEY="example-only-not-secret",
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=["corsheaders"],
    MIDDLEWARE=[
        "corsheaders.middleware.CorsMiddleware",
        "django.middleware.common.CommonMiddleware",
    ],
${kwargs}
)

from django.http import JsonResponse  # noqa: E402
from django.urls import re_path  # noqa: E402


def answer(request):
${pathCheck}    return JsonResponse({"ok": True})


urlpatterns = [re_path(r"", answer)]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], "runserver", "127.0.0.1:${p.port}", "--noreload"])
`;
  return {
    files: [
      { path: 'app.py', content: app },
      { path: 'requirements.txt', content: 'django\ndjango-cors-headers\n' },
    ],
    command: 'python3 app.py',
  };
}
