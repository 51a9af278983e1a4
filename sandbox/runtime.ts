/** What every route handler gets: state plus the process-level settings of this sandbox. */
import type { OAuthClientConfig } from "./fixtures";
import type { SandboxState } from "./state";
import type { WebhookDispatcher } from "./webhooks";

export interface SandboxRuntime {
  state: SandboxState;
  /** Base URL the outside world uses to reach the sandbox (no trailing slash). */
  publicUrl: string;
  clients: Map<string, OAuthClientConfig>;
  /** Log violations loudly to stderr. */
  strict: boolean;
  /** Also check 2xx JSON responses against the OpenAPI document (records "response" violations). */
  validateResponses: boolean;
  webhooks: WebhookDispatcher;
  /** A delay that ends early when the sandbox closes (latency and hang faults). */
  sleep(ms: number): Promise<void>;
}
