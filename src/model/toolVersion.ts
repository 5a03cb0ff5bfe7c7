/** The package version, kept equal to package.json's by test/cli/version.test.ts (no file read: the panel uses this too). */
export const TOOL_VERSION = '0.1.0';
