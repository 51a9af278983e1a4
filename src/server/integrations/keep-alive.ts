/**
 * Options for the keep-alive agents of outbound calls (no `server-only`: the bench's plain floor
 * server, outside Next, makes its calls the same way).
 *
 * An idle connection is kept 15 s. A server that announces a shorter keep-alive
 * (`Keep-Alive: timeout=N`, as Apache and Node do) gets its connections closed here a second before
 * the announced time; without a timeout Node ignores the announcement and reuses connections the
 * server is closing, and the request fails with "socket hang up". 15 s stays under what servers
 * that announce nothing keep (Tomcat under Jira Data Center 20 s, load balancers 60 s).
 */
export const KEEP_ALIVE_AGENT_OPTIONS = { keepAlive: true, timeout: 15_000 } as const;
