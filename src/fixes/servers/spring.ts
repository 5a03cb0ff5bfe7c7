/** Spring (MVC + Security): a CorsConfigurationSource used by Spring Security, so preflights pass before auth. */
import { javaString } from '../escape.js';
import { COMMON_PITFALLS, methodSpellingPitfalls, type GeneratedExample, type GeneratedSnippet, type PreparedPolicy } from './common.js';

const javaList = (values: readonly string[]): string => `List.of(${values.map(javaString).join(', ')})`;

/** CorsConfig.java: the snippet, and the example's one file. */
function corsConfig(p: PreparedPolicy): string {
  return `package com.example.cors;

import java.time.Duration;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

@Configuration
public class CorsConfig {
    // With Spring Security, also call http.cors(Customizer.withDefaults()): it then uses this bean and answers
    // preflights before authentication.
    @Bean
    public CorsConfigurationSource corsConfigurationSource() {
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(${javaList(p.origins)}); // exact origins, never "*" with credentials
        cors.setAllowedMethods(${javaList(p.allowMethods)});
${p.allowHeaders.length > 0 ? `        cors.setAllowedHeaders(${javaList(p.allowHeaders)});\n` : ''}${
    p.exposeHeaders.length > 0 ? `        cors.setExposedHeaders(${javaList(p.exposeHeaders)});\n` : ''
  }${p.credentials ? '        cors.setAllowCredentials(true);\n' : ''}        cors.setMaxAge(Duration.ofSeconds(${p.maxAgeSeconds}));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", cors);
        return source;
    }
}
`;
}

export function spring(p: PreparedPolicy): GeneratedSnippet {
  return {
    label: 'Spring',
    language: 'java',
    snippet: corsConfig(p),
    pitfalls: [
      'With Spring Security, enable http.cors(...) in the filter chain; otherwise preflights get 401/403 before MVC sees them.',
      'allowCredentials(true) with allowedOrigins("*") throws at start-up since Spring 5.3: list the origins.',
      '@CrossOrigin on one controller does not cover error paths (/error) or other controllers.',
      COMMON_PITFALLS.exactOrigin,
      ...methodSpellingPitfalls(p),
    ],
  };
}

export function springExample(p: PreparedPolicy): GeneratedExample {
  return {
    files: [{ path: 'src/main/java/com/example/cors/CorsConfig.java', content: corsConfig(p) }],
    command: `./mvnw spring-boot:run -Dspring-boot.run.arguments=--server.port=${p.port}`,
  };
}
