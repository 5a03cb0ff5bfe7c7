/** ASP.NET Core: a named CORS policy, UseCors after UseRouting and before authentication. */
import { csharpString } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

const args = (values: readonly string[]): string => values.map(csharpString).join(', ');

/** The AddCors call, shared by the snippet and the example. */
function corsPolicy(p: PreparedPolicy): string {
  return `builder.Services.AddCors(options => options.AddPolicy("CapturedRequest", policy => policy
    .WithOrigins(${args(p.origins)}) // exact origins, no trailing slash
    .WithMethods(${args(p.allowMethods)})
${p.allowHeaders.length > 0 ? `    .WithHeaders(${args(p.allowHeaders)})\n` : ''}${p.exposeHeaders.length > 0 ? `    .WithExposedHeaders(${args(p.exposeHeaders)})\n` : ''}${
    p.credentials ? '    .AllowCredentials()\n' : ''
  }    .SetPreflightMaxAge(TimeSpan.FromSeconds(${p.maxAgeSeconds}))));`;
}

export function aspnet(p: PreparedPolicy): GeneratedSnippet {
  return {
    label: 'ASP.NET Core',
    language: 'csharp',
    snippet: `${corsPolicy(p)}\n\n// ...\napp.UseRouting();\napp.UseCors("CapturedRequest");\napp.UseAuthentication();\napp.UseAuthorization();\n`,
    pitfalls: [
      'UseCors goes after UseRouting and before UseAuthentication/UseAuthorization, or preflights hit authentication.',
      'AllowAnyOrigin() with AllowCredentials() is refused at start-up; WithOrigins values must not end with "/".',
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function aspnetExample(p: PreparedPolicy): GeneratedExample {
  const program = `// Minimal API answering the captured request; start it with: dotnet run --urls http://127.0.0.1:${p.port}
var builder = WebApplication.CreateBuilder(args);
${corsPolicy(p)}

var app = builder.Build();
app.UseRouting();
app.UseCors("CapturedRequest"); // after UseRouting, before UseAuthentication/UseAuthorization
app.MapMethods(${csharpString(p.decodedPath ?? p.path)}, new[] { ${args([...new Set(['GET', ...p.allowMethods])])} }, () => Results.Json(new { ok = true }));
app.Run();
`;
  return {
    files: [
      { path: 'Program.cs', content: program },
      {
        path: 'CorsFix.csproj',
        content: '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n    <ImplicitUsings>enable</ImplicitUsings>\n  </PropertyGroup>\n</Project>\n',
      },
    ],
    command: `dotnet run --urls http://127.0.0.1:${p.port}`,
  };
}
