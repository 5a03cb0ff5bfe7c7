/** Export of what the panel holds as a HAR file (the report itself comes from `assembleReport`, as the CLI's does). */
import { TOOL_VERSION } from '../model/toolVersion.js';

export function buildHar(entries: readonly unknown[]): object {
  return {
    log: {
      version: '1.2',
      creator: { name: 'CORS Lens', version: TOOL_VERSION },
      pages: [],
      entries,
    },
  };
}
