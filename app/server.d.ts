// Types for server.js, so the root's TypeScript tests (tests/app/app.test.ts) can import it under `strict`
// without `allowJs`. Keep in step with module.exports in server.js (tests/app/app.test.ts checks the names).
import type { Server } from "node:http";

export interface ServerOptions {
  /** Defaults to process.env.SERVICE_NAME, then "web". */
  serviceName?: string;
  /** Receives one object per request (and per error); false disables logging. Default: JSON lines on stdout. */
  log?: ((entry: Record<string, unknown>) => void) | false;
  /** Clock, for tests. */
  now?: () => Date;
}

export declare const MAX_NAME_LENGTH: number;
export declare function createServer(options?: ServerOptions): Server;
export declare function shutdown(server: Server, options?: { timeoutMs?: number }): Promise<{ forced: boolean }>;
export declare function parseName(raw: string | null): { name: string; error?: undefined } | { error: string; name?: undefined };
